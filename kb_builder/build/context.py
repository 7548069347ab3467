"""What the theme shows on a page beyond its body: edition, FAQ data, freshness, lessons."""

from __future__ import annotations

from typing import Any

from kb_builder.build.generated import site_context
from kb_builder.build.site import SiteFiles
from kb_builder.build.state import EditionBuild
from kb_builder.families.registry import FAMILIES
from kb_builder.pages.page import Page


def page_context(state: EditionBuild, site: SiteFiles, src_uri: str, url: str) -> dict[str, Any]:
    """The ``kb_*`` template variables of one page (see theme/main.html)."""
    analysed = state.pages.get(src_uri)
    values: dict[str, Any] = {
        "kb_edition": state.edition,
        "kb_audience": analysed.meta.audience if analysed else "public",
        "kb_jsonld": state.jsonld.get(src_uri),
        "kb_page_type": analysed.meta.type if analysed else "listing",
        "kb_hero": analysed.meta.hero if analysed else None,
        "kb_lessons": None,
        "kb_freshness": freshness_context(state, src_uri, analysed),
        "kb_related": state.related.get(url, []),
    }
    for family in FAMILIES:
        model = state.models.get(family.name)
        if model is None:
            continue
        if state.final_context is None:  # the pages are all known by now: computed once
            state.final_context = site_context(state)
        values.update(
            family.page_context(model, state.edition, state.final_context, src_uri, site.url)
        )
    return values


def freshness_context(state: EditionBuild, src_uri: str, analysed: Page | None) -> dict | None:
    """'Last reviewed ...' for written pages; 'generated from ...' for pages made from data."""
    if state.is_generated(src_uri):
        source = state.generated_from[src_uri]
        changed = state.data_changed.get(source)
        return {"source": source, "changed": human_date(changed) if changed else None}
    if analysed is None:
        return None
    meta = analysed.meta
    if not (meta.reviewed or meta.owner):
        return None
    return {
        "reviewed": human_date(meta.reviewed) if meta.reviewed else None,
        "owner": meta.owner,
        "review_by": human_date(meta.review_by) if meta.review_by else None,
    }


def human_date(value) -> str:
    """``2026-11-29`` -> ``29 November 2026`` (unambiguous in every English locale)."""
    return f"{value.day} {value:%B %Y}"
