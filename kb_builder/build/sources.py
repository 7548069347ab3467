"""The written pages: where they are, what they are, and whether the build may take them."""

from __future__ import annotations

import posixpath
from pathlib import Path

from kb_builder.build.site import SiteFiles
from kb_builder.build.state import EditionBuild
from kb_builder.core.errors import ContentError
from kb_builder.core.project import is_data_path
from kb_builder.core.validation import template_error
from kb_builder.pages import audience, third_party, urls
from kb_builder.pages.page import analyse_file


def check_places(state: EditionBuild, site: SiteFiles, project_root: Path) -> None:
    """Sources that would publish over each other, or come from outside the project."""
    docs_dir = state.docs_dir
    sources = site.sources()
    # Every Markdown source, those the engine leaves out too (a hidden name is an error).
    markdown = [u for u in sources if u.endswith(".md") and not is_data_path(u)]
    collisions = urls.collisions(markdown, lambda uri: str(docs_dir / uri), site.use_directory_urls)
    state.refuse(collisions)
    refused = urls.outside_project(sources, docs_dir, project_root) + urls.spelling_collisions(
        sources, lambda uri: str(docs_dir / uri)
    )
    # kb check goes on after the collisions: a page already named there is not named twice.
    named = {e.path for e in collisions}
    state.refuse([e for e in refused if e.path not in named])


def analyse_sources(
    state: EditionBuild, site: SiteFiles, extensions: tuple, configs: dict, templates: list[str]
) -> None:
    """Analyse every written page as the edition shows it; refuse what the build cannot take.

    Args:
        extensions, configs: the site's Markdown extensions and their settings (internal
            passages are checked against the site's own rendering).
        templates: the theme's template names (a page's ``template:`` must be one).
    """
    state.rendering = audience.Rendering(extensions, configs)
    for found in site.source_pages():
        page = analyse_file(found.content, found.source, state.edition, state.rendering)
        state.refuse(page.errors)
        wrong_template = template_error(
            page.meta.template, templates, found.source, page.front.lines
        )
        if wrong_template:
            state.refuse([wrong_template])
        # As written: a request inside an internal passage is one in the internal edition.
        state.refuse(third_party.page_errors(page.full_body, found.source, page.front.body_offset))
        state.pages[found.src_uri] = page


def check_video_files(state: EditionBuild, site: SiteFiles) -> None:
    """Video pages that play a file of the site must name one that exists."""
    for uri, page in state.pages.items():
        meta = page.meta
        if meta.type != "video" or meta.video is None:
            continue
        for key in ("src", "captions", "poster"):
            ref = getattr(meta.video, key)
            if not ref or "://" in ref:
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(uri), ref))
            if not site.exists(target):
                raise ContentError(
                    page.source,
                    page.front.lines.line_of(("video", key)),
                    f"'video.{key}' is '{ref}', but there is no such file next to the "
                    f"page (looked for {target}); paths are relative to the page",
                )
