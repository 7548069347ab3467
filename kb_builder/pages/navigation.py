"""Navigation whose size per page does not grow with the site.

Material renders the site navigation into every page. With thousands of pages in one folder, each
page carries every sibling's link, so output grows with the square of the page count (4,613 real
pages: 4.7 GB). Here a folder holding more than a limit of pages is shown in the sidebar by its
index page alone, and that index lists every page of the folder, A to Z. Each page then carries a
bounded navigation, and every page stays one click from its section.

The docs root is a folder like any other. A crowded root is shown by the home page, its sections
and one generated A-Z page listing the crowd (`ROOT_LISTING_TITLE`): the home page is a landing
page (hero, cards) and stays one, and with no home page the listing is the home page.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markupsafe import Markup

from kb_builder.core.errors import ContentError
from kb_builder.core.slugs import split_heading_attrs
from kb_builder.core.text import html as html_text
from kb_builder.core.text import link_problem, markdown_literal, url_scheme

INDEX_NAMES = ("index.md", "README.md")
_md = MarkdownIt("commonmark")
_TAG = re.compile(r"<[^>]*>")
_URL_ESCAPES = {c: f"%{ord(c):02X}" for c in " ()<>\n\r\t"}
ROOT_LISTING_TITLE = "Pages A to Z"
_ROOT_LISTING_STEM = "a-z"


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


def root_listing_uri(is_free: Callable[[str], bool]) -> str:
    """Where the listing of a crowded root goes when the home page exists: ``a-z.md``, or
    ``a-z-2.md`` and so on when a page of the site already answers at that address.

    Args:
        is_free: whether a source path would publish at an address no other file uses.
    """
    candidates = (f"{_ROOT_LISTING_STEM}-{n}.md" for n in range(2, 1_000_000))
    return next(uri for uri in (f"{_ROOT_LISTING_STEM}.md", *candidates) if is_free(uri))


def collapse_root(items: list[Any], crowd: set[str], listing: Any) -> list[Any]:
    """The top level of a navigation whose root is crowded: without the crowd's pages, and
    with `listing` (the page listing them) after the home page, unless the nav names it.

    Sections, links and the root pages an explicit nav put inside a section stay as written:
    only the crowd's own entries at the top level would repeat in every page.

    Args:
        items: the navigation's top-level items (pages have a ``file``, sections ``children``).
        crowd: the source paths of the root's crowd.
        listing: the page object of the listing.
    """

    def uri(item: Any) -> str | None:
        file = getattr(item, "file", None)
        return file.src_uri if file is not None else None

    kept = [item for item in items if uri(item) not in crowd]
    if not any(page is listing for page in _walk(kept)):
        home = next((i for i, item in enumerate(kept) if uri(item) in INDEX_NAMES), None)
        kept.insert(0 if home is None else home + 1, listing)
    return kept


def _walk(items: Iterable[Any]) -> Iterator[Any]:
    for item in items:
        yield item
        yield from _walk(getattr(item, "children", None) or [])


def folder_title(folder: str) -> str:
    """A readable title from a folder name: ``getting-started`` -> ``Getting started``."""
    name = posixpath.basename(folder) or "Home"
    words = name.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def _letter(title: str) -> str:
    first = title.lstrip()[:1].upper()
    return first if first.isalpha() else "#"


def listing_markdown(
    folder: str, pages: list[ListedPage], *, with_title: bool, title: str | None = None
) -> str:
    """Markdown listing every page of a crowded folder, grouped by initial letter.

    Args:
        folder: the folder the listing's page lives in (links are relative to it).
        pages: the pages to list.
        with_title: start with a ``#`` title (for a generated page).
        title: that title, if not the folder's name (`folder_title`).
    """
    lines: list[str] = []
    if with_title:
        lines += [f"# {markdown_literal(title or folder_title(folder))}", ""]
    where = "in this section" if folder else "outside the sections"
    lines += [f"{len(pages):,} pages {where}, A to Z.", ""]
    groups: dict[str, list[ListedPage]] = defaultdict(list)
    for page in sorted(pages, key=lambda p: (p.title.casefold(), p.src_uri)):
        groups[_letter(page.title)].append(page)
    for letter in sorted(groups, key=lambda g: (g != "#", g)):
        lines += [f"## {letter}", ""]
        for page in groups[letter]:
            href = posixpath.relpath(page.src_uri, folder or ".")
            href = "".join(_URL_ESCAPES.get(c, c) for c in href)
            if url_scheme(href):
                # A page named 'javascript:x.md' is still a page, not a script.
                href = "./" + href
            # A title is text: "Why <select> loses focus" is listed as written, never as markup.
            lines.append(f"- [{markdown_literal(page.title)}](<{href}>)")
        lines.append("")
    return "\n".join(lines)


def heading_text(markdown_inline: str) -> str:
    """A heading's words as a reader sees them: ``Why `<select>` loses focus`` keeps
    ``<select>``; emphasis, links and raw HTML tags leave only their text."""
    rendered = _md.renderInline(markdown_inline)
    return " ".join(html.unescape(_TAG.sub("", rendered)).split())


def page_title(meta_title: str | None, body: str, src_uri: str) -> str:
    """The title MkDocs would show: front matter, else the first ``#`` heading, else the name."""
    if meta_title:
        return meta_title
    for line in body.splitlines():
        if line.startswith("# "):
            heading, _ = split_heading_attrs(line[2:].strip().rstrip("#").strip())
            return heading_text(heading) or src_uri
    stem = posixpath.splitext(posixpath.basename(src_uri))[0]
    return stem.replace("-", " ").replace("_", " ").strip() or stem


def theme_title(page: Any) -> Markup:
    """An engine page's title as HTML text, for the templates that print it unescaped.

    The engine takes a title from the navigation, the front matter, the first heading or the
    file name. Only the heading's is HTML already (the engine renders it, ``&lt;select&gt;``);
    the others are plain text and are escaped here, once.
    """
    title = page.title
    if isinstance(title, Markup):
        return title
    explicit = "title" in vars(page) or "title" in (page.meta or {})
    # MkDocs keeps the first heading's rendered text here; nothing public says where it came from.
    if not explicit and getattr(page, "_title_from_render", None) == title:
        return Markup(title)
    return html_text(title or "")


def escape_nav_titles(items: Iterable[Any]) -> None:
    """Every section, link and page title of a navigation tree as HTML text (in place)."""
    for item in items:
        named = "title" in vars(item) or not hasattr(item, "file")
        if named and isinstance(item.title, str):
            item.title = html_text(item.title)
        escape_nav_titles(getattr(item, "children", None) or [])


def config_link_errors(settings: Any) -> list[ContentError]:
    """Links in mkdocs.yml (nav entries, ``extra.social``, ``extra.alternate``) whose scheme
    is refused (`kb_builder.core.text.link_problem`), at their lines.

    Args:
        settings: `kb_builder.core.project.ProjectSettings` (its data and lines).
    """
    source = str(settings.config_file)
    data = settings.data if isinstance(settings.data, dict) else {}
    found: list[tuple[tuple[str | int, ...], str]] = []

    def walk_nav(items: Any, path: tuple[str | int, ...]) -> None:
        for i, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, str):
                found.append(((*path, i), item))
            elif isinstance(item, dict):
                for title, value in item.items():
                    if isinstance(value, list):
                        walk_nav(value, (*path, i, title))
                    elif isinstance(value, str):
                        found.append(((*path, i, title), value))

    walk_nav(data.get("nav"), ("nav",))
    extra = data.get("extra") if isinstance(data.get("extra"), dict) else {}
    for key in ("social", "alternate"):
        for i, entry in enumerate(extra.get(key) or []):
            if isinstance(entry, dict) and isinstance(entry.get("link"), str):
                found.append((("extra", key, i, "link"), entry["link"]))
    errors = []
    for path, url in found:
        problem = link_problem(url)
        if problem:
            errors.append(ContentError(source, settings.line_of(*path), problem))
    return errors
