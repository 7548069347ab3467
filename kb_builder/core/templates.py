"""The one Jinja2 template factory: every generator's templates are made by `environment`.

Every environment it makes fails on an undefined name (`StrictUndefined`) and escapes every
``{{ value }}`` for the language of its template, unless the value says it is already safe:

- HTML templates (``*.html.j2``, ``*.xml.j2``) use Jinja's autoescape: values are HTML text
  unless they are `markupsafe.Markup`.
- Markdown templates (``*.md.j2``) escape every value as Markdown text (`markdown_literal`,
  which is HTML-safe too), unless it is `MarkdownText`: Markdown made on purpose by a filter
  (``markdown`` for a writer's prose, ``href`` for a link, ``yaml`` for front matter, ...).
  HTML autoescape alone would let ``*``, ``[x](javascript:...)`` or ``{: onclick=...}``
  through; this escapes them, and a template that forgets a filter shows text, never markup.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import jinja2
from markupsafe import Markup

from kb_builder.core.markdown import safe_markdown
from kb_builder.core.text import MarkdownText, code_span, href, literal

_HTML_SUFFIXES = (".html.j2", ".xml.j2", ".svg.j2")


def _autoescape(name: str | None) -> bool:
    # Markdown templates are escaped by `_finalize` instead (HTML escaping is not enough).
    return name is None or name.endswith(_HTML_SUFFIXES)


@jinja2.pass_eval_context
def _finalize(eval_ctx: jinja2.nodes.EvalContext, value: Any) -> Any:
    if eval_ctx.autoescape:
        return value
    return MarkdownText.escape("" if value is None else value)


def markdown(text: str, *, placeholders: bool = False) -> MarkdownText:
    """A writer's Markdown from a data file, raw HTML and attribute lists shown as text."""
    if isinstance(text, MarkdownText):
        return text
    return MarkdownText(safe_markdown(str(text), placeholders=placeholders))


def yaml_value(value: Any) -> MarkdownText:
    """`value` as a YAML scalar for front matter (a JSON string is valid YAML)."""
    return MarkdownText(json.dumps(str(value), ensure_ascii=False))


def indent(text: Any, width: int = 4) -> MarkdownText:
    """Markdown `text` with every line but the first indented (to nest it in a block)."""
    pad = " " * width
    first, *rest = str(MarkdownText.escape(text)).splitlines() or [""]
    lines = [first] + [(pad + line) if line.strip() else "" for line in rest]
    return MarkdownText("\n".join(lines))


def block(text: Any, width: int = 4) -> MarkdownText:
    """A writer's Markdown indented as a whole (every non-blank line) into a list item."""
    md = markdown(text)
    return MarkdownText(textwrap.indent(md, " " * width, lambda line: bool(line.strip())))


@jinja2.pass_eval_context
def join(eval_ctx: jinja2.nodes.EvalContext, items: Iterable[Any], separator: str = "") -> Markup:
    """Items joined: in Markdown, plain strings escaped and `MarkdownText` kept."""
    if eval_ctx.autoescape:
        return Markup(separator).join(items)
    return MarkdownText(separator).join(items)


@jinja2.pass_eval_context
def safe(eval_ctx: jinja2.nodes.EvalContext, value: Any) -> Markup:
    """A template's own markup, trusted as it is (HTML or Markdown, by template)."""
    return Markup(value) if eval_ctx.autoescape else MarkdownText(value)


def attribute(value: Any) -> MarkdownText:
    """`value` for a quoted attribute of raw HTML inside Markdown.

    Every character HTML or Markdown gives a meaning to (``& < > "``, brackets, braces,
    parentheses, colons, ...) is a numeric character reference: the browser reads the same
    value, and no Markdown reader finds a link or an attribute list in it.
    """
    if isinstance(value, Markup):  # escaped once already: its characters, not its escapes
        value = value.unescape()
    text = " ".join(str(value).split())
    return MarkdownText("".join(f"&#{ord(c)};" if c in _ATTRIBUTE_SPECIALS else c for c in text))


_ATTRIBUTE_SPECIALS = frozenset("&<>\"'\\`*_[]{}()|~^=#+!$:")


# Filters every Markdown template may use; a generator adds its own.
MARKDOWN_FILTERS: dict[str, Callable[..., Any]] = {
    "plain": literal,
    "md": literal,
    "code": code_span,
    "markdown": markdown,
    "block": block,
    "href": href,
    "attr": attribute,
    "yaml": yaml_value,
    "indent4": indent,
    "indent_md": indent,
    "join": join,
    "safe": safe,
}


def environment(
    package: str,
    *,
    filters: Mapping[str, Callable[..., Any]] | None = None,
    globals: Mapping[str, Any] | None = None,
) -> jinja2.Environment:
    """A template environment for one package's templates (its ``templates/`` folder).

    Args:
        package: the dotted name of the package that holds the templates, e.g.
            ``kb_builder.families.releases`` (a family passes its own ``__package__``).
        filters: the generator's own filters, added to `MARKDOWN_FILTERS`. A filter whose
            output is Markdown must return `MarkdownText` (else it is shown as text).
        globals: names every template of the generator may use.
    """
    env = jinja2.Environment(
        loader=jinja2.PackageLoader(package, "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=_autoescape,
        finalize=_finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(MARKDOWN_FILTERS)
    env.filters.update(filters or {})
    env.globals.update(globals or {})
    return env
