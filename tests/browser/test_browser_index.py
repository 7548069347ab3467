"""The browser's static search index: the same records as Whoosh, sharded, bounded, public-safe.

Real builds: `write_index` on records in tmp_path, and the demo site built by `kb build`.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

from whoosh import index as whoosh_index

from kb_builder.indexing.browser_index import INDEX_DIR, shards, write_index
from search.documents import Document
from search.index import current_generation

CANARY = "CANARY-BROWSER-INDEX-5d2e"
_PART = re.compile(r'^kbSearchChunk\("([^"]+)",(.*)\);\n$', re.S)


def read_part(path: Path) -> tuple[str, object]:
    """The name and data of one part file (a self-registering script)."""
    match = _PART.match(path.read_text(encoding="utf-8"))
    assert match, f"{path} is not a kbSearchChunk(...) script"
    return match.group(1), json.loads(match.group(2))


def records(n: int, *, internal: bool = False) -> list[Document]:
    words = ["ticket", "permit", "citation", "report", "password", "preview", "invoice"]
    docs = []
    for i in range(n):
        body = " ".join(f"{words[(i * 7 + k) % len(words)]}{k % 13}" for k in range(120))
        docs.append(
            Document(
                id=f"p{i}/",
                url=f"p{i}/",
                title=f"Page {i} {words[i % 7]}",
                body=body,
                page_title=f"Page {i}",
            )
        )
    if internal:
        docs.append(
            Document(
                id="agents/",
                url="agents/",
                title=f"Agents {CANARY}",
                body=f"secret {CANARY}",
                audience="internal",
                page_title="Agents",
            )
        )
    return docs


def all_bytes(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file())


def test_public_index_never_holds_internal_records(tmp_path):
    public = write_index(tmp_path / "pub", records(5, internal=True), edition="public")
    internal = write_index(tmp_path / "int", records(5, internal=True), edition="internal")
    assert public.refused == 1 and public.records == 5
    assert CANARY.encode() not in all_bytes(public.root)
    assert CANARY.lower().encode() not in all_bytes(public.root)
    # The same writer does put it in the internal edition: the check above can fail.
    assert CANARY.encode() in all_bytes(internal.root)


def test_output_is_deterministic(tmp_path):
    docs = records(40)
    synonyms = {"sandbox": ["preview environment"], "system is down": ["critical outage"]}
    a = write_index(tmp_path / "a", docs, edition="public", synonyms=synonyms)
    b = write_index(tmp_path / "b", docs, edition="public", synonyms=synonyms)
    files_a = sorted(p.relative_to(a.root) for p in a.root.rglob("*.js"))
    files_b = sorted(p.relative_to(b.root) for p in b.root.rglob("*.js"))
    assert files_a == files_b
    for rel in files_a:
        assert (a.root / rel).read_bytes() == (b.root / rel).read_bytes(), rel


def test_every_term_is_in_its_hashed_shard_and_shards_are_bounded(tmp_path):
    summary = write_index(tmp_path, records(600), edition="public")
    _, manifest = read_part(summary.root / "manifest.js")
    assert manifest["shards"] == summary.shards > 1
    seen = set()
    for path in sorted((summary.root / "t").glob("*.js")):
        name, data = read_part(path)
        number = int(name.split("/")[1])
        for term in data:
            assert shards.shard_of(term, manifest["shards"]) == number
            assert term not in seen
            seen.add(term)
        # Bounded: about SHARD_TARGET_BYTES on average, never a whole index in one file.
        assert len(path.read_bytes()) < 4 * shards.SHARD_TARGET_BYTES
    assert {"ticket0", "permit1", "page"} <= seen


def test_key_hash_known_values():
    # CRC-32's published check value and two more: the engine's keyHash computes the same
    # (tests/browser/test_browser_engine.py compares them on every term of the demo).
    assert shards.key_hash("123456789") == 0xCBF43926
    assert shards.key_hash("") == 0
    assert shards.key_hash("a") == 0xE8B7BE43


def test_demo_index_holds_the_whoosh_records_in_whoosh_order(demo_site):
    root = demo_site / INDEX_DIR
    _, manifest = read_part(root / "manifest.js")
    rows = []
    for i in range(len(manifest["chunk_starts"])):
        rows += read_part(root / f"r/{i}.js")[1]
    assert len(rows) == manifest["records"] == len(manifest["record_kinds"])
    generation = current_generation(demo_site.parent / "project" / ".kb" / "index" / "public")
    assert generation is not None
    ix = whoosh_index.open_dir(str(generation))
    with ix.searcher() as searcher:
        stored = [searcher.stored_fields(n)["url"] for n in range(searcher.doc_count_all())]
    assert [r[0] for r in rows] == stored


def test_demo_first_query_is_small(demo_site):
    root = demo_site / INDEX_DIR
    manifest = gzip.compress((root / "manifest.js").read_bytes())
    assert len(manifest) < 60_000
    for path in (root / "t").glob("*.js"):
        assert len(gzip.compress(path.read_bytes())) < 40_000


def test_fast_analysis_is_whooshs_analysis_on_every_demo_text(demo_site):
    # The builder analyses with a single pass of the schema analyzer's own parts: it must give
    # exactly the tokens of search.schema.STEMMER and WORDS, or the engine would score other
    # statistics than Whoosh's.
    from kb_builder.indexing.browser_index.analysis import terms_of, words_of
    from search.schema import STEMMER, WORDS

    root = demo_site / INDEX_DIR
    _, manifest = read_part(root / "manifest.js")
    texts = ["The **Tickets** were filed: v2.3, e-mail İstanbul ΣΟΦΟΣ résumé a* b_c"]
    for i in range(len(manifest["chunk_starts"])):
        for _url, title, page_title, _kind, body in read_part(root / f"r/{i}.js")[1]:
            texts += [title, page_title, body]
    for text in texts:
        assert terms_of(text) == [t.text for t in STEMMER(text)], text[:80]
        assert words_of(text) == [t.text for t in WORDS(text)], text[:80]


def test_demo_internal_notes_only_in_the_internal_editions_index(demo_site, demo_internal_site):
    # The demo's agent notes name the error tracker (Sentry): an internal fact. The internal
    # edition's browser index holds it (so the check can fail), the public one has no trace.
    public = all_bytes(demo_site / INDEX_DIR).lower()
    internal = all_bytes(demo_internal_site / INDEX_DIR).lower()
    assert b"sentry" in internal
    assert b"sentry" not in public
    _, manifest = read_part(demo_internal_site / INDEX_DIR / "manifest.js")
    assert manifest["edition"] == "internal"
