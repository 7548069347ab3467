"""How a string becomes text in HTML or Markdown, and which link addresses are allowed.

Every generator, template and theme value goes through these functions, so that a writer's
title such as ``Why <select> loses focus`` or ``A "quoted" & <b>bold</b> title`` shows exactly
those characters wherever it lands, and is never read as markup.

- `html` escapes for HTML text and for quoted attribute values alike (``& < > " '``).
- `markdown_literal` writes a string as Markdown that renders to exactly its characters, for
  both renderers the project uses (Python-Markdown with the site's extensions, and
  markdown-it-py): every character either gives a meaning to is a numeric character reference,
  which both decode to the character and neither reads as syntax.
- `MarkdownText` marks a string that is already safe Markdown (escaped text, or Markdown a
  generator made on purpose), so that templates never escape it twice.
- `link_problem` is the one allow-list of link schemes: relative addresses, ``#anchors``,
  ``http:``, ``https:``, ``mailto:`` and ``tel:``. Anything else (``javascript:``, ``data:``,
  ``vbscript:``, ...) is refused, however it is disguised: letter case, white space or control
  characters inside the scheme, or character references (``&#106;avascript:``).
- `browser_url` is the one reading of an address as a browser reads it (the WHATWG URL parser
  for the web's schemes): both the link-scheme allow-list and the third-party check
  (`kb_builder.pages.third_party`) read addresses through it, so ``\\\\evil.example/x.png``,
  ``https:/\\evil.example``, tabs or newlines inside an address and leading spaces or controls
  are read as the browser will, not as they look.
"""

from __future__ import annotations

import html as _html
import re
import unicodedata
from collections.abc import MutableMapping
from typing import Any

from markupsafe import Markup, escape

ALLOWED_SCHEMES = ("http", "https", "mailto", "tel")
ALLOWED_LINKS = (
    "a relative address (page.md, ../faq/, #anchor) or an http:, https:, mailto: or tel: address"
)

# Characters to which Markdown, HTML or one of the site's extensions give a meaning: HTML and
# entities, emphasis and code, links and images, attribute lists ({: ...}), tables, headings,
# block quotes, strike-through/mark/caret (~ = ^), arithmatex ($) and quotes (admonition titles).
_LITERAL_SPECIALS = frozenset('&<>"\\`*_[]{}|~^=#+!$')
# ':smile:' is an emoji with pymdownx.emoji; a colon followed by a space never starts one.
_EMOJI_COLON = re.compile(r":(?=\S)")
# At the start of a line these begin a list item, a setext underline or a definition.
_LINE_START = re.compile(r"^(?:(\d+)([.)])(?=\s|$)|(-(?=[\s-]|$)|:(?=\s|$)))")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
# Categories a browser ignores or strips inside a URL, or that only hide characters from a
# reader: controls, format characters (zero-width, bidi) and every kind of space.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})


# Settings (mkdocs.yml) and front-matter keys that Material's templates print without escaping
# (MkDocs' template environment does not autoescape): they reach templates as HTML text.
THEME_CONFIG_TEXT = ("site_name", "site_description", "site_author", "copyright")
THEME_META_TEXT = ("title", "description", "author", "subtitle", "status")


class MarkdownText(Markup):
    """A string that is already safe Markdown: escaped text, or Markdown made on purpose.

    A `Markup` whose escape is `markdown_literal`: joining, concatenating or formatting it
    with plain strings escapes them as Markdown text, so templates and helpers can combine
    pieces without ever escaping one twice or forgetting one.
    """

    __slots__ = ()

    @classmethod
    def escape(cls, s: Any) -> MarkdownText:  # type: ignore[override]
        """`s` as safe Markdown: kept if it is `MarkdownText`, else written literally."""
        if isinstance(s, MarkdownText):
            return s
        if isinstance(s, Markup):
            # HTML-escaped text (from markupsafe): its characters, written for Markdown.
            s = s.unescape()
        # Pieces are joined ("a " + name, pad + line): spaces are kept as they are, but a line
        # break in a piece would start a new block, so it becomes a space.
        return cls(_literal(re.sub(r"[\r\n\v\f\x85\u2028\u2029]+", " ", str(s))))


def html(value: Any) -> Markup:
    """`value` as HTML text, safe in element content and in quoted attribute values.

    A value that is already `Markup` (escaped once, or HTML made on purpose) is kept as it is,
    so a string is never escaped twice (no ``&amp;lt;``).
    """
    return escape(value)


def as_theme_text(values: MutableMapping[str, Any], keys: tuple[str, ...]) -> None:
    """Turn each string in `values` at `keys` into its HTML text (`Markup`), in place.

    Templates then print it as text wherever they put it, whether they escape it (``| e``
    keeps `Markup` as it is) or not, and it is never escaped twice.
    """
    for key in keys:
        value = values.get(key)
        if isinstance(value, str):
            values[key] = html(value)


def markdown_literal(value: Any) -> str:
    """`value` as one line of Markdown inline text that renders to exactly its characters.

    Runs of white space, newlines included, become single spaces: a title or fact is one line.
    `MarkdownText` is kept as it is.
    """
    if isinstance(value, MarkdownText):
        return value
    return _literal(" ".join(str(value).split()))


def _literal(text: str) -> str:
    out = "".join(f"&#{ord(c)};" if c in _LITERAL_SPECIALS else c for c in text)
    out = _EMOJI_COLON.sub("&#58;", out)
    # A value may be placed at the start of a line, where '1. ' or '- ' would start a list.
    return _LINE_START.sub(_escape_line_start, out, count=1)


def _escape_line_start(match: re.Match[str]) -> str:
    if match.group(1):
        return match.group(1) + f"&#{ord(match.group(2))};"
    return f"&#{ord(match.group(3))};"


def literal(value: Any) -> MarkdownText:
    """`markdown_literal` as `MarkdownText` (the ``plain`` / ``md`` filter of templates)."""
    return MarkdownText(markdown_literal(value))


def code_span(value: Any) -> MarkdownText:
    """`value` as a Markdown code span, with enough backticks to hold any backticks inside."""
    text = " ".join(str(value).split())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return MarkdownText(f"{fence}{pad}{text}{pad}{fence}")


def _decoded(url: Any) -> str:
    """`url` with character references decoded, repeatedly (``&amp;#106;`` -> ``j``)."""
    text = str(url)
    for _ in range(4):
        decoded = _html.unescape(text)
        if decoded == text:
            break
        text = decoded
    return text


def browser_url(url: Any) -> str:
    """`url` as a browser's URL parser reads it, before it resolves it against the page.

    What the WHATWG URL standard does to an address of the web's ("special") schemes, and to a
    relative address on an http(s) or file page, which is what every address on the site is:
    leading and trailing C0 controls and spaces are trimmed, every ASCII tab and newline is
    removed, and a backslash is a slash. Character references are decoded first, as the most
    lenient reader would (an attribute's value may reach the browser still encoded). So
    ``\\\\evil.example/x`` and ``https:/\\evil.example`` both become ``//evil.example/...``
    forms, and ``ht<TAB>tps://`` becomes ``https://``. Case is kept (hosts and schemes are
    compared in lower case by the callers).
    """
    text = _decoded(url).strip("".join(map(chr, range(0x21))))
    return re.sub(r"[\t\n\r]", "", text).replace("\\", "/")


def url_scheme(url: str) -> str | None:
    """The scheme a browser would read in `url` (lower case), or None for a relative address.

    Decides as the most lenient reader would: the address is read by `browser_url`, then every
    control, format and space character (and every backslash, which a scheme cannot hold) is
    removed before the scheme is read, so ``Java&#x0A;Script:`` and ``java\\script:`` count
    as ``javascript``.
    """
    text = browser_url(_decoded(url).replace("\\", ""))
    visible = "".join(c for c in text if unicodedata.category(c) not in _INVISIBLE_CATEGORIES)
    match = _SCHEME.match(visible)
    return match.group(1).lower() if match else None


def link_problem(url: str) -> str | None:
    """Why `url` may not be a link on the site, or None if it may.

    Allowed: relative addresses, ``#anchors``, ``//host/...``, and the schemes in
    `ALLOWED_SCHEMES`. The message names what would be valid.
    """
    scheme = url_scheme(url)
    if scheme is None or scheme in ALLOWED_SCHEMES:
        return None
    shown = " ".join(str(url).split())
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return (
        f"links to '{shown}', but the site refuses '{scheme}:' links (they can run code or open "
        f"another program); link to {ALLOWED_LINKS}"
    )


def is_allowed_link(url: str) -> bool:
    """True if `url` may be a link's address (see `link_problem`)."""
    return link_problem(url) is None


def href(url: str) -> MarkdownText:
    """`url` as a Markdown link destination (``<...>``), for links generators write.

    Raises:
        ValueError: if the scheme is not allowed; generators only link to pages and checked
            addresses, so this is a bug, never a writer's mistake.
    """
    problem = link_problem(url)
    if problem:
        raise ValueError(problem)
    safe = "".join(c if c not in " <>\n\r\t" else f"%{ord(c):02X}" for c in str(url))
    return MarkdownText(f"<{safe}>")
