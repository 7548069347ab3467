"""Pages the build makes for finding others: the search page and the A-Z listings."""

from __future__ import annotations

import posixpath

from kb_builder.build.generated import refuse_spelling_twin, titles
from kb_builder.build.site import SiteFiles
from kb_builder.build.state import EditionBuild
from kb_builder.core.errors import ContentError
from kb_builder.core.generated import GeneratedAsset
from kb_builder.indexing import search_page
from kb_builder.pages import navigation


def add_search_page(state: EditionBuild, site: SiteFiles) -> tuple[str, GeneratedAsset]:
    """The search page (search/?q=); returns its URL and its OpenSearch description.

    Its help links are the edition's FAQ pages and ticket guides that exist in this site.
    """
    uri = search_page.SEARCH_PAGE_URI
    if site.exists(uri):
        raise ContentError(
            str(state.docs_dir / uri), 1, f"the search page is generated at {uri}; rename this file"
        )
    refuse_spelling_twin(state, site, uri, "search page")
    names = titles(state)
    faq_pages = [
        search_page.HelpLink(names[u], u)
        for u, page in sorted(state.pages.items())
        if page.is_faq and site.exists(u)
    ]
    contact = [
        search_page.HelpLink(names[u], u)
        for u in search_page.CONTACT_PAGES
        if u in state.pages and site.exists(u)
    ]
    markdown = search_page.page_markdown(faq_pages, contact)
    # Not named by the nav and not placed in a section: reached from the search forms.
    site.add_page(uri, markdown, edit_source=None, nav="hidden")
    state.unsearchable.add(uri)
    url = site.url(uri)
    return url, search_page.opensearch(state.site_name, state.site_url, url)


def add_section_listings(state: EditionBuild, site: SiteFiles, limit: int) -> None:
    """An A-Z listing for each crowded folder, the docs root included (`navigation`)."""
    uris = {p.src_uri for p in site.source_pages()}
    # Only pages the navigation would show can crowd it: the search page and a writer's
    # not_in_nav pages are reached otherwise; generated pages await placement (on_nav).
    shown = site.shown_in_nav() | set(state.generated_from)
    named = site.nav_names()
    for folder, members in navigation.crowded_sections(shown, limit).items():
        for uri in members if named is not None else ():
            if uri not in named:
                # Its listing shows it: an explicit nav need not name it to have it hidden.
                site.hide_from_nav(uri)
        index, exists = navigation.index_uri(folder, uris)
        title = None
        if not folder:
            if exists:
                # The home page stays a landing page; the crowd gets a page of its own.
                index, exists = root_listing_uri(site), False
                title = navigation.ROOT_LISTING_TITLE
            state.root_crowd, state.root_listing = set(members), index
        else:
            state.crowded[folder] = index
        listed = [
            navigation.ListedPage(
                navigation.page_title(
                    state.pages[u].meta.title if u in state.pages else None,
                    state.pages[u].front.body if u in state.pages else "",
                    u,
                ),
                u,
            )
            for u in members
        ]
        listing = navigation.listing_markdown(folder, listed, with_title=not exists, title=title)
        if exists:
            state.pages[index].front.body += "\n\n" + listing.replace("\n## ", "\n### ")
        else:
            # The root's listing is named by no nav: on_nav puts it after the home page.
            site.add_page(index, listing, edit_source=None, nav="included" if folder else "hidden")


def root_listing_uri(site: SiteFiles) -> str:
    """A source path for the root's listing that publishes where no file does, nor under it
    (``a-z/`` must not become the index of a writer's ``a-z`` folder)."""
    dests = [d.casefold() for d in site.dest_uris()]

    def is_free(uri: str) -> bool:
        dest = site.dest_uri_of(uri).casefold()
        folder = posixpath.dirname(dest)
        return not any(d == dest or (folder and d.startswith(folder + "/")) for d in dests)

    return navigation.root_listing_uri(is_free)
