"""What each edition may show: internal pages, internal passages, and links across the line.

Writers keep one set of sources. A page is internal with ``audience: internal`` in its front
matter; a passage inside a public page is internal when it is an ``internal`` admonition::

    !!! internal "How agents triage this"
        Text only support agents may see.

(``??? internal`` and ``???+ internal`` make it collapsible.) The public edition removes both
before anything is rendered, so nothing downstream (HTML, search indexes, sitemap, feeds) can
see them; the internal edition keeps them and badges them.

The rule is fail-closed, and `find_internal` is the one place that applies it. A marker counts
only when it is spelt exactly ``!!! internal``, ``??? internal`` or ``???+ internal`` (lower
case, one space, optionally a space and a title in double quotes), at the start of its line
(indentation aside), not inside a quote nor on a list item's own line. Any other line a writer
could have meant as a marker (``!!! Internal``, ``!!!internal``, ``!!! note "Internal"``,
``/// internal``, ``<div class="internal">``, ``{ .internal }``, ``> !!! internal``, ...) is a
problem at its line that names the valid spelling. Then the page is rendered by Python-Markdown
with the site's block extensions, and the rendering has the last word: each marker must come
out as an internal admonition (else it is a problem), a marker or near miss skipped as code
must come out as code (else it counts after all), and nothing else may come out looking
internal (a class or title ``internal``, a comment mentioning it). Where the two readings could
differ, the page is refused or the text removed; it is never published.
"""

from __future__ import annotations

import html as html_text
import os
import posixpath
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import markdown as python_markdown
from selectolax.lexbor import LexborHTMLParser, LexborNode

from kb_builder.core.errors import ContentError
from kb_builder.core.markdown import tokens as markdown_tokens

#: The exact spellings that open an internal passage (after the line's indentation).
MARKERS = ("!!! internal", "??? internal", "???+ internal")

_RECOGNISED = re.compile(r'(?P<kind>!!!|\?\?\?\+?) internal(?: +"(?P<title>.*)")? *')
# Container prefixes Markdown reads before a block: a quote's '>' or a list item's marker.
_CONTAINER = re.compile(r"[ \t]*(?:(?P<quote>>)|(?P<item>(?:[-*+]|\d{1,9}[.)]))(?=[ \t]|$))")
# Lines that open a block in some Markdown dialect: admonitions and details (!!!, ???),
# pymdownx blocks (///), fenced divs (:::) and content tabs (===).
_BLOCK_OPENER = re.compile(r"(?:[!?\u00a1\u00bf]{2,}|/{2,}|:{3,}|={3,})")
_HTML_TAG = re.compile(r"<[A-Za-z][^>]*", re.IGNORECASE)
_INTERNAL_ID = re.compile(r"internal(?:[-_ ]?(?:only|notes?|use|section|passage|content))?")
_HTML_ATTRIBUTE = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*("[^"]*"?|'[^']*'?|[^\s>]+))?""")
# An attribute list as attr_list reads it: { .class #id key=value ... }, with a leading ':'.
_ATTR_LIST = re.compile(
    r"""\{:?[ \t]*(?:(?:[.#][\w-]+|[\w-]+=(?:"[^"]*"|'[^']*'|[^\s}]+))[ \t]*)+\}"""
)
_FRONT_MATTER_KEY = re.compile(r"(?:audience|internal)[ \t]*:", re.IGNORECASE)
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
_QUOTED = re.compile(r"\"(?P<d>[^\"]*)\"|'(?P<s>[^']*)'")
_SENTINEL = re.compile(r"kbmarker(\d+)x")
_WORD = "internal"
# A line Python-Markdown renders as an admonition (!!!) or details block (???, ???+): its \w
# accepts any Unicode letter, so "!!! іnternal" (Cyrillic i) is an admonition too.
_ADMONITION_LINE = re.compile(
    r'(?:!!!|\?\?\?\+?) ?(?P<type>[\w\-]+(?: +[\w\-]+)*)(?: +"(?P<title>.*?)")? *'
)
# Characters that change nothing a reader sees: combining marks (after NFKD), format and
# joiner characters, variation selectors, fillers. Removed before comparing words.
_INVISIBLE_MARKS = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e007f]"
)
# Letters of other scripts that pass for Latin ones (after NFKC, which already folds
# full-width, mathematical and other compatibility forms). Not the whole of Unicode's
# confusables: any admonition type that is not plain ASCII is refused anyway; this table is
# for the places where a non-ASCII word is legitimate text (titles, classes, comments).
_LOOKALIKES = str.maketrans(
    # Cyrillic
    "\u0430\u0435\u0456\u0457\u0458\u043e\u0440\u0441\u0455\u0445"
    "\u0443\u0501\u04bb\u051b\u051d\u04cf\u043a\u043f\u0442\u0433"
    "\u0410\u0415\u0406\u0407\u0408\u041e\u0420\u0421\u0405\u0425"
    "\u0423\u041d\u041a\u041c\u0422\u0412\u04c0\u0500\u050c\u051a"
    # Greek
    "\u03b1\u03b5\u03b9\u03bf\u03c1\u03bd\u03c4\u03ba\u03b7\u03c5"
    "\u03c7\u03b3\u0391\u0395\u0399\u039f\u03a1\u03a4\u039d\u039a"
    "\u039c\u0397\u03a7\u0392\u0396\u03a5"
    # Armenian, Cherokee, and Latin letters beyond a-z
    "\u0578\u057d\u0585\u0570\u0561\u0566\u0581\u13a0\u13a1\u13a2"
    "\u13a5\u13aa\u13ac\u13b3\u13b7\u13bb\u13c0\u13c3\u13de\u13df"
    "\u13e2\u13e6\u0131\u0269\u026a\u029f\u0274\u0280\u1d1b\u1d07"
    "\u1d00\u0251\u0261\u01c0\u0237\u1e37\u0142\u0140\u0127\u0167"
    "\u00f8\u0111\u0180\u0268",
    "aeiijopcsx"
    "ydhqwlkntr"
    "AEIIJOPCSX"
    "YHKMTBIDGQ"
    "aeiopvtknu"
    "xyAEIOPTNK"
    "MHXBZY"
    "nuohwqgDRT"
    "iAEWMHGZLC"
    "PKiiilnrte"
    "aagljlllht"
    "odbi",
)


def skeleton(text: str) -> str:
    """`text` as a reader sees it, in plain Latin letters where they look alike, case kept.

    NFKC folds compatibility forms (full-width ``！！！``, mathematical letters,
    ligatures); NFKD then splits accents off, which go with every invisible character
    (`_INVISIBLE_MARKS`); `_LOOKALIKES` maps Cyrillic, Greek and other letters that pass for
    Latin ones. ASCII text is returned as it is.
    """
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    return _INVISIBLE_MARKS.sub("", text).translate(_LOOKALIKES)


def mentions_internal(text: str) -> bool:
    """True if `text` contains the word "internal" in any case or look-alike spelling."""
    return _WORD in text.casefold() or (not text.isascii() and _WORD in skeleton(text).casefold())


def _not_ascii(text: str) -> str:
    """The first characters of `text` outside ASCII, named, for a message."""
    found = list(dict.fromkeys(c for c in text if not c.isascii()))[:3]
    return ", ".join(f"'{c}' U+{ord(c):04X} {unicodedata.name(c, 'unnamed')}" for c in found)


#: Block extensions used to check how a page renders when the site's own list is not given:
#: the ones that decide block structure in the demo site's mkdocs.yml.
DEFAULT_EXTENSIONS: tuple[str, ...] = (
    "abbr",
    "admonition",
    "attr_list",
    "def_list",
    "footnotes",
    "md_in_html",
    "tables",
    "pymdownx.details",
    "pymdownx.superfences",
    "pymdownx.tabbed",
)
_DEFAULT_CONFIGS = {"pymdownx.tabbed": {"alternate_style": True}}


@dataclass(frozen=True)
class Problem:
    """A line a writer may have meant as an internal marker, but which is not one.

    Attributes:
        line: 0-based line of the Markdown text.
        message: what is wrong and what would be valid.
    """

    line: int
    message: str


@dataclass(frozen=True)
class InternalMarkup:
    """What `find_internal` decided about one Markdown text.

    Attributes:
        passages: line ranges ``[start, end)`` (0-based) of the internal passages.
        problems: near misses and markers Markdown would not read as passages.
    """

    passages: tuple[tuple[int, int], ...]
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class _Line:
    kind: str  # "marker", "near" or ""
    message: str = ""


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
    """0-based lines inside closed fenced code, where a marker is probably only text.

    Only fences count: an indented "code block" may be an admonition body. An unclosed fence
    runs to the end of the page for CommonMark but is not code for Python-Markdown, so it is
    not counted. Whatever is found here is checked against the rendering (`_verify`).
    """
    lines: set[int] = set()
    source = markdown.splitlines()
    for token in markdown_tokens(_flatten(markdown)):
        if token.type != "fence" or not token.map:
            continue
        start, end = token.map
        last = source[end - 1].strip() if end - 1 > start else ""
        closed = last.startswith(token.markup) and not last.strip(token.markup[0])
        if closed:
            lines.update(range(start, end))
    return lines


_INVISIBLE = {"\t": "\\t", "\u00a0": "\\u00a0", "\ufeff": "\\ufeff", "\u200b": "\\u200b"}


def _shown(text: str) -> str:
    """A line as written, for a message: invisible characters spelt out, long lines cut."""
    text = text.strip("\r\n ")
    for char, name in _INVISIBLE.items():
        text = text.replace(char, name)
    return text if len(text) <= 60 else text[:57] + "..."


def _suggestion(rest: str) -> str:
    """The valid marker closest to what the writer wrote in `rest`."""
    head = rest.lstrip()
    if re.match(r"[?\u00bf]+\+", head):
        kind = "???+"
    elif head.startswith(("?", "\u00bf")):
        kind = "???"
    else:
        kind = "!!!"
    quoted = _QUOTED.search(head)
    title = (quoted.group("d") if quoted and quoted.group("d") is not None else None) or (
        quoted.group("s") if quoted else None
    )
    if title and title.strip().casefold() not in {"", _WORD}:
        return f'{kind} internal "{title}"'
    return f"{kind} internal"


def _classify(line: str) -> _Line:
    """Is `line` a marker, a near miss (with its message), or neither?

    A line with characters outside ASCII is also read as it looks (`skeleton`): what would
    be a marker or a near miss when spelt in plain letters is a near miss, and so is any
    admonition or details block whose type or class is not plain ASCII.
    """
    found = _classify_as_written(line)
    if found.kind or line.isascii():
        return found
    text = line.rstrip("\r\n")
    body = _CONTAINER_PREFIX.sub("", text).strip(" \t")
    block = _ADMONITION_LINE.fullmatch(body)
    if block and not block.group("type").isascii():
        return _Line(
            "near",
            f"'{_shown(text)}' is an admonition whose type or class is not plain ASCII "
            f"({_not_ascii(block.group('type'))}), which can pass for another word; write "
            f"it in plain letters (for an internal passage: '{_suggestion(skeleton(body))}')",
        )
    plain = skeleton(text)
    if plain != text and _classify_as_written(plain).kind:
        return _Line(
            "near",
            f"'{_shown(text)}' is written with look-alike characters ({_not_ascii(text)}), "
            f"so it is not an internal passage marker; write '{_suggestion(plain.lstrip())}' "
            "in plain ASCII (lower case, one space, at the start of the line)",
        )
    return _Line("")


# Every quote and list-item prefix of a line, as `_classify_as_written` strips them.
_CONTAINER_PREFIX = re.compile(r"^(?:[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)))*")


def _classify_as_written(line: str) -> _Line:
    """`_classify` for the line's own characters."""
    text = line.rstrip("\r\n")
    if _WORD not in text.casefold():
        return _Line("")
    rest, quote, item = text, False, False
    while True:
        match = _CONTAINER.match(rest)
        if not match or not (match.group("quote") or match.group("item")):
            break
        quote = quote or bool(match.group("quote"))
        item = item or bool(match.group("item"))
        rest = rest[match.end() :]
    indent_ok = not rest[: len(rest) - len(rest.lstrip())].strip(" \t")
    body = rest.strip(" \t")
    if _RECOGNISED.fullmatch(body) and indent_ok:
        if quote:
            return _Line(
                "near",
                f"'{_shown(text)}' is inside a quote ('>'), where it would not make an "
                f"internal passage; write '{_suggestion(body)}' outside the quote",
            )
        if item:
            return _Line(
                "near",
                f"'{_shown(text)}' is on a list item's own line; write '{_suggestion(body)}' "
                "on a line of its own, indented 4 spaces under the item",
            )
        return _Line("marker")
    bare = body.lstrip("\ufeff\u00a0\u2000\u2001\u2002\u2003\u2009\u200b \t")
    without_code = _CODE_SPAN.sub("", bare)
    if _BLOCK_OPENER.match(bare) and _WORD in bare.casefold():
        return _Line(
            "near",
            f"'{_shown(text)}' is not an internal passage marker; write '{_suggestion(bare)}' "
            "(lower case, one space, at the start of the line)",
        )
    if re.search(r"<!--[^>]*internal", without_code, re.IGNORECASE):
        return _Line(
            "near",
            f"'{_shown(text)}' is an HTML comment, which the public edition publishes in the "
            "page's source; write the passage as an '!!! internal' admonition instead",
        )
    if any(_internal_tag(tag.group()) for tag in _HTML_TAG.finditer(without_code)):
        return _Line(
            "near",
            f"'{_shown(text)}' is raw HTML, which does not make a passage internal; write "
            "'!!! internal' and indent the passage 4 spaces below it",
        )
    if any(_WORD in m.group().casefold() for m in _ATTR_LIST.finditer(without_code)):
        return _Line(
            "near",
            f"'{_shown(text)}' is an attribute list, which does not make a passage internal; "
            "write '!!! internal' and indent the passage 4 spaces below it",
        )
    if not quote and not item and _FRONT_MATTER_KEY.match(bare):
        return _Line(
            "near",
            f"'{_shown(text)}' in the page's text does nothing; front matter is read only "
            "between '---' lines at the very top of the file (write 'audience: internal' "
            "there), and a passage is internal as an '!!! internal' admonition",
        )
    return _Line("")


def _internal_tag(tag: str) -> bool:
    """True for a raw HTML start tag that marks itself internal.

    That is a class mentioning it, an id such as ``internal`` or ``internal-notes``, an
    attribute named after it, or an ``audience`` attribute. Data carried in other attributes
    (a generated box's JSON) and anchors such as ``id="internal-users"`` are not markers.
    """
    name_end = re.match(r"<[A-Za-z0-9-]*", tag).end()  # type: ignore[union-attr]
    for match in _HTML_ATTRIBUTE.finditer(tag, name_end):
        name, value = match.group(1).casefold(), (match.group(2) or "").casefold()
        if _WORD in name:
            return True
        if (name == "class" or name.endswith("audience")) and _WORD in value:
            return True
        # An anchor such as id="internal-users" is ordinary; id="internal" reads as a marker.
        if name == "id" and _INTERNAL_ID.fullmatch(value.strip("\"'")):
            return True
    return False


@dataclass(frozen=True)
class Rendering:
    """How the site renders Markdown: Python-Markdown extensions and their settings.

    Attributes:
        extensions: extension names, as in mkdocs.yml ``markdown_extensions``.
        configs: settings by extension name (MkDocs' ``mdx_configs``).
    """

    extensions: tuple[str, ...] = DEFAULT_EXTENSIONS
    configs: Mapping[str, Mapping] | None = None


DEFAULT_RENDERING = Rendering()
_renderers: dict[tuple[tuple[str, ...], str], python_markdown.Markdown] = {}


def _renderer(rendering: Rendering) -> python_markdown.Markdown:
    configs = dict(rendering.configs) if rendering.configs is not None else _DEFAULT_CONFIGS
    configs = {k: dict(v) for k, v in configs.items() if k in rendering.extensions}
    # One instance per configuration for the whole process: building one loads every extension.
    key = (rendering.extensions, repr(sorted(configs.items(), key=lambda item: item[0])))
    if key not in _renderers:
        _renderers[key] = python_markdown.Markdown(
            extensions=list(rendering.extensions), extension_configs=configs
        )
    return _renderers[key]


def render(markdown: str, rendering: Rendering = DEFAULT_RENDERING) -> str:
    """`markdown` as Python-Markdown renders it with the site's extensions."""
    md = _renderer(rendering)
    md.reset()
    return md.convert(markdown)


def _classes(node: LexborNode) -> list[str]:
    return (node.attributes.get("class") or "").split()


def _title(node: LexborNode) -> str:
    title = node.css_first("summary" if node.tag == "details" else ".admonition-title")
    return title.text(deep=True) if title is not None else ""


def is_internal_element(node: LexborNode) -> bool:
    """True for an internal passage as rendered (``.admonition.internal``, ``details.internal``)."""
    classes = _classes(node)
    if _WORD not in classes:
        return False
    return node.tag == "details" or "admonition" in classes


def looks_internal(node: LexborNode) -> bool:
    """True for rendered HTML a writer or reader could take for internal content.

    A class that mentions "internal" in any case or look-alike spelling (``internal-note``,
    ``Internal``, ``\u0456nternal``), an admonition or details titled with the word or whose
    classes are not all plain ASCII, or a comment mentioning it.
    """
    if node.tag == "-comment":
        return mentions_internal(node.comment_content or "")
    if node.tag in {"-text", "-document"}:
        return False
    classes = _classes(node)
    if any(mentions_internal(c) for c in classes):
        return True
    if node.tag == "details" or "admonition" in classes:
        # An admonition's type is a class: one outside ASCII can pass for any word.
        return not all(c.isascii() for c in classes) or mentions_internal(_title(node))
    return False


# A class attribute with a character outside ASCII, as rendered HTML may write it.
_NON_ASCII_CLASS = re.compile(r"""class\s*=\s*["']?[^"'>]*[^\x00-\x7f]""", re.IGNORECASE)


def published_internal(html: str) -> str | None:
    """What in rendered public HTML looks internal (`looks_internal`), or None.

    The last guard of the public edition: run on every page as MkDocs rendered it, with the
    site's own extensions, after `find_internal` has removed the passages.
    """
    if _WORD not in html.casefold() and "&#" not in html:
        if html.isascii():
            return None
        if _WORD not in skeleton(html).casefold() and not _NON_ASCII_CLASS.search(html):
            return None
    root = LexborHTMLParser(f"<body>{html}</body>").body
    for node in root.traverse(include_text=False) if root is not None else ():
        if looks_internal(node):
            if node.tag == "-comment":
                return f"<!--{_shown(node.comment_content or '')}-->"
            return _shown((node.html or "").split(">", 1)[0] + ">")
    return None


def _verify(
    lines: list[str],
    kinds: list[_Line],
    code: set[int],
    rendering: Rendering,
) -> tuple[set[int], list[Problem]]:
    """Render the text and check every marker and near miss against what Markdown made of it.

    Returns:
        the 0-based lines of the markers that Markdown reads as internal passages, and the
        problems found.
    """
    marked = list(lines)
    for n, kind in enumerate(kinds):
        if kind.kind == "marker":
            # The marker keeps its place and kind; only its title becomes a sentinel, so that
            # the rendering tells which marker became which admonition.
            head = re.match(r"[ \t]*(?:!!!|\?\?\?\+?) internal", marked[n].rstrip("\r\n"))
            marked[n] = f'{head.group()} "kbmarker{n}x"\n'  # type: ignore[union-attr]
    html = render(
        "".join(line if line.endswith("\n") else line + "\n" for line in marked), rendering
    )
    tree = LexborHTMLParser(f"<body>{html}</body>")
    root = tree.body
    assert root is not None
    real: set[int] = set()
    inside: set[int] = set()
    for node in root.css(".admonition, details"):
        found = _SENTINEL.search(_title(node))
        if found and is_internal_element(node):
            real.add(int(found.group(1)))
            inside.update(d.mem_id for d in node.traverse(include_text=False))
    code_text = "\n".join(node.text(deep=True) for node in root.css("pre, code"))
    flat_code = " ".join(code_text.split())
    problems: list[Problem] = []
    for n, kind in enumerate(kinds):
        # Code only when both readings agree: a closed fence for CommonMark, and code in the
        # rendering (a marker indented into an indented code block is a mistake, not code).
        as_code = n in code and f"kbmarker{n}x" in code_text
        if kind.kind == "marker" and n not in real and not as_code:
            problems.append(
                Problem(
                    n,
                    f"'{_shown(lines[n])}' is not read as an internal passage here (Markdown "
                    "shows it as text or code); start it at its container's indentation (the "
                    "left margin, or 4 more spaces per enclosing admonition or list item), "
                    "after a blank line",
                )
            )
        elif kind.kind == "near" and n in code and " ".join(lines[n].split()) not in flat_code:
            problems.append(Problem(n, kind.message))
    flagged = {p.line for p in problems} | {
        n for n, k in enumerate(kinds) if k.kind == "near" and n not in code
    }
    leftovers = [
        node
        for node in root.traverse(include_text=False)
        if node.mem_id not in inside and looks_internal(node)
    ]
    if leftovers and not flagged:
        n = next((i for i, line in enumerate(lines) if mentions_internal(line)), None)
        n = n if n is not None else next((i for i, x in enumerate(lines) if not x.isascii()), None)
        n = n if n is not None else next((i for i, x in enumerate(lines) if "&" in x), 0)
        problems.append(
            Problem(
                n,
                f"'{_shown(lines[n]) if lines else ''}' renders as a block that looks internal "
                "(a class, title or comment 'internal') but is not an internal passage, so the "
                "public edition would publish it; write '!!! internal' at the start of a line "
                "and indent the passage 4 spaces below it",
            )
        )
    return real, problems


def find_internal(markdown: str, rendering: Rendering = DEFAULT_RENDERING) -> InternalMarkup:
    """The internal passages of `markdown`, and the near misses that must be corrected.

    This is the one definition of an internal passage: pages, search records and the feed all
    take it from here. See the module docstring for the rule.

    Args:
        markdown: a page body (or a Markdown field of a data file).
        rendering: how the site renders Markdown (default: the demo site's block extensions).
    """
    folded = markdown.casefold()
    lines = markdown.splitlines(keepends=True)
    if _WORD not in folded and "&#" not in markdown:
        if markdown.isascii():
            return InternalMarkup((), ())
        # Look-alike spellings, and admonitions whose type is not ASCII (`_classify`).
        if _WORD not in skeleton(markdown).casefold() and not any(
            _classify(line).kind for line in lines if not line.isascii()
        ):
            return InternalMarkup((), ())
    kinds = [_classify(line) for line in lines]
    code = _code_lines(markdown)
    real, problems = _verify(lines, kinds, code, rendering)
    passages: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        if kinds[i].kind != "marker" or i not in real:
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
    covered = {n for start, end in passages for n in range(start, end)}
    problems += [
        Problem(n, kind.message)
        for n, kind in enumerate(kinds)
        if kind.kind == "near" and n not in code and n not in covered
    ]
    problems = [p for p in problems if p.line not in covered]
    return InternalMarkup(tuple(passages), tuple(sorted(set(problems), key=lambda p: p.line)))


def internal_passages(markdown: str) -> list[tuple[int, int]]:
    """Line ranges ``[start, end)`` (0-based) of the internal admonitions in `markdown`."""
    return list(find_internal(markdown).passages)


def blank_lines(markdown: str, passages: Iterable[tuple[int, int]]) -> str:
    """`markdown` with the lines of `passages` emptied, every other line where it was."""
    lines = markdown.splitlines(keepends=True)
    for start, end in passages:
        for n in range(start, end):
            lines[n] = "\n" if lines[n].endswith("\n") else ""
    return "".join(lines)


def strip_internal_passages(markdown: str) -> str:
    """Blank out internal passages, keeping every other line where it was (for line numbers)."""
    passages = find_internal(markdown).passages
    return blank_lines(markdown, passages) if passages else markdown


def public_text(markdown: str) -> str:
    """`markdown` as the public edition shows it: without its internal passages.

    For Markdown that is not a page (a change body, a release summary), where lines do not
    matter: the passages' lines are removed.
    """
    return strip_internal_passages(markdown)


def problems_as_errors(markup: InternalMarkup, source: str, body_offset: int) -> list[ContentError]:
    """The problems of a page body as ``path:line`` errors (`body_offset` lines above it)."""
    return [ContentError(source, body_offset + p.line + 1, p.message) for p in markup.problems]


def field_errors(text: str, source: str, line: int, field: str) -> list[ContentError]:
    """Problems in a Markdown field of a data file, at the field's line in that file.

    A YAML block scalar does not keep the text's own lines, so the message says which line of
    the field it is.
    """
    markup = find_internal(text)
    return [
        ContentError(source, line, f"'{field}', its line {p.line + 1}: {p.message}")
        for p in markup.problems
    ]


@dataclass(frozen=True)
class Link:
    """A link in Markdown: its target and the 0-based line of the block it stands in."""

    href: str
    line: int


def _link_tokens(markdown: str) -> tuple:
    # Links, raw HTML and references each read the same page: one parse, shared with the
    # page rules (kb_builder.core.markdown.tokens).
    return markdown_tokens(_flatten(markdown))


def links(markdown: str) -> list[Link]:
    """Every inline link and image target in `markdown` (code is not parsed as links)."""
    found: list[Link] = []
    for token in _link_tokens(markdown):
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


# Attributes of raw HTML that load or link to another file.
_URL_ATTRIBUTES = {"href", "src", "poster", "data", "action", "formaction", "cite", "background"}


class _RefParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0] - 1
        for name, value in attrs:
            if not value:
                continue
            if name in _URL_ATTRIBUTES:
                self.found.append((value.strip(), line))
            elif name in {"srcset", "imagesrcset"}:
                for candidate in value.split(","):
                    if candidate.strip():
                        self.found.append((candidate.split()[0], line))

    handle_startendtag = handle_starttag


def html_links(markdown: str) -> list[Link]:
    """Every address in raw HTML of `markdown` (``<a href>``, ``<img src>``, ``srcset``, ...)."""
    found: list[Link] = []
    for token in _link_tokens(markdown):
        if not token.map:
            continue
        if token.type == "html_block":
            parts = [(token.content, token.map[0])]
        elif token.type == "inline" and token.children:
            parts, line = [], token.map[0]
            for child in token.children:
                if child.type in {"softbreak", "hardbreak"}:
                    line += 1
                elif child.type == "html_inline":
                    parts.append((child.content, line))
        else:
            continue
        for html, first in parts:
            parser = _RefParser()
            parser.feed(html)
            parser.close()
            found += [Link(href, first + line) for href, line in parser.found]
    return found


def every_link(markdown: str) -> list[Link]:
    """Markdown links and images and raw HTML addresses of `markdown`, in line order."""
    return list(read_links(markdown).every)


@dataclass(frozen=True)
class LinkReading:
    """Every link of a page's Markdown, read once (`read_links`) for every rule that needs it.

    Attributes:
        every: Markdown links and images and raw HTML addresses, in line order.
        markdown: ``(href, line)`` of the Markdown ones (the rest are raw HTML, which MkDocs
            leaves as written, so browsers may read them differently: see `targets`).
    """

    every: tuple[Link, ...]
    markdown: frozenset[tuple[str, int]]

    def is_raw(self, link: Link) -> bool:
        """Whether `link` is an address in raw HTML rather than a Markdown link."""
        return (link.href, link.line) not in self.markdown


def read_links(markdown: str) -> LinkReading:
    """The links of `markdown` (see `LinkReading`)."""
    found = links(markdown)
    every = sorted(found + html_links(markdown), key=lambda link: link.line)
    return LinkReading(tuple(every), frozenset((link.href, link.line) for link in found))


def _decoded(text: str) -> str:
    """`text` with character references, percent escapes and backslash escapes undone: what
    a link in it may name once Markdown, MkDocs and the browser have read it."""
    return unquote(html_text.unescape(text)).replace("\\", "/")


def mentions_any(markdown: str, names: set[str]) -> bool:
    """True if `markdown` may refer to any of the files `names` (base names).

    Cheap, before parsing, and liberal (a page it lets through is parsed): the text is
    decoded first (``roster%2Ecsv``, ``roster&#46;csv``), compared in any case, and a name
    with an extension counts when its extension appears (a name may be split by spaces or
    written ``<my roster.csv>``).
    """
    text = _decoded(markdown).casefold()
    for name in names:
        stem, ext = posixpath.splitext(name.casefold())
        if (ext or stem) in text:
            return True
    return False


def file_key(path: str) -> str:
    """How two content paths are compared: one Unicode normalisation, any case (a host or an
    unpacked offline copy on macOS or Windows serves ``Roster.CSV`` for ``roster.csv``)."""
    return unicodedata.normalize("NFC", path).casefold()


def resolve(page_uri: str, href: str) -> str | None:
    """The content path `href` names from the page at `page_uri`, exactly as MkDocs resolves
    a link (`mkdocs.structure.pages`): query and fragment dropped, the path percent-decoded
    (``roster%2Ecsv``, ``%2e%2e/``), joined to the page's folder and normalised (``./``).

    None for an address with a scheme or host, or only a fragment or query. An absolute path
    (``/wiki/roster.csv``) is read from the content folder, as MkDocs does with
    ``absolute_links: relative_to_docs``: fail-closed, whatever the site's setting.
    """
    parts = urlsplit(href.strip())
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    base = "" if path.startswith(("/", "\\")) else posixpath.dirname(page_uri)
    target = posixpath.normpath(posixpath.join(base, path.lstrip("/\\")).lstrip("/"))
    return target.removeprefix("./")


def link_target(page_uri: str, href: str) -> str | None:
    """The page a Markdown link points at (``faq/index.md`` for ``faq/``), or None."""
    target = resolve(page_uri, href)
    if target is None:
        return None
    if target in {".", ""} or urlsplit(href).path.endswith("/"):
        target = posixpath.join(target, "index.md") if target not in {".", ""} else "index.md"
    elif not posixpath.splitext(target)[1]:
        target = posixpath.join(target, "index.md")
    return target


def file_target(page_uri: str, href: str) -> str | None:
    """The content path of a file a relative address points at (`resolve`)."""
    return resolve(page_uri, href)


def _url_target(page_uri: str, href: str) -> str | None:
    """What a browser resolves `href` to from the page's address (``guide.md`` is served at
    ``guide/``): raw HTML is not rewritten by MkDocs, so either reading may be meant."""
    stem = page_uri.removesuffix(".md")
    base = posixpath.dirname(page_uri) if posixpath.basename(stem) in {"index", "README"} else stem
    return resolve(base + "/x", href)


def targets(page_uri: str, href: str, raw: bool) -> set[str]:
    """Every content path `href` may reach: the one helper of the attachment and the
    internal-link rules. MkDocs' reading (`resolve`); for raw HTML, which MkDocs leaves as
    written, also the browser's (from the page's published address, with ``\\`` read as
    ``/`` as browsers do)."""
    found = {resolve(page_uri, href)}
    if raw:
        found.add(_url_target(page_uri, href))
        if "\\" in href:
            slashed = href.replace("\\", "/")
            found |= {resolve(page_uri, slashed), _url_target(page_uri, slashed)}
    return {t for t in found if t}


def _page_candidates(page_uri: str, href: str, raw: bool) -> set[str]:
    """The pages `href` may mean: a Markdown link names a .md file (or a folder's index);
    a raw HTML address may be a page's published URL (``runbook/``, ``runbook.html``) too."""
    target = link_target(page_uri, href)
    if target is None:
        return set()
    found = {target}
    for path in targets(page_uri, href, raw):
        if not raw and path.endswith(".md"):
            continue
        path = path.removesuffix("/").removesuffix(".html").removesuffix("/index")
        found |= {f"{path}.md", f"{path}/index.md", f"{path}/README.md"}
    return found


def links_into(
    markdown: str,
    page_uri: str,
    source: str,
    body_offset: int,
    internal_uris: set[str],
    internal_files: Iterable[str] = (),
    reading: LinkReading | None = None,
) -> list[ContentError]:
    """Errors for links from a public page (already stripped) into the internal edition.

    Markdown links and images and raw HTML (``<a href>``, ``<img src>``, ``<link href>``,
    ``srcset``, ...) alike: to an internal page, or to a file only the internal edition has
    (see `internal_attachments`), read as MkDocs and browsers read them (`targets`), in any
    case. `reading`: the links of `markdown` if they were read already (`read_links`).
    """
    files = {file_key(f) for f in internal_files}
    pages = {file_key(u) for u in internal_uris}
    errors = []
    reading = reading or read_links(markdown)
    for link in reading.every:
        raw = reading.is_raw(link)
        if {file_key(p) for p in _page_candidates(page_uri, link.href, raw)} & pages:
            what = "an internal page, which the public edition does not have"
        elif {file_key(t) for t in targets(page_uri, link.href, raw)} & files:
            what = (
                "a file only the internal edition publishes (it sits among internal pages, or "
                "only internal content uses it)"
            )
        else:
            continue
        errors.append(
            ContentError(
                source,
                body_offset + link.line + 1,
                f"links to '{link.href}', {what}; remove the link, or put it inside an "
                "'!!! internal' passage",
            )
        )
    return errors


def references(uri: str, markdown: str, reading: LinkReading | None = None) -> set[str]:
    """The content files `markdown` (of the page at `uri`) may refer to, by any kind of link,
    every reading counted (`targets`); `reading`: its links if they were read already."""
    reading = reading or read_links(markdown)
    found: set[str] = set()
    for link in reading.every:
        found |= targets(uri, link.href, reading.is_raw(link))
    return found


def internal_only_references(
    internal_pages: Iterable[tuple[str, str]], public_pages: Iterable[tuple[str, str]]
) -> set[str]:
    """Files that pages generated from data refer to in the internal edition only.

    Args:
        internal_pages: ``(uri, markdown)`` of each page the data makes for the internal edition.
        public_pages: the same for the public edition.

    An internal change, lesson or support item (or an internal passage in its text) that
    refers to a file makes that file internal unless public text refers to it too
    (`internal_attachments`).
    """
    public: set[str] = set()
    for uri, markdown in public_pages:
        public |= references(uri, markdown)
    internal: set[str] = set()
    for uri, markdown in internal_pages:
        internal |= references(uri, markdown)
    return internal - public


def internal_attachments(
    attachments: Iterable[str],
    page_audience: Mapping[str, str],
    public_refs: Mapping[str, Iterable[str]],
    internal_refs: Mapping[str, Iterable[str]],
) -> set[str]:
    """The files (not pages) that only the internal edition publishes. Fail-closed:

    - a file in a folder whose pages are all internal (the nearest folder above it that has
      pages decides), such as ``internal/roster.csv``;
    - a file that internal content refers to (an internal page, or an internal passage of a
      public page) and no public text does, wherever it is.

    Files that nothing refers to, in folders with public pages or none (``assets/``), stay.

    Args:
        attachments: the content files that are not pages (paths from the content folder).
        page_audience: every page's audience, by path.
        public_refs: per public page, the content paths its public text refers to.
        internal_refs: per page, the content paths its internal content refers to.
    """
    folders: dict[str, list[str]] = {}
    for uri, audience in page_audience.items():
        folders.setdefault(posixpath.dirname(uri), []).append(audience)
    # Internal references count in any case or normalisation (fail-closed); a public one
    # keeps a file public only when it names the file exactly.
    public_targets = {t for refs in public_refs.values() for t in refs}
    internal_targets = {file_key(t) for refs in internal_refs.values() for t in refs}
    dropped: set[str] = set()
    for path in attachments:
        folder = posixpath.dirname(path)
        while folder not in folders and folder:
            folder = posixpath.dirname(folder)
        audiences = folders.get(folder, [])
        in_internal_folder = bool(audiences) and all(a == "internal" for a in audiences)
        only_internal = file_key(path) in internal_targets and path not in public_targets
        if in_internal_folder or only_internal:
            dropped.add(path)
    return dropped


# --- pymdownx.snippets: text inlined from other files --------------------------------------


@dataclass(frozen=True)
class Include:
    """What one snippet line of a page inlines, as pymdownx.snippets resolves it.

    Attributes:
        line: 0-based line of the include in the page (the path's line, in the block form).
        files: every file read for it, nested includes too (absolute, symlinks resolved).
        text: the text inlined there, nested includes expanded.
    """

    line: int
    files: tuple[str, ...]
    text: str


def _snippet_reader(rendering: Rendering):
    """pymdownx.snippets' own preprocessor with the site's settings, recording every file it
    reads (so paths resolve exactly as in the build: base_path, restrict_base_path,
    line ranges and sections, nested includes). Nothing is downloaded."""
    from pymdownx import snippets

    class Recording(snippets.SnippetPreprocessor):
        def read_lines(self, path):  # noqa: ANN001, ANN202 (the parent's signature)
            self.read.append(os.path.realpath(path))
            return super().read_lines(path)

    settings = dict((rendering.configs or {}).get("pymdownx.snippets") or {})
    # A URL is another host's text, not the site's internal content (third_party's concern).
    settings["url_download"] = False
    config = snippets.SnippetExtension(**settings).getConfigs()
    reader = Recording(config, python_markdown.Markdown())
    reader.read = []
    return reader


def snippet_includes(markdown: str, rendering: Rendering) -> list[Include]:
    """Every include of pymdownx.snippets in `markdown`, when the site renders with it.

    The inline form (``--8<-- "file"``, line ranges ``"file:2:5"``, sections ``"file:name"``)
    and the block form (``--8<--`` lines around one path per line) alike, wherever they
    stand: snippets are expanded before Markdown is parsed, so in code too. Escaped lines
    (``;--8<--``) include nothing. The settings' ``auto_append`` files count as an include at
    line 0 of every page.
    """
    if "pymdownx.snippets" not in rendering.extensions:
        return []
    reader = _snippet_reader(rendering)
    found: list[Include] = []

    def include(line: int, lines: list[str], auto: bool = False) -> None:
        reader.read = []
        saved = reader.auto_append
        reader.auto_append = saved if auto else []
        text = "\n".join(reader.run(list(lines)))
        reader.auto_append = saved
        if reader.read:
            found.append(Include(line, tuple(dict.fromkeys(reader.read)), text))

    if reader.auto_append:
        include(0, [], auto=True)
    if "8<" not in markdown:
        return found
    block = False
    pattern = reader.RE_ALL_SNIPPETS
    for n, raw in enumerate(markdown.splitlines()):
        match = pattern.match(raw)
        if match and match.group("escape"):
            continue
        if match and match.group("block_marker"):
            block = not block
        elif match and not block:
            include(n, [raw])
        elif block and raw.strip() and not match:
            marker = "-8<-"
            include(n, [marker, raw, marker])
    return found


def snippet_errors(
    markdown: str,
    source: str,
    body_offset: int,
    rendering: Rendering,
    docs_dir: str,
    left_out,
) -> list[ContentError]:
    """Errors for snippet includes in a public page that would publish internal content.

    Fail-closed, because included text is inlined by Python-Markdown after the public edition
    has removed internal passages: an include of a file the public edition leaves out (an
    internal page, a file beside internal pages, a data file: `left_out` gives the reason for
    a path from the content folder, or None), of a build's output or `.kb/`, or of text that
    has an internal passage or anything `find_internal` would refuse, is an error at the
    include's line.

    Args:
        markdown: the page body as the public edition renders it (passages already removed).
        docs_dir: the content folder, which `left_out` paths start from.
        left_out: ``(path) -> reason or None``.
    """
    errors = []
    root = os.path.realpath(docs_dir)
    for found in snippet_includes(markdown, rendering):
        problem = None
        for path in found.files:
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            inside = not rel.startswith("../") and rel != ".."
            reason = left_out(rel) if inside else None
            if reason:
                problem = f"includes '{rel}', {reason}"
            elif _in_build_output(path):
                problem = f"includes '{path}', a file of a build's output or of .kb/"
            if problem:
                break
        if problem is None:
            markup = find_internal(found.text, _without_snippets(rendering))
            if markup.passages or markup.problems:
                problem = (
                    "includes text with an internal passage or marker (or a near miss), which "
                    "snippets inline after the public edition has removed internal passages"
                )
        if problem:
            errors.append(
                ContentError(
                    source,
                    body_offset + found.line + 1,
                    f"{problem}, so the public edition would publish it; include only public "
                    "text, and write internal passages in the page itself",
                )
            )
    return errors


def _without_snippets(rendering: Rendering) -> Rendering:
    """`rendering` without pymdownx.snippets: included text is checked as it is inlined."""
    extensions = tuple(e for e in rendering.extensions if e != "pymdownx.snippets")
    return Rendering(extensions, rendering.configs)


def _in_build_output(path: str) -> bool:
    """True for a file inside a folder a build wrote (it holds a ``.kb-build`` marker) or
    inside a ``.kb`` folder (the search indexes of both editions)."""
    parts = path.replace(os.sep, "/").split("/")
    if ".kb" in parts[:-1]:
        return True
    folder = os.path.dirname(path)
    while True:
        if os.path.exists(os.path.join(folder, ".kb-build")):
            return True
        parent = os.path.dirname(folder)
        if parent == folder:
            return False
        folder = parent
