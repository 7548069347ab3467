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
