"""Search records analysed exactly as the Whoosh index analyses them.

The browser executor must score a record as Whoosh does, so the statistics it ships are taken
with Whoosh's own terms (`search.analysis`, which follows `search.schema.STEMMER` for the ranked
fields and `search.schema.WORDS` for the spelling vocabulary) over the same field values
`search.index` gives Whoosh: the title, the headings joined with the tags, and the body.
"""

from __future__ import annotations

from search import analysis
from search.documents import Document

#: The ranked fields, in the order every posting list of the browser index uses.
FIELDS = ("title", "headings", "body")


def field_values(doc: Document) -> tuple[str, str, str]:
    """The text of `doc`'s ranked fields as `search.index` hands them to Whoosh."""
    # Tags rank like headings (search.index indexes them in the headings field).
    return doc.title, "\n".join((*doc.headings, *doc.tags)), doc.body


def terms_of(text: str) -> list[str]:
    """The index terms of `text`, in order (stop words dropped): `STEMMER`'s tokens."""
    return analysis.terms_of(text)


def words_of(text: str) -> list[str]:
    """The unstemmed words of `text` that form the spelling vocabulary (`WORDS`' tokens)."""
    return analysis.words_of(text)


def analyse_record(doc: Document) -> tuple[list[list[str]], set[str]]:
    """`doc`'s term sequences per ranked field, and its distinct vocabulary words."""
    terms: list[list[str]] = []
    words: set[str] = set()
    for text in field_values(doc):
        analysed = analysis.analyse(text)
        terms.append(analysed.terms)
        words.update(analysed.words)
    return terms, words
