"""What each edition may show: internal pages, internal passages, and links across the line.

Writers keep one set of sources. A page is internal with ``audience: internal`` in its front
matter; a passage inside a public page is internal when it is an ``internal`` admonition::

    !!! internal "How agents triage this"
        Text only support agents may see.

(``??? internal`` and ``???+ internal`` make it collapsible.) The public edition removes both
before anything is rendered, so nothing downstream (HTML, search indexes, sitemap, feeds) can
see them; the internal edition keeps them and badges them.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt

from kb_builder.errors import ContentError

_md = MarkdownIt("commonmark")
_INTERNAL_MARKER = re.compile(r"^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?)[ \t]+internal(?:[ \t]|$)")


def _indent(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())


def _flatten(markdown: str) -> str:
    """`markdown` with every line's indentation removed, line for line.

    markdown-it knows nothing of admonitions and content tabs, whose bodies are indented: to it,
    an indented passage inside ``!!! note`` after a blank line is an indented code block, which
    would hide a nested ``!!! internal`` marker or a link. Indentation carries no meaning for
    finding fences and links, so it is removed before parsing.
    """
    return "".join(line.lstrip(" \t") for line in markdown.splitlines(keepends=True))


def _code_lines(markdown: str) -> set[int]:
    """0-based lines inside fenced code, where a marker is only text.

    Only fences count: an indented "code block" may be an admonition body, and treating it as
    code could leak the internal passage inside it (see `_flatten`).
    """
    lines: set[int] = set()
    for token in _md.parse(_flatten(markdown)):
        if token.type == "fence" and token.map:
            lines.update(range(*token.map))
    return lines


def internal_passages(markdown: str) -> list[tuple[int, int]]:
    """Line ranges ``[start, end)`` (0-based) of the internal admonitions in `markdown`."""
    lines = markdown.splitlines()
    code = _code_lines(markdown)
    passages: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        match = _INTERNAL_MARKER.match(lines[i])
        if not match or i in code:
            i += 1
            continue
        depth = _indent(lines[i])
        end = i + 1
        # The passage runs over blank lines and lines indented deeper than its marker.
        while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > depth):
            end += 1
        while end > i + 1 and not lines[end - 1].strip():
            end -= 1
        passages.append((i, end))
        i = end
    return passages


def strip_internal_passages(markdown: str) -> str:
    """Blank out internal passages, keeping every other line where it was (for line numbers)."""
    passages = internal_passages(markdown)
    if not passages:
        return markdown
    lines = markdown.splitlines(keepends=True)
    for start, end in passages:
        for n in range(start, end):
            lines[n] = "\n" if lines[n].endswith("\n") else ""
    return "".join(lines)


@dataclass(frozen=True)
class Link:
    """A link in Markdown: its target and the 0-based line of the block it stands in."""

    href: str
    line: int


def links(markdown: str) -> list[Link]:
    """Every inline link and image target in `markdown` (code is not parsed as links)."""
    found: list[Link] = []
    for token in _md.parse(_flatten(markdown)):
        if token.type != "inline" or not token.children or not token.map:
            continue
        line = token.map[0]
        for child in token.children:
            if child.type == "softbreak" or child.type == "hardbreak":
                line += 1
            elif child.type in {"link_open", "image"}:
                href = str(child.attrs.get("href") or child.attrs.get("src") or "")
                found.append(Link(href, line))
    return found


def link_target(page_uri: str, href: str) -> str | None:
    """The content path a relative link points at (``faq/index.md``), or None if external."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path or href.startswith("/"):
        return None
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page_uri), unquote(parts.path)))
    if target.endswith("/") or not posixpath.splitext(target)[1]:
        target = posixpath.join(target, "index.md")
    return target.removeprefix("./")


def links_into(
    markdown: str, page_uri: str, source: str, body_offset: int, internal_uris: set[str]
) -> list[ContentError]:
    """Errors for links from a public page (already stripped) to pages of the internal edition."""
    errors = []
    for link in links(markdown):
        target = link_target(page_uri, link.href)
        if target in internal_uris:
            errors.append(
                ContentError(
                    source,
                    body_offset + link.line + 1,
                    f"links to '{link.href}', an internal page, which the public edition does "
                    "not have; remove the link, or put it inside an '!!! internal' passage",
                )
            )
    return errors
