"""The index directory: atomic swaps, incremental rebuilds, editions (search.index)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from search.documents import Document
from search.index import (
    CURRENT,
    IndexMissing,
    LiveIndex,
    current_generation,
    open_index,
    read_manifest,
    rebuild,
)
from search.query import search
from tests.conftest import ROOT


def make_docs(n: int, *, audience: str = "public") -> list[Document]:
    topics = ["ticket", "telephone", "preview", "release", "training", "escalation"]
    return [
        Document(
            id=f"page-{i}/",
            url=f"page-{i}/",
            title=f"Page {i} about {topics[i % len(topics)]}",
            body=f"Body of page {i}. It explains {topics[i % len(topics)]} matters, version {i}.",
            kind="article",
            section="wiki",
            audience=audience,
            page_title=f"Page {i}",
        )
        for i in range(n)
    ]


def changed(doc: Document, body: str) -> Document:
    return Document(**{**doc.__dict__, "body": body, "content_hash": ""})


def stored_ids(index_dir: Path) -> set[str]:
    with open_index(index_dir).searcher() as s:
        return {f["id"] for f in s.all_stored_fields()}


def generations(index_dir: Path) -> list[str]:
    return sorted(p.name for p in index_dir.iterdir() if p.name.startswith("g-"))


def test_a_first_rebuild_indexes_everything(tmp_path):
    docs = make_docs(30)
    stats = rebuild(tmp_path / "ix", docs, edition="public")
    assert stats.full and stats.added == 30 and stats.total == 30
    assert current_generation(tmp_path / "ix") == stats.generation
    assert stored_ids(tmp_path / "ix") == {d.id for d in docs}


def fingerprint(generation: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in generation.iterdir()
        if p.is_file()
    }


def test_an_incremental_rebuild_touches_only_changed_documents(tmp_path):
    ix = tmp_path / "ix"
    docs = make_docs(200)
    first = rebuild(ix, docs, edition="public")
    before = fingerprint(first.generation)
    docs[7] = changed(docs[7], "Completely new words: zeppelin handbook.")
    removed = docs.pop(50)
    docs.append(Document(id="new/", url="new/", title="Brand new page", body="Quokka facts."))

    stats = rebuild(ix, docs, edition="public")

    assert not stats.full
    assert (stats.added, stats.updated, stats.deleted) == (1, 1, 1)
    assert stats.unchanged == 198
    assert stats.reindexed == 2
    assert removed.id not in stored_ids(ix)
    assert [h.url for h in search(ix, "zeppelin").hits] == ["page-7/"]
    assert [h.url for h in search(ix, "quokka").hits] == ["new/"]
    assert search(ix, "version 7").total >= 1
    assert read_manifest(ix).documents[docs[7].id] == docs[7].content_hash
    # The new generation shares files with the old one by hard links: not a byte of the old
    # generation changed, so a reader still holding it reads what it read before.
    assert fingerprint(first.generation) == before
    shared = [name for name in before if (stats.generation / name).exists()]
    assert any(
        (stats.generation / name).stat().st_ino == (first.generation / name).stat().st_ino
        for name in shared
    )


def test_an_unchanged_rebuild_keeps_the_live_generation(tmp_path):
    ix = tmp_path / "ix"
    first = rebuild(ix, make_docs(20))
    again = rebuild(ix, make_docs(20))
    assert again.generation == first.generation
    assert (again.reindexed, again.deleted, again.unchanged) == (0, 0, 20)


def test_an_exception_while_reindexing_leaves_the_old_index_readable(tmp_path):
    ix = tmp_path / "ix"
    docs = make_docs(100)
    before = rebuild(ix, docs, edition="public")
    expected = [h.url for h in search(ix, "telephone", limit=20).hits]

    def exploding():
        for i, doc in enumerate(docs):
            if i == 60:
                raise RuntimeError("the build failed half way")
            # Every document changes, so the writer is busy when the failure comes.
            yield changed(doc, doc.body + " zeppelin")

    with pytest.raises(RuntimeError, match="half way"):
        rebuild(ix, exploding(), edition="public")

    assert current_generation(ix) == before.generation
    assert generations(ix) == [before.generation.name]  # the partial one is gone
    assert [h.url for h in search(ix, "telephone", limit=20).hits] == expected
    assert search(ix, "zeppelin").total == 0
    # And the next rebuild works from the intact old generation.
    assert rebuild(ix, docs, edition="public").reindexed == 0


def test_a_process_killed_mid_rebuild_leaves_the_old_index_readable(tmp_path):
    ix = tmp_path / "ix"
    docs = make_docs(50)
    before = rebuild(ix, docs)
    script = textwrap.dedent(
        f"""
        import os, sys
        sys.path.insert(0, {str(ROOT)!r})
        from search.documents import Document
        from search.index import rebuild

        def docs():
            for i in range(5000):
                if i == 300:
                    os._exit(9)  # like a kill -9: no cleanup, no exception handling
                yield Document(id=f"x{{i}}", url=f"x{{i}}/", title="crash", body="crash " * 50)

        rebuild({str(ix)!r}, docs())
        """
    )
    result = subprocess.run([sys.executable, "-c", script], check=False, timeout=120)
    assert result.returncode == 9
    assert current_generation(ix) == before.generation
    assert search(ix, "crash").total == 0
    assert stored_ids(ix) == {d.id for d in docs}
    # The next rebuild clears what the killed one left behind.
    assert len(generations(ix)) == 2
    rebuild(ix, docs[:-1])
    assert before.generation.name in generations(ix) and len(generations(ix)) == 2


def test_a_public_index_refuses_internal_documents(tmp_path):
    docs = make_docs(5)
    secret = Document(
        id="internal/notes/", url="internal/notes/", title="Agent notes",
        body="Never link a Sentry issue", audience="internal",
    )  # fmt: skip
    stats = rebuild(tmp_path / "public", [*docs, secret], edition="public")
    assert stats.refused == 1 and stats.total == 5
    assert secret.id not in stored_ids(tmp_path / "public")
    assert search(tmp_path / "public", "sentry").total == 0

    stats = rebuild(tmp_path / "internal", [*docs, secret], edition="internal")
    assert stats.refused == 0
    assert [h.url for h in search(tmp_path / "internal", "sentry").hits] == ["internal/notes/"]


def test_changing_the_edition_rebuilds_from_scratch(tmp_path):
    ix = tmp_path / "ix"
    rebuild(ix, make_docs(5), edition="internal")
    stats = rebuild(ix, make_docs(5), edition="public")
    assert stats.full and stats.added == 5


def test_duplicate_ids_and_unknown_editions_are_refused(tmp_path):
    doc = make_docs(1)[0]
    with pytest.raises(ValueError, match="two search documents"):
        rebuild(tmp_path / "ix", [doc, doc])
    with pytest.raises(ValueError, match="unknown edition"):
        rebuild(tmp_path / "ix", [doc], edition="staff")
    assert current_generation(tmp_path / "ix") is None


def test_no_index_yet(tmp_path):
    with pytest.raises(IndexMissing):
        open_index(tmp_path / "nothing")
    with pytest.raises(IndexMissing):
        search(tmp_path / "nothing", "ticket")


def test_readers_follow_rebuilds_and_never_see_a_half_written_index(tmp_path):
    ix = tmp_path / "ix"
    docs = make_docs(120)
    rebuild(ix, docs)
    live = LiveIndex(ix)
    errors: list[BaseException] = []
    totals: set[int] = set()
    stop = threading.Event()

    def reader():
        try:
            while not stop.is_set():
                totals.add(search(live, "page", limit=5).total)
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        for round_ in range(4):
            # Each round swaps in a generation with 10 more documents.
            docs += make_docs(120 + 10 * (round_ + 1))[len(docs) :]
            rebuild(ix, docs)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)
    live.close()
    assert not errors
    # Readers only ever saw complete generations (120, 130, ... documents).
    assert totals <= {120, 130, 140, 150, 160}
    assert search(live, "page", limit=5).total == 160
    assert (ix / CURRENT).read_text().strip() == current_generation(ix).name
