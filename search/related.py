"""Related pages for every page, computed in about a second for 5,000 pages.

Whoosh's ``more_like`` runs one full query per page (34-40 ms each: 3 minutes for 5,000
pages). Here every page is reduced to a short vector of its most distinctive stemmed terms
(tf-idf, with document frequencies counted over the edition's own pages), and the vectors are
compared through an inverted table, so each page only meets the pages that share one of its
distinctive terms. Term counts, the only costly part (text analysis), are cached by the page's
content hash: an incremental build re-analyses only the pages that changed.
"""

from __future__ import annotations

import contextlib
import hashlib
import heapq
import json
import math
import os
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from search.analysis import analyse
from search.documents import Document, page_url

#: Distinctive terms kept per page: enough to tell pages apart, few enough to stay fast.
TERMS_PER_PAGE = 24
#: Below this cosine similarity two pages are not "related", however few candidates there are.
MIN_SIMILARITY = 0.04
#: Terms on more than this share of pages ("support", "page") say nothing about a page.
MAX_DOC_SHARE = 0.5
#: Pages kept per term in the inverted table: the ones for which the term weighs most. A term
#: shared by thousands of pages would otherwise make every page meet thousands of others.
MAX_POSTINGS = 40
TITLE_WEIGHT = 3
HEADING_WEIGHT = 2
#: 2: one line per page, parsed when used (1 was one JSON object of every page).
_CACHE_VERSION = 2


@dataclass
class _Page:
    url: str
    title: str = ""
    hashes: list[str] = field(default_factory=list)
    title_text: str = ""
    headings: list[str] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)

    def fingerprint(self) -> str:
        raw = "\n".join([self.url, *sorted(self.hashes)])
        return hashlib.blake2b(raw.encode("utf-8"), digest_size=16).hexdigest()

    def term_counts(self) -> dict[str, int]:
        counts: Counter[str] = Counter()
        for text, weight in (
            (self.title_text, TITLE_WEIGHT),
            ("\n".join(self.headings), HEADING_WEIGHT),
            ("\n".join(self.bodies), 1),
        ):
            # STEMMER's tokens, from its one-loop form (search.analysis).
            for term, n in Counter(analyse(text).terms).items():
                counts[term] += n * weight
        return dict(counts)


def _pages(documents: Iterable[Document], edition: str | None) -> dict[str, _Page]:
    pages: dict[str, _Page] = {}
    for doc in documents:
        if edition == "public" and doc.audience != "public":
            continue
        url = page_url(doc.url)
        page = pages.setdefault(url, _Page(url))
        page.hashes.append(doc.content_hash)
        page.bodies.append(doc.body)
        if doc.url == url:  # the page-level record
            page.title = page.title_text = doc.title
            page.headings.extend(doc.headings)
        elif not page.title:
            page.title = doc.page_title
    return pages


def _load_cache(path: Path | None) -> dict[str, str]:
    """Page fingerprint -> its term counts, still as JSON text (`read_cached` parses one).

    Parsed up front, every page's counts were dicts held together (about 25 MB at 1,000
    pages, the peak of a warm build); as text they take a tenth, and each is parsed when
    its page is reached.
    """
    if path is None:
        return {}
    try:
        with path.open(encoding="utf-8") as lines:
            header = json.loads(next(lines, "null"))
            if not isinstance(header, dict) or header.get("version") != _CACHE_VERSION:
                return {}
            cached = {}
            for line in lines:
                key, _, counts = line.rstrip("\n").partition("\t")
                if counts:
                    cached[key] = counts
            return cached
    except (OSError, ValueError):
        return {}


def read_cached(counts: str | None) -> dict[str, int] | None:
    """One page's cached term counts (None when absent or unreadable)."""
    if counts is None:
        return None
    try:
        parsed = json.loads(counts)
    except ValueError:
        return None
    if not isinstance(parsed, dict) or not all(type(v) is int for v in parsed.values()):
        return None
    return parsed


class _CacheWriter:
    """Writes the term-count cache page by page: a header line, then ``key<TAB>counts``."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        self.file = self.tmp.open("w", encoding="utf-8")
        self.file.write(json.dumps({"version": _CACHE_VERSION}) + "\n")

    def add(self, key: str, counts: dict[str, int]) -> None:
        # Keys are hex digests; the counts' JSON holds no raw tab or newline (escaped).
        self.file.write(key + "\t")
        self.file.write(json.dumps(counts, separators=(",", ":"), ensure_ascii=False) + "\n")

    def close(self, keep: bool) -> None:
        try:
            self.file.close()
            if keep:
                os.replace(self.tmp, self.path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                self.tmp.unlink()


class _Flat:
    """One value list per page, in one array: page ``i``'s are ``values[ends[i-1]:ends[i]]``.

    Two small arrays per page (ids and counts, then ids and weights) cost 64 bytes of header
    each and were about a third of the table at 4,600 pages; flat, they cost nothing.
    """

    def __init__(self, typecode: str) -> None:
        self.values = array(typecode)
        self.ends = array("I")

    def append(self, values) -> None:
        self.values.extend(values)
        self.ends.append(len(self.values))

    def __len__(self) -> int:
        return len(self.ends)

    def span(self, i: int) -> tuple[int, int]:
        return (self.ends[i - 1] if i else 0), self.ends[i]


class _TermTable:
    """Every page's term counts as compact vectors: term ids and counts in flat arrays.

    A dict of term -> count per page held about 70 bytes per distinct term of each page (a
    few hundred per page: 100 MB at 5,000 pages); the arrays hold 8, and each term's text
    once.
    """

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.terms = _Flat("I")
        self.counts = array("I")

    def add(self, counts: dict[str, int]) -> None:
        ids = self.ids
        self.terms.append(ids.setdefault(term, len(ids)) for term in counts)
        self.counts.extend(counts.values())

    def vectors(self, terms_per_page: int) -> tuple[_Flat, array]:
        """The top tf-idf terms of each page, as unit-length vectors: (term ids, weights).

        Page ``i``'s term ids are ``ids.values[slice]`` and their weights the same slice of
        the second array, the slice being ``ids.span(i)``.
        """
        n = len(self.terms)
        all_terms, all_counts = self.terms.values, self.counts
        df = [0] * len(self.ids)
        for term in all_terms:
            df[term] += 1
        limit = max(2, int(n * MAX_DOC_SHARE))
        names = list(self.ids)  # id -> term, for the same tie-break as before (by term)
        ids, weights = _Flat("I"), array("d")
        for i in range(n):
            start, end = self.terms.span(i)
            scored = [
                (term, (1.0 + math.log(tf)) * math.log(n / df[term]))
                for term, tf in zip(all_terms[start:end], all_counts[start:end], strict=True)
                # A term on one page only cannot connect it to another one.
                if 1 < df[term] <= limit
            ]
            scored.sort(key=lambda item: (-item[1], names[item[0]]))
            top = scored[:terms_per_page]
            norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
            ids.append(t for t, _ in top)
            weights.extend(w / norm for _, w in top)
        return ids, weights


@dataclass
class _Postings:
    """For each term id, the pages whose vector holds it and its weight there, in three arrays.

    Term ``t``'s entries are ``pages[starts[t]:starts[t + 1]]`` (and the same slice of
    `weights`), in page order, at most `MAX_POSTINGS` of them: the pages for which it weighs
    most. A list of ``(page, weight)`` tuples per term held about 90 bytes an entry (40 MB at
    4,600 pages, the peak of a build); the arrays hold 12.
    """

    starts: array
    pages: array
    weights: array

    @classmethod
    def of(cls, ids: _Flat, vector_weights: array, terms: int, keep) -> _Postings:
        """The table of the vectors (`_TermTable.vectors`) over `terms` term ids, with only
        the pages `keep` accepts."""
        flat_terms, flat_weights = ids.values, vector_weights
        flat_pages = array("I")
        for i in range(len(ids)):
            start, end = ids.span(i)
            flat_pages.extend([i] * (end - start))
        # Entries grouped by term, each term's in page order: a counting sort into an array.
        # (sorted(range(n)) held an int object per entry, 4 MB at 4,600 pages, and the memory
        # stayed with the process.)
        first = array("I", bytes(4 * (terms + 1)))
        for term in flat_terms:
            first[term + 1] += 1
        for term in range(terms):
            first[term + 1] += first[term]
        order = array("I", bytes(4 * len(flat_terms)))
        free = array("I", first)
        for entry, term in enumerate(flat_terms):
            order[free[term]] = entry
            free[term] += 1
        del free
        starts, pages, weights = array("I", [0] * (terms + 1)), array("I"), array("d")
        for term in range(terms):
            entries = order[first[term] : first[term + 1]]
            if len(entries) > MAX_POSTINGS:
                # sorted is stable: among equal weights, page order still decides.
                entries = sorted(entries, key=lambda e: -flat_weights[e])[:MAX_POSTINGS]
            for e in entries:
                if keep(flat_pages[e]):
                    pages.append(flat_pages[e])
                    weights.append(flat_weights[e])
            starts[term + 1] = len(pages)
        return cls(starts, pages, weights)


def related_pages(
    documents: Iterable[Document],
    *,
    limit: int = 5,
    edition: str | None = None,
    cache_path: str | os.PathLike[str] | None = None,
    terms_per_page: int = TERMS_PER_PAGE,
    exclude: Iterable[str] = ("",),
) -> dict[str, list[tuple[str, str]]]:
    """The pages most related to each page, by shared distinctive words.

    Args:
        documents: every search record of the edition (pages, sections, questions).
        limit: related pages per page at most.
        edition: ``"public"`` leaves out any record whose audience is not public (the caller
            should pass only the edition's records; this is a second guard).
        cache_path: a JSON file keeping each page's term counts by content hash between
            builds (for example beside the index: ``.kb/index/public/related-terms.json``).
        terms_per_page: distinctive terms compared per page.
        exclude: page URLs never offered as related (by default the home page, which is
            related to everything and answers nothing).

    Returns:
        page URL -> up to `limit` ``(url, title)`` pairs, most related first. A page is never
        related to itself; a page with nothing in common with others gets an empty list.
    """
    pages = list(_pages(documents, edition).values())
    path = Path(cache_path) if cache_path is not None else None
    cached = _load_cache(path)
    keys = [page.fingerprint() for page in pages]
    # The cache is rewritten when the pages are not the ones it holds (a page changed, came
    # or went), page by page as the counts are made.
    writer = _CacheWriter(path) if path is not None and set(keys) != cached.keys() else None
    table = _TermTable()
    try:
        for page, key in zip(pages, keys, strict=True):
            counts = read_cached(cached.pop(key, None)) or page.term_counts()
            table.add(counts)
            if writer is not None:
                writer.add(key, counts)
            page.bodies = []  # read: the records keep the text, the page need not
    except BaseException:
        if writer is not None:
            writer.close(keep=False)
        raise
    if writer is not None:
        writer.close(keep=True)
    del cached

    vector_ids, vector_weights = table.vectors(terms_per_page)
    terms = len(table.ids)
    del table
    excluded = set(exclude)
    # Excluded pages are dropped from the table itself: they never collect a score.
    postings = _Postings.of(
        vector_ids, vector_weights, terms, lambda j: pages[j].url not in excluded
    )
    starts, others, other_weights = postings.starts, postings.pages, postings.weights
    related: dict[str, list[tuple[str, str]]] = {}
    for i in range(len(vector_ids)):
        first, last = vector_ids.span(i)
        scores: dict[int, float] = defaultdict(float)
        for term, weight in zip(
            vector_ids.values[first:last], vector_weights[first:last], strict=True
        ):
            start, end = starts[term], starts[term + 1]
            for j, other in zip(others[start:end], other_weights[start:end], strict=True):
                scores[j] += weight * other
        scores.pop(i, None)
        # nlargest, not a full sort: a page can meet thousands of others.
        best = heapq.nlargest(limit, scores.items(), key=lambda item: item[1])
        best.sort(key=lambda item: (-item[1], pages[item[0]].url))
        related[pages[i].url] = [
            (pages[j].url, pages[j].title) for j, score in best if score >= MIN_SIMILARITY
        ]
    return related
