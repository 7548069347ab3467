"""`SiteFiles`: what the build stages need of an engine's set of files, and nothing more.

The MkDocs adapter (``plugins/site_files.py``) implements it over MkDocs' ``Files``; another
engine implements it over its own. Paths are ``src_uri``s: relative to the content directory,
with ``/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol


@dataclass(frozen=True)
class SourcePage:
    """A Markdown page of the site as the engine found it.

    Attributes:
        src_uri: its path in the content directory.
        source: the file it was read from (for messages), or `src_uri` for a virtual page.
        content: its bytes.
        written: True for a file of the content directory, False for a virtual page.
    """

    src_uri: str
    source: str
    content: bytes
    written: bool = True


#: Where a virtual page goes in the navigation: "default" (as the engine places a page of its
#: folder; an explicit nav that omits it is told so), "included" (the same, silently), or
#: "hidden" (published, reached by links only; the build may place it later, on_nav).
NavPlace = Literal["default", "included", "hidden"]


class SiteFiles(Protocol):
    """The engine's files, seen by the stages."""

    use_directory_urls: bool

    def sources(self) -> list[str]:
        """Every file read from the content directory (data files too)."""

    def source_pages(self) -> list[SourcePage]:
        """Every Markdown page, written or already generated."""

    def attachments(self) -> list[str]:
        """Every file read from the content directory that is not a page."""

    def exists(self, src_uri: str) -> bool:
        """True when the site has a file at `src_uri`."""

    def url(self, src_uri: str, anchor: str = "") -> str | None:
        """The URL of a file of the site (relative to the site's root), or None."""

    def relative_url(self, src_uri: str, from_url: str) -> str:
        """The URL of a file of the site, relative to a page's URL."""

    def shown_in_nav(self) -> set[str]:
        """The pages the navigation would show (generated pages included)."""

    def dest_uris(self) -> list[str]:
        """Where every file of the site is published."""

    def dest_uri_of(self, src_uri: str) -> str:
        """Where a page at `src_uri` would be published."""

    def add_page(self, src_uri: str, markdown: str, *, edit_source: str | None, nav: NavPlace):
        """Add a virtual page, placed in the navigation as `nav` says (see `NavPlace`)."""

    def add_file(self, dest_uri: str, content: bytes) -> None:
        """Add a published file (a feed, a calendar, a script)."""

    def remove(self, src_uri: str) -> None:
        """Take a file out of the site."""

    def hide_from_nav(self, src_uri: str) -> None:
        """Keep a page published but out of the navigation."""

    def nav_names(self) -> set[str] | None:
        """The pages an explicit nav (mkdocs.yml ``nav``) names, or None without one."""

    def drop_from_nav(self, src_uris: set[str]) -> None:
        """Remove pages from an explicit nav (and sections left empty)."""
