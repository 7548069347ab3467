"""A site's structured data (content/_data/), every family checked together for `kb check`.

The build reads each family as it needs it (and stops at the first error); `check` lists every
problem of every registered family (`families.registry.FAMILIES`) at once, in both editions,
reading each family's files once.
"""

from __future__ import annotations

from pathlib import Path

from kb_builder.core.editions import EDITIONS
from kb_builder.core.errors import ContentError
from kb_builder.core.project import DATA_DIR
from kb_builder.families import registry
from kb_builder.families.registry import FAMILIES, SiteContext


def generated_uris(data_dir: Path) -> set[str]:
    """The pages the data generates, whether or not the data is valid (for link checks)."""
    uris: set[str] = set()
    for family in FAMILIES:
        if family.present(data_dir):
            uris |= family.generated_uris(data_dir)
    return uris


def read_all(content_dir: Path, known_pages: set[str]) -> tuple[dict, list[ContentError]]:
    """Every present family's model (None when broken) and every problem, one reading each.

    Args:
        known_pages: the written pages; the pages the data generates are added to them.
    """
    data_dir = content_dir / DATA_DIR
    known = known_pages | generated_uris(data_dir)
    models: dict = {}
    errors: list[ContentError] = []
    for family in FAMILIES:
        if family.present(data_dir):
            models[family.name], found = family.read(data_dir, known)
            errors += found
    return models, errors


def check(
    content_dir: Path,
    source_pages: set[str],
    internal_pages: set[str],
    models: dict | None = None,
) -> list[ContentError]:
    """Every problem in the data of `content_dir`.

    Args:
        content_dir: the content folder.
        source_pages: the Markdown pages written by hand (paths from the content folder).
        internal_pages: those of them only the internal edition has.
        models: `read_all`'s models when the caller read them already (its errors are then
            the caller's to report); read here otherwise.
    """
    data_dir = content_dir / DATA_DIR
    errors: list[ContentError] = []
    if models is None:
        models, errors = read_all(content_dir, source_pages)
    context = SiteContext(data_dir, internal_pages=frozenset(internal_pages))
    for family in FAMILIES:
        model = models.get(family.name)
        if model is None:
            continue
        for edition in EDITIONS:
            errors += family.data_errors(model, data_dir, edition, context)
    return errors


def page_errors(page, models: dict, data_dir: Path, edition) -> list[ContentError]:
    """Problems of a written page (as `edition` shows it) with the site's data.

    A family whose data is present but broken says nothing here: its own errors say why.
    """
    errors: list[ContentError] = []
    for family in FAMILIES:
        if family.present(data_dir) and models.get(family.name) is None:
            continue
        errors += family.page_errors(models.get(family.name), page, edition)
    return errors


def feeds_without_address(settings) -> list[ContentError]:
    """A notice at mkdocs.yml when the release notes' feeds and calendars have no site address.

    Without ``site_url`` they still build, but with placeholder ids (``tag:kb-builder.invalid``,
    ``@kb-builder.invalid``) and relative links: a feed reader or calendar that subscribed then
    shows every entry again, as new, once the address is set. Not an error: a site under
    construction has no address yet. (A value from a tag such as ``!ENV`` reads as None here
    and is given at build time, so only a missing or empty setting is reported.)
    """
    if not registry.family("releases").present(Path(settings.docs_dir) / DATA_DIR):
        return []
    if settings.data.get("site_url") or settings.data.get("site_url", "") is None:
        return []
    return [
        ContentError(
            str(settings.config_file),
            settings.line_of("site_name") if "site_name" in settings.data else 1,
            "site_url is not set: the release notes' feeds and calendars get placeholder ids "
            "(kb-builder.invalid) and relative links, and subscribers see every entry again "
            "once it is set; set site_url to the help centre's address before publishing",
        )
    ]
