"""Whoosh's postings file written a term at a time instead of a posting at a time.

When a segment is committed, Whoosh's field writer takes the pool's postings one 5-tuple at a
time, compares each with the previous one to find where a term starts, looks up the record's
field length, and hands it to the postings writer, which appends it to its block buffers and
checks its types: 520,000 Python calls of four levels for 1,000 pages, a quarter of the index's
time. The packed pool (`search.pool`) already holds the postings grouped by term, so
`TermAtATimeFieldWriter` takes a whole term and fills the postings writer's block buffers a
block at a time, with the same statistics, then lets Whoosh's own code write each block.

The files are Whoosh's, byte for byte (tests/unit/test_search_pool.py compares every posting
with an index Whoosh writes alone). The fast path depends on the internals of the whoosh3
codec's ``W3PostingsWriter`` (its block buffers); with any other codec or postings writer, or
postings not grouped by the packed pool, Whoosh's own loop runs unchanged.
"""

from __future__ import annotations

import functools
from array import array
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

from whoosh.codec.whoosh3 import W3FieldWriter, W3PostingsWriter

#: One posting as Whoosh's pool yields it: (field name, term bytes, docnum, weight, value).
Posting = tuple[str, bytes, int, float, "bytes | None"]


class TermPostings(NamedTuple):
    """One term's postings in columns, in docnum order: what `search.pool` holds per term."""

    #: ``array("i")``: the documents (-1 for a spelling word, which is no posting).
    docnums: array
    #: ``array("d")``: each posting's weight.
    weights: array
    #: Each posting's value (encoded positions), None for none.
    values: list[bytes | None]


class TermGroups:
    """A pool's postings, sorted, as whole terms; iterable as Whoosh's 5-tuples too.

    Args:
        groups: a function returning ``((field name, term bytes), postings)`` pairs in field
            and term order, each term's postings in docnum order.
    """

    def __init__(self, groups: Callable[[], Iterator[tuple[tuple[str, bytes], TermPostings]]]):
        self._groups = groups

    def groups(self) -> Iterator[tuple[tuple[str, bytes], TermPostings]]:
        """Each term with its postings."""
        return self._groups()

    def __iter__(self) -> Iterator[Posting]:
        for (fieldname, term), held in self._groups():
            for docnum, weight, value in zip(held.docnums, held.weights, held.values, strict=True):
                yield fieldname, term, docnum, weight, value


class TermAtATimeFieldWriter:
    """Wraps a segment's field writer: `add_postings` a term at a time (see the module doc).

    Everything else (``close``, ``is_closed``, ...) is the wrapped writer's.
    """

    def __init__(self, inner):
        self._inner = inner

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def add_postings(self, schema, lengths, items: Iterable[Posting]) -> None:
        """Write `items` into the segment (Whoosh's ``FieldWriter.add_postings`` contract)."""
        inner = self._inner
        if not isinstance(items, TermGroups) or type(inner) is not W3FieldWriter:
            inner.add_postings(schema, lengths, items)
            return
        lastfn = None
        length_of: Callable[[int], int | None] = _no_length
        for (fieldname, btext), postings in items.groups():
            if fieldname != lastfn:
                if lastfn is not None:
                    inner.finish_field()
                inner.start_field(fieldname, schema[fieldname])
                lastfn = fieldname
                length_of = _length_reader(lengths, fieldname)
            # docnum -1 marks a spelling word, never a posting (Whoosh skips them too).
            kept = _without_spelling_words(postings)
            if not kept.docnums:
                continue
            inner.start_term(btext)
            postwriter = inner._postwriter
            if type(postwriter) is W3PostingsWriter and not postwriter._byteids:
                _add_term(postwriter, kept, length_of)
            else:
                for docnum, weight, value in zip(*kept, strict=True):
                    inner.add(docnum, weight, value or b"", length_of(docnum))
            inner.finish_term()
        if lastfn is not None:
            inner.finish_field()


def _without_spelling_words(held: TermPostings) -> TermPostings:
    """`held` without its spelling words (docnum -1), which the pool sorts first."""
    if not held.docnums or held.docnums[0] != -1:
        return held
    start = held.docnums.count(-1)
    return TermPostings(held.docnums[start:], held.weights[start:], held.values[start:])


def _no_length(docnum: int) -> int:
    return 0


def _length_reader(lengths, fieldname: str) -> Callable[[int], int | None]:
    """Docnum -> the record's length in `fieldname`, as Whoosh's loop reads it.

    Memoised: a record's length is read from the segment's length column (a file read and a
    byte decoded) once per field, not once for each of its terms.
    """
    if not lengths:
        return _no_length
    reader = getattr(lengths, "doc_field_length_reader", None)
    if reader is not None:
        return functools.cache(reader(fieldname))
    return functools.cache(lambda docnum: lengths.doc_field_length(docnum, fieldname))


def _add_term(
    writer: W3PostingsWriter, postings: TermPostings, length_of: Callable[[int], int | None]
) -> None:
    """`writer.add_posting` for each posting of one term, a block at a time.

    The buffers and statistics are those ``add_posting`` leaves: ids and weights in arrays,
    the non-empty values, the largest weight (from 0), the smallest and largest non-zero
    length. A full block is written when the next posting arrives, as there.
    """
    limit = writer._blocklimit
    docnums, weights, values = postings
    for start in range(0, len(docnums), limit):
        if start:
            writer._write_block()
        end = start + limit
        ids = array("I", docnums[start:end])
        block_weights = weights[start:end]
        writer._ids = ids
        writer._weights = array("f", block_weights)
        writer._values = [v for v in values[start:end] if v]
        writer._maxweight = max(0, *block_weights)  # add_posting keeps the first strictly larger
        lengths = [n for n in map(length_of, ids) if n]
        writer._minlength = min(lengths) if lengths else None
        writer._maxlength = max(lengths, default=0)
