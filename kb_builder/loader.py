"""The content directory as a whole: `check()` lists every problem in it.

`kb check` calls `check()`, which never stops at the first error; the build checks each page as
it renders it and stops at the first.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from kb_builder.errors import ContentError
from kb_builder.pages import Page, analyse_file

DATA_DIR = "_data"


def is_data_path(src_uri: str) -> bool:
    """True for files under ``_data/``: structured data, never published as files."""
    return src_uri == DATA_DIR or src_uri.startswith(DATA_DIR + "/")


def iter_markdown(content_dir: Path) -> Iterator[Path]:
    """Every Markdown page below `content_dir`, in a stable order, data files excepted."""
    for path in sorted(content_dir.rglob("*.md")):
        rel = path.relative_to(content_dir).as_posix()
        if not is_data_path(rel) and path.is_file():
            yield path


def load_pages(content_dir: Path) -> list[Page]:
    """Analyse every page (each `Page` carries its own errors)."""
    return [analyse_file(p.read_bytes(), str(p)) for p in iter_markdown(content_dir)]


def check(content_dir: Path) -> list[ContentError]:
    """Every problem in the content directory, sorted by file and line."""
    if not content_dir.is_dir():
        return [ContentError(str(content_dir), 0, "the content directory does not exist")]
    errors: list[ContentError] = []
    for page in load_pages(content_dir):
        errors.extend(page.errors)
    return sorted(set(errors))
