"""Search at help-centre scale: index, re-index, query, related pages, size, and SQLite's floor.

Usage (from the project root, with the project's virtualenv)::

    nice .venv/bin/python benchmarks/search_bench.py [--pages 5000]
        [--corpus helpcentre|tldr|synthetic] [--queries 400] [--profile FILE]

Every corpus is rendered to HTML with Python-Markdown and turned into search records by the
same code the build uses (`kb_builder.indexing.records`), so the records are a build's records:

- ``helpcentre`` (the default): a help centre of N pages shaped like a real one, on
  build_bench's seeded article writer (its vocabulary of permits, tickets, refunds and a long
  tail of rare words): ordinary articles (400-800 words, 3-6 sections), short notes (one or
  two paragraphs), long guides (10-16 sections with sub-sections, 1,500-4,000 words) and FAQ
  pages of 12-40 questions (one record per question), in ten folders with their index pages.
  It is queried with clients' wording: every question of ``devset/questions.yml`` as typed,
  the same with a typo, long pasted problem descriptions, and page titles and FAQ questions.
- ``tldr``: the real tldr pages in ``../shared/corpora/tldr-common/pages`` (read, never
  copied): short pages, queried with words of their own text.
- ``synthetic``: random words in pages of three sections (the first benchmark's corpus).

The query latency is the time of `search.query.search` with highlights through a `LiveIndex`
(what the API keeps: one searcher, reused), after ten warm-up queries. ``--profile FILE``
writes a cProfile of the timed queries (read it with ``python -m pstats``). Prints a Markdown
table; paste it into ``benchmarks/README.md`` with the command that produced it.
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
sys.path.insert(1, str(ROOT / "benchmarks"))

import markdown  # noqa: E402

from kb_builder.indexing.records import documents_from_page  # noqa: E402
from search.documents import Document  # noqa: E402
from search.executor import cache_of  # noqa: E402
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


MARKDOWN_EXTENSIONS = ["toc", "attr_list", "md_in_html", "tables", "fenced_code", "def_list"]
#: The page mix of the help-centre corpus, in percent (the rest are ordinary articles).
FAQ_SHARE, SHORT_SHARE, LONG_SHARE = 4, 15, 10
_QUESTION_FORMS = (
    "How do I {verb} a {noun}?",
    "Can I {verb} the {noun} {other}?",
    "Why can't I {verb} my {noun}?",
    "What happens when I {verb} a {noun} {other}?",
    "Who can {verb} {noun} {other}s?",
    "Is there a limit on {noun} {other}s?",
    "Where do I find the {noun} {other}?",
)


def _front_matter_stripped(text: str) -> str:
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end > 0:
            return text[end + 5 :]
    return text


def helpcentre_pages(count: int) -> list[tuple[str, str, str]]:
    """(url, title, html) of a seeded help centre of `count` pages shaped like a real one.

    The articles are build_bench's (the same writer and vocabulary); around them, short
    notes, long guides with sub-sections and FAQ pages with many questions, as help centres
    have (see the module docstring). FAQ pages carry the markup the kb plugin gives them
    (``h2.kb-faq-question`` with an id), so each question becomes a record of kind ``faq``.
    """
    from build_bench import _DOMAIN, _HEADINGS, _VERBS, SECTION_FOLDERS, PageWriter

    writer = PageWriter(14_5000)
    rng = writer.rng

    def render(markdown_text: str) -> str:
        return markdown.markdown(
            _front_matter_stripped(markdown_text), extensions=MARKDOWN_EXTENSIONS
        )

    def faq(title: str) -> str:
        lines = [f"# {title}", "", writer.paragraph(), ""]
        seen: set[str] = set()
        for n in range(rng.randint(12, 40)):
            question = rng.choice(_QUESTION_FORMS).format(
                verb=rng.choice(_VERBS), noun=rng.choice(_DOMAIN), other=rng.choice(_DOMAIN)
            )
            if question in seen:
                continue
            seen.add(question)
            lines += [f"## {question} {{ #q{n} .kb-faq-question }}", ""]
            for _ in range(rng.randint(1, 3)):
                lines += [writer.paragraph(), ""]
        return "\n".join(lines)

    def short(title: str) -> str:
        lines = [f"# {title}", "", writer.paragraph(), ""]
        if rng.random() < 0.5:
            lines += [f"## {rng.choice(_HEADINGS)}", "", writer.paragraph(), ""]
        return "\n".join(lines)

    def long(title: str) -> str:
        lines = [f"# {title}", "", writer.paragraph(), writer.paragraph(), ""]
        for s in range(rng.randint(10, 16)):
            lines += [f"## {rng.choice(_HEADINGS)} {s + 1}", ""]
            for _ in range(rng.randint(2, 5)):
                lines += [writer.paragraph(), ""]
            for _ in range(rng.randint(0, 3)):
                lines += [f"### {rng.choice(_VERBS).capitalize()} {rng.choice(_DOMAIN)}", ""]
                lines += [writer.paragraph(), ""]
                if rng.random() < 0.3:
                    lines += [f"- {writer.sentence(4, 10)}" for _ in range(rng.randint(3, 6))]
                    lines.append("")
        return "\n".join(lines)

    pages = [("", "Help centre", render("# Help centre\n\n" + writer.paragraph()))]
    folders = list(SECTION_FOLDERS)
    for folder in folders:
        title = folder.replace("-", " ").capitalize()
        pages.append((f"{folder}/", title, render(f"# {title}\n\n{writer.paragraph()}\n")))
    n = 0
    while len(pages) < count:
        folder = folders[n % len(folders)]
        roll = rng.randrange(100)
        if roll < FAQ_SHARE:
            title = f"{rng.choice(_DOMAIN).capitalize()} {rng.choice(_DOMAIN)}: questions"
            text = faq(title)
        else:
            title = writer.title()
            if roll < FAQ_SHARE + SHORT_SHARE:
                text = short(title)
            elif roll < FAQ_SHARE + SHORT_SHARE + LONG_SHARE:
                text = long(title)
            else:
                text = writer.article(title, [])
        pages.append((f"{folder}/p{n:05d}/", title, render(text)))
        n += 1
    return pages


def _typo(rng: random.Random, text: str) -> str:
    """`text` with one slip in its longest word: a dropped, doubled or swapped letter."""
    words = text.split()
    i = max(range(len(words)), key=lambda k: len(words[k]))
    word = words[i]
    if len(word) < 5:
        return text
    j = rng.randrange(1, len(word) - 2)
    slip = rng.randrange(3)
    if slip == 0:
        word = word[:j] + word[j + 1 :]
    elif slip == 1:
        word = word[:j] + word[j] + word[j:]
    else:
        word = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    words[i] = word
    return " ".join(words)


_FILLER = (
    "Hi, I have been trying all morning and",
    "Hello support team, since the last update",
    "Our office manager asked me to find out why",
    "I am not very technical, so sorry if this is obvious, but",
)


def client_queries(docs: list[Document], count: int) -> list[str]:
    """`count` queries in clients' wording, for the help-centre corpus.

    Every development question as typed; the same questions with one typo; long pasted
    descriptions (filler, two questions, and more words than a query reads); and the titles
    of pages and FAQ questions (known items), in that proportion until `count`.
    """
    import yaml

    questions = [
        str(q["q"])
        for q in yaml.safe_load((ROOT / "benchmarks" / "devset" / "questions.yml").read_text())[
            "questions"
        ]
    ]
    rng = random.Random(14)
    titles = [d.title for d in docs if d.kind in ("faq", "article") and d.title]
    queries: list[str] = []
    while len(queries) < count:
        step = len(queries) % 8
        if step < 3:
            queries.append(questions[len(queries) * 7 % len(questions)])
        elif step < 5:
            queries.append(_typo(rng, rng.choice(questions)))
        elif step == 5:
            first, second = rng.sample(questions, 2)
            queries.append(f"{rng.choice(_FILLER)} {first.rstrip('?')}, and also {second}")
        else:
            queries.append(rng.choice(titles).lower())
    return queries


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


def in_child(fn: Callable[[], object]) -> tuple[float, float, float]:
    """Run `fn` in a forked child; its wall seconds, CPU seconds and peak RSS in MB.

    The child starts with the parent's memory (the records), so its peak RSS is what indexing
    them costs on top of holding them, plus that.
    """
    wall = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: run, then leave without the parent's cleanup
        code = 0
        try:
            fn()
        except BaseException:  # noqa: BLE001 - reported by the exit status
            import traceback

            traceback.print_exc()
            code = 1
        os._exit(code)
    _, status, usage = os.wait4(pid, 0)
    if status:
        raise SystemExit(f"the indexing child failed ({status})")
    return time.perf_counter() - wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def rss_mb() -> float:
    """This process's resident memory now, in MB (Linux)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def latency_rows(live: LiveIndex, queries: list[str], synonyms: Synonyms, profile: str | None):
    """Time every query (after ten warm-up ones); the table rows of p50, p95, max."""
    for q in queries[:10]:  # warm the searcher and caches, as a running server would be
        search(live, q, synonyms=synonyms)
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    latencies, empty, cpu = [], 0, time.process_time()
    for q in queries:
        results, wall, _ = timed(lambda q=q: search(live, q, synonyms=synonyms))
        latencies.append(wall * 1000)
        empty += not results.hits
    cpu = time.process_time() - cpu
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(profile)
    slow = sum(1 for ms in latencies if ms > 30)
    # The same queries with the term cache emptied before each: what the first queries of a
    # server (or every `kb search`) cost, before frequent terms are cached.
    cold = []
    for q in queries:
        with live.searcher() as searcher:
            cache_of(searcher).clear()
        _, wall, _ = timed(lambda q=q: search(live, q, synonyms=synonyms))
        cold.append(wall * 1000)
    return [
        (
            f"query with highlights, p50 / p95 / max ({len(queries)} queries)",
            f"{statistics.median(latencies):.1f} / {percentile(latencies, 95):.1f} / "
            f"{max(latencies):.0f} ms",
            "p50 <= 10, p95 <= 30 ms",
        ),
        (
            "the same, term cache emptied before each query, p50 / p95 / max",
            f"{statistics.median(cold):.1f} / {percentile(cold, 95):.1f} / {max(cold):.0f} ms",
            "",
        ),
        (
            "queries over 30 ms; CPU per query (mean)",
            f"{slow} of {len(queries)}; {1000 * cpu / len(queries):.1f} ms",
            "",
        ),
        ("queries with no result", f"{empty} of {len(queries)}", ""),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=5000, help="pages to index (default 5000)")
    parser.add_argument(
        "--corpus", choices=("helpcentre", "tldr", "synthetic"), default="helpcentre"
    )
    parser.add_argument("--queries", type=int, default=QUERIES * 2, help="timed queries (400)")
    parser.add_argument("--profile", help="write a cProfile of the timed queries to this file")
    args = parser.parse_args()

    makers = {"helpcentre": helpcentre_pages, "tldr": tldr_pages, "synthetic": synthetic_pages}
    pages, render_wall, _ = timed(lambda: makers[args.corpus](args.pages))
    docs, extract_wall, _ = timed(lambda: to_documents(pages))
    words = sum(len(d.body.split()) for d in docs)
    faqs = sum(d.kind == "faq" for d in docs)
    page_words: dict[str, int] = {}
    for d in docs:
        page_words[d.page_url] = page_words.get(d.page_url, 0) + len(d.body.split())
    per_page = statistics.quantiles(list(page_words.values()), n=20)
    print(
        f"{args.corpus}: {len(pages)} pages -> {len(docs)} records ({faqs} FAQ), {words:,} words "
        f"(rendered in {render_wall:.1f} s, records extracted in {extract_wall:.1f} s)",
        file=sys.stderr,
    )
    rows: list[tuple[str, str, str]] = []
    rows.append(
        (
            "records extracted from rendered HTML",
            f"{len(docs):,} ({faqs:,} FAQ answers), {words:,} words, {extract_wall:.1f} s; "
            f"words a page, 5th-95th percentile: {per_page[0]:.0f}-{per_page[-1]:.0f}",
            "",
        )
    )
    with tempfile.TemporaryDirectory(prefix="kb-search-bench-") as tmp:
        folder = Path(tmp)
        index_dir = folder / "index"

        held = rss_mb()
        full_wall, full_cpu, full_rss = in_child(lambda: rebuild(index_dir, docs, edition="public"))
        rows.append(
            (
                "full index (a forked process; peak RSS includes the records held)",
                f"{full_wall:.1f} s wall, {full_cpu:.1f} s CPU, peak RSS {full_rss:.0f} MB "
                f"(records held: {held:.0f} MB)",
                "",
            )
        )
        rebuild(index_dir, docs, edition="public")  # the parent's own copy (nothing changed)

        # A writer edits one page: every record of that page changes.
        page = docs[len(docs) // 2].page_url
        changed = [
            Document(
                **{**d.__dict__, "body": d.body + " edited", "content_hash": d.content_hash + "e"}
            )
            if d.page_url == page
            else d
            for d in docs
        ]
        records = sum(d.page_url == page for d in docs)
        stats, one_wall, one_cpu = timed(lambda: rebuild(index_dir, changed, edition="public"))
        assert stats.reindexed == records, stats
        rows.append(
            (
                f"re-index after changing one page ({records} records)",
                f"{one_wall:.2f} s wall, {one_cpu:.2f} s CPU "
                f"({100 * one_cpu / full_cpu:.1f}% of a full index's CPU)",
                "<= 2% of full",
            )
        )
        _, same_wall, _ = timed(lambda: rebuild(index_dir, changed, edition="public"))
        rows.append(("re-index with nothing changed", f"{same_wall:.2f} s", ""))

        live = LiveIndex(index_dir)  # what the API uses: one open searcher, reused
        synonyms = Synonyms(SYNONYMS)  # compiled once, as the API does
        if args.corpus == "helpcentre":
            queries = client_queries(docs, args.queries)
        else:
            queries = make_queries(docs, args.queries)
        rows += latency_rows(live, queries, synonyms, args.profile)
        live.close()

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
