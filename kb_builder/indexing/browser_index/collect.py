"""The browser index's statistics, gathered one record at a time.

A record is analysed once (`search.analysis`, Whoosh's own terms), folded into compact
accumulators and dropped: nothing keeps a record's term sequences, so the memory this stage
holds follows the index it writes (posting arrays, phrase hits, word counts), not the text of
the site. At 1,000 pages holding every record's analysed terms until the end cost 50 MB.

What a record leaves behind:

- `PostingLists`: per ranked field, term -> flat ``[record delta, frequency, length byte]``
  triples in an ``array('I')`` (four bytes a number; a list of ints is eight and more);
- `PhraseHits`: per precomputed phrase and field, the records where its terms stand together;
- `Statistics`: what the manifest needs (field lengths, kinds, boosts, page runs) and the
  spelling vocabulary's record counts.

The output is the same as when every record was analysed up front (the shards' layout is
described in `kb_builder.indexing.browser_index.shards`).
"""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence

from whoosh.util.numeric import length_to_byte

from kb_builder.indexing.browser_index.analysis import FIELDS
from kb_builder.indexing.browser_index.shards import PHRASE_PREFIX, shard_of

#: One record's term sequences, per ranked field.
Terms = Sequence[Sequence[str]]


class PostingLists:
    """Term -> per field, the flat ``[record delta, frequency, length byte, ...]`` numbers."""

    def __init__(self) -> None:
        self._lists: list[dict[str, array]] = [{} for _ in FIELDS]
        self._last: list[dict[str, int]] = [{} for _ in FIELDS]
        self.numbers = 0

    def add(self, rec_id: int, terms: Terms) -> None:
        """Fold in the record `rec_id` (records come in increasing order)."""
        for field, seq in enumerate(terms):
            if not seq:
                continue
            length_byte = length_to_byte(len(seq))
            lists, last = self._lists[field], self._last[field]
            # Counter keeps first-occurrence order, so the output is deterministic unsorted.
            for term, freq in Counter(seq).items():
                entry = lists.get(term)
                if entry is None:
                    lists[term] = array("I", (rec_id, freq, length_byte))
                else:
                    entry.extend((rec_id - last[term], freq, length_byte))
                last[term] = rec_id
                self.numbers += 3

    def terms(self) -> set[str]:
        """Every term with a posting in some field."""
        out: set[str] = set()
        for lists in self._lists:
            out.update(lists)
        return out

    def entry(self, term: str) -> list[list[int]]:
        """`term`'s posting lists, one per field ([] where it does not occur)."""
        return [lists[term].tolist() if term in lists else [] for lists in self._lists]

    def pop_entry(self, term: str) -> list[list[int]]:
        """`entry`, and the term's lists dropped: its shard is being written, and the lists
        held to the end were the peak of the stage (they hold about 7 MB on tldr)."""
        popped = [lists.pop(term, None) for lists in self._lists]
        return [numbers.tolist() if numbers is not None else [] for numbers in popped]

    def release(self) -> None:
        """Drop the recency table (only `add` reads it)."""
        self._last = [{} for _ in FIELDS]


class PhraseHits:
    """``"~t1 t2"`` -> per field, the records where the phrase's terms stand together."""

    def __init__(self, phrases: Iterable[Sequence[str]]):
        self._by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for phrase in sorted({tuple(p) for p in phrases if len(p) > 1}):
            self._by_first[phrase[0]].append(phrase)
        self._found: dict[tuple[str, ...], list[array]] = {}

    def add(self, rec_id: int, terms: Terms) -> None:
        """Fold in the record `rec_id` (records come in increasing order)."""
        by_first = self._by_first
        if not by_first:
            return
        for field, seq in enumerate(terms):
            hits: set[tuple[str, ...]] = set()
            # Only positions holding a phrase's first term are compared, so the cost follows
            # the size of the site, not sites times phrases.
            for i, term in enumerate(seq):
                for phrase in by_first.get(term, ()):
                    if phrase not in hits and tuple(seq[i : i + len(phrase)]) == phrase:
                        hits.add(phrase)
            for phrase in hits:
                per_field = self._found.get(phrase)
                if per_field is None:
                    per_field = self._found[phrase] = [array("I") for _ in FIELDS]
                per_field[field].append(rec_id)

    def keys(self) -> list[str]:
        """The entry keys of the phrases found, ``"~t1 t2"``."""
        return [PHRASE_PREFIX + " ".join(phrase) for phrase in self._found]

    def entry(self, key: str) -> list[list[int]]:
        """The phrase entry `key`: per field, its records delta-encoded."""
        ids = self._found[tuple(key[len(PHRASE_PREFIX) :].split(" "))]
        return [_deltas(field) for field in ids]

    def sizes(self) -> Iterator[tuple[str, int]]:
        """(key, numbers in its entry) for each phrase found."""
        for phrase, per_field in self._found.items():
            yield PHRASE_PREFIX + " ".join(phrase), sum(len(ids) for ids in per_field)


def _deltas(ids: Sequence[int]) -> list[int]:
    previous, out = 0, []
    for i in ids:
        out.append(i - previous)
        previous = i
    return out


class Statistics:
    """What the manifest and the vocabulary shards need of all records."""

    def __init__(self) -> None:
        self.records = 0
        self.field_totals = [0 for _ in FIELDS]
        self.kinds: list[str] = []
        self.boosts: list[float] = []
        #: Records per page, in record order (a page's records are consecutive).
        self.page_records: list[int] = []
        self._last_page: str | None = None
        #: Unstemmed word -> records containing it (the spelling vocabulary).
        self.word_records: dict[str, int] = defaultdict(int)

    def add(self, kind: str, page_url: str, boost: float, terms: Terms, words: set[str]) -> None:
        """Count one record."""
        self.records += 1
        for field, seq in enumerate(terms):
            self.field_totals[field] += len(seq)
        self.kinds.append(kind)
        self.boosts.append(boost)
        if page_url != self._last_page or not self.page_records:
            self.page_records.append(0)
            self._last_page = page_url
        self.page_records[-1] += 1
        counts = self.word_records
        for word in words:
            counts[word] += 1


def shard_keys(keys: Iterable[str], count: int) -> list[list[str]]:
    """`keys` by the shard that holds them (`shard_of`), each list sorted."""
    out: list[list[str]] = [[] for _ in range(count)]
    for key in keys:
        out[shard_of(key, count)].append(key)
    for keys_of_shard in out:
        keys_of_shard.sort()
    return out
