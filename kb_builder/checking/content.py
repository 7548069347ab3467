"""The content directory as a whole: `check()` lists every problem in it.

`kb check` calls `check()`, which never stops at the first error; the build checks each page as
it renders it and stops at the first.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from kb_builder.core.editions import EDITIONS, Edition
from kb_builder.core.errors import ContentError
from kb_builder.core.project import DATA_DIR, is_data_path
from kb_builder.families import data as site_data
from kb_builder.indexing import search_checks, synonyms
from kb_builder.pages import audience, urls
from kb_builder.pages.page import Page, analyse_file


def iter_markdown(content_dir: Path, *, hidden: bool = False) -> Iterator[Path]:
    """Every Markdown page below `content_dir`, in a stable order, data files excepted.

    Args:
        hidden: include files MkDocs never publishes (names starting with a dot).
    """
    for path in sorted(content_dir.rglob("*.md")):
        rel = path.relative_to(content_dir).as_posix()
        if is_data_path(rel) or not path.is_file():
            continue
        if hidden or not urls.is_hidden(rel):
            yield path


def load_pages(content_dir: Path, edition: Edition = "public") -> dict[str, Page]:
    """Analyse every page as `edition` shows it, keyed by its path in the content directory."""
    return {
        p.relative_to(content_dir).as_posix(): analyse_file(p.read_bytes(), str(p), edition)
        for p in iter_markdown(content_dir)
    }


def internal_uris(pages: dict[str, Page]) -> set[str]:
    """The pages only the internal edition has."""
    return {uri for uri, page in pages.items() if page.meta.audience == "internal"}


def public_link_errors(pages: dict[str, Page]) -> list[ContentError]:
    """Links from public pages (as the public edition shows them) to internal pages."""
    internal = internal_uris(pages)
    errors: list[ContentError] = []
    for uri, page in pages.items():
        if uri not in internal and not page.errors:
            errors += audience.links_into(
                page.front.body,
                uri,
                page.source,
                page.front.body_offset,
                internal,
                reading=page.links,
            )
    return errors


def check(content_dir: Path) -> list[ContentError]:
    """Every problem in the content directory, in both editions, sorted by file and line."""
    if not content_dir.is_dir():
        return [ContentError(str(content_dir), 0, "the content directory does not exist")]
    everything = [
        p.relative_to(content_dir).as_posix() for p in iter_markdown(content_dir, hidden=True)
    ]
    errors: list[ContentError] = urls.collisions(everything, lambda uri: str(content_dir / uri))
    data_dir = content_dir / DATA_DIR
    models: dict | None = None
    for edition in EDITIONS:
        pages = load_pages(content_dir, edition)
        if models is None:  # the data is read once, for both editions
            models, data_errors = site_data.read_all(content_dir, set(pages))
            errors.extend(data_errors)
        for page in pages.values():
            errors.extend(page.errors)
            if not page.errors:
                errors.extend(site_data.page_errors(page, models, data_dir, edition))
        if edition == "public":
            errors.extend(public_link_errors(pages))
            errors.extend(site_data.check(content_dir, set(pages), internal_uris(pages), models))
            errors.extend(synonyms.check(data_dir))
            errors.extend(search_checks.check(data_dir))
    return sorted(set(errors))
