"""A site's structured data (content/_data/), every family checked together for `kb check`.

The build loads each family as it needs it (and stops at the first error); `check` lists every
problem of every family at once, in both editions.
"""

from __future__ import annotations

from pathlib import Path

from kb_builder import releases
from kb_builder.errors import ContentError
from kb_builder.generators import EDITIONS
from kb_builder.generators import releases as release_pages
from kb_builder.generators import training as training_pages
from kb_builder.training import loader as training_loader

DATA_DIR = "_data"


def has_releases(data_dir: Path) -> bool:
    """True when the site keeps release notes as data (a releases/ or changes/ folder)."""
    return (data_dir / "releases").is_dir() or (data_dir / "changes").is_dir()


def generated_uris(data_dir: Path) -> set[str]:
    """The pages the data generates, whether or not the data is valid (for link checks)."""
    uris: set[str] = set()
    if has_releases(data_dir):
        try:
            data = releases.load(data_dir)
            uris |= {page.src_uri for page in release_pages.pages(data, "internal")}
        except ContentError:
            uris |= {release_pages.INDEX, release_pages.UPCOMING}
    if (data_dir / training_loader.FILE_NAME).is_file():
        uris.add(training_pages.AGENDA_URI)
    return uris


def check(
    content_dir: Path, source_pages: set[str], internal_pages: set[str]
) -> list[ContentError]:
    """Every problem in the data of `content_dir`.

    Args:
        content_dir: the content folder.
        source_pages: the Markdown pages written by hand (paths from the content folder).
        internal_pages: those of them only the internal edition has.
    """
    data_dir = content_dir / DATA_DIR
    errors: list[ContentError] = []
    if has_releases(data_dir):
        errors += releases.check(data_dir)
    known = source_pages | generated_uris(data_dir)
    errors += training_loader.check(data_dir, known)
    try:
        training = training_loader.load(data_dir, known)
    except ContentError:
        training = None
    if training is not None:
        for edition in EDITIONS:
            errors += training_pages.edition_errors(training, edition, internal_pages)
    return errors
