"""The glossary family in the registry: _data/glossary.yml -> the glossary page, tooltips
where a page mentions a term, and the clients' words for each term as search synonyms."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from kb_builder.core.editions import Edition
from kb_builder.core.errors import ContentError
from kb_builder.families import registry
from kb_builder.families.glossary import loader, pages
from kb_builder.families.glossary.loader import Glossary
from kb_builder.families.glossary.model import GlossaryFile
from kb_builder.families.registry import Family, SiteContext


class GlossaryFamily(Family):
    """The help centre's words, defined once, and the words clients use for them."""

    name = "glossary"
    # An A-Z listing of the help centre's words: its records rank by the "listing" boost of
    # search.definition.KIND_BOOSTS, below the articles they sum up.
    search_kind = "listing"
    schemas = {"glossary": GlossaryFile}

    def present(self, data_dir: Path) -> bool:
        return (data_dir / loader.FILE_NAME).is_file()

    def read(self, data_dir: Path, known_pages: Collection[str]):
        if known_pages:
            # The build passes the pages known so far; a term may also point at a page a
            # later family generates (the agenda), as kb check, which knows them all, allows.
            known_pages = set(known_pages) | {
                uri
                for other in registry.FAMILIES
                if other is not self and other.present(data_dir)
                for uri in other.generated_uris(data_dir)
            }
        return loader.read(data_dir, known_pages)

    def data_errors(
        self, model: Glossary, data_dir: Path, edition: Edition, context: SiteContext
    ) -> list[ContentError]:
        return pages.edition_errors(model, edition, context.internal_pages)

    def pages(self, model: Glossary, edition: Edition, context: SiteContext):
        return pages.pages(model, edition, context.titles)

    def generated_uris(self, data_dir: Path) -> set[str]:
        return {loader.page_uri(data_dir)}

    def unsearchable(self, src_uri: str) -> bool:
        # Searchable, one record per term (each term is a section of the page): clients ask
        # for the glossary itself ("definitions of terms", "jargon") and for a term's meaning
        # ("what is a blocker"). Its records are a "listing" (search_kind), which ranks them
        # below the articles they sum up, so a client word ("sandbox") still leads first to
        # the article its synonym names.
        return False

    def page_markdown(self, model: Glossary, markdown: str, page, edition: Edition) -> str:
        """Tooltips (``<abbr title>``) on the terms of this edition that the page mentions."""
        return pages.with_abbreviations(model, markdown, edition)

    def synonyms(self, model: Glossary, edition: Edition) -> dict[str, tuple[str, ...]]:
        """Each client word of the edition's terms -> its term (``sandbox`` -> ``preview
        environment``)."""
        return {
            word: (term.term,)
            for term in pages.shown_terms(model, edition)
            for word in term.client_words
        }

    def markdown_extensions(self) -> tuple[str, ...]:
        # Python-Markdown's abbr would mark headings and links too (see tooltips.py).
        return ("kb_builder.families.glossary.tooltips",)
