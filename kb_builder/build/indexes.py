"""After the last page: related articles, the browser's search index, the Whoosh index."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from kb_builder.build.state import EditionBuild, return_freed_memory
from kb_builder.indexing import browser_index
from search.index import rebuild as rebuild_search_index
from search.related import related_pages


class RelatedStage:
    """Related articles, with their cache in ``.kb/`` changed only by a build that succeeds.

    kb build stages the cache in a copy that engine.py moves in with the new site
    (`commit`); other builds (mkdocs serve, kb check) update it in place, or not at all.
    """

    def __init__(self) -> None:
        self.staged: tuple[Path, Path] | None = None

    def compute(self, state: EditionBuild, index_dir: Path | None, *, deferred: bool) -> None:
        """Fill `state.related` from the pages' search records."""
        cache = index_dir.parent / f"{state.edition}-related.json" if index_dir else None
        if cache is not None and deferred:
            staged = Path(tempfile.mkdtemp(prefix="kb-related-")) / cache.name
            if cache.is_file():
                shutil.copyfile(cache, staged)
            self.staged = (staged, cache)
            cache = staged
        state.related = related_pages(
            state.search_documents, edition=state.edition, cache_path=cache
        )

    def commit(self, keep: bool) -> None:
        """Move the staged cache into .kb/ (`keep`), or drop it (a failed build)."""
        staged, self.staged = self.staged, None
        if staged is None:
            return
        copy, cache = staged
        try:
            if keep and copy.is_file():
                temporary = cache.with_name(f".{cache.name}.{os.getpid()}.tmp")
                shutil.copyfile(copy, temporary)
                os.replace(temporary, cache)
        finally:
            shutil.rmtree(copy.parent, ignore_errors=True)


def write_browser_index(state: EditionBuild, site_dir: str) -> None:
    """The static index the browser's search box reads (site/assets/kb-search/)."""
    browser_index.write_for_site(
        site_dir,
        state.search_documents,
        edition=state.edition,
        data_dir=state.data_dir,
        models=state.models,
    )
    # Its shards were built one at a time and are freed: hand that memory back before the
    # Whoosh index, which would otherwise be built on top of it (4,614 tldr pages: the build's
    # peak rose by 2 MB over the rendering's instead of staying under it).
    return_freed_memory()


def write_search_index(state: EditionBuild, index_dir: Path) -> None:
    """Bring the edition's Whoosh index up to date (atomically, only changed documents)."""
    rebuild_search_index(index_dir, state.search_documents, edition=state.edition)
