"""Search records analysed exactly as the Whoosh index analyses them.

The browser executor must score a record as Whoosh does, so the statistics it ships are taken
with Whoosh's own analyzers (`search.schema.STEMMER` for the ranked fields, `search.schema.WORDS`
for the spelling vocabulary) over the same field values `search.index` gives Whoosh: the title,
the headings joined with the tags, and the body.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter, StopFilter

from search.documents import Document
from search.schema import STEMMER, WORDS

#: The ranked fields, in the order every posting list of the browser index uses.
FIELDS = ("title", "headings", "body")


def field_values(doc: Document) -> tuple[str, str, str]:
    """The text of `doc`'s ranked fields as `search.index` hands them to Whoosh."""
    # Tags rank like headings (search.index indexes them in the headings field).
    return doc.title, "\n".join((*doc.headings, *doc.tags)), doc.body


def _parts(analyzer) -> tuple | None:
    """(pattern, stop words, min size, stem function) of a Whoosh analyzer of the usual shape.

    The parts are read from the analyzer itself, so they follow `search.schema`; None when its
    shape is not tokenizer | lower case | stop words [| stemmer] (then it is called as is).
    """
    items = list(getattr(analyzer, "items", ()))
    kinds = [type(i) for i in items]
    if kinds[:3] != [RegexTokenizer, LowercaseFilter, StopFilter] or len(items) > 4:
        return None
    tokenizer, _, stop = items[:3]
    if tokenizer.gaps or stop.max is not None:
        return None
    stem_fn = None
    if len(items) == 4:
        if not isinstance(items[3], StemFilter) or items[3].ignore:
            return None
        stem_fn = items[3].stemfn
    return tokenizer.expression, frozenset(stop.stops), stop.min, stem_fn


_STEMMER = _parts(STEMMER)
_WORDS = _parts(WORDS)
#: One pass gives both the terms and the spelling words when both analyzers share the
#: tokenizer and stop words (they do: search.schema builds both from the definition).
_SHARED = (
    _STEMMER is not None
    and _WORDS is not None
    and _STEMMER[3] is not None
    and _WORDS[3] is None
    and _STEMMER[:3] == _WORDS[:3]
)


def _kept(text: str, parts: tuple) -> list[str]:
    pattern, stops, min_size, _ = parts
    # Whoosh's tokenizer, then its LowercaseFilter and StopFilter (renumbering positions).
    words = (m.group().lower() for m in pattern.finditer(text))
    return [w for w in words if len(w) >= min_size and w not in stops]


@functools.lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    assert _STEMMER is not None and _STEMMER[3] is not None
    return _STEMMER[3](word)


def terms_of(text: str) -> list[str]:
    """The index terms of `text`, in order (stop words dropped and positions renumbered).

    Exactly `search.schema.STEMMER`'s tokens (tests/browser/test_browser_index.py compares them); a
    single pass of its own parts is several times faster than its generator chain, which
    matters at 5,000 pages.
    """
    if _STEMMER is None or _STEMMER[3] is None:
        return [t.text for t in STEMMER(text)]
    return [_stem(w) for w in _kept(text, _STEMMER)]


def words_of(text: str) -> list[str]:
    """The unstemmed words of `text` that form the spelling vocabulary (`search.schema.WORDS`)."""
    if _WORDS is None:
        return [t.text for t in WORDS(text)]
    return _kept(text, _WORDS)


def analyse_text(text: str) -> tuple[list[str], list[str]]:
    """(`terms_of`, `words_of`) of `text`, from one tokenization when the analyzers allow."""
    if not _SHARED:
        return terms_of(text), words_of(text)
    words = _kept(text, _STEMMER)
    return [_stem(w) for w in words], words


@dataclass(frozen=True)
class AnalysedRecord:
    """One record's statistics.

    Attributes:
        doc: the record.
        terms: per ranked field, the term sequence (for frequencies, lengths and phrases).
        words: the distinct unstemmed words of the record (its spelling vocabulary).
    """

    doc: Document
    terms: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]
    words: frozenset[str]

    def frequencies(self, field: int) -> Counter[str]:
        """Term -> frequency in one ranked field (0 title, 1 headings, 2 body)."""
        return Counter(self.terms[field])


def analyse(docs: Iterable[Document]) -> list[AnalysedRecord]:
    """Analyse `docs`, keeping their order (the order Whoosh numbers them in)."""
    records = []
    for doc in docs:
        analysed = [analyse_text(v) for v in field_values(doc)]
        terms = tuple(tuple(t) for t, _ in analysed)
        words = frozenset(w for _, ws in analysed for w in ws)
        records.append(AnalysedRecord(doc, terms, words))  # type: ignore[arg-type]
    return records
