"""A site's structured data (content/_data/), every family checked together for `kb check`.

The build loads each family as it needs it (and stops at the first error); `check` lists every
problem of every family at once, in both editions.
"""

from __future__ import annotations

from pathlib import Path

from kb_builder import releases, search_checks, support, synonyms
from kb_builder.errors import ContentError
from kb_builder.generators import EDITIONS, Edition
from kb_builder.generators import releases as release_pages
from kb_builder.generators import support as support_pages
from kb_builder.generators import training as training_pages
from kb_builder.support import loader as support_loader
from kb_builder.support import placeholders
from kb_builder.training import loader as training_loader

DATA_DIR = "_data"


def has_releases(data_dir: Path) -> bool:
    """True when the site keeps release notes as data (a releases/ or changes/ folder)."""
    return (data_dir / "releases").is_dir() or (data_dir / "changes").is_dir()


def has_support(data_dir: Path) -> bool:
    """True when the site keeps its support facts as data (_data/support.yml)."""
    return support_loader.data_file(data_dir).is_file()


def placeholder_errors(page, facts_source, edition: Edition) -> list[ContentError]:
    """Placeholders of a page (as `edition` shows it) that name no fact this edition may show.

    Args:
        page: a `kb_builder.pages.Page`.
        facts_source: the loaded `SupportData`, or None when the site has no support.yml.
        edition: the edition the page was analysed for.
    """
    body, offset = page.front.body, page.front.body_offset
    if facts_source is None:
        return [
            ContentError(
                page.source,
                offset + found.line + 1,
                f"'{{{{ {found.name} }}}}' quotes a support fact, but this site has no "
                "_data/support.yml to take it from; add one or write the value",
            )
            for found in placeholders.find_placeholders(body)
        ]
    return placeholders.find_errors(body, page.source, offset, facts_source.facts, edition)


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
    if has_support(data_dir):
        uris |= set(support_pages.PAGES)
    return uris


def load_support(content_dir: Path):
    """The support facts, or None (no support.yml, or one with errors `check` reports)."""
    data_dir = content_dir / DATA_DIR
    if not has_support(data_dir):
        return None
    try:
        return support.load(data_dir)
    except ContentError:
        return None


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
    if has_support(data_dir):
        errors += support.check(data_dir)
    errors += synonyms.check(data_dir)
    errors += search_checks.check(data_dir)
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


def feeds_without_address(settings) -> list[ContentError]:
    """A notice at mkdocs.yml when the release notes' feeds and calendars have no site address.

    Without ``site_url`` they still build, but with placeholder ids (``tag:kb-builder.invalid``,
    ``@kb-builder.invalid``) and relative links: a feed reader or calendar that subscribed then
    shows every entry again, as new, once the address is set. Not an error: a site under
    construction has no address yet. (A value from a tag such as ``!ENV`` reads as None here
    and is given at build time, so only a missing or empty setting is reported.)
    """
    if not has_releases(Path(settings.docs_dir) / DATA_DIR):
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
