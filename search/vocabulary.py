"""The spelling vocabulary: every unstemmed word of the index and the records it is in.

Spelling corrections ("telefone" -> "telephone") and the typo fallback draw on the words of the
help centre as written, never on stems ("telephon"). They used to be an unstemmed Whoosh field
of their own, which cost 43% of the time of a full index (every word analysed and posted a
second time, with positions and postings nobody read). Corrections only need each word and the
number of records it is in, so that is what a generation keeps: ``vocabulary.json`` next to the
index, written by `search.index.rebuild` and kept exact by incremental rebuilds (a record's old
words are read back from its stored fields and taken off before its new words are counted), so
a word of a page that left the edition leaves the vocabulary with it.

Words are those of `search.schema.WORDS`: the tokenizer's words, lower case, stop words and
words shorter than ``MIN_WORD_LENGTH`` dropped.
"""

from __future__ import annotations

import bisect
import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from search import definition

FILE = "vocabulary.json"

_WORD = re.compile(definition.WORD_PATTERN, re.UNICODE)
_STOPS = frozenset(definition.INDEX_STOP_WORDS)
_MIN = int(definition.MIN_WORD_LENGTH)
# After every word that starts with a prefix, in code point order.
_LAST = "\U0010ffff"


def words_of(*texts: str) -> set[str]:
    """The distinct vocabulary words of `texts` (as `search.schema.WORDS` analyses them)."""
    found: set[str] = set()
    for text in texts:
        for match in _WORD.finditer(text):
            word = match.group().lower()
            if len(word) >= _MIN and word not in _STOPS:
                found.add(word)
    return found


class Vocabulary:
    """Word -> number of records it is in, with the edit-distance walk corrections need.

    Args:
        counts: word -> records (words with no record are dropped).
    """

    def __init__(self, counts: dict[str, int] | None = None):
        self.counts: dict[str, int] = {w: n for w, n in (counts or {}).items() if n > 0}
        self._sorted: list[str] | None = None

    def add(self, words: Iterable[str]) -> None:
        """Count one record that has `words` (distinct)."""
        counts = self.counts
        for word in words:
            counts[word] = counts.get(word, 0) + 1
        self._sorted = None

    def remove(self, words: Iterable[str]) -> None:
        """Take off one record that had `words` (distinct)."""
        counts = self.counts
        for word in words:
            left = counts.get(word, 0) - 1
            if left > 0:
                counts[word] = left
            else:
                counts.pop(word, None)
        self._sorted = None

    def frequency(self, word: str) -> int:
        """Records that have `word` (0 when none has)."""
        return self.counts.get(word, 0)

    def __contains__(self, word: object) -> bool:
        return word in self.counts

    def __len__(self) -> int:
        return len(self.counts)

    def within(self, word: str, maxdist: int, prefix: int = 0) -> Iterator[str]:
        """Words within `maxdist` Levenshtein edits of `word` that start with its first
        `prefix` letters (what Whoosh's ``terms_within`` gave on the former field).

        The words are walked in sorted order, as a trie would be: the rows of the edit
        distance table are shared by words with a common start, and once every cell of a
        row exceeds `maxdist`, every word with that start is skipped by bisection.
        """
        if self._sorted is None:
            self._sorted = sorted(self.counts)
        words = self._sorted
        start = word[:prefix]
        lo = bisect.bisect_left(words, start)
        hi = bisect.bisect_left(words, start + _LAST, lo)
        rest = word[len(start) :]
        width = len(rest)
        # rows[d]: the edit distances of `rest` against the first d letters after the prefix.
        rows: list[list[int]] = [list(range(width + 1))]
        previous = ""
        i = lo
        while i < hi:
            candidate = words[i][len(start) :]
            shared = 0
            limit = min(len(previous), len(candidate), len(rows) - 1)
            while shared < limit and previous[shared] == candidate[shared]:
                shared += 1
            del rows[shared + 1 :]
            pruned = False
            for d in range(shared, len(candidate)):
                above = rows[d]
                letter = candidate[d]
                row = [above[0] + 1]
                for j in range(1, width + 1):
                    row.append(
                        min(
                            above[j] + 1,
                            row[j - 1] + 1,
                            above[j - 1] + (rest[j - 1] != letter),
                        )
                    )
                rows.append(row)
                if min(row) > maxdist:
                    # No word starting with these letters can come back within reach.
                    dead = start + candidate[: d + 1]
                    previous = candidate[: d + 1]
                    i = bisect.bisect_left(words, dead + _LAST, i + 1, hi)
                    pruned = True
                    break
            if pruned:
                continue
            if rows[len(candidate)][width] <= maxdist:
                yield words[i]
            previous = candidate
            i += 1

    def write(self, folder: str | os.PathLike[str]) -> None:
        """Write ``vocabulary.json`` into `folder` (durably: a generation is complete only
        once its files are)."""
        path = Path(folder) / FILE
        with open(path, "w", encoding="utf-8") as f:
            json.dump(self.counts, f, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
            f.flush()
            os.fsync(f.fileno())

    @classmethod
    def read(cls, folder: str | os.PathLike[str]) -> Vocabulary | None:
        """The vocabulary of the generation in `folder`, or None when it has none."""
        try:
            data = json.loads((Path(folder) / FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict):
            return None
        return cls({str(w): int(n) for w, n in data.items() if isinstance(n, int)})

    @classmethod
    def counting(cls, records: Iterable[Iterable[str]]) -> Vocabulary:
        """The vocabulary of `records`, each given as its distinct words."""
        counts: Counter[str] = Counter()
        for words in records:
            counts.update(words)
        return cls(dict(counts))
