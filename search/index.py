"""The index directory: atomic, incremental rebuilds and readers that follow them.

Layout of an index directory (for example ``.kb/index/public/``)::

    CURRENT          one line: the name of the live generation
    g-<time>-<id>/   one generation: a complete Whoosh index + manifest.json (id -> hash)
                     + vocabulary.json (the spelling vocabulary, see search.vocabulary)
    .lock            held while a rebuild runs (two builds never write at once)

A rebuild writes a new generation beside the live one and then replaces ``CURRENT`` with
``os.replace``, which is atomic: a reader sees the old index or the new one, never a half-written
one. If anything fails before that (an exception in the documents, a full disk, a killed
process), ``CURRENT`` still names the old generation and the partial one is removed (now, or by
the next rebuild).

Rebuilds are incremental. The new generation starts as hard links to the live generation's
files (Whoosh never modifies a file once written: new segments and a new table of contents
are new files, deletions live in the table of contents), then only documents whose
``content_hash`` changed are re-indexed and documents that disappeared are deleted. The previous
generation is kept until the next rebuild so that readers still holding it can finish.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh import index as whoosh_index

from search.analysis import analyse
from search.document_writer import add_document
from search.documents import AUDIENCES, Document
from search.pool import PackedPostingPool
from search.schema import SCHEMA_VERSION, build_schema, record_boost
from search.term_writer import TermAtATimeFieldWriter
from search.vocabulary import FILE as VOCABULARY
from search.vocabulary import Vocabulary, words_of

if TYPE_CHECKING:  # the build writes indexes and never searches them: no searcher module
    from whoosh.searching import Searcher

try:  # POSIX: an advisory lock that the kernel releases if the process dies.
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

CURRENT = "CURRENT"
MANIFEST = "manifest.json"
_GEN_PREFIX = "g-"
# Each generation writes its own manifest and vocabulary; Whoosh's lock files (*LOCK) are never
# linked either.
_NOT_LINKED = {MANIFEST, VOCABULARY}


class IndexMissing(LookupError):
    """There is no index in the directory yet (no build has finished)."""


@dataclass(frozen=True)
class IndexStats:
    """What a rebuild did.

    Attributes:
        generation: the directory of the generation now live.
        full: True when every document was indexed (first build, schema or edition change).
        added: documents new to the index.
        updated: documents whose content hash changed.
        deleted: documents no longer given.
        unchanged: documents skipped because their hash did not change.
        refused: documents skipped because their audience is not part of the edition.
        seconds: wall time of the rebuild.
    """

    generation: Path
    full: bool
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    refused: int = 0
    seconds: float = 0.0

    @property
    def total(self) -> int:
        """Documents in the index after the rebuild."""
        return self.added + self.updated + self.unchanged

    @property
    def reindexed(self) -> int:
        """Documents written by this rebuild (added or updated)."""
        return self.added + self.updated


@dataclass
class Manifest:
    """What a generation holds: its schema, edition and every document's content hash."""

    schema: str
    edition: str | None
    documents: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, generation: Path) -> Manifest | None:
        try:
            data = json.loads((generation / MANIFEST).read_text(encoding="utf-8"))
            return cls(data["schema"], data.get("edition"), dict(data["documents"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def write(self, generation: Path) -> None:
        data = {"schema": self.schema, "edition": self.edition, "documents": self.documents}
        path = generation / MANIFEST
        with open(path, "w", encoding="utf-8") as f:
            json.dump(data, f, separators=(",", ":"), sort_keys=True)
            f.flush()
            os.fsync(f.fileno())


def current_generation(index_dir: str | os.PathLike[str]) -> Path | None:
    """The live generation of `index_dir`, or None when no rebuild has finished yet."""
    root = Path(index_dir)
    try:
        name = (root / CURRENT).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    generation = root / name
    if not name.startswith(_GEN_PREFIX) or "/" in name or not generation.is_dir():
        return None
    return generation


def read_manifest(index_dir: str | os.PathLike[str]) -> Manifest | None:
    """The manifest of the live generation (None without an index)."""
    generation = current_generation(index_dir)
    return Manifest.read(generation) if generation else None


def open_index(index_dir: str | os.PathLike[str]) -> whoosh_index.Index:
    """Open the live generation of `index_dir`.

    Raises:
        IndexMissing: when no rebuild has finished in `index_dir` yet.
    """
    generation = current_generation(index_dir)
    if generation is None:
        raise IndexMissing(f"no search index in {index_dir}")
    return whoosh_index.open_dir(str(generation))


def _fields(doc: Document) -> tuple[dict[str, object], set[str]]:
    """The record's Whoosh fields, and its spelling vocabulary (`_words`), from one analysis.

    The ranked text fields are handed over analysed (`search.analysis.StemmedText` indexes
    that form) with their text to store beside them, so each text is tokenized once for the
    postings and the vocabulary alike.
    """
    # Tags rank like headings: indexing them in the headings field keeps queries to three
    # posting lists per word (the tags field itself is kept for filtering and display).
    headings = "\n".join((*doc.headings, *doc.tags))
    texts = {"title": doc.title, "headings": headings, "body": doc.body}
    analysed = {name: analyse(text) for name, text in texts.items()}
    fields: dict[str, object] = {
        "_boost": record_boost(doc.kind, doc.page_url),
        "id": doc.id,
        "url": doc.url,
        "page": doc.page_url,
        "page_title": doc.page_title,
        "content_hash": doc.content_hash,
        "kind": doc.kind,
        "section": doc.section,
        "audience": doc.audience,
        "tags": ",".join(doc.tags),
        "suggest": doc.title,
    }
    for name, text in texts.items():
        fields[name] = analysed[name]
        fields[f"_stored_{name}"] = text
    # The analyzer's tokenizer also keeps "*" inside words (Whoosh's wildcard character),
    # the vocabulary's does not: only texts without one share the analysis.
    if any("*" in text for text in texts.values()):
        return fields, _words(doc)
    return fields, {word for a in analysed.values() for word in a.words}


def _words(doc: Document) -> set[str]:
    """The record's spelling vocabulary: its title, headings, tags and body, unstemmed."""
    return words_of(doc.title, *doc.headings, *doc.tags, doc.body)


def _stored_words(searcher: Searcher, doc_id: str) -> set[str]:
    """The vocabulary words of the record `doc_id` as the live generation holds it."""
    stored = searcher.document(id=doc_id) or {}
    return words_of(
        str(stored.get("title", "")), str(stored.get("headings", "")), str(stored.get("body", ""))
    )


class _LazySearcher:
    """A searcher of `ix`, opened when first asked for, closed with `close`."""

    def __init__(self, ix) -> None:
        self._ix = ix
        self._searcher: Searcher | None = None

    def get(self) -> Searcher:
        if self._searcher is None:
            self._searcher = self._ix.searcher()
        return self._searcher

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()


def _visible(doc: Document, edition: str | None) -> bool:
    """Whether `doc` belongs in an index of `edition` (None: no edition filter)."""
    return edition is None or edition == "internal" or doc.audience == edition


@contextlib.contextmanager
def _exclusive(root: Path) -> Iterator[None]:
    """Hold the index directory's lock: a second rebuild waits for the first."""
    if fcntl is None:  # pragma: no cover - Windows
        yield
        return
    with open(root / ".lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _new_generation_name() -> str:
    return f"{_GEN_PREFIX}{time.time_ns():020d}-{secrets.token_hex(3)}"


def _link_generation(source: Path, target: Path) -> None:
    """Fill `target` with hard links to the index files of `source` (copies if links fail)."""
    target.mkdir()
    for path in source.iterdir():
        if path.name in _NOT_LINKED or path.name.endswith("LOCK") or not path.is_file():
            continue
        try:
            os.link(path, target / path.name)
        except OSError:
            shutil.copy2(path, target / path.name)


def _swap_in(root: Path, generation: Path) -> None:
    """Make `generation` the live one, atomically."""
    pointer = root / f"{CURRENT}.{secrets.token_hex(4)}.tmp"
    with open(pointer, "w", encoding="utf-8") as f:
        f.write(generation.name + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(pointer, root / CURRENT)
    with contextlib.suppress(OSError):  # make the rename itself durable where possible
        fd = os.open(root, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _remove_stale(root: Path, keep: set[str]) -> None:
    """Remove generations other than `keep` (old ones, and partial ones from a crash)."""
    for path in root.iterdir():
        if path.name.startswith(_GEN_PREFIX) and path.name not in keep and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        elif path.name.startswith(f"{CURRENT}.") and path.name.endswith(".tmp"):
            with contextlib.suppress(OSError):
                path.unlink()


def rebuild(
    index_dir: str | os.PathLike[str],
    documents: Iterable[Document],
    *,
    edition: str | None = None,
    limitmb: float = 32,
) -> IndexStats:
    """Bring the index in `index_dir` up to date with `documents`, atomically.

    Only documents whose content hash changed since the live generation are (re)indexed;
    documents not given any more are deleted. The result becomes visible all at once when
    everything succeeded; on any exception (including one raised while iterating
    `documents`) the live index is left exactly as it was and the exception propagates.

    Args:
        index_dir: the directory this function owns (created if needed).
        documents: every document of the edition, in any order (consumed once).
        edition: ``"public"`` or ``"internal"``. A public index skips (and counts as
            `refused`) any document whose audience is not public; None disables the check.
        limitmb: memory the posting pool may hold before it spills a run to disk (32 MB: 128
            took no less time at 5,000 pages and held about 120 MB more).

    Raises:
        ValueError: for an unknown edition, or two documents with the same id.
    """
    if edition is not None and edition not in AUDIENCES:
        raise ValueError(f"unknown edition {edition!r}; use one of {AUDIENCES}")
    started = time.perf_counter()
    root = Path(index_dir)
    root.mkdir(parents=True, exist_ok=True)
    with _exclusive(root):
        live = current_generation(root)
        manifest = Manifest.read(live) if live else None
        full = manifest is None or manifest.schema != SCHEMA_VERSION or manifest.edition != edition
        vocabulary = None if full or live is None else Vocabulary.read(live)
        full = full or vocabulary is None
        vocabulary = vocabulary or Vocabulary()
        known: dict[str, str] = {} if full or manifest is None else manifest.documents
        generation = root / _new_generation_name()
        writer = None
        before = None
        try:
            if full:
                generation.mkdir()
                ix = whoosh_index.create_in(str(generation), build_schema())
            else:
                assert live is not None
                _link_generation(live, generation)
                ix = whoosh_index.open_dir(str(generation))
            # The records as they were, for the old words of those that change: opened at
            # the first one (a searcher reads the segment's tables, 17 MB at 1,000 pages, which
            # a build that changed nothing never needs).
            before = None if full else _LazySearcher(ix)
            writer = ix.writer(limitmb=limitmb)
            # Postings packed per term: the same index files for 40% less CPU (search.pool).
            writer.pool = PackedPostingPool(limitmb, tempdir=str(generation))
            # ... and written into the segment a term at a time (search.term_writer).
            writer.fieldwriter = TermAtATimeFieldWriter(writer.fieldwriter)
            seen: dict[str, str] = {}
            added = updated = unchanged = refused = 0
            for doc in documents:
                if not _visible(doc, edition):
                    refused += 1
                    continue
                if doc.id in seen:
                    raise ValueError(f"two search documents have the id {doc.id!r}")
                seen[doc.id] = doc.content_hash
                old = known.get(doc.id)
                if old == doc.content_hash:
                    unchanged += 1
                elif old is None:
                    fields, words = _fields(doc)
                    add_document(writer, fields)  # Whoosh's, a field at a time
                    vocabulary.add(words)
                    added += 1
                else:
                    assert before is not None
                    vocabulary.remove(_stored_words(before.get(), doc.id))
                    fields, words = _fields(doc)
                    writer.update_document(**fields)
                    vocabulary.add(words)
                    updated += 1
            gone = [doc_id for doc_id in known if doc_id not in seen]
            for doc_id in gone:
                assert before is not None
                vocabulary.remove(_stored_words(before.get(), doc_id))
                writer.delete_by_term("id", doc_id)
            if refused:
                log.warning(
                    "search index %s: skipped %d document(s) not visible in the %s edition",
                    root,
                    refused,
                    edition,
                )
            if not full and not (added or updated or gone):
                # Nothing changed: keep the live generation rather than swap in a copy.
                writer.cancel()
                writer = None
                shutil.rmtree(generation, ignore_errors=True)
                assert live is not None
                return IndexStats(
                    live,
                    False,
                    unchanged=unchanged,
                    refused=refused,
                    seconds=time.perf_counter() - started,
                )
            writer.commit()
            writer = None
            vocabulary.write(generation)
            Manifest(SCHEMA_VERSION, edition, seen).write(generation)
            _swap_in(root, generation)
        except BaseException:
            if writer is not None:
                with contextlib.suppress(Exception):
                    writer.cancel()
            shutil.rmtree(generation, ignore_errors=True)
            raise
        finally:
            if before is not None:
                before.close()
        _remove_stale(root, keep={generation.name} | ({live.name} if live else set()))
    return IndexStats(
        generation,
        full,
        added=added,
        updated=updated,
        deleted=len(gone),
        unchanged=unchanged,
        refused=refused,
        seconds=time.perf_counter() - started,
    )


_VOCABULARIES: dict[str, tuple[tuple[int, int], Vocabulary]] = {}
_VOCABULARIES_LOCK = threading.Lock()


def vocabulary_of(searcher: Searcher) -> Vocabulary:
    """The spelling vocabulary of the generation `searcher` reads.

    Read once per generation and kept (a server answers every query from the same one; a
    generation's files never change, a new build writes a new generation). Empty when the
    searcher is not on an index directory or the generation has no vocabulary.
    """
    folder = getattr(getattr(getattr(searcher, "_ix", None), "storage", None), "folder", None)
    if folder is None:
        return Vocabulary()
    path = Path(folder) / VOCABULARY
    try:
        info = path.stat()
    except OSError:
        return Vocabulary()
    key, stamp = str(path), (info.st_ino, info.st_mtime_ns)
    with _VOCABULARIES_LOCK:
        cached = _VOCABULARIES.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    vocabulary = Vocabulary.read(folder) or Vocabulary()
    with _VOCABULARIES_LOCK:
        if len(_VOCABULARIES) >= 8:  # old generations: a server moves on to the newest
            _VOCABULARIES.pop(next(iter(_VOCABULARIES)))
        _VOCABULARIES[key] = (stamp, vocabulary)
    return vocabulary


class LiveIndex:
    """Searchers on whatever generation is live, for long-running readers (the API).

    Each thread keeps its own searcher (Whoosh searchers are not meant to be shared between
    threads) and replaces it when ``CURRENT`` names a new generation, so a rebuild is picked
    up on the next request without a restart.

    Args:
        index_dir: the index directory, or a function returning it (read on every request).
    """

    def __init__(self, index_dir: str | os.PathLike[str] | Callable[[], str | os.PathLike[str]]):
        self._dir = index_dir
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: list[Searcher] = []
        # Bumped by close(): searchers cached by threads before it are never used again.
        self._epoch = 0

    @property
    def index_dir(self) -> Path:
        """The index directory as of now."""
        value = self._dir() if callable(self._dir) else self._dir
        return Path(value)

    @contextlib.contextmanager
    def searcher(self) -> Iterator[Searcher]:
        """A searcher on the live generation, for use within this thread.

        Raises:
            IndexMissing: when no rebuild has finished yet.
        """
        generation = current_generation(self.index_dir)
        if generation is None:
            raise IndexMissing(f"no search index in {self.index_dir}")
        local = self._local
        searcher = getattr(local, "searcher", None)
        if searcher is None or local.generation != generation or local.epoch != self._epoch:
            if searcher is not None:
                self._forget(searcher)
            searcher = whoosh_index.open_dir(str(generation)).searcher()
            local.searcher, local.generation, local.epoch = searcher, generation, self._epoch
            with self._lock:
                self._open.append(searcher)
        yield searcher

    def _forget(self, searcher: Searcher) -> None:
        with self._lock:
            if searcher in self._open:
                self._open.remove(searcher)
        with contextlib.suppress(Exception):
            searcher.close()

    def close(self) -> None:
        """Close every searcher opened by any thread."""
        with self._lock:
            searchers, self._open = self._open, []
            self._epoch += 1
        for searcher in searchers:
            with contextlib.suppress(Exception):
                searcher.close()
