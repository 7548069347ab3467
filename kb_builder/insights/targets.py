"""What a visitor may give feedback on, or open from a search: the pages of THIS edition.

A page is a site-relative URL as MkDocs writes it (``faq/``, ``wiki/permits/``, ``faq.html`` in
an offline copy), optionally with the anchor of a question or section (``faq/#what-hours``).
It counts only if the served site holds the page's HTML file, and an anchor only if this
edition's search index has a record for it. The public site and index never hold internal
pages, so a public server refuses them exactly as it refuses pages that do not exist: the
same message, nothing that tells one from the other.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path
from urllib.parse import unquote

from kb_builder.insights.intake import MAX_PAGE_CHARS, Refused
from search.index import IndexMissing, Manifest, current_generation

NOT_A_PAGE = "page must be a page of this help centre, as its URL within the site (faq/)"
# Characters a URL path MkDocs writes can hold (non-ASCII arrives percent-encoded).
_PATH = re.compile(r"[A-Za-z0-9._~!$&'()*+,;=:@%/-]*")
_ANCHOR = re.compile(r"[A-Za-z0-9._~!$&'()*+,;=:@%/?-]{1,200}")


class EditionMismatch(RuntimeError):
    """The index beside the server belongs to another edition than the server's."""


class Targets:
    """The pages (site files) and anchors (index records) of one edition.

    Args:
        site_dir: the built site the server serves.
        index_dir: that edition's index (``.kb/index/<edition>/``).
        edition: the server's edition; an index of another edition is never used.
    """

    def __init__(self, site_dir: str | Path, index_dir: str | Path, edition: str):
        self.site = Path(site_dir)
        self.index_dir = Path(index_dir)
        self.edition = edition
        self._lock = threading.Lock()
        self._generation: Path | None = None
        self._ids: frozenset[str] = frozenset()

    def record_ids(self) -> frozenset[str]:
        """Every record URL of the live index generation (read once per generation)."""
        generation = current_generation(self.index_dir)
        if generation is None:
            raise IndexMissing(str(self.index_dir))
        with self._lock:
            if generation != self._generation:
                manifest = Manifest.read(generation)
                if manifest is None:
                    raise IndexMissing(str(self.index_dir))
                if manifest.edition != self.edition:
                    raise EditionMismatch(
                        f"the index in {self.index_dir} is of the {manifest.edition} edition"
                    )
                self._ids, self._generation = frozenset(manifest.documents), generation
            return self._ids

    def page_file(self, page: str) -> Path | None:
        """The HTML file of `page` in the site, or None when the site has no such page."""
        if len(page) > MAX_PAGE_CHARS or not _PATH.fullmatch(page):
            return None
        if page.startswith("/") or "//" in page:
            return None
        try:
            decoded = unquote(page, errors="strict")
        except UnicodeDecodeError:
            return None
        if len(decoded.split("/")) != len(page.split("/")) or "\\" in decoded or "\0" in decoded:
            return None  # an encoded slash or backslash: not a URL MkDocs writes
        parts = [p for p in decoded.split("/") if p]
        if any(p.startswith(".") for p in parts):
            return None  # ., .., and hidden files (the build marker) are not pages
        if page == "" or page.endswith("/"):
            relative = Path(*parts, "index.html") if parts else Path("index.html")
        elif page.endswith(".html") and decoded != "404.html":
            relative = Path(*parts)
        else:
            return None
        if relative.parts[0] == "assets":
            return None
        path = self.site / relative
        try:
            real = Path(os.path.realpath(path))
            root = Path(os.path.realpath(self.site))
            if root not in real.parents or not real.is_file():
                return None
        except (OSError, ValueError):  # a name too long for the file system, among others
            return None
        return path

    def check(self, target: str, *, anchors: bool = True) -> tuple[str, str]:
        """(page, anchor) of a target URL, or Refused with one message for every page the
        edition does not have (malformed, missing or internal alike).

        ``faq/index.html`` is the page ``faq/`` (one page, one line in the report).
        """
        page, hash_mark, anchor = target.partition("#")
        if self.page_file(page) is None:
            raise Refused(NOT_A_PAGE)
        if page == "index.html" or page.endswith("/index.html"):
            page = page.removesuffix("index.html")
        if not hash_mark:
            return page, ""
        if not anchors or not _ANCHOR.fullmatch(anchor):
            raise Refused(NOT_A_PAGE)
        if f"{page}#{anchor}" not in self.record_ids():
            raise Refused(NOT_A_PAGE)
        return page, anchor
