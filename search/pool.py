"""A posting pool for Whoosh's writer that packs postings per term instead of one tuple each.

Whoosh's own pool (``whoosh.writing.PostingPool``) keeps every posting as a 5-tuple
``(field, term, docnum, weight, value)``, about 200 bytes each in CPython, and when its memory
limit is reached pickles every tuple to a run file, to read and merge them back one by one at
commit. On a help centre of 1,000 pages that is half a million postings: the pickling, the
sorting of tuples and the merge were a third of the whole index's CPU time.

`PackedPostingPool` groups postings by ``(field, term)`` as they arrive, each posting packed in
a ``bytearray`` (docnum, weight, value length, value: 16 bytes plus the value). A document's
postings arrive in docnum order, so each term's list is already sorted; only the term keys are
sorted at commit. Over its memory limit it writes the terms it holds, sorted, to an anonymous
temporary file (a run), and at commit merges the runs term by term, concatenating a term's
packed lists in the order they were written. The postings it yields are exactly those, in
exactly the order, that Whoosh's pool yields, so the index files are the same.
"""

from __future__ import annotations

import heapq
import struct
import tempfile
from collections.abc import Iterator
from typing import IO

from search.term_writer import Posting, TermGroups

#: One packed posting: docnum, weight (a double, as Whoosh keeps it), value length.
_POSTING = struct.Struct("<Idi")
#: The value length that stands for "no value" (None), as opposed to an empty one.
_NO_VALUE = -1
#: A run record's header: field name length, term length, packed postings length.
_RECORD = struct.Struct("<HHI")
#: What a term key costs beside its postings (dict slot, tuple, bytes and bytearray objects).
_KEY_COST = 220


class PackedPostingPool:
    """Whoosh's posting pool interface (``add``, ``iter_postings``, ``cleanup``), packed.

    Args:
        limitmb: the memory the pool may hold before it writes a run to disk.
        tempdir: where the runs go (anonymous files, removed when closed); None for the
            system's temporary folder.
    """

    def __init__(self, limitmb: int = 32, tempdir: str | None = None) -> None:
        self.limit = limitmb * 1024 * 1024
        self.tempdir = tempdir
        self.fieldnames: set[str] = set()
        self._terms: dict[tuple[str, bytes], bytearray] = {}
        self._size = 0
        self._runs: list[IO[bytes]] = []

    def add(self, item: Posting) -> None:
        """Add one posting ``(field, term bytes, docnum, weight, value bytes or None)``."""
        fieldname, term, docnum, weight, value = item
        key = (fieldname, term)
        packed = self._terms.get(key)
        if packed is None:
            packed = self._terms[key] = bytearray()
            self.fieldnames.add(fieldname)
            self._size += _KEY_COST + len(term)
        if value is None:
            packed += _POSTING.pack(docnum, weight, _NO_VALUE)
            self._size += _POSTING.size
        else:
            packed += _POSTING.pack(docnum, weight, len(value))
            packed += value
            self._size += _POSTING.size + len(value)
        if self._size > self.limit:
            self._write_run()

    def iter_postings(self) -> TermGroups:
        """Every posting, sorted by field, term and docnum (what Whoosh's writer expects).

        Iterable as Whoosh's 5-tuples; `search.term_writer` also takes them term by term.
        """
        return TermGroups(self._term_groups)

    def _term_groups(self) -> Iterator[tuple[tuple[str, bytes], list[Posting]]]:
        if not self._runs:
            terms, self._terms, self._size = self._terms, {}, 0
            for key in sorted(terms):
                yield key, _unpack(key, terms.pop(key))
            return
        self._write_run()
        merged = heapq.merge(*(_read_run(run, order) for order, run in enumerate(self._runs)))
        key: tuple[str, bytes] | None = None
        parts: list[bytes] = []
        for next_key, _, packed in merged:
            if next_key != key:
                if key is not None:
                    yield key, _unpack(key, b"".join(parts))
                key, parts = next_key, []
            parts.append(packed)
        if key is not None:
            yield key, _unpack(key, b"".join(parts))
        self.cleanup()

    def cleanup(self) -> None:
        """Drop what the pool holds and close (so remove) its runs."""
        self._terms, self._size = {}, 0
        runs, self._runs = self._runs, []
        for run in runs:
            run.close()

    def _write_run(self) -> None:
        if not self._terms:
            return
        # Kept open until read back at commit (closing removes it): no context manager.
        run = tempfile.TemporaryFile(dir=self.tempdir, prefix="kb-postings-")  # noqa: SIM115
        terms, self._terms, self._size = self._terms, {}, 0
        for key in sorted(terms):
            fieldname, term = key
            name = fieldname.encode("utf-8")
            packed = terms.pop(key)
            run.write(_RECORD.pack(len(name), len(term), len(packed)))
            run.write(name)
            run.write(term)
            run.write(packed)
        run.flush()
        self._runs.append(run)


def _read_run(run: IO[bytes], order: int) -> Iterator[tuple[tuple[str, bytes], int, bytes]]:
    """The ``(key, run order, packed postings)`` records of one run, in key order."""
    run.seek(0)
    header = _RECORD.size
    while True:
        head = run.read(header)
        if not head:
            return
        name_length, term_length, packed_length = _RECORD.unpack(head)
        name = run.read(name_length).decode("utf-8")
        term = run.read(term_length)
        yield (name, term), order, run.read(packed_length)


def _unpack(key: tuple[str, bytes], packed: bytes | bytearray) -> list[Posting]:
    fieldname, term = key
    postings: list[Posting] = []
    view = memoryview(packed)
    at, end, size = 0, len(packed), _POSTING.size
    unpack = _POSTING.unpack_from
    ordered, last = True, -1
    while at < end:
        docnum, weight, length = unpack(view, at)
        at += size
        if length == _NO_VALUE:
            value = None
        else:
            value = bytes(view[at : at + length])
            at += length
        if docnum < last:
            ordered = False
        last = docnum
        postings.append((fieldname, term, docnum, weight, value))
    view.release()
    if not ordered:
        # A merge of old segments may add a term's postings out of docnum order; sort as
        # Whoosh's pool does (whole tuples).
        postings.sort(key=lambda p: (p[2], p[3], p[4] or b""))
    return postings
