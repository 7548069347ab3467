"""Client phrases and the site's phrases they stand for (`Synonyms`), compiled for matching.

Applied when a query runs (`search.query`) and compiled into the browser engine's manifest at
build time (`kb_builder.indexing.browser_index.manifest`), which is why this module imports no
part of Whoosh's searching: a build pays only for what it uses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from search.terms import _WORD, Token, _exact_key, _query_terms


class Synonyms:
    """Client phrases and the canonical phrases they stand for, ready for matching.

    Phrases are compared on their stemmed, meaningful words: "system is down" also matches
    "systems are down" and "the system was down". A phrase of several words that keeps only
    one meaningful word once its small words are skipped ("what changed", "log in", "get
    help") is matched on all its words instead: keyed on "changed" alone it would turn every
    "change" of every question into release notes.

    Args:
        mapping: client phrase -> a canonical phrase or a list of them.
    """

    def __init__(self, mapping: Mapping[str, str | Iterable[str]] | None = None):
        self.rules: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        self.exact: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        #: Every word of every phrase (lower case): the site's own terms, never respelt.
        self.terms: set[str] = set()
        for client, canonical in (mapping or {}).items():
            key, exact = self.key(client)
            if not key:
                continue
            phrases = [canonical] if isinstance(canonical, str) else list(canonical)
            targets = (self.exact if exact else self.rules).setdefault(key, [])
            self.terms.update(w.lower() for w in _WORD.findall(client))
            for phrase in phrases:
                words = tuple(w.lower() for w in _WORD.findall(phrase))
                self.terms.update(words)
                if words and words not in targets:
                    targets.append(words)
        self.longest = max((len(k) for k in self.rules), default=0)
        self.longest_exact = max((len(k) for k in self.exact), default=0)

    @staticmethod
    def key(phrase: str) -> tuple[tuple[str, ...], bool]:
        """What `phrase` is matched on, and whether every word of it counts (see the class)."""
        meaningful = tuple(_query_terms(phrase))
        every = _exact_key(phrase)
        if len(meaningful) == 1 and len(every) > 1:
            return every, True
        return meaningful, False

    @classmethod
    def of(cls, value: Synonyms | Mapping[str, str | Iterable[str]] | None) -> Synonyms:
        """`value` itself if it is already compiled, else a compiled copy."""
        return value if isinstance(value, Synonyms) else cls(value)

    @staticmethod
    def searchable_words(phrase: str) -> list[str]:
        """The words `phrase` is matched on (empty: the phrase never matches)."""
        return list(Synonyms.key(phrase)[0])

    def spans(self, tokens: Sequence[Token]) -> list[tuple[list[int], list[tuple[str, ...]], bool]]:
        """Where client phrases occur in `tokens`: (token indexes, canonical phrases, whether
        every word of the phrase counts), never overlapping; phrases matched on all their
        words are looked for before the others.

        Where phrases overlap, the choice covers the most words of the question, with the
        fewest phrases (longer ones); between equal choices the later phrase wins, since the
        last word of an English noun phrase is its head: "new staff member" is a staff member
        (a user), not new staff (training). Taking the leftmost phrase first would miss it.
        """
        found: list[tuple[list[int], list[tuple[str, ...]], bool]] = []
        used: set[int] = set()
        for table, longest, attr in (
            (self.exact, self.longest_exact, "stem"),
            (self.rules, self.longest, "term"),
        ):
            seq = [
                i
                for i, t in enumerate(tokens)
                if t.quoted is None and getattr(t, attr) and i not in used
            ]
            for span, canonical in _best_cover(tokens, seq, table, longest, attr):
                found.append((span, canonical, attr == "stem"))
                used.update(span)
        return found

    def __bool__(self) -> bool:
        return bool(self.rules or self.exact)


def _best_cover(
    tokens: Sequence[Token],
    seq: Sequence[int],
    table: Mapping[tuple[str, ...], list[tuple[str, ...]]],
    longest: int,
    attr: str,
) -> list[tuple[list[int], list[tuple[str, ...]]]]:
    """The phrases of `table` to use in `seq` (token indexes): see `Synonyms.spans`.

    Dynamic programming from the end: ``best[p]`` is the best choice for ``seq[p:]`` as
    (words covered, -phrases, chosen). Skipping position ``p`` is preferred on a tie, so the
    later of two equal phrases wins. The browser engine (kb-search-engine.js, ``spans``)
    applies the same rule.
    """
    size = len(seq)
    best: list[tuple[int, int, list[tuple[int, int]]]] = [(0, 0, [])] * (size + 1)
    found: dict[tuple[int, int], list[tuple[str, ...]]] = {}
    for p in range(size - 1, -1, -1):
        choice = best[p + 1]
        for n in range(1, min(longest, size - p) + 1):
            span = seq[p : p + n]
            if attr == "stem" and span[-1] - span[0] != n - 1:
                continue  # an exact phrase is contiguous in the query
            canonical = table.get(tuple(getattr(tokens[j], attr) for j in span))
            if not canonical:
                continue
            found[(p, n)] = canonical
            rest = best[p + n]
            taken = (rest[0] + n, rest[1] - 1, [(p, n), *rest[2]])
            if (taken[0], taken[1]) > (choice[0], choice[1]):
                choice = taken
        best[p] = choice
    return [(list(seq[p : p + n]), found[(p, n)]) for p, n in best[0][2]]
