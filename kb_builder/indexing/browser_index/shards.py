"""The browser index's parts: term shards, vocabulary shards and record chunks.

A query needs the postings of its few terms, never the whole index, so postings are spread over
shards by a hash of the term (`shard_of`, CRC-32 of the UTF-8 bytes, which the JavaScript engine
computes the same way). A posting list holds, per ranked field, the flat triples ``[record
delta, frequency, length byte]``: the engine computes Whoosh's BM25F from them with the
manifest's global statistics. The length byte is Whoosh's own lossy field-length encoding
(`whoosh.util.numeric.length_to_byte`), so the engine normalises by the same length Whoosh does.

Phrases (the multi-word phrases of the synonyms, which Whoosh scores higher when their words
stand together) are precomputed: an entry ``"~term term"`` in the shard of that key lists, per
field, the records where the phrase occurs.

The spelling vocabulary (unstemmed words and their record counts) is split by first letter and
length, so a correction loads only the few shards its candidates can be in. What a result shows
(URL, titles, kind, body for the snippet) is in record chunks, loaded for the top results only.
"""

from __future__ import annotations

import json
import zlib
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable

#: A term shard's raw size the shard count aims at: small enough that a query of a few words
#: downloads a few tens of KB gzip, large enough that a 25-page site is a handful of files.
SHARD_TARGET_BYTES = 24_000
#: A record chunk closes once it holds this much raw text.
CHUNK_TARGET_BYTES = 12_000
PHRASE_PREFIX = "~"


def key_hash(text: str) -> int:
    """CRC-32 of `text`'s UTF-8 bytes (the engine's `keyHash` gives the same).

    CRC-32 because zlib computes it in C: hashing the 82,765 general words in Python byte by
    byte (FNV-1a) was most of the index's fixed cost on a small site.
    """
    return zlib.crc32(text.encode("utf-8"))


def shard_of(key: str, count: int) -> int:
    """The shard that holds `key` among `count` shards."""
    return key_hash(key) % count


def raw_size(entries: Iterable[tuple[str, int]]) -> int:
    """The raw bytes that (key, numbers in its entry) pairs take in shards, roughly."""
    return sum(len(key) + 8 + numbers * 3 for key, numbers in entries)


def shard_count(size: int) -> int:
    """A power of two that keeps shards near `SHARD_TARGET_BYTES` on average (`raw_size`)."""
    count = 1
    while size / count > SHARD_TARGET_BYTES:
        count *= 2
    return count


def vocabulary_key(word: str) -> str:
    """The vocabulary shard of `word`: its first letter's code point and its length."""
    return f"{ord(word[0]):x}-{len(word)}"


def vocabulary_shards(word_records: dict[str, int]) -> dict[str, dict[str, int]]:
    """Vocabulary shard key -> {word: records containing it}, for spelling corrections."""
    shards: dict[str, dict[str, int]] = defaultdict(dict)
    for word in sorted(word_records):
        shards[vocabulary_key(word)][word] = word_records[word]
    return dict(sorted(shards.items()))


def general_key(word: str) -> str:
    """The general-word shard of `word`: its first letter's code point.

    By first letter alone: a word and the bases that vouch for it ("printers" -> "printer")
    are then in one file, and the fixed list of every build makes a few dozen files.
    """
    return f"{ord(word[0]):x}"


def general_shards(words: Iterable[str]) -> dict[str, array]:
    """The general English word list (`search.spelling.general_words`), by first letter.

    The engine loads the shard of a word the help centre lacks to tell a correct English word
    ("refund", "wont") from a typo, as `search.spelling.is_general_word` does. Words are
    shipped as their sorted CRC-32 hashes, delta-encoded, never as text: the list is
    only asked "is this word in it?", and in text it would put words into the public site
    that canary tests rightly refuse ("sentry" is English, and the name of an internal tool).
    A false "yes" needs a hash collision among a few thousand words of one letter: about one
    word in a million, which is then merely left uncorrected.

    Returns:
        shard key -> the deltas as 32-bit unsigned numbers (``list(...)`` for JSON). An array
        holds 4 bytes a number where a list of Python ints holds 36: the list is kept for
        every build of a process, and was several MB at the build's peak.
    """
    crc32 = zlib.crc32
    by_letter: dict[str, array] = defaultdict(lambda: array("I"))
    for word in words:  # 82,765 words on every build: hashed as they come, never kept
        if word:
            by_letter[word[0]].append(crc32(word.encode()))
    parts = {}
    for letter, group in by_letter.items():
        hashes = sorted(set(group))  # one letter's numbers at a time
        parts[general_key(letter)] = array(
            "I", [b - a for a, b in zip([0, *hashes[:-1]], hashes, strict=True)]
        )
    return {key: parts[key] for key in sorted(parts)}


class RecordChunks:
    """What results show, ``[url, title, page title, kind, body]`` per record, in chunks.

    A chunk closes once it holds `CHUNK_TARGET_BYTES` of raw text and is handed to `write`
    (chunk number, rows) at once, so no more than one chunk is held.
    """

    def __init__(self, write: Callable[[int, list[list[str]]], object]):
        self._write = write
        self._rows: list[list[str]] = []
        self._size = 0
        self._first = 0
        #: The number of the first record of each chunk written.
        self.starts: list[int] = []

    def add(self, url: str, title: str, page_title: str, kind: str, body: str) -> None:
        """Append one record's row (records in index order)."""
        row = [url, title, page_title, kind, body]
        row_size = len(json.dumps(row, ensure_ascii=False))
        if self._rows and self._size + row_size > CHUNK_TARGET_BYTES:
            self._flush()
        self._rows.append(row)
        self._size += row_size

    def close(self) -> None:
        """Write the last chunk."""
        if self._rows:
            self._flush()

    def _flush(self) -> None:
        self._write(len(self.starts), self._rows)
        self.starts.append(self._first)
        self._first += len(self._rows)
        self._rows, self._size = [], 0
