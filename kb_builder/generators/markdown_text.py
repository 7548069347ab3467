"""Escaping for values that writers give as plain text but that land inside Markdown or HTML."""

from __future__ import annotations

import html
import re

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]|])")


def plain(text: str) -> str:
    """`text` shown literally in Markdown: HTML escaped, Markdown syntax characters backslashed."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(str(text), quote=False))


def attribute(text: str) -> str:
    """`text` safe inside a double-quoted HTML attribute."""
    return html.escape(str(text), quote=True)


def minutes(total: int) -> str:
    """A duration for people: ``45 min``, ``1 h``, ``6 h 10 min``."""
    hours, rest = divmod(int(total), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def indent(text: str, width: int = 4) -> str:
    """Indent every line but the first (for Markdown nested in admonitions)."""
    pad = " " * width
    first, *rest = str(text).splitlines() or [""]
    return "\n".join([first] + [(pad + line) if line.strip() else "" for line in rest])
