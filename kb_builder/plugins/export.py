"""The edition as a complete docs tree, for an engine that runs no plugins (Zensical).

An MkDocs build with the kb plugin is run as usual, and this second plugin, placed after it,
records what the kb plugin hands MkDocs for every page: the Markdown after its
``on_page_markdown`` (internal passages removed in the public edition, FAQ structure,
placeholders resolved, video players), and for pages made from data (ticket guides, release
notes, the agenda, A-Z listings, the search page) their whole Markdown. What the kb plugin
gives only to the theme (``on_page_context``: lesson boxes, related articles, "last reviewed",
FAQ JSON-LD, the internal badge) is written into the page as raw HTML with the theme's own
classes, so any engine that renders Markdown shows it. The navigation is recorded as the kb
plugin left it (generated pages placed, crowded folders collapsed).

What is written is exactly what the MkDocs build published: the files list after the kb
plugin's ``on_files`` (data files, internal pages and their attachments gone in the public
edition). `kb_builder.engines.zensical` then derives a config and hands the tree to Zensical.
"""

from __future__ import annotations

import difflib
import posixpath
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.utils import get_relative_url

from kb_builder.checking import source_lines
from kb_builder.core.text import html
from kb_builder.pages import video

# The extensions the kb plugin adds to every build (plugins/kb.py REQUIRED_EXTENSIONS): the
# exported Markdown relies on them the same way.
REQUIRED_EXTENSIONS = ("attr_list", "md_in_html", "toc", "admonition", "pymdownx.details")


@dataclass
class Exported:
    """What the export recorded, once the MkDocs build is done.

    Attributes:
        docs: the docs tree written (pages, generated pages, files the edition publishes).
        nav: the navigation as an mkdocs.yml ``nav`` list.
        extra: the ``extra`` settings the kb plugin set for templates (kb_edition, ...).
        markdown_extensions: the build's extensions, with the kb plugin's additions.
    """

    docs: Path
    nav: list = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    markdown_extensions: list[str] = field(default_factory=list)
    pages: dict[str, str] = field(default_factory=dict)
    # Where each exported page came from: the writer's file (its text) or the data it was made
    # from (GeneratedSource), for `locate`.
    written: dict[str, str] = field(default_factory=dict)
    origins: dict[str, tuple[str, str, Any]] = field(default_factory=dict)
    content_dir: Path | None = None

    def locate(self, uri: str, line: int) -> tuple[str, int]:
        """Line `line` of the exported page `uri` as the writer's ``(path, line)``.

        The exported page is matched line by line against what it was made from (difflib):
        its front matter is shorter and boxes are inserted, the rest is the source's lines.
        A page made from data is then located in its data file (`source_lines.locate`).
        """
        exported = self.written.get(uri)
        origin = self.origins.get(uri)
        if exported is None or origin is None:
            return str((self.content_dir or self.docs) / uri), line
        path, text, generated = origin
        matcher = difflib.SequenceMatcher(
            None, exported.splitlines(), text.splitlines(), autojunk=False
        )
        index, mapped = line - 1, 0
        for a, b, size in matcher.get_matching_blocks():
            if a <= index < a + size:
                mapped = b + index - a
                break
            if size and a + size <= index:
                mapped = b + size - 1  # an inserted line: the source line above it
        if generated is None:
            return path, mapped + 1
        where = source_lines.locate(self.content_dir, generated.edit_source, text, mapped + 1)
        return where.path, where.line


def attach(config: MkDocsConfig, docs: Path) -> Exported:
    """Add the export plugin to a loaded `config`, writing into `docs`; return its record."""
    plugin = ExportPlugin(Exported(docs))
    errors, _ = plugin.load_config({})
    if errors:  # pragma: no cover - the plugin has no options
        raise ValueError(errors)
    config.plugins["kb-export"] = plugin
    return plugin.exported


class ExportPlugin(BasePlugin):
    """Records the kb plugin's final Markdown and navigation; writes the docs tree."""

    def __init__(self, exported: Exported) -> None:
        self.exported = exported
        self.kb = None
        self._sources: dict[str, str] | None = None
        self._urls: dict[str, str] = {}

    def on_config(self, config: MkDocsConfig) -> None:
        self.kb = config.plugins.get("kb")

    @event_priority(-100)
    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> None:
        """After the kb plugin placed generated pages and collapsed crowded folders."""
        self.exported.nav = _nav_entries(nav.items)

    @event_priority(-100)
    def on_page_markdown(self, markdown: str, page: MkDocsPage, config, files) -> None:
        """After the kb plugin's own on_page_markdown: the body the engine would render."""
        self.exported.pages[page.file.src_uri] = markdown

    @event_priority(-100)
    def on_page_context(self, context, page: MkDocsPage, config, nav):
        """What the kb plugin gives the theme, written into the page as the theme writes it."""
        uri = page.file.src_uri
        body = self.exported.pages.get(uri)
        if body is None:
            return context

        if self._sources is None:  # once per build: every page is rendered by now
            self._sources = {f.url: f.src_uri for f in files_of(self.kb).documentation_pages()}
            self._urls = {source: url for url, source in self._sources.items()}
        sources, urls = self._sources, self._urls

        def rel(url: str) -> str:
            """A link of the raw HTML below, as a Markdown link would be written: to the
            target's source file, relative to this page's (Zensical resolves those in raw HTML
            as in Markdown, and reports the broken ones)."""
            if "://" in url:
                return url
            path, hash_, anchor = url.partition("#")
            source = sources.get(path)
            if source is None:
                return get_relative_url(url, page.url)
            here = posixpath.dirname(uri) or "."
            return posixpath.relpath(source, here) + hash_ + anchor

        body = _noscript_links(body, uri, page.url, urls)
        body = self._video_links(body, uri, page.url)
        top, bottom = [], []
        if context.get("kb_audience") == "internal":
            top.append(
                '<p class="kb-page-badge"><span class="kb-badge">Internal</span> Agents only: do '
                "not share this page, or a link to it, with a client.</p>"
            )
        hero = context.get("kb_hero")
        if hero is not None:
            search = config.extra.get("kb_search_page")
            top.append(_hero(hero, get_relative_url(search, page.url) if search else None))
        lessons = context.get("kb_lessons")
        if lessons:
            top.append(_lesson_box(lessons, rel))
        freshness = context.get("kb_freshness")
        shown = _freshness(freshness, config.extra.get("kb_edition")) if freshness else ""
        if shown:
            bottom.append(shown)
        related = context.get("kb_related")
        # One list of related pages, as theme/main.html: none computed under a page's own.
        own = {h.id for item in page.toc for h in [item, *item.children]}
        if related and not own & {"related-pages", "related-articles"}:
            items = "".join(
                f'<li><a href="{html(rel(url))}">{html(title)}</a></li>' for url, title in related
            )
            bottom.append(
                '<nav class="kb-related" aria-labelledby="kb-related-title">'
                '<h2 id="kb-related-title" class="kb-related__title">Related articles</h2>'
                f"<ul>{items}</ul></nav>"
            )
        if lessons:
            bottom.append(
                '<nav class="kb-lesson-nav kb-lesson-nav--end" aria-label="Training agenda: next '
                f'step" hidden>{_lesson_steps(lessons, rel)}</nav>'
            )
        if context.get("kb_jsonld"):
            # Safe inside <script> as faq.faq_jsonld writes it; in the body, where search
            # engines read JSON-LD as well as in the head.
            bottom.append(f'<script type="application/ld+json">{context["kb_jsonld"]}</script>')
        for block in reversed(top):  # each goes right under the title: last first
            body = video.insert_after_title(body, block + "\n")
        if bottom:
            body = body.rstrip("\n") + "\n\n" + "\n\n".join(bottom) + "\n"
        self.exported.pages[uri] = body
        return context

    def _note_origin(self, file) -> None:
        """What the exported page was made from (see `Exported.locate`)."""
        generated = self.kb.state.generated_markdown.get(file.src_uri) if self.kb else None
        if generated is not None:
            self.exported.origins[file.src_uri] = (file.src_uri, generated.markdown, generated)
        elif file.abs_src_path:
            text = Path(file.abs_src_path).read_text(encoding="utf-8", errors="replace")
            self.exported.origins[file.src_uri] = (file.abs_src_path, text, None)

    def _video_links(self, body: str, uri: str, url: str) -> str:
        """The player's file links (kb.py `_player` writes them relative to the page's URL) as
        the writer wrote them, relative to the source, which is how Zensical reads raw HTML."""
        analysed = self.kb.state.pages.get(uri) if self.kb is not None else None
        meta = analysed.meta if analysed is not None else None
        if meta is None or meta.type != "video" or meta.video is None:
            return body
        for key in ("src", "captions", "poster"):
            ref = getattr(meta.video, key)
            if not ref or "://" in ref:
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(uri), ref))
            file = files_of(self.kb).get_file_from_path(target)
            if file is None:
                continue
            written = posixpath.relpath(target, posixpath.dirname(uri) or ".")
            body = body.replace(f'"{html(get_relative_url(file.url, url))}"', f'"{html(written)}"')
        return body

    @event_priority(-100)
    def on_post_build(self, config: MkDocsConfig) -> None:
        """Write the tree: every page as recorded, every other file the edition published."""
        docs = self.exported.docs
        if docs.exists():
            shutil.rmtree(docs)
        docs.mkdir(parents=True)
        docs_dir = Path(config.docs_dir).resolve()
        for file in files_of(self.kb):
            target = docs / file.src_uri
            if file.is_documentation_page():
                if file.page is None or file.src_uri not in self.exported.pages:
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                body = plain_links(self.exported.pages[file.src_uri])
                text = _front_matter(file.page.meta) + body
                target.write_text(text, encoding="utf-8")
                self.exported.written[file.src_uri] = text
                self._note_origin(file)
            elif file.abs_src_path is None or file.generated_by:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(file.content_bytes)
            elif file.src_dir and Path(file.src_dir).resolve() == docs_dir:
                # The writer's own files (images, downloads); theme files come with custom_dir.
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(file.abs_src_path, target)
        self.exported.content_dir = docs_dir
        self.exported.extra = {k: v for k, v in config.extra.items() if k.startswith("kb_")}
        self.exported.markdown_extensions = list(config.markdown_extensions)


def files_of(kb) -> Files:
    """The files the kb plugin left in the build (its on_files result)."""
    return kb.site.files if kb is not None and kb.site is not None else Files([])


# A link destination in angle brackets with nothing that needs them: ``](<faq/index.md>)``.
_BRACKETED = re.compile(r"\]\(<([^<>\s()\\]+)>")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


def plain_links(markdown: str) -> str:
    """``[a](<b.md>)`` as ``[a](b.md)`` outside code fences: the generators write every link
    destination in brackets (CommonMark), which Zensical 0.0.73 does not resolve to a page."""
    out, fence = [], None
    for line in markdown.splitlines(keepends=True):
        opened = _FENCE.match(line)
        if fence is None and opened:
            fence = opened.group(1)[0]
        elif fence is not None and opened and opened.group(1)[0] == fence:
            fence = None
        out.append(_BRACKETED.sub(r"](\1", line) if fence is None else line)
    return "".join(out)


_NOSCRIPT = re.compile(r"<noscript\b.*?</noscript>", re.S | re.I)
_MD_LINK = re.compile(r"\]\(<?([^)<>\s#]+\.md)(#[^)<>\s]*)?>?\)")


def _noscript_links(markdown: str, uri: str, url: str, urls: dict[str, str]) -> str:
    """Links to pages inside ``<noscript markdown>`` (the search page's fallback) as URLs
    relative to the page: Zensical 0.0.73 resolves links to sources everywhere but there."""

    def resolved(match: re.Match[str]) -> str:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(uri), match.group(1)))
        if target not in urls:
            return match.group(0)
        return f"]({get_relative_url(urls[target], url)}{match.group(2) or ''})"

    return _NOSCRIPT.sub(lambda block: _MD_LINK.sub(resolved, block.group(0)), markdown)


def _plain(value: Any) -> Any:
    """Front-matter text the kb plugin turned into HTML text for the theme, as written."""
    return value.unescape() if isinstance(value, Markup) else value


def _front_matter(meta: dict) -> str:
    """The title, description and hidden sidebars an engine reads (the kb-only keys did their
    work already: the hero, lessons, freshness are in the page)."""
    kept: dict[str, Any] = {
        k: str(_plain(meta[k])) for k in ("title", "description") if meta.get(k)
    }
    if isinstance(meta.get("hide"), list):  # Material's (and Zensical's) hidden sidebars
        kept["hide"] = [str(item) for item in meta["hide"]]
    if not kept:
        return ""
    return "---\n" + yaml.safe_dump(kept, allow_unicode=True, sort_keys=False) + "---\n\n"


def _nav_entries(items: list) -> list:
    """A navigation tree as mkdocs.yml's ``nav`` (titles as text, pages by source path)."""
    entries: list = []
    for item in items:
        title = str(_plain(item.title)) if item.title is not None else None
        if isinstance(item, Section):
            entries.append({title or "": _nav_entries(item.children)})
        elif isinstance(item, Link):
            entries.append({title or item.url: item.url})
        elif isinstance(item, MkDocsPage):
            uri = item.file.src_uri
            named = "title" in vars(item) and title
            entries.append({title: uri} if named else uri)
    return entries


def _hero(hero, search_url: str | None) -> str:
    """theme/home.html's search-first banner, at the top of the page's content (the theme puts
    it above the tabs, from a template variable only the kb plugin sets)."""
    subtitle = f'<p class="kb-hero__subtitle">{html(hero.subtitle)}</p>' if hero.subtitle else ""
    form = ""
    if search_url is not None:
        # A form's action is not a link Zensical resolves: the URL relative to the page.
        form = (
            f'<form class="kb-hero__search" role="search" action="{html(search_url)}" '
            'method="get"><label class="kb-visually-hidden" for="kb-hero-q">Search the help '
            'centre</label><input class="kb-hero__input" id="kb-hero-q" name="q" type="search" '
            f'placeholder="{html(hero.placeholder)}" autocomplete="off" required>'
            '<button class="kb-hero__button" type="submit">Search</button></form>'
        )
    return (
        '<section class="kb-hero" aria-labelledby="kb-hero-title"><div class="kb-hero__inner">'
        f'<p id="kb-hero-title" class="kb-hero__title">{html(hero.title)}</p>{subtitle}{form}'
        "</div></section>"
    )


def _lesson_steps(lessons: dict, rel) -> str:
    parts = []
    if lessons.get("previous"):
        step = lessons["previous"]
        parts.append(
            f'<a class="kb-lesson-nav__prev" rel="prev" href="{html(rel(step["url"]))}">← '
            f"{html(step['label'])}</a>"
        )
    if lessons.get("next"):
        step = lessons["next"]
        parts.append(
            f'<a class="kb-lesson-nav__next" rel="next" href="{html(rel(step["url"]))}">'
            f"{html(step['label'])} →</a>"
        )
    return f'<p class="kb-lesson-nav__steps">{"".join(parts)}</p>'


def _lesson_box(lessons: dict, rel) -> str:
    """theme/main.html's lesson box (same classes, so training.js and kb.css apply)."""
    items = "".join(
        f'<li><label><input type="checkbox" data-kb-lesson="{html(lesson["id"])}"> Done:</label> '
        f'<a href="{html(rel(lesson["url"]))}">{html(lesson["label"])}</a></li>'
        for lesson in lessons["lessons"]
    )
    return (
        '<nav class="kb-lesson-nav" aria-label="Training agenda" hidden '
        f'data-kb-progress-key="{html(lessons["progress_key"])}">'
        f'<p class="kb-lesson-nav__where"><a href="{html(rel(lessons["agenda_url"]))}">'
        f"Self-guided training agenda</a>: <strong>{html(lessons['heading'])}</strong></p>"
        f'<ul class="kb-lesson-nav__lessons">{items}</ul>{_lesson_steps(lessons, rel)}</nav>'
    )


def _freshness(freshness: dict, edition: str | None) -> str:
    """theme/main.html's "last reviewed" / "generated from" line."""
    if freshness.get("source") and edition != "internal":
        # Writer plumbing (which data file) is for agents; clients see the date alone.
        changed = freshness.get("changed")
        return f'<p class="kb-freshness">Last updated on {html(changed)}.</p>' if changed else ""
    if freshness.get("source"):
        text = f"This page is generated from <code>{html(freshness['source'])}</code>"
        if freshness.get("changed"):
            text += f"; its data last changed on {html(freshness['changed'])}"
        return f'<p class="kb-freshness">{text}.</p>'
    text = ""
    if freshness.get("reviewed"):
        text += f"Last reviewed on {html(freshness['reviewed'])}"
    if freshness.get("owner"):
        text += (" by " if freshness.get("reviewed") else "Maintained by ") + str(
            html(freshness["owner"])
        )
    text += "."
    if edition == "internal" and freshness.get("review_by"):
        text += (
            f' <span class="kb-freshness__due">Next review by {html(freshness["review_by"])}.'
            "</span>"
        )
    return f'<p class="kb-freshness">{text}</p>'


def relative_to_docs(path: str, docs_dir: Path) -> str | None:
    """`path` (a snippets base path, as MkDocs reads it from the working folder) relative to
    the docs folder, or None when it lies outside it."""
    resolved = Path(path).resolve()
    try:
        return posixpath.normpath(resolved.relative_to(docs_dir.resolve()).as_posix())
    except ValueError:
        return None
