"""The Jinja2 environment for generated Markdown pages (package data, StrictUndefined)."""

from __future__ import annotations

from functools import cache

import jinja2

from kb_builder.generators import markdown_text


@cache
def environment() -> jinja2.Environment:
    """Templates from kb_builder/generators/templates, failing loudly on any undefined name.

    Autoescape is off because the output is Markdown, not HTML: every value from data goes
    through an explicit filter (`plain`, `attr`) or is Markdown on purpose.
    """
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("kb_builder.generators", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        plain=markdown_text.plain,
        attr=markdown_text.attribute,
        minutes=markdown_text.minutes,
        indent4=markdown_text.indent,
    )
    return env


def render(template: str, **context) -> str:
    """Render one template with `context`."""
    return environment().get_template(template).render(**context)
