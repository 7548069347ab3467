"""Rendering generator templates by name, in the environment of `kb_builder.core.templates`.

Used by generators whose templates need no filters of their own beyond a duration for people
(``minutes``); every value is escaped as Markdown text unless a filter made it Markdown.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2

from kb_builder.core.templates import environment


def minutes(total: int) -> str:
    """A duration for people: ``45 min``, ``1 h``, ``6 h 10 min``."""
    hours, rest = divmod(int(total), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


@cache
def _environment() -> jinja2.Environment:
    return environment("", filters={"minutes": minutes})


def render(template: str, **context: Any) -> str:
    """Render one template (a path under kb_builder/generators/templates) with `context`."""
    return _environment().get_template(template).render(**context)
