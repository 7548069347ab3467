"""Search records analysed exactly as the Whoosh index analyses them.

The browser executor must score a record as Whoosh does, so the statistics it ships are taken
with Whoosh's own analyzers (`search.schema.STEMMER` for the ranked fields, `search.schema.WORDS`
for the spelling vocabulary) over the same field values `search.index` gives Whoosh: the title,
the headings joined with the tags, and the body.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from search.documents import Document
from search.schema import STEMMER, WORDS

#: The ranked fields, in the order every posting list of the browser index uses.
FIELDS = ("title", "headings", "body")


def field_values(doc: Document) -> tuple[str, str, str]:
    """The text of `doc`'s ranked fields as `search.index` hands them to Whoosh."""
    # Tags rank like headings (search.index indexes them in the headings field).
    return doc.title, "\n".join((*doc.headings, *doc.tags)), doc.body


def terms_of(text: str) -> list[str]:
    """The index terms of `text`, in order (stop words dropped and positions renumbered)."""
    return [t.text for t in STEMMER(text)]


def words_of(text: str) -> list[str]:
    """The unstemmed words of `text` that form the spelling vocabulary."""
    return [t.text for t in WORDS(text)]


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

    def has_phrase(self, field: int, phrase: Sequence[str]) -> bool:
        """Whether `phrase`'s terms stand next to each other, in order, in one field."""
        seq, n = self.terms[field], len(phrase)
        first = phrase[0]
        return any(
            seq[i] == first and tuple(seq[i : i + n]) == tuple(phrase)
            for i in range(len(seq) - n + 1)
        )


def analyse(docs: Iterable[Document]) -> list[AnalysedRecord]:
    """Analyse `docs`, keeping their order (the order Whoosh numbers them in)."""
    records = []
    for doc in docs:
        values = field_values(doc)
        terms = tuple(tuple(terms_of(v)) for v in values)
        words = frozenset(w for v in values for w in words_of(v))
        records.append(AnalysedRecord(doc, terms, words))  # type: ignore[arg-type]
    return records
