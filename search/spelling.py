"""Telling a typo from a word the help centre simply lacks, and choosing its correction.

A client's word found nowhere in the index is not, by that alone, a typo: "wont", "refund" or
"cheque" are ordinary English that this help centre happens not to use, and respelling them
into its own words ("want", "return") answers a question nobody asked. So a word is respelt
only when it is in none of:

- the index vocabulary (it would have been found);
- a general English word list (`general_words`, shipped by symspellpy: 82,765 words from
  Google Books n-grams intersected with the SCOWL lists, British spellings included, MIT
  licence, 1.3 MB of text, read once in about 40 ms and only when a query has a word the
  index lacks);
- the site's own terms (the words of the synonyms, given by the caller).

The correction is then the index word closest to it on a keyboard-aware edit distance
(`distance`), and among equally close ones the most frequent. The constants are those of
`search.definition` (``CORRECTION``, ``GENERAL_WORDS``, ``KEYBOARD_ROWS``).
"""

from __future__ import annotations

import functools
import importlib.util
import logging
from collections.abc import Iterator
from pathlib import Path

from search import definition

log = logging.getLogger(__name__)


@functools.cache
def general_word_file() -> Path | None:
    """The general English word list's file (lines "word count"), None without the package.

    The list is a data file of the symspellpy package; the package's code is never imported
    (nothing of it is needed, and importing it would cost time on every first query). Without
    the package a warning says so once: every word the index lacks is then a candidate for
    respelling, as before the list existed.
    """
    spec = importlib.util.find_spec(str(definition.GENERAL_WORDS["package"]))
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        path = Path(location) / str(definition.GENERAL_WORDS["file"])
        if path.is_file():
            return path
    log.warning(
        "no general word list (install %s): search may respell correct English words",
        definition.GENERAL_WORDS["package"],
    )
    return None


@functools.cache
def general_words() -> frozenset[str]:
    """The general English word list (lower case), read once per process."""
    path = general_word_file()
    if path is None:
        return frozenset()
    # Every other whitespace-separated item is a word. One read and one split (about 40 ms)
    # instead of a loop over 82,765 lines.
    return frozenset(path.read_text(encoding="utf-8").lower().split()[0::2])


def iter_general_words() -> Iterator[str]:
    """The words of `general_words`, in the file's order (repeats possible), line by line.

    For a caller that needs each word once and not the set (the browser index hashes them):
    the set and the file's split text hold about 20 MB, this holds one line.
    """
    path = general_word_file()
    if path is None:
        return
    word_next = True  # the same items as general_words' split()[0::2], whatever the lines
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            for item in line.lower().split():
                if word_next:
                    yield item
                word_next = not word_next


def is_general_word(word: str) -> bool:
    """True when `word` (lower case) is ordinary English, so never a typo to correct.

    A few inflections the list lacks are accepted through their base word ("printers",
    "logged") so that only words unknown in every form are respelt.
    """
    words = general_words()
    if word in words:
        return True
    return any(
        word.endswith(suffix)
        and len(word) - len(suffix) >= 3
        and word[: -len(suffix)] + base in words
        for suffix, base in _INFLECTIONS
    )


#: Endings whose base word in the list vouches for the inflected word: (ending, base ending).
_INFLECTIONS = (("s", ""), ("es", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"))


@functools.cache
def _neighbours() -> dict[str, frozenset[str]]:
    """Keys next to each key: left and right in a row, and the keys above and below."""
    rows = list(definition.KEYBOARD_ROWS)
    near: dict[str, set[str]] = {}
    for r, row in enumerate(rows):
        for c, key in enumerate(row):
            keys = near.setdefault(key, set())
            for other_row in (r - 1, r, r + 1):
                if 0 <= other_row < len(rows):
                    for dc in (-1, 0, 1):
                        if 0 <= c + dc < len(rows[other_row]):
                            keys.add(rows[other_row][c + dc])
            keys.discard(key)
    return {key: frozenset(keys) for key, keys in near.items()}


def distance(typed: str, word: str) -> float:
    """Edit distance from `typed` to `word` that counts likely slips as less than one edit.

    An optimal-string-alignment distance (insertions, deletions, substitutions and swaps of
    neighbouring letters): a substitution by a neighbouring key costs
    ``CORRECTION["keyboard_cost"]`` and a swap ``CORRECTION["transposition_cost"]``, because
    those are the slips fingers make, so "tivket" is closer to "ticket" than to "tinkle".
    """
    keyboard = float(definition.CORRECTION["keyboard_cost"])
    swap = float(definition.CORRECTION["transposition_cost"])
    near = _neighbours()
    n, m = len(typed), len(word)
    d = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        d[i][0] = float(i)
    for j in range(m + 1):
        d[0][j] = float(j)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            a, b = typed[i - 1], word[j - 1]
            if a == b:
                cost = 0.0
            elif b in near.get(a, ()):
                cost = keyboard
            else:
                cost = 1.0
            best = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a == word[j - 2] and typed[i - 2] == b:
                best = min(best, d[i - 2][j - 2] + swap)
            d[i][j] = best
    return d[n][m]


def max_edits(word: str) -> int:
    """How many edits a correction of `word` may be away (0: never correct it)."""
    if len(word) < int(definition.CORRECTION["min_length"]):
        return 0
    return definition.by_length(definition.CORRECTION["max_edits"], len(word))


def prefix_length(word: str) -> int:
    """Letters a correction must share with the start of `word` (see ``CORRECTION``)."""
    return definition.by_length(definition.CORRECTION["prefix"], len(word))


def best_correction(typed: str, candidates: dict[str, int]) -> str | None:
    """The closest of `candidates` (word -> records it is in), the most frequent on a tie.

    Candidates farther than `max_edits` (on the keyboard-aware `distance`) or found in fewer
    than ``CORRECTION["min_doc_frequency"]`` records are never chosen.
    """
    limit = max_edits(typed)
    least = int(definition.CORRECTION["min_doc_frequency"])
    scored = []
    for word, df in candidates.items():
        if word == typed or df < least:
            continue
        cost = distance(typed, word)
        if cost <= limit:
            # Closest first; then the commonest; then alphabetical, so the choice is stable.
            scored.append((cost, -df, word))
    return min(scored)[2] if scored else None
