"""The index's analyzers, and index-time analysis in one pass that gives their exact tokens.

`STEMMER` (the ranked fields) and `WORDS` (the spelling vocabulary) are Whoosh analyzers, and
they stay the definition: queries are parsed with them and `search.schema` indexes with them.
But every record is analysed by several consumers (the Whoosh index's postings and vocabulary,
the browser's static index), and Whoosh's analyzers are a chain of generators that pass one
``Token`` object per word through four filters: at 5,000 pages that chain was a tenth of a cold
build. `analyse` reads the chain's parts off the analyzers themselves (so it follows them, never
a copy of their settings) and runs them as one loop with a per-word cache: a word seen once is
never lower-cased, stop-checked or stemmed again.

Exactness is the contract: `analyse` gives the tokens of `STEMMER` and of `WORDS`, positions
included (tests/unit/test_search_analysis.py compares them on real corpora and on generated
text). An analyzer of a shape this module does not know (tokenizer | lower case | stop words
[| stemmer]) is called as Whoosh's chain instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import compress

from whoosh import fields, formats
from whoosh.analysis import (
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StemmingAnalyzer,
    StopFilter,
    Token,
)

from search import definition

#: English stemming ("tickets", "ticketing" -> "ticket"), lower case, common words dropped.
STEMMER = StemmingAnalyzer(
    stoplist=frozenset(definition.INDEX_STOP_WORDS), minsize=definition.MIN_WORD_LENGTH
)

#: The same words unstemmed: the vocabulary that spelling suggestions are drawn from, so a
#: suggestion is a real word ("telephone"), never a stem ("telephon"). It is no field of the
#: index (that cost 43% of a full index): `search.vocabulary` keeps the words and their record
#: counts beside it; this analyzer is the definition both follow.
WORDS = (
    RegexTokenizer()
    | LowercaseFilter()
    | StopFilter(
        stoplist=frozenset(definition.INDEX_STOP_WORDS), minsize=definition.MIN_WORD_LENGTH
    )
)


#: A cache entry per distinct lower-case word; emptied when it grows past this (a site's own
#: vocabulary is tens of thousands of words, so a build almost never empties it).
CACHE_LIMIT = 400_000


@dataclass(frozen=True)
class _Chain:
    """The parts of a Whoosh analyzer of the usual shape."""

    pattern: object  # a compiled re.Pattern
    stops: frozenset[str]
    min_size: int
    stem: Callable[[str], str] | None


def _chain(analyzer) -> _Chain | None:
    """The parts of `analyzer`, or None when it is not tokenizer | lower | stop [| stem]."""
    items = list(getattr(analyzer, "items", ()))
    kinds = [type(i) for i in items]
    if kinds[:3] != [RegexTokenizer, LowercaseFilter, StopFilter] or len(items) > 4:
        return None
    tokenizer, _, stop = items[:3]
    if tokenizer.gaps or stop.max is not None or not stop.renumber:
        return None
    stem = None
    if len(items) == 4:
        if type(items[3]) is not StemFilter or items[3].ignore or items[3].lang:
            return None
        stem = items[3].stemfn
    return _Chain(tokenizer.expression, frozenset(stop.stops), stop.min, stem)


_STEMMED = _chain(STEMMER)
_UNSTEMMED = _chain(WORDS)
#: One loop gives the terms and the spelling words when both analyzers share the tokenizer
#: and the stop words (they do: search.schema builds both from search.definition).
FAST = (
    _STEMMED is not None
    and _UNSTEMMED is not None
    and _STEMMED.stem is not None
    and _UNSTEMMED.stem is None
    and (_STEMMED.pattern, _STEMMED.stops, _STEMMED.min_size)
    == (_UNSTEMMED.pattern, _UNSTEMMED.stops, _UNSTEMMED.min_size)
)


# In a regular expression: an escape, a character class, or a group's "(" (not "(?...").
_PATTERN_PART = re.compile(r"\\.|\[\^?\]?(?:\\.|[^\]\\])*\]|\((?!\?)")


def _tokenizer(pattern) -> Callable[[str], list[str]]:
    """The tokenizer's matches as strings, found by ``findall`` in C.

    ``findall`` gives whole matches only for a pattern without groups, and Whoosh's default
    has one (``[\\w\\*]+(\\.?[\\w\\*]+)*``), which matched one at a time in Python was
    half the time of `analyse`. Its groups are made non-capturing (the same matches); a
    pattern that cannot be read so is matched one at a time.
    """
    if pattern.groups:
        source = _PATTERN_PART.sub(
            lambda m: "(?:" if m.group() == "(" else m.group(), pattern.pattern
        )
        try:
            plain = re.compile(source, pattern.flags)
        except re.error:
            plain = pattern
        if plain.groups == 0:
            pattern = plain
    if pattern.groups == 0:
        return pattern.findall
    finditer = pattern.finditer
    return lambda text: [m.group() for m in finditer(text)]


_tokens = _tokenizer(_STEMMED.pattern) if FAST and _STEMMED is not None else None

# Lower-case word -> its term ("" for a word the index drops: a stop word or too short).
_TERM_OF: dict[str, str] = {}


def _term(word: str) -> str:
    """The term of the lower-case `word`, "" when dropped (the cache's slow path)."""
    chain = _STEMMED
    assert chain is not None and chain.stem is not None
    term = "" if len(word) < chain.min_size or word in chain.stops else chain.stem(word)
    if len(_TERM_OF) >= CACHE_LIMIT:
        _TERM_OF.clear()
    _TERM_OF[word] = term
    return term


def snippet_tokens(text: str, **options) -> Iterator[Token]:
    """The tokens Whoosh's highlighter asks `STEMMER` for, from the per-word cache.

    ``highlight.highlight`` calls its analyzer as ``analyzer(text, chars=True, mode="query",
    removestops=False)`` on every hit's stored body: through Whoosh's chain (a generator per
    filter) that was nearly half the time of the slowest queries on a 1,000-page index (a
    few percent at 5,000 pages, where scoring dominates). This yields the same tokens (the term as
    text, or the lower-cased word of a stop word, marked stopped; character offsets; boost
    1.0) from one loop, reusing one `Token` as Whoosh's tokenizer does. Other options, or an
    analyzer this module does not know, go through `STEMMER` itself.
    """
    expected = {"chars": True, "mode": "query", "removestops": False}
    if not FAST or _STEMMED is None or options != expected:
        yield from STEMMER(text, **options)
        return
    token = Token(positions=False, chars=True, removestops=False, mode="query")
    term_of = _TERM_OF
    for match in _STEMMED.pattern.finditer(text):
        word = match.group().lower()  # Whoosh lower-cases each token alone
        term = term_of.get(word)
        if term is None:
            term = _term(word)
        token.text = term or word
        token.stopped = not term
        token.boost = 1.0
        token.startchar = match.start()
        token.endchar = match.end()
        yield token


@dataclass(frozen=True)
class Analysed:
    """One text, analysed.

    Attributes:
        terms: the index terms in order (stop words dropped), as `STEMMER` yields them.
        words: the unstemmed words kept, in the same order (`WORDS`' tokens).
        first: the position of the first term. Whoosh's stop filter renumbers positions from
            the first kept token, which keeps its own place: "the ticket" puts "ticket" at 1.
            Term ``i`` is at position ``first + i``.
    """

    terms: list[str]
    words: list[str]
    first: int

    def positions(self) -> dict[str, list[int]]:
        """Term -> its positions, in first-occurrence order (Whoosh's ``Positions`` order)."""
        out: dict[str, list[int]] = {}
        for i, term in enumerate(self.terms, self.first):
            where = out.get(term)
            if where is None:
                out[term] = [i]
            else:
                where.append(i)
        return out


def analyse(text: str) -> Analysed:
    """The terms, words and first position of `text` (see `Analysed`)."""
    if not FAST:
        return _analyse_with_whoosh(text)
    assert _STEMMED is not None
    # A lower-cased ASCII text tokenizes as its tokens lower-cased (no character changes
    # length or word-ness); elsewhere each token is lower-cased alone, as Whoosh does
    # ("İ".lower() is two characters, the second no word character).
    raw = _tokens(text.lower()) if text.isascii() else [w.lower() for w in _tokens(text)]
    # Looked up, filtered and paired by C loops (map, filter, compress): a record's body is
    # thousands of words, and a Python loop over them was most of this function's time.
    found = list(map(_TERM_OF.get, raw))
    if None in found:  # words seen for the first time
        found = [
            _term(word) if term is None else term for word, term in zip(raw, found, strict=True)
        ]
    terms = list(filter(None, found))
    words = list(compress(raw, found))
    # The first kept token's position (0 when none is kept).
    first = next((position for position, term in enumerate(found) if term), 0)
    return Analysed(terms, words, first)


def _analyse_with_whoosh(text: str) -> Analysed:
    """`analyse` through Whoosh's own chains (an analyzer of a shape this module lacks)."""
    tokens = [(t.text, t.pos) for t in STEMMER(text, positions=True)]
    words = [t.text for t in WORDS(text)]
    return Analysed([t for t, _ in tokens], words, tokens[0][1] if tokens else 0)


def terms_of(text: str) -> list[str]:
    """The index terms of `text`, in order: `search.schema.STEMMER`'s tokens."""
    return analyse(text).terms


def words_of(text: str) -> list[str]:
    """The unstemmed words of `text` that form the spelling vocabulary (`WORDS`' tokens)."""
    return analyse(text).words


#: One posting as the writer hands it to the pool: term bytes, weight, value (or None).
WeightedPosting = tuple[bytes, float, "bytes | None"]


def weighted_postings(
    items: Iterable[tuple[bytes, int, float, bytes | None]], fieldboost: float
) -> tuple[list[WeightedPosting], int]:
    """A field's ``index`` items as ``SegmentWriter.add_document`` adds them to its pool.

    Returns the ``(term bytes, weight x fieldboost, value)`` postings and the field length
    (the sum of the frequencies) the writer records for a scorable field.
    """
    postings = []
    length = 0
    for term, frequency, weight, value in items:
        postings.append((term, weight * fieldboost, value))
        length += frequency
    return postings, length


# Position -> Positions.encode([position]) (the same bytes for every field: no boost in them).
_SINGLE_POSITION: dict[int, bytes] = {}


def _encoded(where: list[int], encode) -> bytes:
    """``Positions.encode(where)``; most terms occur once in a record, and the encoding of a
    single position is looked up, not pickled."""
    if len(where) != 1:
        return encode(where)
    encoded = _SINGLE_POSITION.get(where[0])
    if encoded is None:
        encoded = _SINGLE_POSITION[where[0]] = encode(where)
    return encoded


def _postings(value: Analysed, boost: float, encode) -> Iterator[tuple[bytes, int, float, bytes]]:
    """Whoosh's ``Positions.word_values`` of `value`: term, frequency, weight, positions."""
    for term, where in value.positions().items():
        # The weight as Positions.word_values gives it: the sum of 1.0 per token, boosted.
        yield term.encode("utf-8"), len(where), float(len(where)) * boost, _encoded(where, encode)


class StemmedText(fields.TEXT):
    """A Whoosh ``TEXT`` field of `search.schema.STEMMER` that indexes through `analyse`.

    The postings are Whoosh's own (the same terms, frequencies, weights and encoded
    positions); only the loop that finds them is this module's. The value may be the text or
    its `Analysed` form, so a caller that also needs the words analyses the text once
    (`search.index` does, for the spelling vocabulary; it stores the text with
    ``_stored_<field>``). Queries parse with the field's analyzer, unchanged.
    """

    def index(self, value, **kwargs):
        if not self._analyses_as_stemmer():
            if isinstance(value, Analysed):
                raise TypeError(f"{type(self).__name__} with another analyzer needs text")
            yield from super().index(value, **kwargs)
            return
        if isinstance(value, str):
            value = analyse(value)
        if not isinstance(value, Analysed):
            yield from super().index(value, **kwargs)
            return
        yield from _postings(value, self.format.field_boost, self.format.encode)

    def weighted_postings(self, value, fieldboost: float) -> tuple[list[WeightedPosting], int]:
        """What Whoosh's writer adds for `value` (see `weighted_postings`), without one
        generator step per posting: most of a record's postings are its body's."""
        if not self._analyses_as_stemmer() or not isinstance(value, (str, Analysed)):
            return weighted_postings(self.index(value), fieldboost)
        if isinstance(value, str):
            value = analyse(value)
        boost = self.format.field_boost
        encode = self.format.encode
        # Multiplied in the writer's order: (frequency x field boost) x writer's boost.
        postings = [
            (term.encode("utf-8"), float(len(where)) * boost * fieldboost, _encoded(where, encode))
            for term, where in value.positions().items()
        ]
        return postings, len(value.terms)

    def _analyses_as_stemmer(self) -> bool:
        # Compared by parts, not identity: an index opened from disk holds a copy of STEMMER.
        return FAST and type(self.format) is formats.Positions and _chain(self.analyzer) == _STEMMED
