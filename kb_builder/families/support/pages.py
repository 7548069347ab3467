"""The support pages, generated from content/_data/support.yml.

- ``support/launch-a-ticket.md``: the help-desk steps, then each ticket type with what to
  include and the channel each plan uses during and outside business hours.
- ``support/critical-tickets.md``: what counts as critical, the after-hours route, what happens
  in the first minutes and the first hour.
- ``support/plans-and-hours.md``: plans x channels x hours x response targets.
- ``support/escalation.md``: the escalation steps as a Mermaid diagram and as numbered text.

The three ticket pages carry an "open right now" box: its static text states the hours (true
with scripts off), and theme/assets/javascripts/support-hours.js reads the hours from its
``data-kb-support-hours`` attribute to say whether support is open right now and which channel
each plan uses.

Templates (kb_builder/families/*/templates/support/) hold the wording around the facts; the
facts, and every vendor-specific sentence, come from the data file.
"""

from __future__ import annotations

import json
import typing
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

import jinja2
from markupsafe import Markup
from pydantic import BaseModel

from kb_builder.core.editions import Edition
from kb_builder.core.generated import GeneratedAsset, GeneratedPage
from kb_builder.core.templates import environment, markdown
from kb_builder.core.text import MarkdownText
from kb_builder.core.text import html as html_text
from kb_builder.families.support import blocks, placeholders, wording
from kb_builder.families.support.editions import for_edition
from kb_builder.families.support.loader import SupportData
from kb_builder.families.support.model import MARKDOWN_FIELD, SupportFile
from kb_builder.families.support.routes import Routes
from kb_builder.families.support.view import SupportView, plain_text

PAGES = {
    "support/launch-a-ticket.md": "launch-a-ticket.md.j2",
    "support/critical-tickets.md": "critical-tickets.md.j2",
    "support/plans-and-hours.md": "plans-and-hours.md.j2",
    "support/escalation.md": "escalation.md.j2",
}
# The guides that tell a client how to open a ticket (the search page offers them; a search they
# alone answer found no answer in the site, only the way to ask for one: kb report).
TICKET_GUIDES = ("support/launch-a-ticket.md", "support/critical-tickets.md")
# The box's script, a theme asset (theme/assets/...), loaded through mkdocs.yml extra_javascript.
SCRIPT = "assets/javascripts/support-hours.js"
# The ticket form of launch-a-ticket (after SCRIPT and the search engine in extra_javascript).
TICKET_SCRIPT = "assets/javascripts/support-ticket.js"
# The guide every page's "Contact support" action opens, and the box's id there.
CONTACT_PAGE = "support/launch-a-ticket.md"
CONTACT_ANCHOR = "contact-support"


def _markdown_out(function: Callable[..., str]) -> Callable[..., MarkdownText]:
    """A `blocks` helper as a filter: its Markdown (facts escaped inside) kept as Markdown."""

    def run(*args: Any, **kwargs: Any) -> MarkdownText:
        return MarkdownText(function(*args, **kwargs))

    return run


def _join_words(words: Iterable[Any], conjunction: str = "and") -> str:
    """`wording.join`, keeping the kind of its words: Markdown words (``map("md")``) give
    Markdown, plain words give plain text (escaped later, or written to front matter as is)."""
    items = list(words)
    if any(isinstance(w, MarkdownText) for w in items):
        return MarkdownText(wording.join([MarkdownText.escape(w) for w in items], conjunction))
    return wording.join(items, conjunction)


def _bold(text: Any) -> MarkdownText:
    return MarkdownText(f"**{MarkdownText.escape(text)}**")


@cache
def _environment() -> jinja2.Environment:
    """The support templates (kb_builder.core.templates: every value escaped by default).

    Plain-text facts are escaped as Markdown text; Markdown fields arrive already made safe
    (`_safe_fields`), and the block helpers return Markdown.
    """
    return environment(
        __package__,
        filters={
            "upfirst": wording.upfirst,
            "plural": wording.plural,
            "a": wording.with_article,
            "number": wording.number,
            "join_words": _join_words,
            "bold": _bold,
            "mark": _markdown_out(blocks.mark),
            "suffix": _markdown_out(blocks.suffix),
            "bullets": _markdown_out(blocks.bullets),
            "steps": _markdown_out(blocks.steps),
            "step": _markdown_out(blocks.step),
            "note": _markdown_out(blocks.note),
            "notes": _markdown_out(blocks.notes),
        },
        globals={"flow_svg": _flow_svg},
    )


def _is_markdown(annotation: Any) -> bool:
    if annotation is MARKDOWN_FIELD:
        return True
    return any(_is_markdown(arg) for arg in typing.get_args(annotation))


def _safe(value: Any, is_markdown: bool) -> Any:
    """`value` with every Markdown field made safe (raw HTML and attribute lists as text)."""
    if isinstance(value, BaseModel):
        update = {}
        for name, info in type(value).model_fields.items():
            md = _is_markdown(info.annotation) or MARKDOWN_FIELD in info.metadata
            update[name] = _safe(getattr(value, name), md)
        return value.model_copy(update=update)
    if isinstance(value, list):
        return [_safe(item, is_markdown) for item in value]
    if isinstance(value, dict):
        return {key: _safe(item, is_markdown) for key, item in value.items()}
    if is_markdown and isinstance(value, str):
        return markdown(value, placeholders=True)
    return value


def _safe_fields(file: SupportFile) -> SupportFile:
    """The support facts with the shared rule for data Markdown applied to every prose field."""
    return _safe(file, False)


from kb_builder.families.support.flow_svg import flow_svg  # noqa: E402


def _flow_svg(title: str, labels: list[str], **kwargs: Any) -> MarkdownText:
    """The escalation diagram (SVG, every label escaped there) from the steps' summaries."""
    return MarkdownText(flow_svg(title, [plain_text(label) for label in labels], **kwargs))


def hours_box(data: SupportData, edition: Edition) -> MarkdownText:
    """The "open right now" box: raw HTML without blank lines, every value escaped.

    Args:
        data: the loaded support facts.
        edition: ``"public"`` leaves out internal plans and channels.
    """
    view = SupportView(_safe_fields(for_edition(data.file, edition)))
    hours = {**view.hours_config(), "contact": Routes(view.data).config()}
    config = json.dumps(hours, ensure_ascii=False, sort_keys=True)
    # Braces as character references: the page rules read "{...}" in a page as an attribute
    # list, and writers' words inside (one, only) as event handlers. Browsers decode them.
    escaped = str(html_text(config)).replace("{", "&#123;").replace("}", "&#125;")
    html = (
        _environment()
        .get_template("hours-box.html.j2")
        .render(view=view, config=Markup(escaped), anchor=CONTACT_ANCHOR)
    )
    return MarkdownText(html.strip())


def pages(data: SupportData, edition: Edition) -> list[GeneratedPage]:
    """The four support pages of `edition` (internal items only in "internal", marked so).

    Raises:
        ContentError: if a placeholder in the data cannot be resolved (`load` rules it out).
    """
    view = SupportView(_safe_fields(for_edition(data.file, edition)))
    box = hours_box(data, edition)
    out = []
    for src_uri, template in PAGES.items():
        markdown = (
            _environment()
            .get_template(template)
            .render(view=view, data=view.data, box=box, edition=edition, routes=Routes(view.data))
        )
        # Markdown fields may quote facts: resolved like any page's placeholders.
        markdown = placeholders.resolve(markdown, data.source, 0, data.facts, edition)
        out.append(GeneratedPage(src_uri, markdown, data.edit_source))
    return out


def assets(data: SupportData, edition: Edition, site_url: str) -> list[GeneratedAsset]:
    """No published files besides the pages: each box carries its hours inline.

    The box's script is a theme asset (``SCRIPT``), so there is nothing to generate.
    """
    return []
