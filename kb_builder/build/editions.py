"""The public edition leaves out what is internal: pages, the files beside them, snippets."""

from __future__ import annotations

import posixpath
from pathlib import Path

from kb_builder.build.site import SiteFiles
from kb_builder.build.state import EditionBuild
from kb_builder.checking import content as checked_content
from kb_builder.checking import source_lines
from kb_builder.core.errors import ContentError
from kb_builder.core.project import is_data_path
from kb_builder.pages import audience


def leave_out_internal(state: EditionBuild, site: SiteFiles) -> None:
    """Remove internal pages from the public edition, and the nav entries for them.

    A public page that links to one is an error at the link's line, not a dead link.
    """
    errors = checked_content.public_link_errors(state.pages)
    if errors:
        raise errors[0]
    internal = checked_content.internal_uris(state.pages)
    dropped = _leave_out_internal_files(state, site)
    _refuse_snippets(state, internal, dropped)
    for uri in internal:
        site.remove(uri)
        del state.pages[uri]
    site.drop_from_nav(internal)


def _leave_out_internal_files(state: EditionBuild, site: SiteFiles) -> set[str]:
    """Remove the files beside internal pages (`audience.internal_attachments`); return them.

    A public page that links to one of them (Markdown or raw HTML) is an error at the line.
    """
    attachments = {uri: uri for uri in site.attachments()}
    if not attachments:
        return set()
    names = {posixpath.basename(uri) for uri in attachments}
    audiences = {uri: page.meta.audience for uri, page in state.pages.items()}
    public_refs: dict[str, set[str]] = {}
    internal_refs: dict[str, set[str]] = {}
    for uri, page in state.pages.items():
        public, internal = page.references(uri, names)
        if page.meta.audience == "internal":
            internal_refs[uri] = public | internal
        else:
            public_refs[uri], internal_refs[uri] = public, internal
    internal_refs[" generated from data"] = state.internal_data_refs
    dropped = audience.internal_attachments(attachments, audiences, public_refs, internal_refs)
    for uri, page in state.pages.items():
        if page.meta.audience == "internal":
            continue
        errors = audience.links_into(
            page.front.body,
            uri,
            page.source,
            page.front.body_offset,
            set(),
            dropped,
            reading=page.links,
        )
        if errors:
            raise errors[0]
    for uri in dropped:
        site.remove(uri)
    return dropped


def _refuse_snippets(state: EditionBuild, internal: set[str], dropped: set[str]) -> None:
    """pymdownx.snippets inlines files after internal passages are removed: in the public
    edition an include of anything left out, or of internal text, is an error at its line
    (`audience.snippet_errors`), in written pages and pages made from data alike."""
    if state.rendering is None or "pymdownx.snippets" not in state.rendering.extensions:
        return
    left = {audience.file_key(u): "an internal page" for u in internal} | {
        audience.file_key(u): "a file only the internal edition publishes" for u in dropped
    }

    def left_out(rel: str) -> str | None:
        if is_data_path(rel):
            return "a data file, which is never published (it holds internal items)"
        return left.get(audience.file_key(rel))

    for uri, page in state.pages.items():
        if uri in internal:
            continue
        errors = audience.snippet_errors(
            page.front.body,
            page.source,
            page.front.body_offset,
            state.rendering,
            str(state.docs_dir),
            left_out,
        )
        if errors and state.is_generated(uri):
            error = errors[0]
            where = source_lines.locate(
                Path(state.docs_dir),
                state.generated_from[uri],
                state.generated_markdown[uri].markdown,
                error.line,
            )
            errors = [ContentError(where.path, where.line, f"{error.message} (in {uri})")]
        # Marked refused, so the rendered guard does not report the same page again.
        page.errors.extend(errors)
        state.refuse(errors)
