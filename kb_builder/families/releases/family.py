"""The releases family in the registry: _data/releases + _data/changes -> notes, feed, calendar."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from kb_builder.core.editions import Edition
from kb_builder.core.errors import ContentError
from kb_builder.families.registry import Family, SiteContext
from kb_builder.families.releases import loader, pages
from kb_builder.families.releases.data import ReleaseData
from kb_builder.families.releases.model import Change, Release
from kb_builder.families.releases.view import marker_errors


class Releases(Family):
    """One YAML file per change and per release; pages, an Atom feed and a rollout calendar."""

    name = "releases"
    search_kind = "release"
    schemas = {"change": Change, "release": Release}

    def present(self, data_dir: Path) -> bool:
        return (data_dir / loader.RELEASES_DIR).is_dir() or (data_dir / loader.CHANGES_DIR).is_dir()

    def read(self, data_dir: Path, known_pages: Collection[str]):
        return loader.read(data_dir)

    def data_errors(
        self, model: ReleaseData, data_dir: Path, edition: Edition, context: SiteContext
    ) -> list[ContentError]:
        # Near misses of '!!! internal' in bodies and summaries, at the writer's YAML line
        # (the generated pages would otherwise report them at a line nobody can edit).
        return marker_errors(model, data_dir)

    def pages(self, model: ReleaseData, edition: Edition, context: SiteContext):
        return pages.pages(model, edition)

    def assets(self, model: ReleaseData, edition: Edition, context: SiteContext):
        return pages.assets(model, edition, context.site_url) + pages.area_assets(
            model, edition, context.site_url
        )

    def generated_uris(self, data_dir: Path) -> set[str]:
        data, _ = loader.read(data_dir)
        if data is None:
            return {pages.INDEX, pages.UPCOMING}
        return {page.src_uri for page in pages.pages(data, "internal")}

    def theme_settings(self, model: ReleaseData, edition: Edition):
        # Every page's head links the feed (theme/main.html), in the editions that have one.
        return {"kb_release_feed": pages.FEED}

    def unsearchable(self, src_uri: str) -> bool:
        # Area pages repeat the release pages' words: as results they would crowd out the
        # release pages they copy.
        return pages.repeats_others(src_uri)
