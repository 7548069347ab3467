"""The training family in the registry: _data/training.yml -> the agenda and lesson boxes."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from kb_builder.core.editions import Edition
from kb_builder.core.errors import ContentError
from kb_builder.families.registry import Family, SiteContext
from kb_builder.families.training import loader, pages
from kb_builder.families.training.loader import Training
from kb_builder.families.training.model import TrainingFile


class TrainingAgenda(Family):
    """A self-guided agenda of modules and lessons over the site's own pages."""

    name = "training"
    search_kind = "guide"
    schemas = {"training": TrainingFile}

    def present(self, data_dir: Path) -> bool:
        return (data_dir / loader.FILE_NAME).is_file()

    def read(self, data_dir: Path, known_pages: Collection[str]):
        return loader.read(data_dir, known_pages)

    def data_errors(
        self, model: Training, data_dir: Path, edition: Edition, context: SiteContext
    ) -> list[ContentError]:
        return pages.edition_errors(model, edition, context.internal_pages)

    def pages(self, model: Training, edition: Edition, context: SiteContext):
        return pages.pages(model, edition, context.titles, context.site_name)

    def generated_uris(self, data_dir: Path) -> set[str]:
        return {pages.AGENDA_URI}

    def _places(self, model: Training, edition: Edition) -> dict:
        # Asked for on every page: computed once per build (per model and edition).
        cached = getattr(self, "_cached_places", None)
        if cached is None or cached[0] is not model or cached[1] != edition:
            cached = (model, edition, pages.lesson_places(model, edition))
            self._cached_places = cached
        return cached[2]

    def page_context(
        self, model: Training, edition: Edition, context: SiteContext, src_uri: str, url_of
    ):
        """The lesson box on a page that lessons of the agenda link to (``kb_lessons``)."""
        place = self._places(model, edition).get(src_uri)
        agenda = url_of(pages.AGENDA_URI)
        if place is None or agenda is None:
            return {}

        def step(ref: pages.LessonRef | None) -> dict | None:
            if ref is None:
                return None
            return {"label": f"{ref.number} {ref.title}", "url": url_of(ref.page, ref.anchor)}

        return {
            "kb_lessons": {
                "heading": place.heading,
                "agenda_url": agenda,
                "progress_key": pages.progress_key(context.site_name),
                "lessons": [
                    {
                        "id": ref.id,
                        "label": f"{ref.number} {ref.title}",
                        # The lesson's own section of this page, else its entry in the agenda.
                        "url": url_of(ref.page, ref.anchor)
                        if ref.anchor
                        else f"{agenda}#{ref.agenda_anchor}",
                    }
                    for ref in place.lessons
                ],
                "previous": step(place.previous),
                "next": step(place.next),
            }
        }
