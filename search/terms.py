"""Query words and the index terms they stand for: the one reading of a word that queries,
synonym phrases and the browser engine's manifest share.

Kept apart from `search.query` (which needs Whoosh's searching, matching and highlighting
modules) so that a build, which compiles synonyms but never searches, imports only this.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from whoosh.lang.porter import stem

from search import definition
from search.schema import STEMMER

_WORD = re.compile(definition.WORD_PATTERN, re.UNICODE)

QUESTION_WORDS = frozenset(definition.QUESTION_WORDS)
_INDEX_STOPS = frozenset(definition.INDEX_STOP_WORDS)
_SKIP = _INDEX_STOPS | QUESTION_WORDS


@dataclass(frozen=True)
class Token:
    """A word of the query with its position in the query text."""

    word: str  # lower case, as typed
    term: str  # stemmed form used in the index ("" when the word is a stop word)
    start: int
    end: int
    quoted: int | None = None  # index of the quoted phrase it belongs to
    stem: str = ""  # stemmed form even of a stop word ("" for a single letter): exact phrases


def _query_terms(text: str) -> list[str]:
    """The query terms of `text`, word by word as `tokenize` gives them (question words and
    stop words skipped, "-ed"/"-ing" terms undoubled): what synonym phrases are keyed on."""
    out = []
    for word in _WORD.findall(text.lower()):
        term = _undoubled(word, _term(word))
        if term:
            out.append(term)
    return out


def _term(word: str) -> str:
    if word in _SKIP:
        return ""
    terms = [t.text for t in STEMMER(word, mode="query")]
    return terms[0] if terms else ""


def _stem(word: str) -> str:
    return stem(word) if len(word) >= definition.MIN_WORD_LENGTH else ""


def _exact_key(text: str) -> tuple[str, ...]:
    return tuple(
        s for s in (_undoubled(w, _stem(w)) for w in (w.lower() for w in _WORD.findall(text))) if s
    )


_UNDOUBLE_LETTERS = frozenset(str(definition.UNDOUBLE["letters"]))
_UNDOUBLE_SUFFIXES = tuple(definition.UNDOUBLE["suffixes"])
_VARIANT_RULES = [
    (re.compile(pattern), replacement)
    for pattern, replacement in definition.SPELLING_VARIANTS["rules"]
]


def _undoubled(word: str, term: str) -> str:
    """`term` of `word` without the doubled last letter Whoosh's Porter leaves after "-ed" or
    "-ing" ("logged" -> "logg" -> "log"; ``UNDOUBLE``): the query's term for the word."""
    if (
        word.endswith(_UNDOUBLE_SUFFIXES)
        and len(term) > 2
        and term[-1] == term[-2]
        and term[-1] in _UNDOUBLE_LETTERS
    ):
        return term[:-1]
    return term


def spellings(word: str) -> list[str]:
    """The other spellings of `word` (``SPELLING_VARIANTS``): "colour" -> ["color"]."""
    if len(word) < int(definition.SPELLING_VARIANTS["min_length"]):
        return []
    out = []
    for pattern, replacement in _VARIANT_RULES:
        if pattern.search(word):
            other = pattern.sub(replacement, word, count=1)
            if other != word and other not in out:
                out.append(other)
    return out


def alternatives(word: str, term: str) -> list[str]:
    """Index terms a plain query word also matches, besides its own `term` (undoubled:
    ``UNDOUBLE``): the term as the index has it ("logg") and the terms of its other
    spellings (``SPELLING_VARIANTS``: "colour" -> "color")."""
    out: list[str] = []
    indexed = _term(word)  # as the index has it: "logg" for "logged"
    if indexed and indexed != term:
        out.append(indexed)
    for other in spellings(word):
        alt = _term(other)
        if alt and alt != term and alt not in out:
            out.append(alt)
    return out
