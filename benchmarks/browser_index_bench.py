"""Bytes and time of the browser's first query on N synthetic pages (issue 11).

Generates build_bench's nested synthetic articles, renders each page's Markdown, takes its
search records with the builder's own extraction (`kb_builder.indexing.records`), then:

- times `kb_builder.indexing.browser_index.write_index` (the static index), and with ``--whoosh``
  `search.index.rebuild` (the Whoosh index of the same records);
- with ``--build``, also builds the pages with ``kb build`` (in this process, the project's
  mkdocs.yml settings) and times the static index inside that build, beside the whole build;
- with ``--build --chromium``, serves that site on 127.0.0.1 and, in headless Chromium, times
  each query from the call of ``kbSearch.query`` (what the search box does on the last key
  press) to its answer, on a freshly loaded page each time, with the gzip bytes it loaded;
- runs the real engine (theme/assets/javascripts/kb-search-engine.js) in node, loading the
  parts from disk as the browser loads its scripts, and reports per query the gzip bytes of
  every part fetched (manifest included: a first query) and the engine's time.

    .venv/bin/python benchmarks/browser_index_bench.py --pages 5000 [--whoosh]
        [--build [--chromium]]
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import markdown

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import kb_builder.indexing.browser_index as browser_index  # noqa: E402
from benchmarks.build_bench import (  # noqa: E402
    kb_config,
    read_project_config,
    write_config,
    write_synthetic,  # noqa: E402
)
from kb_builder.indexing.browser_index import INDEX_DIR, write_index  # noqa: E402
from kb_builder.indexing.records import documents_from_page  # noqa: E402
from search.index import rebuild  # noqa: E402

QUERIES = [
    "how do i reset my password",
    "export report",
    "permit renewal fees",
    "invoice not received",
    "configure notifications for users",
]

HARNESS = r"""
const fs = require("fs"), zlib = require("zlib"), { fileURLToPath } = require("url");
let bytes = 0, files = 0;
globalThis.window = globalThis;
globalThis.document = {
  currentScript: { src: process.argv[3] }, baseURI: "file:///",
  getElementsByTagName: () => [],
  createElement: () => ({ remove() {} }),
  head: { appendChild(el) {
    setTimeout(() => {
      const path = fileURLToPath(el.src.split("?")[0]);
      const data = fs.readFileSync(path);
      bytes += zlib.gzipSync(data, { level: 6 }).length; files++;
      (0, eval)(data.toString("utf8"));
      el.onload();
    }, 0);
  } },
};
require(process.argv[2]);
(async () => {
  const out = [];
  for (const q of JSON.parse(process.argv[4])) {
    for (const k of Object.keys(globalThis.__parts || {})) delete globalThis.__parts[k];
    bytes = 0; files = 0;
    const t0 = performance.now();
    const r = await window.kbSearch.query(q);
    out.push({ query: q, ms: performance.now() - t0, gzip: bytes, files,
               results: r.results.length });
    // Every query is measured as a first query: a fresh engine each time.
    delete window.kbSearch;
    delete require.cache[require.resolve(process.argv[2])];
    require(process.argv[2]);
  }
  process.stdout.write(JSON.stringify(out));
})();
"""


def documents(docs: Path) -> list:
    out = []
    for path in sorted(docs.rglob("*.md")):
        rel = path.relative_to(docs).as_posix()
        url = "" if rel == "index.md" else rel.removesuffix("index.md").removesuffix(".md")
        if url and not url.endswith("/"):
            url += "/"
        text = path.read_text(encoding="utf-8")
        title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), rel)
        html = markdown.markdown(text, extensions=["toc", "attr_list", "tables"])
        out += documents_from_page(
            html,
            url=url,
            page_title=title,
            kind="article",
            audience="public",
            section=url.split("/", 1)[0],
            tags=[],
        )
    return out


def timed_build(docs: Path, work: Path) -> tuple[float, float]:
    """(whole kb build, static index within it) in seconds, for the pages in `docs`."""
    project = read_project_config()
    config = kb_config(project, docs, ROOT / "theme")
    config["plugins"] = project["plugins"]  # the project's own list (no Material search)
    path = write_config(work / "mkdocs.yml", config)  # docs/ inside the project
    spent = []
    original = browser_index.write_index

    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - started)

    from kb_builder.cli.main import main as kb

    browser_index.write_index = timed
    try:
        started = time.perf_counter()
        kb(
            ["build", "--no-strict", "-f", str(path), "-d", str(work / "kb-site")],
            standalone_mode=False,
        )
        total = time.perf_counter() - started
    finally:
        browser_index.write_index = original
    return total, sum(spent)


def chromium_times(site: Path) -> list[dict]:
    """Per query, in headless Chromium: ms from kbSearch.query() to its answer, gzip KB loaded."""
    from playwright.sync_api import sync_playwright

    from tests.helpers.browser import CHROMIUM_FLAGS, find_chromium, serve_directory

    rows = []
    with serve_directory(site) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_FLAGS)
        try:
            for q in QUERIES:
                page = browser.new_page()
                page.goto(url)
                page.evaluate("kbSearch.ready")
                before = set(
                    page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
                )
                ms = page.evaluate(
                    "async q => { const t = performance.now(); await kbSearch.query(q);"
                    " return performance.now() - t; }",
                    q,
                )
                loaded = [
                    n
                    for n in page.evaluate(
                        "performance.getEntriesByType('resource').map(e => e.name)"
                    )
                    if n not in before and "/assets/kb-search/" in n
                ]
                manifest = site / INDEX_DIR / "manifest.js"
                files = [site / n.split(url, 1)[1].split("?")[0] for n in loaded] + [manifest]
                size = sum(len(gzip.compress(f.read_bytes(), 6)) for f in files)
                rows.append({"query": q, "ms": ms, "gzip": size, "files": len(files)})
                page.close()
        finally:
            browser.close()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--build", action="store_true", help="also time a whole kb build")
    parser.add_argument(
        "--whoosh", action="store_true", help="also time the Whoosh index of the same records"
    )
    parser.add_argument("--chromium", action="store_true", help="with --build: time in Chromium")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        write_synthetic(work / "docs", args.pages, flat=False)
        docs = documents(work / "docs")
        started = time.perf_counter()
        summary = write_index(work / "site", docs, edition="public")
        static_s = time.perf_counter() - started
        whoosh_s = None
        if args.whoosh:
            started = time.perf_counter()
            rebuild(work / "whoosh", docs, edition="public")
            whoosh_s = time.perf_counter() - started
        root = work / "site" / INDEX_DIR
        total = sum(p.stat().st_size for p in root.rglob("*.js"))
        engine = ROOT / "theme" / "assets" / "javascripts" / "kb-search-engine.js"
        shim = work / "site" / "assets" / "javascripts" / "kb-search-engine.js"
        shim.parent.mkdir(parents=True, exist_ok=True)
        shim.write_bytes(engine.read_bytes())
        harness = work / "harness.cjs"
        harness.write_text(HARNESS, encoding="utf-8")
        done = subprocess.run(
            ["node", str(harness), str(shim), shim.as_uri(), json.dumps(QUERIES)],
            capture_output=True,
            text=True,
            check=True,
        )
        print(
            f"pages {args.pages}, records {summary.records}, files {summary.files}, "
            f"term shards {summary.shards}, index {total / 1e6:.1f} MB raw"
        )
        manifest_gz = len(gzip.compress((root / "manifest.js").read_bytes(), 6))
        print(
            f"static index written in {static_s:.1f} s; manifest {manifest_gz / 1000:.1f} KB gzip"
        )
        if whoosh_s is not None:
            print(f"Whoosh index of the same records written in {whoosh_s:.1f} s")
        if args.build:
            total, static = timed_build(work / "docs", work)
            if args.chromium:
                print("| query (Chromium) | ms to answer | gzip KB (manifest included) | files |")
                print("| --- | --- | --- | --- |")
                for row in chromium_times(work / "kb-site"):
                    print(
                        f"| {row['query']} | {row['ms']:.0f} | {row['gzip'] / 1000:.1f} | "
                        f"{row['files']} |"
                    )
            print(
                f"kb build {total:.1f} s, of which the static index {static:.1f} s "
                f"({static / total:.1%})"
            )
        print("| query | gzip KB downloaded | files | engine ms (node) | results |")
        print("| --- | --- | --- | --- | --- |")
        for row in json.loads(done.stdout):
            print(
                f"| {row['query']} | {row['gzip'] / 1000:.1f} | {row['files']} | "
                f"{row['ms']:.0f} | {row['results']} |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
