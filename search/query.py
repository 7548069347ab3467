"""Queries in clients' words: synonyms, stemming, field boosts, typos and safe snippets.

Clients type questions, not query syntax, so the query text is never handed to Whoosh's query
parser: words are extracted with the same tokenizer the index uses and the query is built from
them. Nothing a client types (quotes, brackets, ``AND``, ``title:``, a 10,000-character paste)
can therefore raise a parse error; double quotes are the one piece of syntax honoured, for an
exact phrase.

How a query is answered (every constant is in `search.definition`, with its reason):

1. **Words**: question words and filler ("how do I", "is there a way to", "please") are
   skipped (``QUESTION_WORDS``), so the content words decide. A plain word also matches its
   other spelling ("colour" / "color", ``SPELLING_VARIANTS``), and a word in "-ed"/"-ing" is
   taken without the doubled letter Whoosh's Porter leaves ("logged" -> "log", ``UNDOUBLE``),
   while still matching the indexed term ("logg"); see `alternatives`.
2. **Synonyms** (query time, so changing them needs no re-index): a client phrase such as
   "system is down" is matched on stemmed words (so "systems are down" matches too) and
   widened with its canonical phrases ("critical outage"). A synonym widens, it never
   outweighs: its canonical phrases weigh less than the client's own words
   (``SYNONYM_WEIGHTS``), the best of them counts, not their sum, and a phrase whose only
   meaningful word is one ("what changed", "log in") matches on all its words.
3. **Spelling**: a word found nowhere in the index is replaced by the closest frequent word
   of the index vocabulary ("telefone" -> "telephone"), unless it is general English, a term
   of the site's synonyms or a short acronym ("wont", "cheque", "sso" are left alone; see
   `search.spelling`); the results then say which query they are for
   (`Results.corrected_query`), and `Results.did_you_mean` offers the respelling.
4. **Ranking**: every word is looked up in the title, the headings (with the tags) and the
   body (``FIELD_BOOSTS``; FAQ answers above long pages, ``KIND_BOOSTS``); a record's score
   is multiplied by the share of the question it covers (``COORDINATION``, see
   `Coordinated`), so records with more of the client's own words come first; one page
   shows at most ``PER_PAGE`` records. In a large index, a word found in more than a fifth
   of the records only re-ranks what the other words find (records with none of the other
   words are left out), so a query does not have to score the whole index because it
   contains "more" or "file".
5. **Typo fallback**: when a query still finds little, every word is also matched by its near
   spellings (fuzzy terms, ``FUZZY``).
6. **Snippets**: HTML in which every character of the text is escaped and the only elements
   are ``<mark>``.
"""

from __future__ import annotations

import functools
import heapq
import html
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from whoosh import collectors, highlight, sorting
from whoosh.matching import DisjunctionMaxMatcher, UnionMatcher, WrappingMatcher
from whoosh.query import And, AndMaybe, DisjunctionMax, Or, Phrase, Query, Term
from whoosh.query.compound import CompoundQuery
from whoosh.searching import Searcher
from whoosh.util import make_binary_tree

from search import definition, executor, spelling
from search.analysis import snippet_tokens
from search.documents import KINDS, Hit
from search.index import LiveIndex, open_index, vocabulary_of
from search.schema import STEMMER, TEXT_FIELDS
from search.synonyms import Synonyms
from search.terms import (
    _WORD,
    Token,
    _stem,
    _term,
    _undoubled,
    alternatives,
    spellings,  # noqa: F401  (imported from here by callers, as before the split)
)
from search.vocabulary import Vocabulary

# Every ranking constant lives in search.definition, with its reason (the browser executor
# applies the same ones); these names are kept for the modules and tests that import them.
MAX_QUERY_CHARS: int = definition.MAX_QUERY_CHARS
MAX_WORDS: int = definition.MAX_WORDS
MAX_LIMIT: int = definition.MAX_LIMIT
FEW_RESULTS: int = definition.FEW_RESULTS
PER_PAGE: int = definition.PER_PAGE
SNIPPET_CHARS: int = definition.SNIPPET_CHARS
COMMON_SHARE: float = definition.COMMON_SHARE
COMMON_MIN_RECORDS: int = definition.COMMON_MIN_RECORDS


_QUOTED = re.compile(r'"([^"]*)"')


@dataclass(frozen=True)
class Results:
    """The answer to a query.

    Attributes:
        query: the query as received (capped to `MAX_QUERY_CHARS`).
        hits: the results, best first.
        total: how many records matched (before the limit).
        did_you_mean: a respelling of the query from the index vocabulary, when one exists.
        corrected_query: the respelt query that produced `hits`, when words of the query were
            found nowhere in the help centre and were replaced ("Showing results for ...").
    """

    query: str
    hits: tuple[Hit, ...] = ()
    total: int = 0
    did_you_mean: str | None = None
    corrected_query: str | None = None

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready mapping (the API's and ``kb search --json``'s output)."""
        return {
            "query": self.query,
            "total": self.total,
            "did_you_mean": self.did_you_mean,
            "corrected_query": self.corrected_query,
            "hits": [hit.to_dict() for hit in self.hits],
        }


def tokenize(text: str) -> list[Token]:
    """The words of a query, each with its stem and the quoted phrase it belongs to."""
    quoted_spans = [(m.start(1), m.end(1)) for m in _QUOTED.finditer(text)]
    tokens = []
    for match in _WORD.finditer(text):
        word = match.group().lower()
        group = next((i for i, (a, b) in enumerate(quoted_spans) if a <= match.start() < b), None)
        term = _undoubled(word, _term(word)) if group is None else _quoted_term(word)
        stem_ = _undoubled(word, _stem(word))
        tokens.append(Token(word, term, match.start(), match.end(), group, stem_))
        if len(tokens) >= MAX_WORDS:
            break
    return tokens


def _quoted_term(word: str) -> str:
    # In an exact phrase, question words count (the index keeps them); only the index's own
    # stop words are dropped, as the index dropped them.
    terms = [t.text for t in STEMMER(word, mode="query")]
    return terms[0] if terms else ""


# Query building --------------------------------------------------------------------------


def _word_query(term: str, word: str, others: Sequence[str] = ()) -> Query:
    # Tags are indexed with the headings (see search.index), so three posting lists per word
    # (and three more for each alternative term: see `alternatives`).
    return Or([Term(f, t) for t in (term, *others) for f in TEXT_FIELDS])


def _all_words(
    pairs: Sequence[tuple[str, str]], *, exact: bool = False, boost: float = 1.0
) -> Query | None:
    """Documents with all of `pairs` (term, word); adjacent ones score higher (or only those)."""
    pairs = [(t, w) for t, w in pairs if t]
    if not pairs:
        return None
    if len(pairs) == 1:
        query = _word_query(*pairs[0])
        if boost != 1.0:
            query = Or([query], boost=boost)
        return query
    terms = [t for t, _ in pairs]
    adjacent = Or([Phrase(f, terms) for f in TEXT_FIELDS], boost=definition.ADJACENT_BOOST * boost)
    if exact:
        return adjacent
    return Or([And([_word_query(t, w) for t, w in pairs], boost=boost), adjacent])


def _phrase_pairs(words: Sequence[str]) -> list[tuple[str, str]]:
    return [(_term(w), w) for w in words]


def synonym_weight(client_words: int, canonical_words: int, *, alone: bool = False) -> float:
    """The boost of a canonical phrase that stands for `client_words` meaningful words.

    A synonym widens the query and never outweighs it: a fully matched canonical phrase is
    worth ``SYNONYM_WEIGHTS`` ("phrase" or "word") of what the client's own words of the span,
    fully matched, would be worth. A match of several words scores each word plus the
    adjacency bonus (`_all_words`), so both sides are counted in those units.

    Args:
        alone: the question is made only of synonym phrases ("onboarding course"): there are
            no other words for a synonym to outweigh, and the canonical phrases are the
            question, so a phrase is not divided by its number of words (only by the
            adjacency bonus): a specific phrase ("self-guided training agenda") then counts
            for more than a single broad word ("training").
    """

    def units(words: int) -> float:
        return 1.0 if words <= 1 else words * (1.0 + definition.ADJACENT_BOOST)

    weights = definition.SYNONYM_WEIGHTS
    weight = float(weights["phrase"] if canonical_words > 1 else weights["word"])
    if alone and canonical_words > 1:
        return weight * units(max(client_words, 1)) / (1.0 + definition.ADJACENT_BOOST)
    return weight * units(max(client_words, 1)) / units(canonical_words)


def _synonym_unit(
    span: Sequence[Token],
    canonical: Sequence[tuple[str, ...]],
    *,
    exact: bool = False,
    alone: bool = False,
) -> tuple[Query | None, Query | None, int]:
    """The client's own words of a synonym span, its canonical phrases, and its word count.

    The two are separate units of one group of the query (see `Coordinated`): a record is
    scored by the better of the two, and a record found only through the canonical phrases
    covers less of the question than one that has the client's own words.

    Args:
        exact: the client phrase is matched on all its words ("who answers"): its own words
            are then looked for as that phrase, question words included (the index keeps
            them), since "answers" alone is not what the client asked.
        alone: the question has no word outside synonym phrases (see `synonym_weight`).
    """
    if exact:
        own = [(term, t.word) for t in span if (term := _undoubled(t.word, _quoted_term(t.word)))]
    else:
        own = [(t.term, t.word) for t in span if t.term]
    options = []
    for words in canonical:
        pairs = [p for p in _phrase_pairs(words) if p[0]]
        unit = _all_words(pairs, boost=synonym_weight(len(own), len(pairs), alone=alone))
        if unit is not None:
            options.append(unit)
    # The best of the canonical phrases, not their sum: a synonym listing three phrases must
    # not count three times.
    tiebreak = float(definition.SYNONYM_WEIGHTS["tiebreak"])
    widened = (
        None
        if not options
        else options[0]
        if len(options) == 1
        else BestOf(options, tiebreak=tiebreak)
    )
    return _all_words(own), widened, max(len(own), 1)


class _BestMatcher(DisjunctionMaxMatcher):
    """Whoosh's max-of-scores matcher, scoring only the sub-matchers on the current record.

    Whoosh's own `DisjunctionMaxMatcher.score` takes the maximum over both sub-matchers even
    when one of them is positioned on another record, so a record got the score of a
    different one; it also ignores ``tiebreak``.
    """

    def score(self) -> float:
        here = self.id()
        scores = [m.score() for m in (self.a, self.b) if m.is_active() and m.id() == here]
        best = max(scores)
        return best + self.tiebreak * (sum(scores) - best)

    def copy(self) -> _BestMatcher:
        return _BestMatcher(self.a.copy(), self.b.copy(), tiebreak=self.tiebreak)

    def replace(self, minquality: float = 0):
        replaced = super().replace(minquality)
        if isinstance(replaced, _BestMatcher):
            replaced.tiebreak = self.tiebreak
        return replaced


class BestOf(DisjunctionMax):
    """Records matching any subquery, scored by the best one (plus ``tiebreak`` x the rest)."""

    def _matcher(self, subs, searcher, context):
        reader = searcher.reader()
        # Whoosh's tree builder drops keyword arguments, so the tiebreak is bound here.
        matcher = functools.partial(_BestMatcher, tiebreak=self.tiebreak)
        return self._tree_matcher(
            subs, matcher, searcher, context, lambda q: q.estimate_size(reader)
        )


class _CoordinatedMatcher(WrappingMatcher):
    """Scores a record by its groups of units, times the share of the question it covers."""

    def __init__(self, leaves, groups, coverages, sizes, exponent, tiebreak):
        tree = leaves[0] if len(leaves) == 1 else make_binary_tree(UnionMatcher, leaves)
        super().__init__(tree)
        self.leaves = leaves
        self.groups = groups
        self.coverages = coverages
        self.sizes = sizes
        self.total = float(sum(sizes.values())) or 1.0
        self.exponent = exponent
        self.tiebreak = tiebreak
        # Plain words only (one unit per group, each covering its one word): the score is
        # the sum times the share of words found, computed without the bookkeeping below.
        self.simple = len(set(groups)) == len(groups) and all(
            coverage == 1.0 and sizes[g] == 1.0
            for g, coverage in zip(groups, coverages, strict=True)
        )

    def copy(self) -> _CoordinatedMatcher:
        return _CoordinatedMatcher(
            [leaf.copy() for leaf in self.leaves],
            self.groups,
            self.coverages,
            self.sizes,
            self.exponent,
            self.tiebreak,
        )

    def replace(self, minquality: float = 0) -> _CoordinatedMatcher:
        # The leaves are read in score(): the tree must keep them (results are never pruned).
        return self

    def score(self) -> float:
        here = self.child.id()
        if self.simple:
            found = [leaf.score() for leaf in self.leaves if leaf.is_active() and leaf.id() == here]
            return sum(found) * (len(found) / self.total) ** self.exponent
        scores: dict[int, list[float]] = {}
        covered: dict[int, float] = {}
        for leaf, group, coverage in zip(self.leaves, self.groups, self.coverages, strict=True):
            if leaf.is_active() and leaf.id() == here:
                scores.setdefault(group, []).append(leaf.score())
                covered[group] = max(covered.get(group, 0.0), coverage)
        total = 0.0
        for group_scores in scores.values():
            best = max(group_scores)
            total += best + self.tiebreak * (sum(group_scores) - best)
        share = sum(covered[g] * self.sizes[g] for g in covered) / self.total
        return total * share**self.exponent


class Coordinated(CompoundQuery):
    """Records matching any unit, ranked first by how much of the question they answer.

    Each unit belongs to a group (one word of the question, one quoted phrase, one synonym
    span) of a size (its number of words) and covers a share of its group when it matches:
    the word as typed covers all of it, its near spellings or a synonym's canonical phrases
    only part (``COORDINATION``). A record's score is the sum over its groups of the best
    unit's score, times (covered words / words of the question) ** ``exponent``: a record
    with more of the client's own words ranks above one that matches fewer of them, however
    often, or only through a synonym. (Whoosh's own coordination, Or(scale=...), counts terms
    per field and changes with the result limit.)

    Args:
        subqueries: the units.
        groups: the group of each unit.
        coverages: the share of its group each unit covers when it matches (0..1).
        sizes: group -> its number of words.
    """

    def __init__(
        self,
        subqueries: Sequence[Query],
        groups: Sequence[int] | None = None,
        coverages: Sequence[float] | None = None,
        sizes: Mapping[int, float] | None = None,
        *,
        boost: float = 1.0,
    ):
        super().__init__(list(subqueries), boost=boost)
        count = len(self.subqueries)
        self.groups = list(groups) if groups is not None else list(range(count))
        self.coverages = list(coverages) if coverages is not None else [1.0] * count
        self.sizes = dict(sizes) if sizes is not None else dict.fromkeys(self.groups, 1.0)

    def normalize(self) -> Coordinated:
        # Whoosh's normalisation merges and drops subqueries, which would part them from
        # their groups: each unit is normalised on its own instead.
        return Coordinated(
            [q.normalize() for q in self.subqueries],
            self.groups,
            self.coverages,
            self.sizes,
            boost=self.boost,
        )

    def _matcher(self, subs, searcher, context):
        leaves = [q.matcher(searcher, context) for q in subs]
        matcher = _CoordinatedMatcher(
            leaves,
            self.groups,
            self.coverages,
            self.sizes,
            float(definition.COORDINATION["exponent"]),
            float(definition.SYNONYM_WEIGHTS["tiebreak"]),
        )
        return WrappingMatcher(matcher, self.boost) if self.boost != 1.0 else matcher


def _fuzzy_edits(word: str) -> int:
    if len(word) < int(definition.FUZZY["min_length"]):
        return 0
    return definition.by_length(definition.FUZZY["max_edits"], len(word))


@dataclass
class _Unit:
    """One unit of a query: what it matches, its group, and how much of the group it covers."""

    query: Query
    group: int
    coverage: float = 1.0


@dataclass
class _Plan:
    """The query as units (a word, a quoted phrase, a synonym span) before Whoosh sees it."""

    units: list[_Unit] = field(default_factory=list)  # phrases and synonym spans
    sizes: dict[int, float] = field(default_factory=dict)  # group -> its number of words
    words: list[Token] = field(default_factory=list)  # plain words, one group each
    common: set[str] = field(default_factory=set)  # terms of words found almost everywhere

    def add(self, size: float, *parts: tuple[Query | None, float]) -> None:
        """Add one group of units (query, coverage); parts that are None are skipped."""
        group = len(self.sizes)
        kept = [_Unit(q, group, c) for q, c in parts if q is not None]
        if kept:
            self.sizes[group] = float(size)
            self.units.extend(kept)

    def query(self, *, fuzzy: Vocabulary | None = None) -> Query | None:
        plan = _Plan(list(self.units), dict(self.sizes), common=self.common)
        optional = []
        fuzzy_share = float(definition.COORDINATION["fuzzy_coverage"])
        for token in self.words:
            unit = _word_query(token.term, token.word, alternatives(token.word, token.term))
            if token.term in self.common:
                optional.append(unit)
                continue
            near = None
            # A common word is found already; its near spellings would only add noise.
            if fuzzy is not None and _fuzzy_edits(token.word) and not token.word.isdigit():
                near = _near_query(fuzzy, token)
            plan.add(1, (unit, 1.0), (near, fuzzy_share))
        if not plan.units:
            for unit in optional:
                plan.add(1, (unit, 1.0))
            optional = []
        if not plan.units:
            return None
        if len(plan.units) == 1:
            main = plan.units[0].query
        else:
            main = Coordinated(
                [u.query for u in plan.units],
                [u.group for u in plan.units],
                [u.coverage for u in plan.units],
                plan.sizes,
            )
        # Words on a large share of the records only add to the score of records found by the
        # other words: same ranking of those, without visiting every record of the index.
        return AndMaybe(main, Or(optional)) if optional else main

    def mark_common(self, searcher: Searcher) -> None:
        """Note the words too common to select records by (only in large indexes)."""
        total = searcher.doc_count()
        if total < COMMON_MIN_RECORDS or len(self.words) + len(self.units) < 2:
            return
        for token in self.words:
            df = max(searcher.doc_frequency(f, token.term) for f in TEXT_FIELDS)
            if df > COMMON_SHARE * total:
                self.common.add(token.term)
        if len(self.common) == len(self.words) and not self.units:
            self.common.clear()  # nothing but common words: they must select


def _near_query(vocabulary: Vocabulary, token: Token) -> Query | None:
    """The near spellings of `token` in the vocabulary, each matched by its term as a query
    word is (below the word as typed: ``FUZZY["boost"]``); None when it has none.

    The vocabulary keeps words, the index stemmed terms: a near spelling counts through its
    term, as the browser engine counts it.
    """
    near: list[str] = []
    for word in vocabulary.within(
        token.word, _fuzzy_edits(token.word), spelling.prefix_length(token.word)
    ):
        if word.isdigit():
            continue
        term = _term(word) or word
        if term != token.term and term not in near:
            near.append(term)
    if not near:
        return None
    return Or([_word_query(t, t) for t in near], boost=float(definition.FUZZY["boost"]))


def _plan(tokens: list[Token], synonyms: Synonyms) -> _Plan:
    plan = _Plan()
    quoted: dict[int, list[Token]] = {}
    for token in tokens:
        if token.quoted is not None:
            quoted.setdefault(token.quoted, []).append(token)
    for group in quoted.values():
        pairs = [(t.term, t.word) for t in group if t.term]
        plan.add(max(len(pairs), 1), (_all_words(pairs, exact=True), 1.0))
    spans = synonyms.spans(tokens)
    covered = {i for span, _, _ in spans for i in span}
    for i, token in enumerate(tokens):
        if token.quoted is None and token.term and i not in covered:
            plan.words.append(token)
    alone = not plan.words and not plan.units
    share = float(definition.COORDINATION["synonym_coverage"])
    for span, canonical, exact in spans:
        own, widened, size = _synonym_unit(
            [tokens[j] for j in span], canonical, exact=exact, alone=alone
        )
        plan.add(size, (own, 1.0), (widened, share))
    return plan


# Spelling ---------------------------------------------------------------------------------


def _known(searcher: Searcher, token: Token) -> bool:
    return any(searcher.doc_frequency(f, token.term) for f in TEXT_FIELDS)


def _respell(searcher: Searcher, word: str, *, better_than: int = 0) -> str | None:
    """The closest word of the index vocabulary, preferring frequent ones; None if none.

    Args:
        better_than: only suggest a word found in more documents than this.
    """
    edits = spelling.max_edits(word)
    if not edits:
        return None
    vocabulary = vocabulary_of(searcher)
    # Keyboard slips and swaps cost less than an edit, so the walk allows one edit more than
    # the weighted limit; `spelling.best_correction` applies the limit itself.
    candidates = {
        w: vocabulary.frequency(w)
        for w in vocabulary.within(word, edits + 1, spelling.prefix_length(word))
        if not w.isdigit()
    }
    candidates = {w: df for w, df in candidates.items() if df > better_than}
    return spelling.best_correction(word, candidates)


def _spell_check(
    searcher: Searcher, tokens: list[Token], synonyms: Synonyms, *, rare: bool
) -> dict[int, str]:
    """Replacements (token index -> word) for the query's misspelt words.

    A word is respelt only when it is a typo, not merely a word the help centre lacks: never
    a word covered by a synonym phrase ("sandbox" is not in the help centre, and that is what
    the synonym is for), a word of the site's synonyms, a short word (acronyms: "sso"), or a
    word of general English ("wont", "refund"); see `search.spelling`.

    Args:
        rare: also respell words that exist but are rare when a much commoner neighbour exists
            (used only when the query found little, for the did-you-mean).
    """
    protected = {i for span, _, _ in synonyms.spans(tokens) for i in span}
    replacements: dict[int, str] = {}
    ratio = int(definition.CORRECTION["rare_ratio"])
    for i, token in enumerate(tokens):
        word = token.word
        if token.quoted is not None or not token.term or i in protected:
            continue
        if not word.isalpha() or not spelling.max_edits(word) or word in synonyms.terms:
            continue
        if not _known(searcher, token):
            better = None if spelling.is_general_word(word) else _respell(searcher, word)
        elif rare and not spelling.is_general_word(word):
            df = vocabulary_of(searcher).frequency(word)
            better = _respell(searcher, word, better_than=ratio * max(df, 1)) if df <= 1 else None
        else:
            better = None
        if better:
            replacements[i] = better
    return replacements


def _rewrite(text: str, tokens: list[Token], replacements: Mapping[int, str]) -> str:
    out, pos = [], 0
    for i, word in sorted(replacements.items()):
        token = tokens[i]
        out += [text[pos : token.start], word]
        pos = token.end
    out.append(text[pos:])
    return " ".join("".join(out).split())


# Snippets ---------------------------------------------------------------------------------


class MarkFormatter(highlight.Formatter):
    """Escapes every character of the text and wraps matched words in bare ``<mark>``."""

    between = " … "

    def _text(self, text: str) -> str:
        return html.escape(text, quote=True)

    def format_token(self, text: str, token: object, replace: bool = False) -> str:
        return f"<mark>{self._text(highlight.get_text(text, token, replace))}</mark>"


def _plain_snippet(body: str) -> str:
    text = " ".join(body.split())
    if len(text) > SNIPPET_CHARS:
        cut = text.rfind(" ", 0, SNIPPET_CHARS)
        text = text[: cut if cut > 0 else SNIPPET_CHARS] + " …"
    return html.escape(text, quote=True)


# Searching --------------------------------------------------------------------------------


def clamp_limit(limit: int) -> int:
    """`limit` brought into 1..`MAX_LIMIT`."""
    return max(1, min(int(limit), MAX_LIMIT))


def _page_key(page: object) -> object:
    return page or "/"


@dataclass(frozen=True)
class _Ranked:
    """The best records of a query: (score, record number), best first, and the matches."""

    query: Query
    top: list[tuple[float, int]]
    total: int

    def scored_length(self) -> int:
        return len(self.top)


def _coordinated_scores(ex: executor.Executor, query: Coordinated) -> executor.Scores:
    """`_CoordinatedMatcher.score` for every record at once (the same operations)."""
    if len(query.subqueries) == 1:
        return ex.scores(query.subqueries[0])  # Whoosh's matcher() hands it up as it is
    leaves = [ex.scores(q) for q in query.subqueries]
    exponent = float(definition.COORDINATION["exponent"])
    tiebreak = float(definition.SYNONYM_WEIGHTS["tiebreak"])
    sizes = query.sizes
    total = float(sum(sizes.values())) or 1.0
    groups, coverages = query.groups, query.coverages
    simple = len(set(groups)) == len(groups) and all(
        coverage == 1.0 and sizes[g] == 1.0 for g, coverage in zip(groups, coverages, strict=True)
    )
    out: executor.Scores = {}
    # The matcher adds a record's scores in the order of the leaves, and the leaves come group
    # by group (`_Plan.add`): accumulating leaf by leaf, or group by group, performs the very
    # same additions, so the scores are the matcher's to the last bit.
    if simple:
        count: dict[int, int] = {}
        for leaf in leaves:
            for doc, score in leaf.items():
                before = out.get(doc)
                if before is None:
                    out[doc] = score
                    count[doc] = 1
                else:
                    out[doc] = before + score
                    count[doc] += 1
        for doc, n in count.items():
            out[doc] = out[doc] * (n / total) ** exponent
        return executor._boosted(out, query.boost)
    if any(b < a for a, b in zip(groups, groups[1:], strict=False)):
        raise executor.Unsupported("units out of group order")
    share: dict[int, float] = {}
    start = 0
    while start < len(leaves):
        group = groups[start]
        end = start
        while end < len(leaves) and groups[end] == group:
            end += 1
        # The group's value for each record: its best unit (plus tiebreak x the others), and
        # the largest share of the group that a unit found on the record covers.
        found: dict[int, list[float]] = {}
        covered: dict[int, float] = {}
        for leaf, coverage in zip(leaves[start:end], coverages[start:end], strict=True):
            for doc, score in leaf.items():
                found.setdefault(doc, []).append(score)
                covered[doc] = max(covered.get(doc, 0.0), coverage)
        size = sizes[group]
        for doc, group_scores in found.items():
            if len(group_scores) == 1:
                value = group_scores[0] + tiebreak * 0.0
            else:
                best = max(group_scores)
                value = best + tiebreak * (sum(group_scores) - best)
            before = out.get(doc)
            if before is None:
                out[doc] = 0.0 + value
                share[doc] = 0 + covered[doc] * size
            else:
                out[doc] = before + value
                share[doc] += covered[doc] * size
        start = end
    for doc, value in out.items():
        out[doc] = value * (share[doc] / total) ** exponent
    return executor._boosted(out, query.boost)


def _best_of_scores(ex: executor.Executor, query: BestOf) -> executor.Scores:
    subs = query.subqueries
    if not subs:
        return {}
    if len(subs) == 1:
        return ex.scores(subs[0])
    if query.tiebreak != 0.0 and len(subs) > 2:
        raise executor.Unsupported("a tree of BestOf matchers with a tiebreak")
    parts = [ex.scores(q) for q in subs]
    return executor._boosted(executor.best_of(parts, query.tiebreak), query.boost)


_COMBINERS = {Coordinated: _coordinated_scores, BestOf: _best_of_scores}


def _page_keys(searcher: Searcher, cache: executor.TermCache) -> list[object]:
    """Every record's collapsing key (its page; the home page's records: "/")."""
    keys = getattr(cache, "page_keys", None)
    if keys is None:
        reader = searcher.reader()
        column = reader.column_reader("page")
        keys = [_page_key(column[doc]) for doc in range(reader.doc_count_all())]
        cache.page_keys = keys  # type: ignore[attr-defined]
    return keys


def _run_terms(searcher: Searcher, query: Query, kind: str | None, limit: int) -> _Ranked | None:
    """`_run` term by term (`search.executor`); None when the executor cannot run `query`.

    The same records in the same order as Whoosh's collectors give them: each page's best
    record (the first of equals, in record order), best first, equal scores in record order.
    """
    try:
        ex = executor.Executor(searcher, _COMBINERS)
        scores = ex.scores(query)
    except executor.Unsupported:
        return None
    assert ex.cache is not None
    if kind:
        allowed = set(searcher.docs_for_query(Term("kind", kind)))
        scores = {doc: score for doc, score in scores.items() if doc in allowed}
    pages = _page_keys(searcher, ex.cache)
    best: dict[object, tuple[float, int]] = {}
    for doc, score in scores.items():
        page = pages[doc]
        held = best.get(page)
        if held is None or score > held[0] or (score == held[0] and doc < held[1]):
            best[page] = (score, doc)
    top = heapq.nsmallest(limit, best.values(), key=lambda item: (-item[0], item[1]))
    return _Ranked(query, top, len(scores))


def _run(searcher: Searcher, query: Query, kind: str | None, limit: int) -> _Ranked:
    """The best `limit` records for `query`, one per page (term by term when possible)."""
    ranked = _run_terms(searcher, query, kind, limit)
    return ranked if ranked is not None else _run_whoosh(searcher, query, kind, limit)


def _run_whoosh(searcher: Searcher, query: Query, kind: str | None, limit: int) -> _Ranked:
    # The collectors are assembled by hand because Searcher.search(collapse=...) is wrong:
    # its top-N collector prunes the query (matcher.replace) with the score of the N-th best
    # record so far, but collapsing later removes records from that top N, so records that
    # belonged in the results were already skipped (a page's own records went missing). Here
    # nothing is pruned: every match is scored and counted exactly, in one pass.
    # Whoosh never collapses records whose key is empty, and the home page's URL is "": its
    # records are keyed "/" so that the home page, too, shows at most PER_PAGE of them.
    page = sorting.TranslateFacet(_page_key, sorting.FieldFacet("page"))
    collector = collectors.CollapseCollector(
        collectors.TopCollector(limit, usequality=False, replace=0), page, limit=PER_PAGE
    )
    if kind:
        collector = collectors.FilterCollector(collector, Term("kind", kind), None)
    searcher.search_with_collector(query, collector)
    results = collector.results()
    # Whoosh's count after collapsing is not the number of matches; count them as matched.
    matched = set(searcher.docs_for_query(query))
    if kind:
        matched &= set(searcher.docs_for_query(Term("kind", kind)))
    total = len(matched)
    return _Ranked(query, list(results.top_n), total)


def _hits(searcher: Searcher, results: _Ranked, limit: int) -> tuple[Hit, ...]:
    # The words to mark are worked out once for the whole result list (Whoosh's per-hit
    # highlighting walks the query again for every hit, which cost more than the search).
    words = frozenset(text for fieldname, text in results.query.all_terms() if fieldname == "body")
    fragmenter = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60)
    formatter = MarkFormatter()
    hits = []
    for rank, (score, docnum) in enumerate(results.top[:limit], start=1):
        hit = searcher.stored_fields(docnum)
        text = hit.get("body", "")
        snippet = (
            highlight.highlight(text, words, snippet_tokens, fragmenter, formatter, top=2)
            if words and text
            else ""
        )
        hits.append(
            Hit(
                url=hit["url"],
                title=hit.get("title", ""),
                kind=hit.get("kind", ""),
                section=hit.get("section", ""),
                snippet_html=snippet or _plain_snippet(text),
                score=round(float(score or 0.0), 4),
                rank=rank,
                page_title=hit.get("page_title", ""),
            )
        )
    return tuple(hits)


def search_with(
    searcher: Searcher,
    q: str,
    *,
    kind: str | None = None,
    limit: int = 10,
    synonyms: Synonyms | Mapping[str, str | Iterable[str]] | None = None,
) -> Results:
    """Answer `q` with an open Whoosh searcher (see `search` for the arguments)."""
    if kind is not None and kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
    text = (q or "")[:MAX_QUERY_CHARS]
    limit = clamp_limit(limit)
    rules = Synonyms.of(synonyms)
    tokens = tokenize(text)
    replacements = _spell_check(searcher, tokens, rules, rare=False)
    corrected = _rewrite(text, tokens, replacements) if replacements else None
    if corrected:
        # Synonyms apply to the respelt words too ("phoen" -> "phone" -> "telephone").
        tokens = tokenize(corrected)
    plan = _plan(tokens, rules)
    plan.mark_common(searcher)
    query = plan.query()
    if query is None:
        return Results(text)
    # At least FEW_RESULTS are collected, so that "finds little" is known without a count.
    collect = max(limit, FEW_RESULTS)
    results = _run(searcher, query, kind, collect)
    did_you_mean = corrected
    if results.scored_length() < FEW_RESULTS:
        if plan.words:
            wider = _run(searcher, plan.query(fuzzy=vocabulary_of(searcher)), kind, collect)
            if wider.scored_length() > results.scored_length():
                results = wider
        if did_you_mean is None:
            rare = _spell_check(searcher, tokenize(text), rules, rare=True)
            did_you_mean = _rewrite(text, tokenize(text), rare) if rare else None
    return Results(text, _hits(searcher, results, limit), results.total, did_you_mean, corrected)


def search(
    index: str | os.PathLike[str] | LiveIndex,
    q: str,
    *,
    kind: str | None = None,
    limit: int = 10,
    synonyms: Synonyms | Mapping[str, str | Iterable[str]] | None = None,
) -> Results:
    """Search the help centre in clients' words.

    Never raises for anything in `q`: an empty query, one made only of query syntax or a
    very long one gives an empty or capped result.

    Args:
        index: an index directory, or a `LiveIndex` (reused by long-running servers).
        q: the query as typed; only the first `MAX_QUERY_CHARS` characters are read.
        kind: only records of this kind (one of `search.documents.KINDS`).
        limit: how many hits, capped to 1..`MAX_LIMIT`.
        synonyms: client phrase -> canonical phrase(s), or a compiled `Synonyms`.

    Raises:
        ValueError: for an unknown `kind`.
        search.index.IndexMissing: when `index` holds no index yet.
    """
    if isinstance(index, LiveIndex):
        with index.searcher() as searcher:
            return search_with(searcher, q, kind=kind, limit=limit, synonyms=synonyms)
    with open_index(index).searcher() as searcher:
        return search_with(searcher, q, kind=kind, limit=limit, synonyms=synonyms)


def suggest_with(searcher: Searcher, q: str, *, limit: int = 8) -> list[dict[str, str]]:
    """Titles starting with the words typed so far ("phone ho" -> "... hours ..."), as you type.

    Every word must begin a word of the title; results are unique by title.
    """
    words = [w.lower()[:15] for w in _WORD.findall((q or "")[:MAX_QUERY_CHARS])][:MAX_WORDS]
    if not words:
        return []
    results = searcher.search(And([Term("suggest", w) for w in words]), limit=limit * 4)
    seen: set[str] = set()
    out: list[dict[str, str]] = []
    for hit in results:
        title = hit.get("title", "")
        if title in seen:
            continue
        seen.add(title)
        out.append(
            {
                "title": title,
                "url": hit["url"],
                "kind": hit.get("kind", ""),
                "page_title": hit.get("page_title", ""),
            }
        )
        if len(out) >= clamp_limit(limit):
            break
    return out


def suggest(
    index: str | os.PathLike[str] | LiveIndex, q: str, *, limit: int = 8
) -> list[dict[str, str]]:
    """As-you-type title suggestions (see `suggest_with`)."""
    if isinstance(index, LiveIndex):
        with index.searcher() as searcher:
            return suggest_with(searcher, q, limit=limit)
    with open_index(index).searcher() as searcher:
        return suggest_with(searcher, q, limit=limit)
