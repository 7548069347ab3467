"""Each page on its way through the engine: its Markdown before, its HTML after rendering."""

from __future__ import annotations

import posixpath

from kb_builder.build.site import SiteFiles
from kb_builder.build.state import EditionBuild
from kb_builder.core.errors import ContentError
from kb_builder.families.registry import FAMILIES, family
from kb_builder.indexing.records import documents_from_page
from kb_builder.pages import audience, faq, navigation, third_party, video
from kb_builder.pages.page import Page


def page_markdown(
    state: EditionBuild, site: SiteFiles, src_uri: str, url: str, markdown: str
) -> str:
    """The Markdown the engine renders: our own split of the source (MkDocs hides malformed
    front matter), changed by the families (placeholders resolved), with a video's player."""
    analysed = state.pages.get(src_uri)
    if analysed is None:
        return markdown
    body = analysed.markdown()
    if not state.is_generated(src_uri):
        for each in FAMILIES:
            model = state.models.get(each.name)
            if model is not None:
                body = each.page_markdown(model, body, analysed, state.edition)
    if analysed.meta.type == "video" and analysed.meta.video is not None:
        body = video.insert_after_title(body, _player(analysed, site, src_uri, url))
    return body


def _player(analysed: Page, site: SiteFiles, src_uri: str, url: str) -> str:
    meta = analysed.meta
    title = navigation.page_title(meta.title, analysed.front.body, src_uri)

    def local(ref: str | None) -> str | None:
        if not ref:
            return None
        if "://" in ref:
            return ref
        target = posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), ref))
        return site.relative_url(target, url)

    return video.player_html(
        title,
        meta.video.duration,
        embed=video.embed_for(meta.video.src),
        file_url=local(meta.video.src) if video.is_file(meta.video.src) else None,
        captions_url=local(meta.video.captions),
        poster_url=local(meta.video.poster),
    )


def page_content(
    state: EditionBuild,
    src_uri: str,
    url: str,
    html: str,
    *,
    is_homepage: bool,
    fallback_title: str,
) -> None:
    """What the build learns from a rendered page: the fail-closed guard, requests to other
    hosts in pages made from data, FAQ JSON-LD, and the page's search records."""
    analysed = state.pages.get(src_uri)
    if state.edition == "public":
        refuse_internal_looking(state, src_uri, html, analysed)
    if state.is_generated(src_uri):
        # Written pages are checked at their lines before rendering; these come from data.
        state.refuse(third_party.generated_page_errors(html, state.data_dir))
    if analysed is not None and analysed.is_faq:
        state.jsonld[src_uri] = faq.faq_jsonld(html, analysed.questions)
    # The search page and the home page (a hero and cards pointing elsewhere) are ways to
    # an answer, never the answer: a result leading to them is a wasted place in the top 3.
    if is_homepage or src_uri in state.unsearchable:
        return
    state.search_documents += documents_from_page(
        html,
        url=url,
        page_title=(
            navigation.page_title(analysed.meta.title, analysed.front.body, src_uri)
            if analysed
            else fallback_title
        ),
        kind=search_kind(state, src_uri, analysed),
        audience=analysed.meta.audience if analysed else "public",
        section=url.split("/", 1)[0],
        tags=analysed.meta.tags if analysed else [],
    )


def refuse_internal_looking(
    state: EditionBuild, src_uri: str, html: str, analysed: Page | None
) -> None:
    """Fail closed: public HTML, as rendered with the site's extensions, with anything that
    looks internal (`audience.published_internal`) stops the build."""
    if analysed is not None and analysed.errors:
        return  # already refused (kb check goes on): its source-level problems say why
    found = audience.published_internal(html)
    if found is None:
        return
    if state.is_generated(src_uri):
        source, line = str(state.docs_dir / state.generated_from[src_uri]), 1
    else:
        source = analysed.source if analysed else src_uri
        body = analysed.full_body if analysed else ""
        offset = analysed.front.body_offset if analysed else 0
        lines = body.splitlines()
        hits = [n for n, text in enumerate(lines) if audience.mentions_internal(text)]
        hits = hits or [n for n, text in enumerate(lines) if not text.isascii()]
        line = offset + (hits[0] if hits else 0) + 1
    raise ContentError(
        source,
        line,
        f"the public page renders '{found}', which looks internal but is not an internal "
        "passage, so it would be published; write the passage as an '!!! internal' "
        "admonition (see the README, 'Two editions')",
    )


def search_kind(state: EditionBuild, src_uri: str, analysed: Page | None) -> str:
    """What a page is, for search filters: faq, article, guide, release, video, listing.

    A generated page is what its family says; the family is known from the data it is made
    from (the page's edit source), never guessed from its URL.
    """
    made_by = state.made_by.get(src_uri)
    if made_by is not None:
        return family(made_by).search_kind
    if analysed is None:
        return "listing"
    return {"faq": "faq", "video": "video"}.get(analysed.meta.type, "article")
