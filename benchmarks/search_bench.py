"""Search at help-centre scale: index, re-index, query, related pages, size, and SQLite's floor.

Usage (from the project root, with the project's virtualenv)::

    .venv/bin/python benchmarks/search_bench.py [--pages 5000] [--corpus tldr|synthetic]

The tldr corpus is the real tldr pages in ``../shared/corpora/tldr-common/pages`` (read, never
copied), rendered to HTML with Python-Markdown and turned into search records by the same code
the build uses (`kb_builder.indexing.records`). The synthetic corpus is generated pages with
sections, for sizes the real corpus does not reach. Prints a Markdown table; paste it into
``benchmarks/README.md`` with the command that produced it.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import markdown  # noqa: E402

from kb_builder.indexing.records import documents_from_page  # noqa: E402
from search.documents import Document  # noqa: E402
from search.index import LiveIndex, current_generation, rebuild  # noqa: E402
from search.query import Synonyms, search  # noqa: E402
from search.related import related_pages  # noqa: E402

TLDR = ROOT.parent / "shared" / "corpora" / "tldr-common" / "pages"
QUERIES = 200
SYNONYMS = {
    "folder": "directory",
    "zip": "archive",
    "unzip": "extract archive",
    "wipe": "delete",
    "kill": "terminate process",
    "download": "fetch",
}
STOP = {"a", "an", "the", "of", "to", "and", "or", "in", "on", "for", "with", "from", "by", "it"}


def timed(fn: Callable[[], object]) -> tuple[object, float, float]:
    """Run `fn`; return its result, wall seconds and CPU seconds."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def tldr_pages(limit: int) -> list[tuple[str, str, str]]:
    """(url, title, html) of up to `limit` tldr pages, rendered with Python-Markdown."""
    pages = []
    for path in sorted(TLDR.glob("*.md"))[:limit]:
        text = path.read_text(encoding="utf-8")
        title = text.splitlines()[0].lstrip("# ").strip() if text.startswith("#") else path.stem
        html = markdown.markdown(text, extensions=["toc"])
        pages.append((f"commands/{path.stem}/", title, html))
    return pages


def synthetic_pages(count: int) -> list[tuple[str, str, str]]:
    """Generated pages with an intro and three sections each, words drawn Zipf-like."""
    rng = random.Random(5000)
    vocabulary = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 10)))
        for _ in range(20_000)
    ]
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]

    def sentence(n: int) -> str:
        return " ".join(rng.choices(vocabulary, weights, k=n)).capitalize() + "."

    pages = []
    for i in range(count):
        title = " ".join(rng.choices(vocabulary[:3000], k=3)).capitalize()
        parts = [f'<h1 id="t">{title}</h1>', f"<p>{sentence(40)}</p>"]
        for s in range(3):
            heading = " ".join(rng.choices(vocabulary[:5000], k=2)).capitalize()
            parts.append(f'<h2 id="s{s}">{heading}</h2><p>{sentence(80)}</p><p>{sentence(60)}</p>')
        pages.append((f"pages/p{i:05d}/", title, "".join(parts)))
    return pages


def to_documents(pages: list[tuple[str, str, str]]) -> list[Document]:
    docs: list[Document] = []
    for url, title, html in pages:
        docs += documents_from_page(
            html, url=url, page_title=title, kind="article", audience="public",
            section=url.split("/")[0], tags=[],
        )  # fmt: skip
    return docs


def make_queries(docs: list[Document], count: int) -> list[str]:
    """Realistic queries: words of a page's text, titles, and misspelt words."""
    rng = random.Random(7)
    queries: list[str] = []
    words_of = [
        [w for w in re.findall(r"[a-z]{3,}", d.body.lower()) if w not in STOP] for d in docs
    ]
    words_of = [w for w in words_of if len(w) >= 4]
    while len(queries) < count:
        kind = len(queries) % 10
        words = rng.choice(words_of)
        if kind < 5:  # two or three words from one page, as a client would describe it
            start = rng.randrange(len(words) - 2)
            queries.append(" ".join(words[start : start + rng.choice((2, 3))]))
        elif kind < 7:  # a title
            queries.append(rng.choice(docs).title.lower())
        elif kind < 9:  # a misspelt word plus a correct one
            long = [w for w in words if len(w) >= 6] or words
            word = rng.choice(long)
            i = rng.randrange(1, len(word) - 1)
            queries.append(f"{word[:i]}{word[i + 1 :]} {rng.choice(words)}")
        else:  # a synonym in the client's words
            queries.append(f"{rng.choice(sorted(SYNONYMS))} {rng.choice(words)}")
    return queries


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def fts5_floor(docs: list[Document], folder: Path) -> tuple[float, float]:
    """Wall and CPU seconds for SQLite FTS5 (porter stemming) to index the same text."""

    def run() -> None:
        db = sqlite3.connect(folder / "fts5.sqlite")
        db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, url UNINDEXED, title, headings, "
            "body, tokenize='porter unicode61')"
        )
        db.executemany(
            "INSERT INTO docs VALUES (?, ?, ?, ?, ?)",
            ((d.id, d.url, d.title, "\n".join(d.headings), d.body) for d in docs),
        )
        db.commit()
        db.close()

    _, wall, cpu = timed(run)
    return wall, cpu


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=5000, help="pages to index (default 5000)")
    parser.add_argument("--corpus", choices=("tldr", "synthetic"), default="tldr")
    args = parser.parse_args()

    pages, render_wall, _ = timed(
        lambda: tldr_pages(args.pages) if args.corpus == "tldr" else synthetic_pages(args.pages)
    )
    docs, extract_wall, _ = timed(lambda: to_documents(pages))
    words = sum(len(d.body.split()) for d in docs)
    print(
        f"{args.corpus}: {len(pages)} pages -> {len(docs)} records, {words:,} words "
        f"(rendered in {render_wall:.1f} s, records extracted in {extract_wall:.1f} s)",
        file=sys.stderr,
    )
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="kb-search-bench-") as tmp:
        folder = Path(tmp)
        index_dir = folder / "index"

        _, full_wall, full_cpu = timed(lambda: rebuild(index_dir, docs, edition="public"))
        rows.append(("records extracted from rendered HTML", f"{extract_wall:.2f} s", ""))
        rows.append(("full index", f"{full_wall:.1f} s wall, {full_cpu:.1f} s CPU", ""))

        changed = list(docs)
        k = len(changed) // 2
        changed[k] = Document(
            **{**changed[k].__dict__, "body": changed[k].body + " edited", "content_hash": ""}
        )
        stats, one_wall, one_cpu = timed(lambda: rebuild(index_dir, changed, edition="public"))
        assert stats.reindexed == 1, stats
        rows.append(
            (
                "re-index after changing one page",
                f"{one_wall:.2f} s ({100 * one_wall / full_wall:.1f}% of full)",
                "< 5% of full",
            )
        )
        _, same_wall, _ = timed(lambda: rebuild(index_dir, changed, edition="public"))
        rows.append(("re-index with nothing changed", f"{same_wall:.2f} s", ""))

        live = LiveIndex(index_dir)  # what the API uses: one open searcher, reused
        synonyms = Synonyms(SYNONYMS)  # compiled once, as the API does
        queries = make_queries(docs, QUERIES)
        for q in queries[:10]:  # warm the searcher and caches, as a running server would be
            search(live, q, synonyms=synonyms)
        latencies, empty = [], 0
        for q in queries:
            results, wall, _ = timed(lambda q=q: search(live, q, synonyms=synonyms))
            latencies.append(wall * 1000)
            empty += not results.hits
        live.close()
        rows.append(
            (
                f"query with highlights, p50 / p95 ({len(queries)} queries)",
                f"{statistics.median(latencies):.1f} / {percentile(latencies, 95):.1f} ms",
                "p95 < 30 ms",
            )
        )
        rows.append(("queries with no result", f"{empty} of {len(queries)}", ""))

        cache = folder / "related-terms.json"
        related, cold, _ = timed(lambda: related_pages(docs, edition="public", cache_path=cache))
        _, warm, _ = timed(lambda: related_pages(docs, edition="public", cache_path=cache))
        with_related = sum(1 for items in related.values() if items)
        rows.append(
            (
                f"related pages for all {len(related)} pages (cold / cached)",
                f"{cold:.2f} / {warm:.2f} s ({with_related} pages have some)",
                "small fraction of the build",
            )
        )
        size = dir_size(current_generation(index_dir))
        rows.append(("index size on disk (one generation)", f"{size / 1e6:.1f} MB", ""))

        fts_wall, fts_cpu = fts5_floor(docs, folder)
        rows.append(
            (
                "SQLite FTS5, same text (floor)",
                f"{fts_wall:.2f} s wall, {fts_cpu:.2f} s CPU; Whoosh is "
                f"{full_cpu / max(fts_cpu, 1e-9):.0f}x its CPU time",
                "",
            )
        )

    print(f"| measure ({args.corpus}, {len(pages)} pages, {len(docs)} records) | result | target |")
    print("| --- | --- | --- |")
    for name, value, target in rows:
        print(f"| {name} | {value} | {target} |")
    print(f"\nPython {sys.version.split()[0]}, {os.cpu_count()} CPUs.", file=sys.stderr)


if __name__ == "__main__":
    main()
