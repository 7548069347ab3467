"""MkDocs navigation surgery: generated pages placed, crowded folders shown by their listing."""

from __future__ import annotations

import posixpath

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page as MkDocsPage

from kb_builder.build.state import EditionBuild
from kb_builder.pages import navigation


def arrange(state: EditionBuild, nav: Navigation, config: MkDocsConfig, files: Files) -> None:
    """Place generated pages the nav does not name; show crowded folders by their index."""
    navigation.escape_nav_titles(nav.items)
    place_generated_pages(state, nav, config, files)
    if state.root_listing is not None:
        listing = files.get_file_from_path(state.root_listing)
        page = listing.page or MkDocsPage(None, listing, config)
        nav.items = navigation.collapse_root(nav.items, state.root_crowd, page)
        listing.inclusion = InclusionLevel.INCLUDED
    if state.crowded:
        _show_by_index(nav.items, set(state.crowded.values()))
    relink(nav)


def _show_by_index(items: list, index_pages: set[str]) -> None:
    """A crowded folder's section shows only the page that lists it."""
    for item in items:
        if isinstance(item, Section):
            index = next(
                (
                    child
                    for child in item.children
                    if isinstance(child, MkDocsPage) and child.file.src_uri in index_pages
                ),
                None,
            )
            if index is not None:
                item.children = [index]
            else:
                _show_by_index(item.children, index_pages)


def place_generated_pages(
    state: EditionBuild, nav: Navigation, config: MkDocsConfig, files: Files
) -> None:
    """Put each generated page missing from the nav into its folder's section, in order."""
    sections: dict[str, Section] = {}
    for section in _walk_sections(nav.items):
        for child in section.children:
            if isinstance(child, MkDocsPage):
                folder, name = posixpath.split(child.file.src_uri)
                if name in navigation.INDEX_NAMES:
                    sections.setdefault(folder, section)
    for uri in state.generated_from:
        file = files.get_file_from_path(uri)
        if file is None or file.inclusion != InclusionLevel.NOT_IN_NAV:
            continue
        section = sections.get(posixpath.dirname(uri))
        if section is None:
            continue
        page = MkDocsPage(None, file, config)
        page.parent = section
        section.children.append(page)
        file.inclusion = InclusionLevel.INCLUDED


def without(nav: list, uris: set[str]) -> list:
    """A copy of an mkdocs.yml `nav` without the entries for `uris` (and emptied sections)."""
    kept = []
    for item in nav:
        if isinstance(item, str):
            if item not in uris:
                kept.append(item)
        elif isinstance(item, dict):
            entry = {}
            for title, value in item.items():
                if isinstance(value, list):
                    value = without(value, uris)
                    if value:
                        entry[title] = value
                elif value not in uris:
                    entry[title] = value
            if entry:
                kept.append(entry)
        else:
            kept.append(item)
    return kept


def nav_uris(nav: list) -> set[str]:
    """Every page path an mkdocs.yml `nav` names."""
    uris: set[str] = set()
    for item in nav:
        if isinstance(item, str):
            uris.add(item)
        elif isinstance(item, dict):
            for value in item.values():
                uris |= nav_uris(value) if isinstance(value, list) else {value}
    return uris


def _walk_sections(items: list):
    for item in items:
        if isinstance(item, Section):
            yield item
            yield from _walk_sections(item.children)


def relink(nav: Navigation) -> None:
    """Previous/next links follow the navigation as it now stands."""
    nav.pages = [p for p in _walk_pages(nav.items)]
    for i, page in enumerate(nav.pages):
        page.previous_page = nav.pages[i - 1] if i else None
        page.next_page = nav.pages[i + 1] if i + 1 < len(nav.pages) else None


def _walk_pages(items: list):
    for item in items:
        if isinstance(item, MkDocsPage):
            yield item
        elif isinstance(item, Section):
            yield from _walk_pages(item.children)
