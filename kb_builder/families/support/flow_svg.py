"""A step-by-step flow drawn as inline SVG at build time.

Material renders Mermaid diagrams with a script fetched from a CDN when the page loads: a
third-party request for every visitor, and raw diagram source in an offline copy or with
scripts off. A linear process (an escalation path) needs no layout engine: boxes and arrows
are drawn here, once, into the page, with a title and description for screen readers.
"""

from __future__ import annotations

import textwrap

from kb_builder.core.text import html as html_text

BOX_WIDTH = 420
LINE_HEIGHT = 18
PADDING = 12
GAP = 30
CHARS_PER_LINE = 48


def flow_svg(title: str, steps: list[str], *, marks: list[str] | None = None) -> str:
    """An SVG figure of `steps` in order, top to bottom, as one line of raw HTML.

    Args:
        title: what the diagram shows (its accessible name).
        steps: one short sentence per step.
        marks: an optional tag per step (e.g. "Internal"), shown after its text.
    """
    marks = marks or [""] * len(steps)
    boxes, y = [], 0
    for n, (step, mark) in enumerate(zip(steps, marks, strict=True), start=1):
        label = f"{n}. {step}" + (f" ({mark})" if mark else "")
        lines = textwrap.wrap(label, CHARS_PER_LINE) or [""]
        height = PADDING * 2 + LINE_HEIGHT * len(lines)
        centre = BOX_WIDTH // 2
        text = "".join(
            f'<tspan x="{centre}" dy="{LINE_HEIGHT if i else 0}">{html_text(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        boxes.append(
            f'<g class="kb-flow__step{" kb-flow__step--marked" if mark else ""}">'
            f'<rect x="1" y="{y + 1}" width="{BOX_WIDTH - 2}" height="{height}" rx="8"/>'
            f'<text x="{BOX_WIDTH // 2}" y="{y + PADDING + 13}" text-anchor="middle">{text}</text>'
            "</g>"
        )
        y += height + 2
        if n < len(steps):
            mid = BOX_WIDTH // 2
            boxes.append(
                f'<path class="kb-flow__arrow" d="M{mid} {y} V{y + GAP - 8}"/>'
                f'<path class="kb-flow__head" d="M{mid - 6} {y + GAP - 10} L{mid} {y + GAP - 1} '
                f'L{mid + 6} {y + GAP - 10} Z"/>'
            )
            y += GAP
    labels = [
        step + (f" ({mark})" if mark else "") for step, mark in zip(steps, marks, strict=True)
    ]
    description = html_text(" Then: ".join(labels))
    return (
        f'<figure class="kb-flow"><svg viewBox="0 0 {BOX_WIDTH} {y}" width="{BOX_WIDTH}" '
        f'role="img" aria-labelledby="kb-flow-title kb-flow-desc" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="kb-flow-title">{html_text(title)}'
        f'</title><desc id="kb-flow-desc">{description}</desc>{"".join(boxes)}</svg>'
        "</figure>"
    )
