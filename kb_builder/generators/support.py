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

Templates (kb_builder/generators/templates/support/) hold the wording around the facts; the
facts, and every vendor-specific sentence, come from the data file.
"""

from __future__ import annotations

import json
from functools import cache

import jinja2

from kb_builder.generators import Edition, GeneratedAsset, GeneratedPage
from kb_builder.support import blocks, placeholders, wording
from kb_builder.support.editions import for_edition
from kb_builder.support.escape import code_span, markdown_literal, mermaid_label
from kb_builder.support.loader import SupportData
from kb_builder.support.view import SupportView

PAGES = {
    "support/launch-a-ticket.md": "launch-a-ticket.md.j2",
    "support/critical-tickets.md": "critical-tickets.md.j2",
    "support/plans-and-hours.md": "plans-and-hours.md.j2",
    "support/escalation.md": "escalation.md.j2",
}
# The box's script, a theme asset (theme/assets/...), loaded through mkdocs.yml extra_javascript.
SCRIPT = "assets/javascripts/support-hours.js"


@cache
def _environment() -> jinja2.Environment:
    """Templates from the package; ``*.html.j2`` autoescape, Markdown templates do not.

    In Markdown templates every plain-text fact goes through the `md` filter (shown literally);
    Markdown fields from the data are inserted as they are, on purpose.
    """
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("kb_builder.generators", "templates/support"),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default=False),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["flow_svg"] = flow_svg
    env.filters.update(
        md=markdown_literal,
        code=code_span,
        mermaid=mermaid_label,
        upfirst=wording.upfirst,
        plural=wording.plural,
        a=wording.with_article,
        number=wording.number,
        join_words=wording.join,
        yaml=lambda text: json.dumps(str(text), ensure_ascii=False),
        bold=lambda text: f"**{text}**",
        mark=blocks.mark,
        suffix=blocks.suffix,
        bullets=blocks.bullets,
        steps=blocks.steps,
        step=blocks.step,
        note=blocks.note,
        notes=blocks.notes,
        indent_md=blocks.indent,
    )
    return env


from kb_builder.generators.flow_svg import flow_svg  # noqa: E402


def hours_box(data: SupportData, edition: Edition) -> str:
    """The "open right now" box: raw HTML without blank lines, every value escaped.

    Args:
        data: the loaded support facts.
        edition: ``"public"`` leaves out internal plans and channels.
    """
    view = SupportView(for_edition(data.file, edition))
    config = json.dumps(view.hours_config(), ensure_ascii=False, sort_keys=True)
    html = _environment().get_template("hours-box.html.j2").render(view=view, config=config)
    return html.strip()


def pages(data: SupportData, edition: Edition) -> list[GeneratedPage]:
    """The four support pages of `edition` (internal items only in "internal", marked so).

    Raises:
        ContentError: if a placeholder in the data cannot be resolved (`load` rules it out).
    """
    view = SupportView(for_edition(data.file, edition))
    box = hours_box(data, edition)
    out = []
    for src_uri, template in PAGES.items():
        markdown = (
            _environment()
            .get_template(template)
            .render(view=view, data=view.data, box=box, edition=edition)
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
