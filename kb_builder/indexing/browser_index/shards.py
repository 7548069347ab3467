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
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from whoosh.util.numeric import length_to_byte

from kb_builder.indexing.browser_index.analysis import FIELDS, AnalysedRecord

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


def postings(records: Sequence[AnalysedRecord]) -> dict[str, list[list[int]]]:
    """Term -> per field, the flat ``[record delta, frequency, length byte, ...]`` list."""
    per_field: list[dict[str, list[int]]] = [{} for _ in FIELDS]
    last: list[dict[str, int]] = [{} for _ in FIELDS]
    for rec_id, record in enumerate(records):
        for field, seq in enumerate(record.terms):
            if not seq:
                continue
            length_byte = length_to_byte(len(seq))
            lists, seen = per_field[field], last[field]
            # Counter keeps first-occurrence order, so the output is deterministic unsorted.
            for term, freq in Counter(seq).items():
                entry = lists.get(term)
                if entry is None:
                    lists[term] = [rec_id, freq, length_byte]
                else:
                    entry += (rec_id - seen[term], freq, length_byte)
                seen[term] = rec_id
    out: dict[str, list[list[int]]] = {}
    for field, lists in enumerate(per_field):
        for term, entry in lists.items():
            out.setdefault(term, [[] for _ in FIELDS])[field] = entry
    return out


def phrase_postings(
    records: Sequence[AnalysedRecord], phrases: Iterable[Sequence[str]]
) -> dict[str, list[list[int]]]:
    """``"~t1 t2"`` -> per field, the delta-encoded records where the phrase occurs."""
    by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for phrase in sorted({tuple(p) for p in phrases if len(p) > 1}):
        by_first[phrase[0]].append(phrase)
    found: dict[tuple[str, ...], list[list[int]]] = {}
    # One pass over every field's terms: only positions holding a phrase's first term are
    # compared, so the cost follows the size of the site, not sites times phrases.
    for rec_id, record in enumerate(records):
        for field in range(len(FIELDS)):
            seq = record.terms[field]
            hits: set[tuple[str, ...]] = set()
            for i, term in enumerate(seq):
                for phrase in by_first.get(term, ()):
                    if phrase not in hits and seq[i : i + len(phrase)] == phrase:
                        hits.add(phrase)
            for phrase in hits:
                found.setdefault(phrase, [[] for _ in FIELDS])[field].append(rec_id)
    out: dict[str, list[list[int]]] = {}
    for phrase in sorted(found):
        out[PHRASE_PREFIX + " ".join(phrase)] = [_deltas(ids) for ids in found[phrase]]
    return out


def _deltas(ids: Sequence[int]) -> list[int]:
    previous, out = 0, []
    for i in ids:
        out.append(i - previous)
        previous = i
    return out


def _raw_size(entries: dict[str, list[list[int]]]) -> int:
    return sum(len(k) + 8 + sum(len(p) for p in v) * 3 for k, v in entries.items())


def shard_count(entries: dict[str, list[list[int]]]) -> int:
    """A power of two that keeps shards near `SHARD_TARGET_BYTES` on average."""
    count = 1
    while _raw_size(entries) / count > SHARD_TARGET_BYTES:
        count *= 2
    return count


def term_shards(entries: dict[str, list[list[int]]], count: int) -> list[dict]:
    """`entries` split into `count` shards, each a dict sorted by key."""
    shards: list[dict] = [{} for _ in range(count)]
    for key in sorted(entries):
        shards[shard_of(key, count)][key] = entries[key]
    return shards


def vocabulary_key(word: str) -> str:
    """The vocabulary shard of `word`: its first letter's code point and its length."""
    return f"{ord(word[0]):x}-{len(word)}"


def vocabulary_shards(records: Sequence[AnalysedRecord]) -> dict[str, dict[str, int]]:
    """Vocabulary shard key -> {word: records containing it}, for spelling corrections."""
    df: dict[str, int] = defaultdict(int)
    for record in records:
        for word in record.words:
            df[word] += 1
    shards: dict[str, dict[str, int]] = defaultdict(dict)
    for word in sorted(df):
        shards[vocabulary_key(word)][word] = df[word]
    return dict(sorted(shards.items()))


def general_key(word: str) -> str:
    """The general-word shard of `word`: its first letter's code point.

    By first letter alone: a word and the bases that vouch for it ("printers" -> "printer")
    are then in one file, and the fixed list of every build makes a few dozen files.
    """
    return f"{ord(word[0]):x}"


def general_shards(words: Iterable[str]) -> dict[str, list[int]]:
    """The general English word list (`search.spelling.general_words`), by first letter.

    The engine loads the shard of a word the help centre lacks to tell a correct English word
    ("refund", "wont") from a typo, as `search.spelling.is_general_word` does. Words are
    shipped as their sorted CRC-32 hashes, delta-encoded, never as text: the list is
    only asked "is this word in it?", and in text it would put words into the public site
    that canary tests rightly refuse ("sentry" is English, and the name of an internal tool).
    A false "yes" needs a hash collision among a few thousand words of one letter: about one
    word in a million, which is then merely left uncorrected.
    """
    by_letter: dict[str, list[str]] = defaultdict(list)
    for word in words:  # 82,765 words on every build: kept to the plainest loops
        if word:
            by_letter[word[0]].append(word)
    parts = {}
    for letter, group in by_letter.items():
        hashes = sorted(set(map(zlib.crc32, map(str.encode, group))))
        parts[general_key(letter)] = [b - a for a, b in zip([0, *hashes[:-1]], hashes, strict=True)]
    return {key: parts[key] for key in sorted(parts)}


def record_chunks(records: Sequence[AnalysedRecord]) -> list[list[list[str]]]:
    """What results show, ``[url, title, page title, kind, body]`` per record, in chunks."""
    chunks: list[list[list[str]]] = [[]]
    size = 0
    for record in records:
        doc = record.doc
        row = [doc.url, doc.title, doc.page_title, doc.kind, doc.body]
        row_size = len(json.dumps(row, ensure_ascii=False))
        if chunks[-1] and size + row_size > CHUNK_TARGET_BYTES:
            chunks.append([])
            size = 0
        chunks[-1].append(row)
        size += row_size
    return chunks if chunks[0] else []
