"""Markdown blocks built from support items: lists, steps, admonitions, tables.

Kept in Python rather than in Jinja macros because Markdown is picky about blank lines and
indentation (a stray blank line turns a list "loose", four spaces nest a block in a list item),
which whitespace control in templates makes hard to see. Each function returns a block without
a trailing newline; templates put the blank lines between blocks.

Plain-text facts are escaped here (`markdown_literal`); Markdown fields are inserted as written,
indented to stay inside their list item or admonition.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from kb_builder.core.text import markdown_literal
from kb_builder.families.support.model import Note, Step

INTERNAL = "Internal"
# A pipe ends a table cell unless escaped; facts arrive escaped already (markdown_literal).
_BARE_PIPE = re.compile(r"(?<!\\)\|")


def is_internal(item: object) -> bool:
    """True for items marked ``audience: internal``."""
    return getattr(item, "audience", "public") == "internal"


def mark(item: object) -> str:
    """``"**Internal:** "`` before an internal item in a list, else nothing."""
    return f"**{INTERNAL}:** " if is_internal(item) else ""


def suffix(item: object) -> str:
    """``" (Internal)"`` after an internal item's name in a heading or table, else nothing."""
    return f" ({INTERNAL})" if is_internal(item) else ""


def indent(text: str, width: int) -> str:
    """Indent every line of `text` but the first (which follows a list marker), blanks excepted."""
    pad = " " * width
    first, *rest = text.splitlines() or [""]
    return "\n".join([first] + [pad + line if line.strip() else "" for line in rest])


def bullets(items: Iterable[str]) -> str:
    """Markdown items as a bullet list."""
    return "\n".join(f"- {indent(item, 2)}" for item in items)


def step(item: Step, width: int = 4) -> str:
    """One step: an optional bold lead-in, its text, and its choices as a nested list."""
    head = mark(item)
    if item.title:
        head += f"**{markdown_literal(item.title)}**" + (" " if item.text else "")
    if item.text:
        head += indent(item.text, width)
    choices = [f"{' ' * width}- {indent(c, width + 2)}" for c in item.choices]
    return "\n".join([head, *choices])


def steps(items: Sequence[Step], start: int = 1) -> str:
    """Steps as a numbered list."""
    return "\n".join(f"{n}. {step(s)}" for n, s in enumerate(items, start))


def note(item: Note) -> str:
    """An admonition (``!!! tip "Title"``) with its Markdown indented below.

    An internal note becomes an ``!!! internal`` passage, the site's own marking for text only
    agents see (kb_builder.pages.audience): badged "Internal" by the theme, and removed from the
    public edition even if it got there.
    """
    kind = "internal" if is_internal(item) else item.kind
    return f'!!! {kind} "{markdown_literal(item.title)}"\n    {indent(item.text, 4)}'


def notes(items: Iterable[Note]) -> str:
    """Admonitions separated by blank lines."""
    return "\n\n".join(note(n) for n in items)


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A pipe table of Markdown cells (escape facts before), each put on one line."""
    lines = [header, ["---"] * len(header), *rows]
    return "\n".join(
        "| " + " | ".join(_BARE_PIPE.sub(r"\\|", " ".join(c.split())) for c in line) + " |"
        for line in lines
    )
