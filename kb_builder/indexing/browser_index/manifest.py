"""The manifest: what the engine needs before its first query, and nothing per term.

It holds the search definition (`search.definition.as_dict()`, so the engine never hard-codes a
ranking constant), Whoosh's BM25F parameters and length decoding, the global statistics
(record count, average field lengths), each record's kind and page, the synonym rules compiled
by `search.query.Synonyms` (the same rules `kb search` applies) and the layout of the parts.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence

from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length

from kb_builder.indexing.browser_index.analysis import FIELDS
from kb_builder.indexing.browser_index.collect import Statistics
from search import definition, schema
from search.documents import KINDS
from search.schema import STEMMER
from search.synonyms import Synonyms

#: Bump when the layout of the parts changes (the engine refuses a manifest it cannot read).
FORMAT = 1


def skip_words() -> frozenset[str]:
    """Words queries never rank on: the index's stop words and clients' question words."""
    return frozenset(definition.INDEX_STOP_WORDS) | frozenset(definition.QUESTION_WORDS)


def query_term(word: str) -> str:
    """A query word's index term, as the engine computes it ("" for a skipped word)."""
    if word in skip_words():
        return ""
    terms = [t.text for t in STEMMER(word, mode="query")]
    return terms[0] if terms else ""


def record_boost(kind: str, page_url: str) -> float:
    """The whole-record boost Whoosh gives a record (`search.schema.record_boost`)."""
    boost = getattr(schema, "record_boost", None)
    if boost is not None:
        return float(boost(kind, page_url))
    return float(definition.KIND_BOOSTS.get(kind, 1.0))


def synonym_rules(mapping: Mapping[str, Sequence[str]] | None) -> dict[str, list]:
    """The compiled synonyms of `search.query.Synonyms`, as the engine matches them.

    ``rules`` (keyed on meaningful terms) and ``exact`` (keyed on every word's stem, for
    phrases such as "log in"): ``[[key], [[canonical words], ...]]`` sorted by key; ``terms``:
    every word of every phrase, which spelling never respells.
    """
    compiled = Synonyms.of(dict(mapping or {}))

    def listed(table: Mapping[tuple[str, ...], list[tuple[str, ...]]]) -> list[list]:
        return [[list(key), [list(words) for words in table[key]]] for key in sorted(table)]

    return {
        "rules": listed(compiled.rules),
        "exact": listed(getattr(compiled, "exact", {})),
        "terms": sorted(getattr(compiled, "terms", ())),
    }


def quoted_term(word: str) -> str:
    """A word's term in an exact phrase: only the index's stop words are dropped."""
    terms = [t.text for t in STEMMER(word, mode="query")]
    return terms[0] if terms else ""


def synonym_phrases(rules: dict[str, list]) -> list[tuple[str, ...]]:
    """The multi-term phrases a synonym can put in a query (their adjacency is precomputed).

    A rule's own words count as the query has them: meaningful terms for an ordinary rule,
    every word but the index's stop words for an exact one ("who answers").
    """
    phrases = set()
    for key, _ in rules["rules"]:
        phrases.add(tuple(key))
    for key, _ in rules["exact"]:
        phrases.add(tuple(t for t in (quoted_term(w) for w in key) if t))
    for _, targets in rules["rules"] + rules["exact"]:
        for words in targets:
            phrases.add(tuple(t for t in (query_term(w) for w in words) if t))
    return sorted(p for p in phrases if len(p) > 1)


def build_manifest(
    stats: Statistics,
    *,
    edition: str,
    rules: dict[str, list],
    shard_count: int,
    chunk_starts: list[int],
    vocabulary: list[str],
    general: list[str],
    phrases: list[str],
) -> dict:
    """The manifest's data (see the module docstring), from the records' `Statistics`."""
    n = stats.records
    totals = stats.field_totals
    pages = stats.page_records
    boosts = stats.boosts
    distinct = sorted(set(boosts))
    weighting = BM25F()
    data = {
        "format": FORMAT,
        "edition": edition,
        "definition": definition.as_dict(),
        "fields": list(FIELDS),
        "bm25": {"B": weighting.B, "K1": weighting.K1},
        "length_of_byte": [byte_to_length(b) for b in range(256)],
        "records": n,
        "avg_length": [t / (n or 1) for t in totals],
        "kinds": list(KINDS),
        "record_kinds": "".join(chr(97 + KINDS.index(kind)) for kind in stats.kinds),
        "page_records": pages,
        # Whole-record boosts (kind, home page): the distinct values, and one letter a record.
        "boosts": distinct,
        "record_boosts": "".join(chr(97 + distinct.index(b)) for b in boosts),
        "shards": shard_count,
        "chunk_starts": chunk_starts,
        "vocabulary": vocabulary,
        "general": general,
        "synonyms": rules,
        # Phrases whose adjacency the shards hold ("~" entries), so the engine knows that a
        # missing entry means "never adjacent", not "unknown".
        "phrases": phrases,
    }
    raw = json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")
    data["version"] = hashlib.blake2b(raw, digest_size=8).hexdigest()
    return data
