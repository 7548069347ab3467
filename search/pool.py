"""A posting pool for Whoosh's writer that keeps postings per term, in columns.

Whoosh's own pool (``whoosh.writing.PostingPool``) keeps every posting as a 5-tuple
``(field, term, docnum, weight, value)``, about 200 bytes each in CPython, and when its memory
limit is reached pickles every tuple to a run file, to read and merge them back one by one at
commit. On a help centre of 1,000 pages that is half a million postings: the pickling, the
sorting of tuples and the merge were a third of the whole index's CPU time.

`PackedPostingPool` groups postings by field and term as they arrive, each term's postings in
three columns (`TermPostings`: docnums and weights in arrays, the values in a list, where the
one-position values are shared objects); a term's only posting is one tuple until a second one
comes (most terms of a help centre have one, and three containers cost 300 bytes). A
document's postings arrive in docnum order, so each
term's columns are already sorted; only the terms are sorted at commit, and the columns go to
the segment's blocks as they are (`search.term_writer`), never as one tuple per posting. A
whole field of one document is added in one call (`add_terms`, which
`search.document_writer` uses); Whoosh's one-posting ``add`` stays for its own callers (the
merge of old segments). Over its memory limit the pool writes the terms it holds, sorted, to an
anonymous temporary file (a run), and at commit merges the runs term by term, concatenating a
term's columns in the order they were written. The postings it yields are exactly those, in
exactly the order, that Whoosh's pool yields, so the index files are the same.
"""

from __future__ import annotations

import heapq
import operator
import struct
import tempfile
from array import array
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import IO

from search.term_writer import Posting, TermGroups, TermPostings

#: A run record's header: field name length, term length, postings, values' total length.
_RECORD = struct.Struct("<HHII")
#: What a new term costs beside its postings (dict slot, bytes, its first posting's tuple).
_KEY_COST = 160
#: What a term's columns cost once it has a second posting (three containers and a tuple).
_COLUMNS_COST = 320
#: What one posting costs in the columns: docnum (4), weight (8), the value's list slot (8).
_POSTING_COST = 20
#: The value length that stands for "no value" (None) in a run, as opposed to an empty one.
_NO_VALUE = -1


class PackedPostingPool:
    """Whoosh's posting pool interface (``add``, ``iter_postings``, ``cleanup``), in columns.

    Args:
        limitmb: the memory the pool may hold before it writes a run to disk.
        tempdir: where the runs go (anonymous files, removed when closed); None for the
            system's temporary folder.
    """

    def __init__(self, limitmb: float = 32, tempdir: str | None = None) -> None:
        self.limit = limitmb * 1024 * 1024
        self.tempdir = tempdir
        # field name -> term bytes -> the term's postings (its only one as a tuple)
        self._fields: dict[str, dict[bytes, TermPostings | tuple[int, float, bytes | None]]] = {}
        self._size = 0
        self._runs: list[IO[bytes]] = []

    @property
    def fieldnames(self) -> set[str]:
        """The fields that have postings in the pool (Whoosh's pool attribute)."""
        return set(self._fields)

    def add(self, item: Posting) -> None:
        """Add one posting ``(field, term bytes, docnum, weight, value bytes or None)``."""
        fieldname, term, docnum, weight, value = item
        self.add_terms(fieldname, docnum, ((term, weight, value),))

    def add_terms(
        self, fieldname: str, docnum: int, postings: Iterable[tuple[bytes, float, bytes | None]]
    ) -> None:
        """Add one document's postings in one field: ``(term bytes, weight, value)`` each."""
        terms = self._fields.get(fieldname)
        if terms is None:
            terms = self._fields[fieldname] = {}
        size = 0
        for term, weight, value in postings:
            held = terms.get(term)
            if held is None:
                # Most terms have one posting: kept as one tuple until a second one comes.
                terms[term] = (docnum, weight, value)
                size += _KEY_COST + len(term)
            elif type(held) is tuple:
                first_docnum, first_weight, first_value = held
                terms[term] = TermPostings(
                    array("i", (first_docnum, docnum)),
                    array("d", (first_weight, weight)),
                    [first_value, value],
                )
                size += _COLUMNS_COST
            else:
                held.docnums.append(docnum)
                held.weights.append(weight)
                held.values.append(value)
            size += _POSTING_COST if value is None else _POSTING_COST + len(value)
        self._size += size
        if self._size > self.limit:
            self._write_run()

    def iter_postings(self) -> TermGroups:
        """Every posting, sorted by field, term and docnum (what Whoosh's writer expects).

        Iterable as Whoosh's 5-tuples; `search.term_writer` takes them term by term.
        """
        return TermGroups(self._term_groups)

    def _term_groups(self) -> Iterator[tuple[tuple[str, bytes], TermPostings]]:
        if not self._runs:
            fields, self._fields, self._size = self._fields, {}, 0
            for fieldname in sorted(fields):
                terms = fields.pop(fieldname)
                for term in sorted(terms):
                    yield (fieldname, term), _in_whoosh_order(_columns(terms.pop(term)))
            return
        self._write_run()
        merged = heapq.merge(*(_read_run(run, order) for order, run in enumerate(self._runs)))
        key: tuple[str, bytes] | None = None
        held: TermPostings | None = None
        for next_key, _, part in merged:
            if next_key != key:
                if key is not None and held is not None:
                    yield key, _in_whoosh_order(held)
                key, held = next_key, part
                continue
            assert held is not None
            held.docnums.extend(part.docnums)
            held.weights.extend(part.weights)
            held.values.extend(part.values)
        if key is not None and held is not None:
            yield key, _in_whoosh_order(held)
        self.cleanup()

    def cleanup(self) -> None:
        """Drop what the pool holds and close (so remove) its runs."""
        self._fields, self._size = {}, 0
        runs, self._runs = self._runs, []
        for run in runs:
            run.close()

    def _write_run(self) -> None:
        if not self._fields:
            return
        # Kept open until read back at commit (closing removes it): no context manager.
        run = tempfile.TemporaryFile(dir=self.tempdir, prefix="kb-postings-")  # noqa: SIM115
        fields, self._fields, self._size = self._fields, {}, 0
        for fieldname in sorted(fields):
            name = fieldname.encode("utf-8")
            terms = fields.pop(fieldname)
            for term in sorted(terms):
                held = _columns(terms.pop(term))
                lengths = array("i", (_NO_VALUE if v is None else len(v) for v in held.values))
                values = b"".join(v for v in held.values if v)
                run.write(_RECORD.pack(len(name), len(term), len(held.docnums), len(values)))
                run.write(name)
                run.write(term)
                run.write(held.docnums.tobytes())
                run.write(held.weights.tobytes())
                run.write(lengths.tobytes())
                run.write(values)
        run.flush()
        self._runs.append(run)


def _read_run(run: IO[bytes], order: int) -> Iterator[tuple[tuple[str, bytes], int, TermPostings]]:
    """The ``(key, run order, postings)`` records of one run, in key order."""
    run.seek(0)
    header = _RECORD.size
    while True:
        head = run.read(header)
        if not head:
            return
        name_length, term_length, count, values_length = _RECORD.unpack(head)
        name = run.read(name_length).decode("utf-8")
        term = run.read(term_length)
        docnums, weights, lengths = array("i"), array("d"), array("i")
        docnums.frombytes(run.read(docnums.itemsize * count))
        weights.frombytes(run.read(weights.itemsize * count))
        lengths.frombytes(run.read(lengths.itemsize * count))
        packed = run.read(values_length)
        values: list[bytes | None] = []
        at = 0
        for length in lengths:
            if length == _NO_VALUE:
                values.append(None)
            else:
                values.append(packed[at : at + length])
                at += length
        yield (name, term), order, TermPostings(docnums, weights, values)


def _columns(held: TermPostings | tuple[int, float, bytes | None]) -> TermPostings:
    """A term's postings as columns, also when the pool holds its only posting as a tuple."""
    if type(held) is tuple:
        docnum, weight, value = held
        return TermPostings(array("i", (docnum,)), array("d", (weight,)), [value])
    return held  # type: ignore[return-value]


def _in_whoosh_order(held: TermPostings) -> TermPostings:
    """`held` in docnum order, as Whoosh's pool sorts postings (whole tuples)."""
    docnums = held.docnums
    if all(map(operator.le, docnums, islice(docnums, 1, None))):
        return held  # the usual case: a term's documents were added in docnum order
    # A merge of old segments may add a term's postings out of docnum order.
    rows = sorted(
        zip(docnums, held.weights, held.values, strict=True),
        key=lambda row: (row[0], row[1], row[2] or b""),
    )
    return TermPostings(
        array("i", (row[0] for row in rows)),
        array("d", (row[1] for row in rows)),
        [row[2] for row in rows],
    )
