"""Writers' text made safe for the Markdown, HTML and feeds generated from it.

Titles, tracker keys, modules and wave names are plain text: every character Markdown or HTML
would read as markup is written as a character reference. Bodies and summaries are Markdown,
but raw HTML in them must never reach a page: outside code, ``<`` and ``&`` are escaped, and
so is ``{``, because the site's ``attr_list`` extension would otherwise let ``{: onclick=...}``
add event-handler attributes to an element.

Code is found with markdown-it-py, conservatively: the site is rendered by Python-Markdown,
whose idea of code differs in corners (a code span across lines, a fence inside a list item),
and anything one of them might not treat as code is escaped. The cost of a wrong guess is a
visible ``&lt;`` in a code sample, never an unescaped tag.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.token import Token

_md = MarkdownIt("commonmark")
# For feeds: raw HTML is not rendered (shown as text), everything else as CommonMark.
_md_feed = MarkdownIt("commonmark", {"html": False})

# Characters Markdown, HTML or the site's extensions (attr_list, emoji, tables, ...) give a
# meaning to; in plain text each is written as a numeric character reference.
_PLAIN_SPECIAL = re.compile(r"[&<>\\`*_\[\]{}|~^=#+!$]")
# Raw text that is only Markdown, not HTML: an autolink such as <https://example.com/x>.
_AUTOLINK = re.compile(r"<https?://[^\s<>\"'`]+>")
_BACKTICKS = re.compile(r"`+")
_FENCE_CLOSE = re.compile(r"(`{3,}|~{3,})[ \t]*\r?\n?\Z")


def plain(text: str) -> str:
    """`text` as Markdown that renders exactly these characters (no markup, no HTML)."""
    # Line breaks would end a list item or table cell; a title is one line.
    flat = re.sub(r"\s+", " ", str(text))
    return _PLAIN_SPECIAL.sub(lambda m: f"&#{ord(m.group())};", flat)


def _escape(text: str) -> str:
    out: list[str] = []
    pos = 0
    for match in _AUTOLINK.finditer(text):
        out.append(_escape_chars(text[pos : match.start()]))
        out.append(match.group().replace("&", "&amp;"))
        pos = match.end()
    out.append(_escape_chars(text[pos:]))
    return "".join(out)


def _escape_chars(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace("{", "&#123;")


def _code_spans(text: str) -> list[tuple[int, int]] | None:
    """The code spans of one block of inline text, ``[start, end)``, or None if unsure.

    CommonMark, markdown-it and every Python-Markdown version pair backticks differently in
    corners (an opening run longer than the closing one, a backslash before a run, a span
    across lines). Only the plain case is trusted, where they all agree: the runs of backticks
    pair up one after the other, each pair of the same length on one line, with no backslash
    before any run.
    """
    runs = list(_BACKTICKS.finditer(text))
    if len(runs) % 2 or any(text[r.start() - 1 : r.start()] == "\\" for r in runs):
        return None
    spans = []
    for opening, closing in zip(runs[::2], runs[1::2], strict=True):
        if len(opening.group()) != len(closing.group()):
            return None
        if "\n" in text[opening.start() : closing.end()]:
            return None
        spans.append((opening.start(), closing.end()))
    return spans


def _span_content(span: str) -> str:
    """A one-line code span's content as CommonMark gives it (one space off each side)."""
    width = len(span) - len(span.lstrip("`"))
    inner = span[width:-width]
    if inner.startswith(" ") and inner.endswith(" ") and inner.strip(" "):
        inner = inner[1:-1]
    return inner


def _escape_inline(text: str, token: Token) -> str:
    """Escape one block's inline text outside its code spans."""
    spans = _code_spans(text) or []
    found = [_span_content(text[a:b]) for a, b in spans]
    expected = [c.content for c in token.children or [] if c.type == "code_inline"]
    # markdown-it must find the same spans: where CommonMark gives raw HTML or an autolink
    # precedence over backticks, the pairing above is wrong and nothing is kept as code.
    if found != expected:
        spans = []
    out: list[str] = []
    pos = 0
    for a, b in spans:
        out.append(_escape(text[pos:a]))
        out.append(text[a:b])
        pos = b
    out.append(_escape(text[pos:]))
    return "".join(out)


def _is_blank(lines: list[str], n: int) -> bool:
    return n < 0 or not lines[n].strip()


def _verbatim(token: Token, lines: list[str]) -> bool:
    """True for a fence both parsers surely read as code (kept as written).

    Indented code blocks never are: in Python-Markdown an indented block after '!!! note',
    '??? note', '=== "Tab"' or a footnote is that container's Markdown content, not code.
    """
    if token.type != "fence" or token.level != 0 or not token.map:
        return False
    start, end = token.map
    if not _is_blank(lines, start - 1) or lines[start][:1] not in "`~":
        return False
    # An unclosed fence is code to the end for CommonMark but plain text for Python-Markdown.
    close = _FENCE_CLOSE.match(lines[end - 1]) if end - 1 > start else None
    return (
        close is not None
        and close.group(1)[0] == token.markup[0]
        and len(close.group(1)) >= len(token.markup)
    )


def safe_markdown(markdown: str) -> str:
    """`markdown` with raw HTML (and attribute lists) shown as text, code left as written.

    Args:
        markdown: a body or summary as a writer wrote it.

    Returns:
        Markdown in which ``<``, ``&`` and ``{`` outside code are character references.
    """
    lines = markdown.splitlines(keepends=True)
    out: list[str | None] = [None] * len(lines)
    for token in _md.parse(markdown):
        if not token.map:
            continue
        start, end = token.map
        if _verbatim(token, lines):
            out[start:end] = lines[start:end]
        elif token.type == "inline" and all(out[n] is None for n in range(start, end)):
            escaped = _escape_inline("".join(lines[start:end]), token)
            # The escaped block replaces its first line; its other lines become empty strings.
            out[start:end] = [escaped] + [""] * (end - start - 1)
    return "".join(
        _escape(line) if done is None else done for line, done in zip(lines, out, strict=True)
    )


def markdown_html(markdown: str, link: Callable[[str], str] | None = None) -> str:
    """HTML for a feed: `markdown` rendered as CommonMark, raw HTML shown as text.

    Args:
        markdown: a body or summary.
        link: rewrites each link and image address (relative links mean nothing in a feed).
    """
    tokens = _md_feed.parse(safe_markdown(markdown))
    if link is not None:
        for token in tokens:
            for child in token.children or []:
                for attr in ("href", "src"):
                    if child.type in {"link_open", "image"} and attr in child.attrs:
                        child.attrs[attr] = link(str(child.attrs[attr]))
    return _md_feed.renderer.render(tokens, _md_feed.options, {})
