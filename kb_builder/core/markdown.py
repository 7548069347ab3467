"""Writers' Markdown made safe: data text rendered as Markdown, and the rules pages obey.

Two kinds of Markdown reach a page:

- **Data Markdown**: prose fields of the data files (a change's body, a release's summary, a
  lesson's exercise, support.yml's texts). It may use Markdown, but raw HTML in it is shown as
  text and attribute lists (``{: onclick=...}``) are not read: `safe_markdown` escapes ``<``,
  ``&`` and ``{`` outside code. Its links must use an allowed scheme (`data_markdown_problem`,
  run when the file is validated, so the writer gets ``path:line``).
- **Page Markdown**: the pages writers write, where raw HTML and attribute lists are allowed,
  but not event-handler attributes (``on*``) nor links whose scheme is not allowed, whether
  written as an inline link, a reference, an autolink, an attribute list or raw HTML
  (`page_problems`). Raw HTML elements come from an allow-list (`ALLOWED_ELEMENTS`: layout,
  text, tables and media), and styles may not run script (`css_problem`).

Why an allow-list of elements and not a deny-list: what writers need for layout is a short,
stable list, while the elements that run script, load a document or change where the page's
links lead (script, iframe, object, embed, frame, meta, base, link, form, svg, math, template,
noscript, portal, and whatever browsers add next) are many, keep growing, and include the ones
whose content browsers parse differently from any checker (the "mutation" tricks of noscript,
template, svg and math). A name that cannot be an HTML element at all (``<dav.example.com>``,
``<x:y>``, with a dot, colon or hyphen) is inert in every browser and allowed, so prose such as
``<dav.example.com>`` in a real page is not refused. Attributes, in contrast, are checked by
what they do, because on the allowed elements only three kinds can run script or load
anything: event handlers, addresses (the link-scheme allow-list) and styles.

Code is found with markdown-it-py, conservatively: the site is rendered by Python-Markdown,
whose idea of code differs in corners (a code span across lines, a fence inside a list item),
and anything one of them might not treat as code is escaped (data) or checked (pages). The cost
of a wrong guess is a visible ``&lt;`` in a code sample, or an error on an example that should
have been fenced, never a live tag or link.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Annotated, NamedTuple

from markdown_it import MarkdownIt
from markdown_it.token import Token
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError
from selectolax.lexbor import LexborHTMLParser

from kb_builder.core.text import link_problem, markdown_literal

_md = MarkdownIt("commonmark")
# For feeds: raw HTML is not rendered (shown as text), everything else as CommonMark.
_md_feed = MarkdownIt("commonmark", {"html": False})


@functools.lru_cache(maxsize=4)
def tokens(text: str) -> tuple[Token, ...]:
    """markdown-it's CommonMark tokens of `text`, parsed once for all the readers of a page.

    The page rules, the third-party check, the internal-marker check and the link readers
    each walk the same page one after the other; the parse is most of their cost. The tokens
    are shared: readers must not change them.
    """
    return tuple(_md.parse(text))


def _inline_tokens(text: str) -> tuple[Token, ...]:
    """`tokens` for a reader of inline tokens alone (links, images), of `text` as written.

    The text is parsed with one final newline: a text and the same text with one more final
    newline have the same inline tokens (only a last raw HTML or code block's content gains
    the newline), and the prose the page rules read is a page's lines joined, whose final
    newline is gone. With it back, a page without code is parsed once for the page rules and
    the link readers (which keep the file's last newline).
    """
    return tokens(text if text.endswith("\n") else text + "\n")


# Raw text that is only Markdown, not HTML: an autolink such as <https://example.com/x>.
_AUTOLINK = re.compile(r"<https?://[^\s<>\"'`]+>")
# A support placeholder, resolved to escaped text before the page is rendered.
_PLACEHOLDER = re.compile(r"\{\{\s*[A-Za-z_][\w.-]*\s*\}\}")
_BACKTICKS = re.compile(r"`+")
_FENCE_INFO = re.compile(r"\.?[\w#.+-]*")
_FENCE_CLOSE = re.compile(r"(`{3,}|~{3,})[ \t]*\r?\n?\Z")
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
# What code needs: a backtick (code spans, backtick fences), three tildes (tilde fences), or
# four columns of indentation somewhere (an indented code block, also after a list marker or
# a quote's '>' on the same line: flattened lines have no leading indentation left).
_MAY_HOLD_CODE = re.compile(r"`|~~~|\t| {4}")

# Link destinations as Python-Markdown and markdown-it might read them, found in the raw text
# too, so that a form one parser reads and the other does not is still checked.
_INLINE_DEST = re.compile(r"\]\s*\(\s*<?\s*((?:[^\s()<>]|\([^\s()<>]*\))*)")
_IMAGE_DEST = re.compile(r"!\[[^\]\n]*\]\s*\(\s*<?\s*([^\s()<>]+)")
_REFERENCE_DEST = re.compile(r"^[ \t]*\[[^\]\n]+\]:\s*<?\s*(\S+?)>?(?:\s|$)", re.M)
_ANGLE_LINK = re.compile(r"<([^\s<>/]{1,40}:[^\s<>]*)>")
# A start tag as Python-Markdown's inline pattern reads it (it ends at the first '>')...
_RAW_TAG = re.compile(r"<[A-Za-z][^<>]*>", re.S)
# ... and as a browser reads a block of raw HTML, which Python-Markdown passes on verbatim: a
# quoted value may hold '>' (<div title=">" onclick=x>). Both readings are checked.
_BROWSER_TAG = re.compile(r"""<[A-Za-z](?:[^<>"']|"[^"]*"|'[^']*')*>""")
# The tag name as the HTML tokenizer reads it: up to white space, '/' or '>'.
_TAG_NAME = re.compile(r"<([^\s/>]+)")
# Python-Markdown's own autolink and automail patterns (markdown.inlinepatterns), which it
# applies before raw HTML: text they match becomes a link with an escaped address, never a
# tag, so its words are not attributes (<https://github.com/onetrueawk/awk> has no 'onetrueawk').
_PYMD_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>|<([^<> !]+@[^@<> ]+)>")
# Python-Markdown's attr_list: '{: #id .class key=value }' or '{ ... }'.
_ATTR_LIST = re.compile(r"\{:?[ \t]*([^}\n ][^}\n]*)[ \t]*\}")
_ATTR_KEY = re.compile(r"""([^\s=}"']+)\s*=\s*("[^"]*"|'[^']*'|[^\s}]+)""")
# Attributes whose value a browser follows or loads as an address.
URL_ATTRIBUTES = frozenset(
    {
        "href",
        "src",
        "action",
        "formaction",
        "xlink:href",
        "poster",
        "data",
        "cite",
        "background",
        "ping",
        "longdesc",
        "srcset",
        "manifest",
        "codebase",
        "lowsrc",
        "dynsrc",
    }
)
_EVENT = re.compile(r"^on[a-z]", re.IGNORECASE)
# Attributes the theme's scripts look up in the page (data-kb-api, data-kb-search-results,
# data-md-component): on a writer's element they would steer those scripts (another search
# API, a results list on any page), so they belong to the theme's markup alone.
_THEME_DATA = re.compile(r"^data-(?:kb|md)-", re.IGNORECASE)
_THEME_DATA_MESSAGE = (
    "the attribute '{name}' is one the site's scripts read, and on a page it would steer them; "
    "remove it (other data- attributes, ids and classes are fine)"
)

# Raw HTML elements a page may use: text, layout, lists, tables and media. The site's scripts,
# forms and page settings live in the theme and mkdocs.yml.
ALLOWED_ELEMENTS = frozenset(
    """
    a abbr address article aside audio b bdi bdo blockquote br caption center cite code col
    colgroup data dd del details dfn div dl dt em figcaption figure footer h1 h2 h3 h4 h5 h6
    header hgroup hr i img ins kbd li mark meter ol p picture pre progress q rp rt ruby s samp
    section small source span strong sub summary sup table tbody td tfoot th thead time tr
    track u ul var video wbr
    """.split()  # noqa: SIM905 (a word list reads better than 80 quoted strings)
)
ALLOWED_ELEMENTS_TEXT = (
    "layout, text, list, table and media elements such as div, span, p, details, summary, "
    "figure, img, picture, video, audio, table, abbr, kbd and mark"
)
# A name a browser may give meaning to, now or later: letters and digits only (every HTML,
# SVG and MathML element is named so). Other names (dav.example.com, x:y) are inert.
_ELEMENT_LIKE = re.compile(r"^[a-z][a-z0-9]*$")
# What to write instead of an element that is refused, by what the element does.
_INSTEAD = {
    **dict.fromkeys(
        ("script", "noscript", "template", "slot"),
        "the site's scripts live in the theme (theme/ and extra_javascript in mkdocs.yml)",
    ),
    **dict.fromkeys(
        ("iframe", "frame", "frameset", "object", "embed", "applet", "portal", "fencedframe"),
        "link to the other page with <a href>, or for a video give the page a 'video:' in its "
        "front matter",
    ),
    **dict.fromkeys(
        ("meta", "base", "link", "title", "head", "html", "body"),
        "a page's title and description go in its front matter, site settings in mkdocs.yml",
    ),
    "style": "styles for the site go in the theme's CSS (extra_css in mkdocs.yml), and a "
    "single element may carry a style attribute",
    **dict.fromkeys(
        ("form", "input", "button", "select", "textarea", "option", "label", "fieldset"),
        "link to the form's page with <a href> instead",
    ),
    "svg": "save the drawing as an .svg file beside the page and show it with "
    "![text](file.svg) or <img src>, where it cannot run script",
    "math": "write the formula as text, or as an .svg image shown with ![text](file.svg)",
}
# CSS that runs script: old IE's expression() and behavior, Firefox's -moz-binding, script
# addresses. Read after escapes and comments are undone and white space removed.
_CSS_SCRIPT = re.compile(r"expression\(|-moz-binding|behaviou?r:|javascript:|vbscript:")
_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\n\r\f]?|(\n)|(.))", re.S)
_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|\Z)", re.S)
# Where a style names an address: url(...), @import '...', and image-set('...', '...').
_CSS_URL = re.compile(r"""\burl\(\s*(?:"([^"]*)"|'([^']*)'|([^)]*?))\s*\)""", re.I)
_CSS_IMPORT = re.compile(r"""@import\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_CSS_IMAGE_SET = re.compile(r"\bimage-set\(([^)]*(?:\([^)]*\)[^)]*)*)\)", re.I)
_CSS_STRING = re.compile(r""""([^"]*)"|'([^']*)'""")


def css_text(css: str) -> str:
    """`css` as a browser reads it: escapes (``\\65`` is ``e``) decoded, comments removed."""

    def unescape(match: re.Match[str]) -> str:
        if match.group(1):
            code = int(match.group(1), 16)
            valid = 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF
            return chr(code) if valid else "\ufffd"
        return "" if match.group(2) else match.group(3)

    return _CSS_ESCAPE.sub(unescape, _CSS_COMMENT.sub("", css))


def css_urls(css: str) -> list[str]:
    """Every address a piece of CSS (a style attribute or a stylesheet) loads, as written."""
    text = css_text(css)
    found = [next(g for g in m.groups() if g is not None) for m in _CSS_URL.finditer(text)]
    found += [next(g for g in m.groups() if g is not None) for m in _CSS_IMPORT.finditer(text)]
    for match in _CSS_IMAGE_SET.finditer(text):
        # image-set("a.png" 1x, "b.png" 2x): bare strings are addresses too (url() found above).
        inside = _CSS_URL.sub("", match.group(1))
        found += [m.group(1) or m.group(2) or "" for m in _CSS_STRING.finditer(inside)]
    return [url.strip() for url in found]


def css_problem(css: str) -> str | None:
    """Why a style may not be on a page (it could run script), or None if it may."""
    text = css_text(css).lower()
    squeezed = "".join(c for c in text if not c.isspace() and c >= " ")
    found = _CSS_SCRIPT.search(squeezed)
    if found:
        return (
            f"uses '{found.group().rstrip('(:')}', which runs script in some browsers; a style "
            "may set colours, sizes, spacing and layout, and load images by relative address"
        )
    for url in css_urls(css):
        problem = link_problem(url)
        if problem:
            return problem.replace("links to", "loads", 1)
    return None


# --- data Markdown -------------------------------------------------------------------------


def _escape(text: str, placeholders: bool) -> str:
    out: list[str] = []
    pos = 0
    for match in _AUTOLINK.finditer(text):
        out.append(_escape_chars(text[pos : match.start()], placeholders))
        out.append(match.group().replace("&", "&amp;"))
        pos = match.end()
    out.append(_escape_chars(text[pos:], placeholders))
    return "".join(out)


def _escape_chars(text: str, placeholders: bool) -> str:
    def chars(part: str) -> str:
        return part.replace("&", "&amp;").replace("<", "&lt;").replace("{", "&#123;")

    if not placeholders:
        return chars(text)
    out, pos = [], 0
    for match in _PLACEHOLDER.finditer(text):
        out += [chars(text[pos : match.start()]), match.group()]
        pos = match.end()
    out.append(chars(text[pos:]))
    return "".join(out)


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


def _escape_inline(text: str, token: Token, placeholders: bool, trusted: bool = True) -> str:
    """Escape one block's inline text outside its code spans (all of it if not `trusted`)."""
    spans = (_code_spans(text) or []) if trusted else []
    found = [_span_content(text[a:b]) for a, b in spans]
    expected = [c.content for c in token.children or [] if c.type == "code_inline"]
    # markdown-it must find the same spans: where CommonMark gives raw HTML or an autolink
    # precedence over backticks, the pairing above is wrong and nothing is kept as code.
    if found != expected:
        spans = []
    out: list[str] = []
    pos = 0
    for a, b in spans:
        out.append(_escape(text[pos:a], placeholders))
        out.append(text[a:b])
        pos = b
    out.append(_escape(text[pos:], placeholders))
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
    # Python-Markdown's fenced_code takes only a language word after the fence; with anything
    # else ('```<script>...') the fence is a paragraph of raw HTML there, so it is not code.
    if not _FENCE_INFO.fullmatch(token.info.strip()):
        return False
    # An unclosed fence is code to the end for CommonMark but plain text for Python-Markdown.
    close = _FENCE_CLOSE.match(lines[end - 1]) if end - 1 > start else None
    return (
        close is not None
        and close.group(1)[0] == token.markup[0]
        and len(close.group(1)) >= len(token.markup)
    )


def safe_markdown(markdown: str, *, placeholders: bool = False) -> str:
    """`markdown` from a data file, with raw HTML and attribute lists shown as text.

    Args:
        markdown: a body, summary or other prose field as a writer wrote it.
        placeholders: keep ``{{ support.... }}`` placeholders as written (they are resolved to
            escaped text before the page is rendered).

    Returns:
        Markdown in which ``<``, ``&`` and ``{`` outside code are character references. A text
        with a link whose scheme is not allowed (validation reports it first) is shown wholly
        as text, so that such a link can never become live.
    """
    if data_markdown_problem(markdown):
        return markdown_literal(markdown)
    lines = markdown.splitlines(keepends=True)
    out: list[str | None] = [None] * len(lines)
    for token in _md.parse(markdown):
        if not token.map:
            continue
        start, end = token.map
        if _verbatim(token, lines):
            out[start:end] = lines[start:end]
        elif token.type == "inline" and all(out[n] is None for n in range(start, end)):
            # After a non-blank line (an HTML block's, say), Python-Markdown may join this block
            # to the text above and pair its backticks differently: no code span is trusted.
            trusted = _is_blank(lines, start - 1)
            escaped = _escape_inline("".join(lines[start:end]), token, placeholders, trusted)
            # The escaped block replaces its first line; its other lines become empty strings.
            out[start:end] = [escaped] + [""] * (end - start - 1)
    return "".join(
        _escape(line, placeholders) if done is None else done
        for line, done in zip(lines, out, strict=True)
    )


def markdown_html(markdown: str, link: Callable[[str], str] | None = None) -> str:
    """HTML for a feed: data `markdown` rendered as CommonMark, raw HTML shown as text.

    Args:
        markdown: a body or summary.
        link: rewrites each link and image address (relative links mean nothing in a feed).
    """
    tokens = _md_feed.parse(safe_markdown(markdown))
    for token in tokens:
        for child in token.children or []:
            for attr in ("href", "src"):
                if child.type in {"link_open", "image"} and attr in child.attrs:
                    value = str(child.attrs[attr])
                    if link_problem(value):
                        # Never reached after validation; refused rather than trusted.
                        child.attrs[attr] = "#"
                    elif link is not None:
                        child.attrs[attr] = link(value)
    return _md_feed.renderer.render(tokens, _md_feed.options, {})


def data_markdown_problem(markdown: str) -> str | None:
    """The first link in data Markdown whose scheme is not allowed, worded for the writer."""
    for _, url in _link_candidates(markdown):
        problem = link_problem(url)
        if problem:
            return problem
    return None


def checked_data_markdown(value: str) -> str:
    """Pydantic validator for data Markdown fields: links must use an allowed scheme.

    Raises:
        PydanticCustomError: worded by `kb_builder.core.validation` as ``'<field>' <message>`` at
            the field's line.
    """
    problem = data_markdown_problem(value) if isinstance(value, str) else None
    if problem:
        raise PydanticCustomError("kb_invalid", "{problem}", {"problem": problem})
    return value


# --- page Markdown -------------------------------------------------------------------------


def _flatten(markdown: str) -> str:
    """Every line's indentation removed, line for line (admonition bodies are indented)."""
    return "".join(line.lstrip(" \t") for line in markdown.splitlines(keepends=True))


@functools.lru_cache(maxsize=16)
def _without_code(markdown: str) -> tuple[str, ...]:
    """The lines of `markdown`, fenced code blanked and code spans removed (lines kept).

    Cached: the page rules and the third-party check read the same page one after the other,
    and the parse is most of their cost.
    """
    flat = _flatten(markdown)
    lines = flat.splitlines()
    if not _MAY_HOLD_CODE.search(flat):
        # No fence, no code span and no indented code block can be in it: nothing to blank,
        # and no parse to pay for (most help pages have no code).
        return tuple(lines)
    for token in tokens(flat):
        if token.type in {"fence", "code_block"} and token.map:
            start, end = token.map
            # Keep the fence's opening line: an attribute list may follow its info string.
            first = lines[start] if token.type == "fence" else ""
            lines[start:end] = [first] + [""] * (end - start - 1)
    return tuple(_CODE_SPAN.sub("", line) for line in lines)


def prose(markdown: str) -> str:
    """`markdown` with code removed, line for line: what page checks read (`_without_code`)."""
    return "\n".join(_without_code(markdown))


def image_candidates(text: str) -> Iterator[tuple[int, str]]:
    """``(0-based line, address)`` of every Markdown image in `text` (code already removed).

    Inline and reference images as markdown-it reads them, and inline ones found by pattern
    too, for forms only Python-Markdown reads.
    """
    for token in _inline_tokens(text):
        if token.type != "inline" or not token.children or not token.map:
            continue
        line = token.map[0]
        for child in token.children:
            if child.type in {"softbreak", "hardbreak"}:
                line += 1
            elif child.type == "image":
                yield line, str(child.attrs.get("src") or "")
    for match in _IMAGE_DEST.finditer(text):
        yield _line_of(text, match.start()), match.group(1)


def attr_list_attributes(text: str) -> Iterator[tuple[int, str, str]]:
    """``(0-based line, name, value)`` of every ``key=value`` of every attribute list."""
    return _attr_list_attributes(text)


def _line_of(text: str, pos: int) -> int:
    """The 0-based line of `pos` in `text` (by bisection: a page may hold many thousand tags)."""
    return bisect.bisect_right(_line_starts(text), pos) - 1


@functools.lru_cache(maxsize=8)
def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer("\n", text)]


def _link_candidates(markdown: str) -> Iterator[tuple[int, str]]:
    """``(0-based line, address)`` of everything in `markdown` that might become a link.

    Inline links, images, references and autolinks as markdown-it reads them, plus the same
    forms found by pattern in the text (so a form only Python-Markdown reads is checked too),
    addresses in raw HTML attributes and in attribute lists.
    """
    yield from _candidates_in("\n".join(_without_code(markdown)))


def _candidates_in(text: str) -> Iterator[tuple[int, str]]:
    """`_link_candidates` of a text whose code is already removed (`_without_code`)."""
    for token in _inline_tokens(text):
        if token.type != "inline" or not token.children or not token.map:
            continue
        line = token.map[0]
        for child in token.children:
            if child.type in {"softbreak", "hardbreak"}:
                line += 1
            elif child.type in {"link_open", "image"}:
                yield line, str(child.attrs.get("href") or child.attrs.get("src") or "")
    for match in _ANGLE_LINK.finditer(text):
        yield _line_of(text, match.start()), match.group(1)
    # Inside a raw HTML tag, '](...)' is an attribute's text, not a link (its addresses are
    # checked below, as attributes).
    outside_tags = _RAW_TAG.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    for pattern in (_INLINE_DEST, _REFERENCE_DEST):
        for match in pattern.finditer(outside_tags):
            yield _line_of(outside_tags, match.start()), match.group(1)
    for line, name, value in _raw_html_attributes(text):
        if name in URL_ATTRIBUTES:
            yield from ((line, part) for part in _urls_in(name, value))
    for line, name, value in _attr_list_attributes(text):
        if name in URL_ATTRIBUTES:
            yield line, value


def _urls_in(name: str, value: str) -> list[str]:
    if name == "srcset":
        return [part.strip().split(" ")[0] for part in value.split(",") if part.strip()]
    return [value]


class RawTag(NamedTuple):
    """One raw HTML start tag of a page: where, which element, its attributes."""

    line: int  # 0-based
    name: str  # lower case, as the HTML tokenizer reads it
    attributes: dict[str, str]  # names in lower case, values with references decoded
    end: int  # where the tag ends in the text


def raw_html_tags(text: str) -> Iterator[RawTag]:
    """Every raw HTML start tag in `text` (code already removed), as a browser would read it.

    A tag is found both as Python-Markdown's inline pattern reads it (up to the first ``>``)
    and as a browser reads raw HTML (quoted values may hold ``>``), so that neither reading
    hides an attribute. Autolinks (``<https://...>``, ``<me@example.com>``) are links, not
    tags. Each tag is read by lexbor under a neutral name: parsed under its own, a ``<td>``
    outside a table, a second ``<body>`` or a ``<frameset>`` would be dropped or merged by
    the tree builder, and its attributes with it, while a browser's page keeps them.
    """
    seen: set[tuple[int, int]] = set()
    for pattern in (_RAW_TAG, _BROWSER_TAG):
        for match in pattern.finditer(text):
            tag = match.group()
            if match.span() in seen or _PYMD_AUTOLINK.fullmatch(tag):
                continue
            seen.add(match.span())
            name = _TAG_NAME.match(tag)
            assert name is not None  # both patterns start with '<' and a letter
            tree = LexborHTMLParser(f"<body><kb-tag{tag[name.end() :]}</body>")
            node = tree.css_first("kb-tag")
            attributes = {}
            if node is not None:
                attributes = {k.lower(): v or "" for k, v in node.attributes.items()}
            yield RawTag(
                _line_of(text, match.start()), name.group(1).lower(), attributes, match.end()
            )


def _raw_html_attributes(text: str) -> Iterator[tuple[int, str, str]]:
    """``(line, name, value)`` of every attribute of every raw HTML start tag in `text`."""
    for tag in raw_html_tags(text):
        for name, value in tag.attributes.items():
            yield tag.line, name, value


def style_elements(text: str) -> Iterator[tuple[int, str]]:
    """``(0-based line, CSS)`` of every ``<style>`` element's content in `text`.

    The content ends where a browser ends it: at the first ``</style`` followed by white
    space, ``/`` or ``>``, whatever comes between.
    """
    for tag in raw_html_tags(text):
        if tag.name == "style":
            close = re.compile(r"</style[\s/>]", re.I).search(text, tag.end)
            yield tag.line, text[tag.end : close.start() if close else len(text)]


def element_problem(name: str) -> str | None:
    """Why a raw HTML element may not be on a page, or None if it may (`ALLOWED_ELEMENTS`)."""
    if name in ALLOWED_ELEMENTS or not _ELEMENT_LIKE.match(name):
        return None
    instead = _INSTEAD.get(
        name,
        "write it in Markdown, or put text that looks like a tag in `code`",
    )
    return (
        f"the HTML element <{name}> is not allowed in a page (it could run script, load another "
        f"document or change where the page's links lead); {instead}; pages may use "
        f"{ALLOWED_ELEMENTS_TEXT}"
    )


def _attr_list_attributes(text: str) -> Iterator[tuple[int, str, str]]:
    """``(line, name, value)`` of every ``key=value`` in every attribute list in `text`."""
    for match in _ATTR_LIST.finditer(text):
        for key in _ATTR_KEY.finditer(match.group(1)):
            value = key.group(2)
            if value[:1] in "\"'":
                value = value[1:-1]
            yield _line_of(text, match.start()), key.group(1).lower(), value
        for word in match.group(1).split():
            # A bare word becomes an attribute too ({ onclick } -> onclick="onclick").
            if "=" not in word and word[:1] not in ".#" and _EVENT.match(word):
                yield _line_of(text, match.start()), word.lower(), word


# True while the plugin checks a page it generated from data: its HTML (the agenda's progress
# checkboxes, the search page's form, the escalation drawing's SVG) is the theme's own code,
# written by the templates, and data values reach it only escaped. Links and event handlers
# are still checked there, as a backstop for the escaping.
_THEME_MARKUP: ContextVar[bool] = ContextVar("kb_theme_markup", default=False)


@contextmanager
def theme_markup() -> Iterator[None]:
    """Check pages made by the site's own templates: their elements and styles are the theme's."""
    token = _THEME_MARKUP.set(True)
    try:
        yield
    finally:
        _THEME_MARKUP.reset(token)


def page_problems(markdown: str) -> list[tuple[int, str]]:
    """What in a page's Markdown could run script or hijack its links, at its line.

    Links with a refused scheme, event-handler attributes, raw HTML elements that are not in
    `ALLOWED_ELEMENTS`, and styles that run script (`css_problem`), in raw HTML or in an
    attribute list.

    Returns:
        ``(0-based line, message)`` pairs, in line order, each message saying what would be
        valid. Code (fences and code spans) is never checked: examples belong there.
    """
    text = "\n".join(_without_code(markdown))
    problems: set[tuple[int, str]] = set()
    linked: set[int] = set()
    for line, url in _candidates_in(text):
        problem = link_problem(url)
        # One message per line: the parsers may read one link's address slightly differently.
        if problem and line not in linked:
            linked.add(line)
            problems.add((line, problem))
    for line, name, _ in _attr_list_attributes(text):
        if _EVENT.match(name):
            problems.add(
                (
                    line,
                    f"the attribute list sets '{name}', an event handler that would run script "
                    "in visitors' browsers; remove it (attribute lists may set ids, classes and "
                    "other attributes)",
                )
            )
    theme = _THEME_MARKUP.get()
    for line, name, value in _attr_list_attributes(text):
        problem = css_problem(value) if name == "style" and not theme else None
        if problem:
            problems.add((line, f"the attribute list's style {problem}"))
        if not theme and _THEME_DATA.match(name):
            problems.add((line, _THEME_DATA_MESSAGE.format(name=name)))
    for tag in raw_html_tags(text):
        refused = None if theme else element_problem(tag.name)
        if refused:
            problems.add((tag.line, refused))
            continue  # one message for the element: its attributes go with it
        for name, value in tag.attributes.items():
            if _EVENT.match(name):
                problems.add(
                    (
                        tag.line,
                        f"the HTML attribute '{name}' is an event handler that would run script "
                        "in visitors' browsers; remove it (the site's scripts live in the theme)",
                    )
                )
            elif not theme and _THEME_DATA.match(name):
                problems.add((tag.line, _THEME_DATA_MESSAGE.format(name=name)))
            elif name == "style" and not theme and css_problem(value):
                problems.add((tag.line, f"the style of <{tag.name}> {css_problem(value)}"))
    return sorted(problems)


# A prose field of a data file: Markdown whose links must use an allowed scheme, rendered
# with `safe_markdown`. Models type their prose fields with it.
DataMarkdown = Annotated[str, AfterValidator(checked_data_markdown)]
