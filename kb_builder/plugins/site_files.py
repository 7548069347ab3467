"""`MkDocsSiteFiles`: the build stages' `SiteFiles` over MkDocs' ``Files`` (see build/site.py)."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import get_relative_url

from kb_builder.build.site import NavPlace, SourcePage
from kb_builder.plugins import nav as nav_tools

_INCLUSION = {
    "default": InclusionLevel.UNDEFINED,
    "included": InclusionLevel.INCLUDED,
    "hidden": InclusionLevel.NOT_IN_NAV,
}


class MkDocsSiteFiles:
    """MkDocs' files of one build, as the stages see them."""

    def __init__(self, files: Files, config: MkDocsConfig) -> None:
        self.files = files
        self.config = config
        self.use_directory_urls = bool(config.use_directory_urls)
        self.docs_dir = Path(config.docs_dir)

    def sources(self) -> list[str]:
        return [f.src_uri for f in self.files if f.abs_src_path]

    def source_pages(self) -> list[SourcePage]:
        return [
            SourcePage(
                f.src_uri,
                # MkDocs' own string: a Path per page would intern every part of every path
                # for the rest of the build (2 MB of interned names on tldr's 4,600 pages).
                f.abs_src_path or f.src_uri,
                f.content_bytes,
                written=bool(f.abs_src_path),
            )
            for f in self.files.documentation_pages()
        ]

    def attachments(self) -> list[str]:
        # Files of the content folder only: the theme's own files are never a writer's.
        docs_dir = self.docs_dir.resolve()
        return [
            f.src_uri
            for f in self.files
            if not f.is_documentation_page()
            and f.abs_src_path
            and f.src_dir
            and Path(f.src_dir).resolve() == docs_dir
        ]

    def exists(self, src_uri: str) -> bool:
        return self.files.get_file_from_path(src_uri) is not None

    def url(self, src_uri: str, anchor: str = "") -> str | None:
        file = self.files.get_file_from_path(src_uri)
        if file is None:
            return None
        return file.url + (f"#{anchor}" if anchor else "")

    def relative_url(self, src_uri: str, from_url: str) -> str:
        return get_relative_url(self.files.get_file_from_path(src_uri).url, from_url)

    def shown_in_nav(self) -> set[str]:
        return {f.src_uri for f in self.files.documentation_pages() if f.inclusion.is_in_nav()}

    def dest_uris(self) -> list[str]:
        return [f.dest_uri for f in self.files]

    def dest_uri_of(self, src_uri: str) -> str:
        return File.generated(self.config, src_uri, content="").dest_uri

    def add_page(self, src_uri: str, markdown: str, *, edit_source: str | None, nav: NavPlace):
        file = File.generated(self.config, src_uri, content=markdown, inclusion=_INCLUSION[nav])
        if edit_source is not None:
            file.edit_uri = edit_source
        self.files.append(file)

    def add_file(self, dest_uri: str, content: bytes) -> None:
        self.files.append(File.generated(self.config, dest_uri, content=content))

    def remove(self, src_uri: str) -> None:
        self.files.remove(self.files.get_file_from_path(src_uri))

    def hide_from_nav(self, src_uri: str) -> None:
        self.files.get_file_from_path(src_uri).inclusion = InclusionLevel.NOT_IN_NAV

    def nav_names(self) -> set[str] | None:
        return nav_tools.nav_uris(self.config.nav) if self.config.nav else None

    def drop_from_nav(self, src_uris: set[str]) -> None:
        if self.config.nav:
            self.config.nav = nav_tools.without(self.config.nav, src_uris)
