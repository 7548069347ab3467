"""The support family in the registry: _data/support.yml -> ticket guides and placeholders."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from kb_builder.core.editions import Edition
from kb_builder.core.errors import ContentError
from kb_builder.families.registry import Family, SiteContext
from kb_builder.families.support import loader, pages, placeholders
from kb_builder.families.support.loader import SupportData
from kb_builder.families.support.model import SupportFile


class Support(Family):
    """Plans, channels, hours and escalation, written once; quoted by ``{{ support.x }}``."""

    name = "support"
    search_kind = "guide"
    schemas = {"support": SupportFile}

    def present(self, data_dir: Path) -> bool:
        return loader.data_file(data_dir).is_file()

    def read(self, data_dir: Path, known_pages: Collection[str]):
        return loader.read(data_dir)

    def pages(self, model: SupportData, edition: Edition, context: SiteContext):
        return pages.pages(model, edition)

    def generated_uris(self, data_dir: Path) -> set[str]:
        return set(pages.PAGES)

    def page_errors(self, model: SupportData | None, page, edition: Edition) -> list[ContentError]:
        """Placeholders of a page (as `edition` shows it) that name no fact this edition shows."""
        body, offset = page.front.body, page.front.body_offset
        if model is None:
            return [
                ContentError(
                    page.source,
                    offset + found.line + 1,
                    f"'{{{{ {found.name} }}}}' quotes a support fact, but this site has no "
                    "_data/support.yml to take it from; add one or write the value",
                )
                for found in placeholders.find_placeholders(body)
            ]
        return placeholders.find_errors(body, page.source, offset, model.facts, edition)

    def page_context(
        self, model: SupportData, edition: Edition, context: SiteContext, src_uri, url_of
    ):
        """The header's "Contact support" action on every page: the guide's box of routes."""
        url = url_of(pages.CONTACT_PAGE)
        return {"kb_contact": {"url": url, "anchor": pages.CONTACT_ANCHOR}} if url else {}

    def page_markdown(self, model: SupportData, markdown: str, page, edition: Edition) -> str:
        # Checked before (page_errors); internal passages are already gone in the public edition.
        return placeholders.resolve(markdown, page.source, 0, model.facts, edition)
