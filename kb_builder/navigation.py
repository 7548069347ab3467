"""Navigation whose size per page does not grow with the site.

Material renders the site navigation into every page. With thousands of pages in one folder, each
page carries every sibling's link, so output grows with the square of the page count (4,613 real
pages: 4.7 GB). Here a folder holding more than a limit of pages is shown in the sidebar by its
index page alone, and that index lists every page of the folder, A to Z. Each page then carries a
bounded navigation, and every page stays one click from its section.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

INDEX_NAMES = ("index.md", "README.md")


@dataclass(frozen=True)
class ListedPage:
    """A page in a section listing."""

    title: str
    src_uri: str


def crowded_sections(src_uris: Iterable[str], limit: int) -> dict[str, list[str]]:
    """Folders holding more than `limit` pages directly (their index not counted).

    Returns:
        folder (``""`` for the root) -> the pages in it, sorted.
    """
    by_folder: dict[str, list[str]] = defaultdict(list)
    for uri in src_uris:
        folder, name = posixpath.split(uri)
        if name not in INDEX_NAMES:
            by_folder[folder].append(uri)
    return {f: sorted(pages) for f, pages in by_folder.items() if len(pages) > limit}


def index_uri(folder: str, existing: set[str]) -> tuple[str, bool]:
    """The folder's index page and whether it already exists."""
    for name in INDEX_NAMES:
        uri = posixpath.join(folder, name)
        if uri in existing:
            return uri, True
    return posixpath.join(folder, "index.md"), False


def folder_title(folder: str) -> str:
    """A readable title from a folder name: ``getting-started`` -> ``Getting started``."""
    name = posixpath.basename(folder) or "Home"
    words = name.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def _escape_link_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def _letter(title: str) -> str:
    first = title.lstrip()[:1].upper()
    return first if first.isalpha() else "#"


def listing_markdown(folder: str, pages: list[ListedPage], *, with_title: bool) -> str:
    """Markdown listing every page of a crowded folder, grouped by initial letter.

    Args:
        folder: the folder the listing's index page lives in (links are relative to it).
        pages: the pages to list.
        with_title: start with a ``#`` title (for a generated index page).
    """
    lines: list[str] = []
    if with_title:
        lines += [f"# {folder_title(folder)}", ""]
    lines += [f"{len(pages):,} pages in this section, A to Z.", ""]
    groups: dict[str, list[ListedPage]] = defaultdict(list)
    for page in sorted(pages, key=lambda p: (p.title.casefold(), p.src_uri)):
        groups[_letter(page.title)].append(page)
    for letter in sorted(groups, key=lambda g: (g != "#", g)):
        lines += [f"## {letter}", ""]
        for page in groups[letter]:
            href = posixpath.relpath(page.src_uri, folder or ".")
            href = href.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
            lines.append(f"- [{_escape_link_text(page.title)}](<{href}>)")
        lines.append("")
    return "\n".join(lines)


def page_title(meta_title: str | None, body: str, src_uri: str) -> str:
    """The title MkDocs would show: front matter, else the first ``#`` heading, else the name."""
    if meta_title:
        return meta_title
    for line in body.splitlines():
        if line.startswith("# "):
            return line[2:].strip().rstrip("#").strip() or src_uri
    stem = posixpath.splitext(posixpath.basename(src_uri))[0]
    return stem.replace("-", " ").replace("_", " ").strip() or stem
