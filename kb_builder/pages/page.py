"""One Markdown page: its validated front matter and, for FAQ pages, its questions."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from kb_builder.core.editions import Edition
from kb_builder.core.errors import ContentError
from kb_builder.core.markdown import page_problems
from kb_builder.core.validation import validate
from kb_builder.core.yamlio import FrontMatter, decode_utf8, split_front_matter
from kb_builder.pages import audience, faq, video
from kb_builder.pages.meta import PageMeta


@dataclass
class Page:
    """What the build needs to know about a page source.

    Attributes:
        source: the file path used in messages.
        meta: validated front matter (defaults when it was invalid).
        front: the split file (front matter, body, line offset).
        questions: the questions of a FAQ page, in order.
        errors: every problem found, each at its line.
        full_body: the body as written, internal passages included (``front.body`` is the
            body as this edition shows it).
    """

    source: str
    meta: PageMeta
    front: FrontMatter
    questions: list[faq.Question] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)
    full_body: str = ""
    passages: tuple[tuple[int, int], ...] = ()
    #: The links of the body as this edition shows it, read while the page was analysed
    #: (the parse is shared with the page rules); None when the page could not be read.
    links: audience.LinkReading | None = None

    def references(self, uri: str, names: set[str] | None = None) -> tuple[set[str], set[str]]:
        """The content files this page refers to: ``(from its public text, from its internal
        passages)``, as paths from the content folder (links, images, raw HTML, video files).

        Args:
            uri: the page's path in the content folder, which relative addresses start from.
            names: if given, the base names of the files that matter; a page that mentions
                none of them is not parsed (most pages, on a large site).
        """

        def targets(markdown: str) -> set[str]:
            if names is not None and not audience.mentions_any(markdown, names):
                return set()
            # The one reading of a link the attachment rule and the link rule share; without
            # internal passages every view of the body is the one read during analysis.
            reading = self.links if not self.passages else None
            return audience.references(uri, markdown, reading)

        public_body = audience.blank_lines(self.full_body, self.passages)
        public = targets(public_body)
        video = self.meta.video
        for ref in (video.src, video.captions, video.poster) if video is not None else ():
            target = audience.file_target(uri, ref) if ref else None
            if target:
                public.add(target)
        internal = targets(self.full_body) - public if self.passages else set()
        return public, internal

    @property
    def is_faq(self) -> bool:
        return self.meta.type == "faq"

    def markdown(self) -> str:
        """The body as the engine should render it (FAQ structure added)."""
        if self.is_faq and self.questions:
            return faq.render_faq_markdown(self.front.body, self.questions)
        return self.front.body


@functools.cache
def default_meta() -> PageMeta:
    """The front matter of a page without any (or with none that is valid): all defaults.

    One object for every such page (PageMeta is frozen): on a site of pages without front
    matter, such as tldr's 4,600, a validated copy each was 4 MB of the build's memory.
    """
    return PageMeta()


def analyse(
    text: str,
    source: str,
    edition: Edition = "public",
    rendering: audience.Rendering = audience.DEFAULT_RENDERING,
) -> Page:
    """Read a page as `edition` shows it and collect every problem (never raises for content).

    In the public edition, internal passages are blanked out first (line numbers kept), so the
    FAQ structure is checked as clients will see it: an answer that is wholly internal is empty.
    Near misses of the internal marker are errors in both editions (`audience.find_internal`,
    checked against `rendering`, the site's Markdown extensions), so that the internal edition
    never badges what the public one would publish.
    """
    try:
        front = split_front_matter(text, source)
    except ContentError as e:
        return Page(source, default_meta(), FrontMatter({}, None, text, 0), errors=[e])  # type: ignore[arg-type]
    full_body = front.body
    internal = audience.find_internal(front.body, rendering)
    if edition == "public" and internal.passages:
        front.body = audience.blank_lines(front.body, internal.passages)
    if isinstance(front.data, dict) and not front.data:
        meta, errors = default_meta(), []  # nothing to validate (a scalar such as 0 is)
    else:
        meta, errors = validate(PageMeta, front.data, source, front.lines, what="front-matter")
    page = Page(
        source,
        meta or default_meta(),
        front,
        errors=list(errors),
        full_body=full_body,
        passages=internal.passages,
    )
    if page.meta.audience != "internal":
        # On an internal page everything is internal already: a near miss leaks nothing.
        page.errors.extend(audience.problems_as_errors(internal, source, front.body_offset))
        page.errors.extend(_internal_tag_errors(page.meta, front, source))
    if meta is not None:
        page.errors.extend(_video_errors(meta, front, source))
    # Links whose scheme could run code, event-handler attributes (kb_builder.core.markdown).
    page.errors.extend(
        ContentError(source, front.body_offset + line + 1, message)
        for line, message in page_problems(front.body)
    )
    page.links = audience.read_links(front.body)
    if meta is not None and meta.type == "faq":
        type_line = front.lines.line_of(("type",))
        page.questions, faq_errors = faq.parse_questions(
            front.body, source, front.body_offset, type_line
        )
        page.errors.extend(faq_errors)
    return page


def _internal_tag_errors(meta: PageMeta, front: FrontMatter, source: str) -> list[ContentError]:
    """A public page tagged "internal" was almost certainly meant to be internal: fail closed."""
    for n, tag in enumerate(meta.tags):
        if "internal" in tag.casefold():
            return [
                ContentError(
                    source,
                    front.lines.line_of(("tags", n)),
                    f"the tag '{tag}' does not make the page internal (it would be published, "
                    "tag and all); write 'audience: internal' to keep the page for agents, or "
                    "choose another tag",
                )
            ]
    return []


def _video_errors(meta: PageMeta, front: FrontMatter, source: str) -> list[ContentError]:
    """A video page names a recording we can play and has a transcript; others name none."""
    line = (
        front.lines.line_of(("video",)) if "video" in front.data else front.lines.line_of(("type",))
    )
    if meta.type != "video":
        if meta.video is not None:
            return [ContentError(source, line, "'video' is only for pages with 'type: video'")]
        return []
    if meta.video is None:
        return [
            ContentError(
                source,
                line,
                "a video page needs a 'video' mapping with 'src' (a YouTube or Vimeo URL, or a "
                "video file such as media/intro.webm) and 'duration'",
            )
        ]
    errors = []
    src = meta.video.src
    if video.embed_for(src) is None and not video.is_file(src):
        errors.append(
            ContentError(
                source,
                front.lines.line_of(("video", "src")),
                f"'video.src' is '{src}', which this site cannot play without a third-party "
                "script; use a https://www.youtube.com/watch?v=... or https://vimeo.com/... "
                "URL, or a .mp4/.webm/.ogv file of the site",
            )
        )
    if not video.has_transcript(front.body):
        errors.append(
            ContentError(
                source,
                line,
                "a video page needs a '## Transcript' section: for people who cannot play or "
                "hear the video, and for search",
            )
        )
    return errors


# Larger pages are almost always a mistake (a pasted log, a generated dump) and slow every build
# and every visitor's search; real help articles stay far below this.
MAX_PAGE_BYTES = 5 * 1024 * 1024


def analyse_file(
    raw: bytes,
    source: str,
    edition: Edition = "public",
    rendering: audience.Rendering = audience.DEFAULT_RENDERING,
) -> Page:
    """Like `analyse`, from the file's bytes (so that bad encodings are reported too)."""
    empty = FrontMatter({}, None, "", 0)  # type: ignore[arg-type]
    if len(raw) > MAX_PAGE_BYTES:
        size = f"{len(raw) / 1024 / 1024:.1f} MB"
        limit = f"{MAX_PAGE_BYTES // 1024 // 1024} MB"
        return Page(
            source,
            default_meta(),
            empty,
            errors=[
                ContentError(
                    source,
                    0,
                    f"the page is {size}, over the {limit} a page may "
                    "be; split it into several pages",
                )
            ],
        )
    if not raw.strip():
        return Page(
            source,
            default_meta(),
            empty,
            errors=[ContentError(source, 1, "the page is empty; write its content or delete it")],
        )
    try:
        text = decode_utf8(raw, source)
    except ContentError as e:
        return Page(source, default_meta(), FrontMatter({}, None, "", 0), errors=[e])  # type: ignore[arg-type]
    return analyse(text, source, edition, rendering)
