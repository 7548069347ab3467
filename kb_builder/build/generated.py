"""Pages and files made from data: every registered family's, added to the site."""

from __future__ import annotations

from pathlib import Path

from kb_builder.build.site import SiteFiles
from kb_builder.build.state import EditionBuild
from kb_builder.checking import source_lines
from kb_builder.checking.warnings import GeneratedSource
from kb_builder.core import markdown as page_markdown
from kb_builder.core.errors import ContentError
from kb_builder.core.generated import GeneratedPage
from kb_builder.families.registry import FAMILIES, Family, SiteContext
from kb_builder.pages import audience, freshness, navigation, urls
from kb_builder.pages.page import analyse


def titles(state: EditionBuild) -> dict[str, str]:
    """Every page known so far -> its title (navigation's rule: front matter, heading, name)."""
    return {
        uri: navigation.page_title(page.meta.title, page.front.body, uri)
        for uri, page in state.pages.items()
    }


def site_context(state: EditionBuild) -> SiteContext:
    """What a family may know of the site at this point of the build."""
    return SiteContext(
        state.data_dir,
        site_name=state.site_name,
        site_url=state.site_url,
        titles=titles(state),
        internal_pages=frozenset(
            uri for uri, page in state.pages.items() if page.meta.audience == "internal"
        ),
    )


def add_family_pages(state: EditionBuild, site: SiteFiles) -> None:
    """Each registered family, in registry order: read, checked, its pages and files added.

    A family reads its data once; a written page is checked against it as soon as it is read
    (a placeholder naming no support fact), and later families see the pages of earlier ones
    (the agenda may point at a ticket guide).
    """
    for family in FAMILIES:
        if not family.present(state.data_dir):
            _check_written_pages(state, family, None)
            continue
        model, errors = family.read(state.data_dir, set(state.pages))
        if errors:
            raise errors[0]
        state.models[family.name] = model
        _check_written_pages(state, family, model)
        context = site_context(state)
        problems = family.data_errors(model, state.data_dir, state.edition, context)
        if problems:
            raise problems[0]
        made = family.pages(model, state.edition, context)
        for page in made:
            add_generated(state, site, page)
            state.made_by[page.src_uri] = family.name
            if family.unsearchable(page.src_uri):
                state.unsearchable.add(page.src_uri)
        if state.edition == "public":
            # Files only the internal edition's version of these pages refers to (an internal
            # change's screenshot, say) are left out of the public edition with their pages.
            internal = family.pages(model, "internal", context)
            state.internal_data_refs |= audience.internal_only_references(
                [(p.src_uri, p.markdown) for p in internal], [(p.src_uri, p.markdown) for p in made]
            )
        for asset in family.assets(model, state.edition, context):
            site.add_file(asset.dest_uri, asset.content)
        state.theme_settings.update(family.theme_settings(model, state.edition))


def _check_written_pages(state: EditionBuild, family: Family, model) -> None:
    for uri, page in state.pages.items():
        if not state.is_generated(uri):
            state.refuse(family.page_errors(model, page, state.edition))


def refuse_spelling_twin(state: EditionBuild, site: SiteFiles, uri: str, made_from: str) -> None:
    """A source published where a generated page is, but for case or accents (urls.py)."""
    sources = [p.src_uri for p in site.source_pages() if p.written]
    twin = urls.generated_collision(sources, uri, site.use_directory_urls)
    if twin is not None:
        raise urls.generated_collision_error(state.docs_dir, twin, uri, made_from)


def add_generated(state: EditionBuild, site: SiteFiles, generated: GeneratedPage) -> None:
    """Add a page made from data as a virtual file (never written into the content folder)."""
    if site.exists(generated.src_uri):
        raise ContentError(
            str(state.docs_dir / generated.src_uri),
            1,
            f"{generated.edit_source} generates this page; delete this file (its page "
            "now comes from data) or move it",
        )
    refuse_spelling_twin(state, site, generated.src_uri, f"page of {generated.edit_source}")
    # A page the explicit nav does not name (a release cut yesterday) is placed in its
    # folder's section later (on_nav), not reported as left out of the navigation.
    named = site.nav_names()
    site.add_page(
        generated.src_uri,
        generated.markdown,
        edit_source=generated.edit_source,
        nav="default" if named is None or generated.src_uri in named else "hidden",
    )
    state.generated_from[generated.src_uri] = generated.edit_source
    state.generated_markdown[generated.src_uri] = GeneratedSource(
        generated.markdown, generated.edit_source
    )
    if generated.edit_source not in state.data_changed:
        state.data_changed[generated.edit_source] = freshness.last_changed(
            state.docs_dir / generated.edit_source
        )
    # The templates' own HTML (a form, checkboxes, an SVG) is the theme's code, not a
    # writer's: only links and handlers are checked in it (core.markdown.theme_markup).
    with page_markdown.theme_markup():
        page = analyse(
            generated.markdown,
            f"{generated.src_uri} (from {generated.edit_source})",
            state.edition,
            state.rendering,
        )
    if page.errors:
        # The writer cannot open a generated page: report the data line that produced it.
        error = page.errors[0]
        where = source_lines.locate(
            Path(state.docs_dir), generated.edit_source, generated.markdown, error.line
        )
        raise ContentError(
            where.path, where.line, f"{error.message} (in the generated {generated.src_uri})"
        )
    state.pages[generated.src_uri] = page
