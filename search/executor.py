"""Term-at-a-time scoring of the queries `search.query` builds, with Whoosh's own scores.

Whoosh answers a query by walking a tree of matchers record by record: every matching record
costs a visit of every node (``is_active``, ``id``, ``score`` in Python), about 0.1 ms per
record for a question of ten words, so a question matching 5,000 records of a 40,000-record
help centre took half a second (``benchmarks/search_bench.py``). Here each term's postings
are read once, block by block, and scored with Whoosh's BM25F formula and statistics (the same
idf, average length, B and K1 its scorer reads, in the same order of operations), then the
per-record scores are combined node by node exactly as the matchers combine them (a sum for
``Or``, ``And`` and ``AndMaybe``, the best for `search.query.BestOf`, the coordination of
`search.query.Coordinated`). Exact phrases are left to Whoosh's matcher: they need positions,
and only records with every word of the phrase reach it.

A term's scores depend only on the index generation, so a `TermCache` per generation, shared
by the searchers on it (the API's `search.index.LiveIndex` keeps one per thread), scores a
frequent term once.

Anything this module does not know raises `Unsupported`, and the caller falls back to Whoosh's
own search; `tests/unit/test_search_executor.py` checks that both give the same results.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from whoosh import scoring
from whoosh.matching import FilterMatcher
from whoosh.query import And, AndMaybe, Or, Phrase, Query, Term
from whoosh.searching import Searcher

Scores = dict[int, float]

#: Postings kept scored per index generation: about 85 bytes each, so at most about 45 MB,
#: which holds the frequent terms of a 5,000-page help centre.
CACHED_POSTINGS = 500_000


class Unsupported(Exception):
    """A query node or index this executor does not handle (use Whoosh's own search)."""


class TermCache:
    """The scored postings of recently used terms of one searcher (LRU, bounded in size)."""

    def __init__(self, limit: int = CACHED_POSTINGS):
        self.limit = limit
        self._items: OrderedDict[tuple[str, str], Scores] = OrderedDict()
        self._size = 0
        self._lengths: dict[tuple[int, str], list[int]] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str]) -> Scores | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple[str, str], scores: Scores) -> None:
        with self._lock:
            if key in self._items or len(scores) > self.limit:
                return
            self._items[key] = scores
            self._size += len(scores)
            while self._size > self.limit:
                _, old = self._items.popitem(last=False)
                self._size -= len(old)

    def lengths(self, offset: int, field: str, count: int) -> list[int]:
        """The field lengths of the segment at `offset`, filled in as postings need them."""
        key = (offset, field)
        with self._lock:
            found = self._lengths.get(key)
            if found is None:
                found = self._lengths[key] = [0] * count
            return found

    def clear(self) -> None:
        """Forget every scored term and field length."""
        with self._lock:
            self._items.clear()
            self._size = 0
            self._lengths.clear()


_SHARED: OrderedDict[tuple[str, int], TermCache] = OrderedDict()
_OWN: weakref.WeakKeyDictionary[Searcher, TermCache] = weakref.WeakKeyDictionary()
_CACHES_LOCK = threading.Lock()
#: Generations whose caches are kept: the live one, and the one before while readers finish.
KEPT_GENERATIONS = 2


def cache_of(searcher: Searcher) -> TermCache:
    """The term cache of the index generation `searcher` reads.

    Record numbers and scores are those of the generation, so every searcher on it (one per
    thread of the API) shares one cache; a searcher not opened from an index directory gets
    its own.
    """
    ix = getattr(searcher, "_ix", None)
    folder = getattr(getattr(ix, "storage", None), "folder", None)
    with _CACHES_LOCK:
        if folder is None:
            cache = _OWN.get(searcher)
            if cache is None:
                cache = _OWN[searcher] = TermCache()
            return cache
        key = (str(folder), searcher.reader().generation())
        cache = _SHARED.get(key)
        if cache is None:
            cache = _SHARED[key] = TermCache()
            while len(_SHARED) > KEPT_GENERATIONS:
                _SHARED.popitem(last=False)
        else:
            _SHARED.move_to_end(key)
        return cache


@dataclass
class Executor:
    """Scores records for queries on one searcher.

    Args:
        searcher: a Whoosh searcher with its default BM25F weighting.
        combiners: query class -> its scoring function, for the query classes of
            `search.query` (passed in, since `search.query` imports this module).
        cache: the term cache to use (default: its generation's, see `cache_of`).
    """

    searcher: Searcher
    combiners: dict[type, Callable[[Executor, Query], Scores]]
    cache: TermCache | None = None

    def __post_init__(self) -> None:
        weighting = self.searcher.weighting
        if type(weighting) is not scoring.BM25F or weighting._field_B:
            raise Unsupported("only the default BM25F weighting")
        self.B = weighting.B
        self.K1 = weighting.K1
        self.leaves = list(self.searcher.leaf_searchers())
        if self.cache is None:
            self.cache = cache_of(self.searcher)

    # Terms -------------------------------------------------------------------------------

    def term(self, field: str, text: str) -> Scores:
        """Global record number -> BM25F score of `text` in `field` (Whoosh's score)."""
        key = (field, text)
        assert self.cache is not None
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        scores: Scores = {}
        searcher = self.searcher
        schema = searcher.schema
        if field not in schema:
            return scores
        fieldobj = schema[field]
        if not fieldobj.scorable:
            raise Unsupported(f"unscored field {field}")
        try:
            btext = fieldobj.to_bytes(text)
        except ValueError:
            return scores
        if (field, btext) not in searcher.reader():
            self.cache.put(key, scores)
            return scores
        idf = searcher.idf(field, text)
        avgfl = searcher.avg_field_length(field) or 1
        B, K1 = self.B, self.K1
        k1_plus = K1 + 1
        for leaf, offset in self.leaves:
            reader = leaf.reader()
            if (field, btext) not in reader:
                continue
            matcher = reader.postings(field, btext)
            deleted: frozenset[int] = frozenset()
            if isinstance(matcher, FilterMatcher):
                deleted = frozenset(getattr(reader, "deleted_docs_set", ()) or ())
                matcher = matcher.child
            length = reader.doc_field_length
            lengths = self.cache.lengths(offset, field, reader.doc_count_all())
            for docnum, weight in _postings(matcher):
                if docnum in deleted:
                    continue
                fl = lengths[docnum]
                if not fl:  # a record's length is read once per generation (never 0 here)
                    fl = lengths[docnum] = length(docnum, field, 1)
                # Whoosh's scoring.bm25, the same operations in the same order.
                scores[offset + docnum] = idf * (
                    (weight * k1_plus) / (weight + K1 * ((1 - B) + B * fl / avgfl))
                )
        self.cache.put(key, scores)
        return scores

    # Queries -----------------------------------------------------------------------------

    def scores(self, query: Query) -> Scores:
        """Global record number -> score, for every record `query` matches."""
        kind = type(query)
        combine = self.combiners.get(kind)
        if combine is not None:
            return combine(self, query)
        if kind is Term:
            scores = self.term(query.fieldname, query.text)
            return _boosted(scores, query.boost)
        if kind is Or:
            if query.scale or query.minmatch:
                raise Unsupported("Or with scale or minmatch")
            return self._compound(query, _sum_union)
        if kind is And:
            return self._compound(query, _sum_intersection)
        if kind is AndMaybe:
            main = self.scores(query.a)
            optional = self.scores(query.b)
            out = {}
            for doc, score in main.items():
                extra = optional.get(doc)
                out[doc] = score if extra is None else score + extra
            return out
        if kind is Phrase:
            return self.by_whoosh(query)
        raise Unsupported(f"query node {kind.__name__}")

    def _compound(self, query, combine) -> Scores:
        subs = query.subqueries
        if not subs:
            return {}
        if len(subs) == 1:
            # Whoosh hands a single subquery's matcher up as it is, without the boost.
            return self.scores(subs[0])
        return _boosted(combine([self.scores(q) for q in subs]), query.boost)

    def by_whoosh(self, query: Query) -> Scores:
        """Scores from Whoosh's own matcher (for the nodes that need positions)."""
        out: Scores = {}
        for leaf, offset in self.leaves:
            matcher = query.matcher(leaf, leaf.context())
            while matcher.is_active():
                out[offset + matcher.id()] = matcher.score()
                matcher.next()
        return out


def _postings(matcher):
    """(record number, weight) of every posting of a leaf matcher, block by block."""
    if all(hasattr(matcher, a) for a in ("_read_ids", "_read_weights", "_next_block", "_atend")):
        while matcher.is_active():
            if matcher._ids is None:
                matcher._read_ids()
            if matcher._weights is None:
                matcher._read_weights()
            start = matcher._i
            yield from zip(matcher._ids[start:], matcher._weights[start:], strict=True)
            matcher._i = matcher._blocklength
            matcher._next_block()
        return
    while matcher.is_active():  # pragma: no cover - another codec: the slow, public way
        yield matcher.id(), matcher.weight()
        matcher.next()


def _boosted(scores: Scores, boost: float) -> Scores:
    if boost == 1.0:
        return scores
    return {doc: score * boost for doc, score in scores.items()}


def _sum_union(parts: list[Scores]) -> Scores:
    parts = sorted(parts, key=len, reverse=True)
    out = dict(parts[0])
    for part in parts[1:]:
        for doc, score in part.items():
            before = out.get(doc)
            out[doc] = score if before is None else before + score
    return out


def _sum_intersection(parts: list[Scores]) -> Scores:
    smallest = min(parts, key=len)
    out = {}
    for doc in smallest:
        total = 0.0
        for part in parts:
            score = part.get(doc)
            if score is None:
                break
            total += score
        else:
            out[doc] = total
    return out


def best_of(parts: list[Scores], tiebreak: float) -> Scores:
    """Every record of `parts`, scored by its best part plus `tiebreak` x the others."""
    out: Scores = {}
    if tiebreak == 0.0:
        for part in parts:
            for doc, score in part.items():
                before = out.get(doc)
                if before is None or score > before:
                    out[doc] = score
        return out
    found: dict[int, list[float]] = {}
    for part in parts:
        for doc, score in part.items():
            found.setdefault(doc, []).append(score)
    for doc, scores in found.items():
        best = max(scores)
        out[doc] = best + tiebreak * (sum(scores) - best)
    return out
