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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb_builder.indexing.browser_index import shards
from kb_builder.indexing.browser_index.analysis import analyse
from kb_builder.indexing.browser_index.manifest import (
    build_manifest,
    synonym_phrases,
    synonym_rules,
)
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


def _general_words() -> frozenset[str]:
    # search.spelling exists once the Whoosh side tells English words from typos; without it
    # there is no list, and the engine respells every word the help centre lacks, as Whoosh.
    try:
        from search.spelling import general_words
    except ImportError:
        return frozenset()
    return general_words()


@functools.lru_cache(maxsize=1)
def _general_shards() -> dict[str, list[int]]:
    # The same list on every build of a process (kb serve rebuilds on each change).
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
    docs = list(documents)
    kept = [d for d in docs if visible(d, edition)]
    records = analyse(kept)
    rules = synonym_rules(synonyms)
    entries = shards.postings(records)
    phrases = synonym_phrases(rules)
    entries.update(shards.phrase_postings(records, phrases))
    count = shards.shard_count(entries)
    writer = Writer(Path(site_dir) / INDEX_DIR)
    for i, shard in enumerate(shards.term_shards(entries, count)):
        writer.write(f"t/{i}", shard)
    vocabulary = shards.vocabulary_shards(records)
    for key, words in vocabulary.items():
        writer.write(f"v/{key}", words)
    general = _general_shards()
    for key, words in general.items():
        writer.write(f"g/{key}", words)
    starts, first = [], 0
    for i, chunk in enumerate(shards.record_chunks(records)):
        writer.write(f"r/{i}", chunk)
        starts.append(first)
        first += len(chunk)
    manifest = build_manifest(
        records,
        edition=edition,
        rules=rules,
        shard_count=count,
        chunk_starts=starts,
        vocabulary=list(vocabulary),
        general=list(general),
        phrases=[" ".join(p) for p in phrases],
    )
    writer.write("manifest", manifest)
    return Summary(
        writer.root,
        len(records),
        len(docs) - len(kept),
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
