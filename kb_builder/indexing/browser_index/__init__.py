"""The static, chunked search index that the browser's engine queries (issue 11).

One search definition, two executors: the records `kb search` indexes in Whoosh are analysed
with Whoosh's own analyzers and written into the site, so that
``theme/assets/javascripts/kb-search-engine.js`` ranks them with the same rules
(`search.definition`, BM25F, synonyms, per-page collapsing) without a server.

Layout, under ``<site>/assets/kb-search/`` (`INDEX_DIR`), every file a script that registers
itself (``kbSearchChunk(name, data)``), so it loads from ``file://`` too:

- ``manifest.js``: definition, global statistics, record kinds and pages, synonym rules;
- ``t/<n>.js``: term shards (postings by field; see `kb_builder.indexing.browser_index.shards`);
- ``v/<letter>-<length>.js``: the spelling vocabulary, by first letter and length;
- ``g/<letter>.js``: the general English word list (search.spelling) by first letter, as
  hashes (see `kb_builder.indexing.browser_index.shards.general_shards`);
- ``r/<n>.js``: record chunks (URL, titles, kind, body for snippets) of the top results.

Only records the edition may show are written: the public edition's index holds public
records alone, whatever it is given (fail-closed).
"""

from __future__ import annotations

import functools
import time
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb_builder.indexing.browser_index import collect, shards
from kb_builder.indexing.browser_index.analysis import analyse_record
from kb_builder.indexing.browser_index.collect import PhraseHits, PostingLists, Statistics
from kb_builder.indexing.browser_index.manifest import (
    build_manifest,
    record_boost,
    synonym_phrases,
    synonym_rules,
)
from kb_builder.indexing.browser_index.shards import RecordChunks
from kb_builder.indexing.browser_index.writer import Writer
from search.documents import AUDIENCES, Document

#: Where the index lives in the site, relative to its root.
INDEX_DIR = "assets/kb-search"


@dataclass(frozen=True)
class Summary:
    """What `write_index` wrote.

    Attributes:
        root: the index folder.
        records: records indexed.
        refused: records left out because the edition may not show them.
        files: part files written.
        shards: term shards.
        seconds: wall time.
    """

    root: Path
    records: int
    refused: int
    files: int
    shards: int
    seconds: float


def _general_words() -> Iterator[str]:
    # search.spelling exists once the Whoosh side tells English words from typos; without it
    # there is no list, and the engine respells every word the help centre lacks, as Whoosh.
    try:
        from search.spelling import iter_general_words
    except ImportError:
        return iter(())
    return iter_general_words()


@functools.lru_cache(maxsize=1)
def _general_shards() -> dict[str, array]:
    # The same list on every build of a process (kb serve rebuilds on each change). Streamed
    # from the file: the words as a set would hold about 20 MB at the build's peak.
    return shards.general_shards(_general_words())


def visible(doc: Document, edition: str) -> bool:
    """Whether `doc` may be in `edition`'s index (internal sees all, public only public)."""
    return edition == "internal" or doc.audience == "public"


def write_index(
    site_dir: str | Path,
    documents: Iterable[Document],
    *,
    edition: str,
    synonyms: Mapping[str, Sequence[str]] | None = None,
) -> Summary:
    """Write the browser index of `documents` into `site_dir`/`INDEX_DIR`, replacing it.

    Args:
        site_dir: the built site's folder.
        documents: the search records of the edition, in the order the Whoosh index gets them.
        edition: ``"public"`` or ``"internal"``.
        synonyms: client phrase -> canonical phrases (``content/_data/synonyms.yml``).

    Raises:
        ValueError: for an unknown edition.
    """
    if edition not in AUDIENCES:
        raise ValueError(f"unknown edition {edition!r}; use one of {AUDIENCES}")
    started = time.perf_counter()
    rules = synonym_rules(synonyms)
    phrases = synonym_phrases(rules)
    writer = Writer(Path(site_dir) / INDEX_DIR)
    postings, hits, stats = PostingLists(), PhraseHits(phrases), Statistics()
    chunks = RecordChunks(lambda number, rows: writer.write(f"r/{number}", rows))
    given = 0
    # One record at a time: analysed, folded into the accumulators, its row written with its
    # chunk, and dropped (see collect.py).
    for doc in documents:
        given += 1
        if not visible(doc, edition):
            continue
        terms, words = analyse_record(doc)
        rec_id = stats.records
        postings.add(rec_id, terms)
        hits.add(rec_id, terms)
        stats.add(doc.kind, doc.page_url, record_boost(doc.kind, doc.page_url), terms, words)
        chunks.add(doc.url, doc.title, doc.page_title, doc.kind, doc.body)
    chunks.close()
    postings.release()
    terms = postings.terms()
    size = shards.raw_size((t, 0) for t in terms) + 3 * postings.numbers
    count = shards.shard_count(size + shards.raw_size(hits.sizes()))
    phrase_keys = set(hits.keys())
    for i, keys in enumerate(collect.shard_keys([*terms, *phrase_keys], count)):
        shard = {k: hits.entry(k) if k in phrase_keys else postings.pop_entry(k) for k in keys}
        writer.write(f"t/{i}", shard)
    del terms
    vocabulary = shards.vocabulary_shards(stats.word_records)
    for key, words_of_shard in vocabulary.items():
        writer.write(f"v/{key}", words_of_shard)
    general = _general_shards()
    for key, hashes in general.items():
        writer.write(f"g/{key}", list(hashes))
    manifest = build_manifest(
        stats,
        edition=edition,
        rules=rules,
        shard_count=count,
        chunk_starts=chunks.starts,
        vocabulary=list(vocabulary),
        general=list(general),
        phrases=[" ".join(p) for p in phrases],
    )
    writer.write("manifest", manifest)
    return Summary(
        writer.root,
        stats.records,
        given - stats.records,
        len(writer.files),
        count,
        time.perf_counter() - started,
    )


def write_for_site(
    site_dir: str | Path,
    documents: Iterable[Document],
    *,
    edition: str,
    data_dir: str | Path,
    models: Mapping[str, Any] | None = None,
) -> Summary:
    """`write_index` with the synonyms of the content's ``_data/`` folder (the plugin's call).

    Args:
        models: the families' models the build read (their synonyms, without a second reading).
    """
    # Imported here: kb_builder.indexing.synonyms validates with pydantic, which the core API above
    # does not need.
    from kb_builder.indexing.synonyms import load_site_synonyms

    synonyms = load_site_synonyms(data_dir, edition, models)
    return write_index(site_dir, documents, edition=edition, synonyms=synonyms)
