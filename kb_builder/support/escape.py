"""Plain-text facts placed into Markdown so that they read exactly as written.

A support fact is plain text: a plan called ``<b>Gold</b> *plus*`` must show those characters,
not bold text. Pages are rendered by Python-Markdown (with the site's extensions) and read by
markdown-it-py (CommonMark), so every escape used here means the same thing to both.
"""

from __future__ import annotations

import re

# Characters both parsers let a backslash escape: emphasis, code, links, attribute lists
# ({: ...}), headings, images and table cells.
_BACKSLASHED = frozenset("\\`*_{}[]#!|>")
# Characters Python-Markdown cannot backslash-escape (it would print the backslash): raw HTML,
# entities, and the tilde of strike-through extensions.
_ENTITIES = {"<": "&lt;", "&": "&amp;", "~": "&#126;"}
# ':smile:' is an emoji with pymdownx.emoji; a colon followed by a space never starts one.
_EMOJI_COLON = re.compile(r":(?=\S)")
# At the start of a line these begin a list item, a setext underline or a definition.
_LINE_START = re.compile(r"^(?:(\d+)([.)])|([-+=:]))")


def markdown_literal(value: object) -> str:
    """`value` as Markdown inline text that renders to exactly its characters (one line).

    Whitespace runs, newlines included, become single spaces: a fact is one line of text.
    """
    text = " ".join(str(value).split())
    out = []
    for char in text:
        if char in _BACKSLASHED:
            out.append("\\" + char)
        else:
            out.append(_ENTITIES.get(char, char))
    escaped = _EMOJI_COLON.sub("&#58;", "".join(out))
    # A fact may be placed at the start of a line, where '1. ' or '- ' would start a list.
    return _LINE_START.sub(_escape_line_start, escaped, count=1)


def _escape_line_start(match: re.Match[str]) -> str:
    if match.group(1):
        return match.group(1) + "\\" + match.group(2)
    return f"&#{ord(match.group(3))};"


def code_span(value: object) -> str:
    """`value` as a Markdown code span, with enough backticks to hold any backticks inside."""
    text = " ".join(str(value).split())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def mermaid_label(value: object) -> str:
    """`value` as a quoted Mermaid node label: ``"..."`` with Mermaid's ``#code;`` escapes.

    Mermaid reads quotes, brackets and angle brackets in labels as syntax or HTML; its entity
    codes show them literally.
    """
    text = " ".join(str(value).split())
    safe = "".join(c if c.isalnum() or c in " .,'-/" else f"#{ord(c)};" for c in text)
    return f'"{safe}"'
