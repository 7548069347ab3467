"""Search quality on client questions: every search engine of the demo, scored on the same set.

Usage (from the project root, with the project's virtualenv)::

    .venv/bin/python benchmarks/search_quality.py [--set dev|fresh|fresh2|fresh3|heldout|FILE]
        [--engine whoosh --engine material --engine pagefind --engine browser] [--misses]
        [--json OUT.json] [--keep]

The project is copied to a temporary folder (the working tree is never built into or written
to) and the demo is built there with ``kb build``, using the copy's own code, so the figures
describe one snapshot of the sources. Engines:

- ``whoosh``: `search.query.search` over the copy's ``.kb/index/public/`` with the synonyms of
  its ``content/_data/synonyms.yml``: exactly what ``kb search`` answers.
- ``material``: plain Material for MkDocs' lunr search box, typed into in headless Chromium.
  It runs on a second copy whose ``mkdocs.yml`` has ``search`` in its plugins and whose
  Material index is put back as Material wrote it after every other plugin ran (so any
  enrichment by the kb plugin is undone): plain Material on the same pages.
- ``pagefind``: stock Pagefind (PyPI ``pagefind[bin]``) indexing every HTML file of the built
  site with its default settings (``data-pagefind-*`` attributes are removed first, so the
  project's own Pagefind tuning, if any, does not count), queried through its JS API.
- ``browser``: the project's own browser search, ``window.kbSearch.query(text, {limit: 10})``
  on the built site. "not available" while the site does not define it.

Scoring: each engine's first 10 results, as it shows them, reduced to pages (the URL without
its anchor; repeated pages keep their first place). hit@k: a page that answers the question is
among the first k pages; MRR@10: the mean of 1/rank of the first answering page (0 if none).
Agreement between two engines: the share of questions where both give the same first page, and
the mean of |top-3 pages of A ∩ top-3 pages of B| / 3.

The held-out set is only ever scored: ``--misses`` is refused for it, because nobody tunes on it.
Chromium is Debian's ``/usr/bin/chromium`` (or ``KB_CHROMIUM``), driven by Playwright; the sites
are served by a threaded ``http.server`` on 127.0.0.1, stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import http.server
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT / "benchmarks" / "devset"
SETS = {
    "dev": DEVSET / "questions.yml",
    "fresh": DEVSET / "fresh.yml",
    "fresh2": DEVSET / "fresh2.yml",
    "fresh3": DEVSET / "fresh3.yml",
    "heldout": DEVSET / "heldout.yml",
}
ENGINES = ("whoosh", "material", "pagefind", "browser")
# fmt: off
TAGS = frozenset((
    "short", "question", "typo", "british", "plural", "plan", "time", "release", "lesson",
    "article", "vague",
))
# fmt: on
LIMIT = 10
TOP = 3
# What never goes into the copies: environments, history, earlier builds and caches.
COPY_IGNORE = shutil.ignore_patterns(
    ".venv",
    ".git",
    "site",
    "site-*",
    ".kb",
    "__pycache__",
    "node_modules",
    "*.egg-info",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# Stock Pagefind is written beside the site's own files, under a name no build uses.
STOCK_PAGEFIND = "_stock_pagefind"
_PAGEFIND_ATTR = re.compile(r"\sdata-pagefind-[\w-]+(?:=(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?")


# --- Question files -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """One client question and the pages (site-relative, no anchor) that answer it."""

    q: str
    answers: tuple[str, ...]
    tags: tuple[str, ...]


def page_of(url: str) -> str:
    """The page a result URL points to: no anchor, no query, no leading slash, no index.html.

    ``"/faq/#how-do-i"`` -> ``"faq/"``; ``"wiki/permits/index.html"`` -> ``"wiki/permits/"``.
    """
    url = url.split("#", 1)[0].split("?", 1)[0].lstrip("/")
    if url.endswith("index.html"):
        url = url[: -len("index.html")]
    return url


def read_questions(path: str | os.PathLike[str]) -> list[Question]:
    """The questions of a question file, or ValueError naming every problem with its entry.

    A well-formed file is a mapping with ``questions:``, a list of entries with a non-empty
    ``q`` (unique in the file), ``answers`` (site-relative page URLs ending in ``/``, no anchor,
    never the home page) and ``tags`` (from `TAGS`).
    """
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        raise ValueError(f"{path}: expected a mapping with a 'questions:' list")
    problems: list[str] = []
    questions: list[Question] = []
    seen: set[str] = set()
    for number, entry in enumerate(data["questions"], 1):
        where = f"{path}: entry {number}"
        if not isinstance(entry, dict) or set(entry) != {"q", "answers", "tags"}:
            problems.append(f"{where}: expected exactly the keys q, answers, tags")
            continue
        q, answers, tags = entry["q"], entry["answers"], entry["tags"]
        if not isinstance(q, str) or not q.strip():
            problems.append(f"{where}: q must be a non-empty string")
            continue
        if q.strip().lower() in seen:
            problems.append(f"{where}: {q!r} is asked twice")
        seen.add(q.strip().lower())
        if not isinstance(answers, list) or not answers:
            problems.append(f"{where} ({q!r}): answers must be a non-empty list")
            answers = []
        for answer in answers:
            if not isinstance(answer, str) or not answer or answer != page_of(answer):
                problems.append(f"{where} ({q!r}): {answer!r} is not a page URL like 'faq/'")
            elif not answer.endswith("/"):
                problems.append(f"{where} ({q!r}): {answer!r} must end with '/'")
        if not isinstance(tags, list) or not tags or not set(tags) <= TAGS:
            problems.append(f"{where} ({q!r}): tags must be a non-empty list from {sorted(TAGS)}")
            tags = []
        questions.append(Question(q, tuple(answers), tuple(tags)))
    if problems:
        raise ValueError("\n".join(problems))
    return questions


# --- Building the sites -------------------------------------------------------------------------


def copy_project(dest: Path, rev: str | None = None) -> Path:
    """A copy of the project's sources and content in `dest` (no venv, history or builds).

    With `rev`, the files of that commit (``git archive``), so that a figure can be tied to a
    commit while the working tree is being edited; without it, the working tree as it is.
    """
    if rev is None:
        shutil.copytree(ROOT, dest, ignore=COPY_IGNORE)
        return dest
    dest.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", rev], capture_output=True, check=False
    )
    if archive.returncode != 0:
        raise SystemExit(f"git archive {rev}: {archive.stderr.decode(errors='replace').strip()}")
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    return dest


def kb_build(
    project: Path, site: Path, config: Path | None = None, *extra: str, cwd: Path | None = None
) -> float:
    """Build the public edition of `project` into `site` with that copy's own code; seconds.

    `config` defaults to the copy's ``mkdocs.yml``; `extra` are more ``kb build`` options. The
    copy comes first on PYTHONPATH, ahead of the editable install of the working tree.
    """
    kb = Path(sys.executable).with_name("kb")
    path = [str(project), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(path))
    config = config or project / "mkdocs.yml"
    started = time.perf_counter()
    done = subprocess.run(
        [str(kb), "build", "-f", str(config), "-d", str(site), *extra],
        cwd=cwd or config.parent,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"kb build failed in {project}:\n{done.stdout}\n{done.stderr}")
    return time.perf_counter() - started


# Two MkDocs hooks for the plain-Material copy. The first drops the project's own search
# scripts and styles (any extra_javascript / extra_css entry with "search" in its path: Material
# bundles its own search in the theme), so they cannot take over Material's box, and keeps
# Material's search index as Material wrote it (priority -10, after Material's search plugin).
# The second puts that index back after every other plugin (priority -90: after the kb plugin's
# post-build work, before Material's offline plugin at -100).
_SAVE_HOOK = """
import shutil
from pathlib import Path
from mkdocs.plugins import event_priority


def on_config(config):
    config.extra_javascript = [x for x in config.extra_javascript if "search" not in str(x)]
    config.extra_css = [x for x in config.extra_css if "search" not in str(x)]
    return config


@event_priority(-10)
def on_post_build(config):
    index = Path(config.site_dir) / "search" / "search_index.json"
    if index.is_file():
        shutil.copyfile(index, Path(config.config_file_path).parent / ".material_index.json")
"""
_RESTORE_HOOK = """
import shutil
from pathlib import Path
from mkdocs.plugins import event_priority


@event_priority(-90)
def on_post_build(config):
    saved = Path(config.config_file_path).parent / ".material_index.json"
    if saved.is_file():
        shutil.copyfile(saved, Path(config.site_dir) / "search" / "search_index.json")
"""
# Theme overrides that would replace Material's own search box; removed from the plain copy.
SEARCH_OVERRIDES = ("partials/search.html", "partials/header.html")


def plain_material_config(project: Path) -> None:
    """Make the copy plain Material as far as search goes, on the same pages.

    ``mkdocs.yml`` is edited as text (it holds ``!!python/name`` tags that a safe YAML load
    refuses): ``- search`` is added first under ``plugins:`` unless present, and the two hooks
    above are added. Theme overrides of Material's header and search partials are removed, so
    the box is Material's own.
    """
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    if re.search(r"^hooks:", text, re.M):
        raise RuntimeError("mkdocs.yml already has hooks: teach plain_material_config to merge")
    # The first list item under "plugins:", past any comment lines.
    match = re.search(r"^plugins:[ \t]*\n(?:[ \t]*#.*\n|[ \t]*\n)*([ \t]+)-", text, re.M)
    if match is None:
        raise RuntimeError("mkdocs.yml has no block list under 'plugins:'")
    if not re.search(r"^[ \t]*-[ \t]*search[ \t]*:?[ \t]*$", text, re.M):
        at = match.start(1)
        text = text[:at] + f"{match.group(1)}- search\n" + text[at:]
    hooks = project / ".bench_hooks"
    hooks.mkdir()
    (hooks / "save_material_index.py").write_text(_SAVE_HOOK, encoding="utf-8")
    (hooks / "restore_material_index.py").write_text(_RESTORE_HOOK, encoding="utf-8")
    text += (
        "\nhooks:\n  - .bench_hooks/save_material_index.py\n"
        "  - .bench_hooks/restore_material_index.py\n"
    )
    config.write_text(text, encoding="utf-8")
    custom_dir = re.search(r"^[ \t]+custom_dir:[ \t]*(\S+)", text, re.M)
    if custom_dir:
        for override in SEARCH_OVERRIDES:
            (project / custom_dir.group(1) / override).unlink(missing_ok=True)


def write_stock_pagefind(site: Path) -> float:
    """Index every HTML file of `site` with stock Pagefind into ``site/_stock_pagefind/``.

    ``data-pagefind-*`` attributes are removed from the HTML first (into a mirror of the site's
    HTML files), so the index is what Pagefind's defaults make of the pages; the mirror is then
    indexed as ``pagefind --site`` would (`add_directory`: one call, rather than one round trip
    to the Pagefind service per page, which took minutes at 5,000 pages). Returns the seconds.
    """
    from pagefind.index import IndexConfig, PagefindIndex

    # The output path goes in the config: leaving the context writes the index there (without
    # it, Pagefind writes a second copy into ./pagefind/ of the current directory).
    config = IndexConfig(output_path=str(site / STOCK_PAGEFIND))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="stock-pagefind-") as mirror:
        for path in site.rglob("*.html"):
            rel = path.relative_to(site)
            if rel.parts[0] in (STOCK_PAGEFIND, "pagefind"):
                continue
            target = Path(mirror) / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(_PAGEFIND_ATTR.sub("", path.read_text(encoding="utf-8")), "utf-8")

        async def run() -> None:
            async with PagefindIndex(config) as index:
                await index.add_directory(mirror)

        asyncio.run(run())
    return time.perf_counter() - started


# --- Engines ------------------------------------------------------------------------------------


class NotAvailable(RuntimeError):
    """The engine cannot run on this build (said in the report; the other engines still run)."""


@dataclass
class EngineRun:
    """One engine's ranked pages for every question (or why it did not run)."""

    name: str
    pages: list[list[str]] = field(default_factory=list)
    seconds: float = 0.0
    note: str = ""

    @property
    def available(self) -> bool:
        """Whether the engine answered the questions."""
        return not self.note


def ranked_pages(urls: Sequence[str], limit: int = LIMIT) -> list[str]:
    """The pages of the first `limit` results, in order, each once."""
    pages: list[str] = []
    for url in urls[:limit]:
        page = page_of(url)
        if page not in pages:
            pages.append(page)
    return pages


def whoosh_engine(project: Path) -> Callable[[str], list[str]]:
    """What ``kb search`` answers in `project` (its index, its synonyms, its code)."""
    sys.path.insert(0, str(project))
    from kb_builder.core.project import read_settings
    from kb_builder.indexing.service import index_dir_for, load_query_synonyms
    from search.query import search

    settings = read_settings(project / "mkdocs.yml")
    synonyms = load_query_synonyms(settings.docs_dir, "public")
    index_dir = index_dir_for(settings.config_file, "public")

    def query(text: str) -> list[str]:
        results = search(index_dir, text, limit=LIMIT, synonyms=synonyms)
        return [hit.url for hit in results.hits]

    return query


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


@contextlib.contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve `root` on 127.0.0.1 (a free port) for the block; yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def chromium_path() -> str:
    """Debian's Chromium (or ``KB_CHROMIUM``); NotAvailable when there is none."""
    for candidate in (os.environ.get("KB_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    raise NotAvailable("no Chromium (install Debian's chromium or set KB_CHROMIUM)")


_MATERIAL_PLACEHOLDER = "Type to start searching"
_MATERIAL_RESULTS = """() => [...document.querySelectorAll('.md-search-result__item')]
    .map(li => li.querySelector('a.md-search-result__link'))
    .filter(a => a).map(a => new URL(a.getAttribute('href'), location.href).href)"""


def material_engine(page, base: str) -> Callable[[str], list[str]]:
    """Material's search box on the page at `base`: type, wait for its answer, read the links."""
    page.goto(base)
    box = "input.md-search__input"
    meta = ".md-search-result__meta"
    if page.locator(box).count() == 0 or page.locator(meta).count() == 0:
        raise NotAvailable("the plain-Material build has no Material search box")

    def query(text: str) -> list[str]:
        # Empty the box first and wait for Material's placeholder, so that the answer read
        # next is the answer to this query, not the previous one.
        page.fill(box, "")
        page.press(box, "End")
        page.wait_for_function(
            "([sel, text]) => document.querySelector(sel).textContent.trim() === text",
            arg=[meta, _MATERIAL_PLACEHOLDER],
            timeout=15000,
        )
        page.fill(box, text)
        page.press(box, "End")  # Material searches on keyup
        page.wait_for_function(
            "([sel, text]) => document.querySelector(sel).textContent.trim() !== text",
            arg=[meta, _MATERIAL_PLACEHOLDER],
            timeout=15000,
        )
        return [url.removeprefix(base) for url in page.evaluate(_MATERIAL_RESULTS)]

    return query


def pagefind_engine(page, base: str) -> Callable[[str], list[str]]:
    """Stock Pagefind's JS API (``search(text)``, default options) on the site at `base`."""
    page.goto(base)
    loaded = page.evaluate(
        """async (src) => {
            try { window.__pf = await import(src); await window.__pf.init(); return true; }
            catch (e) { return String(e); }
        }""",
        f"{base}{STOCK_PAGEFIND}/pagefind.js",
    )
    if loaded is not True:
        raise NotAvailable(f"stock Pagefind did not load: {loaded}")

    def query(text: str) -> list[str]:
        urls = page.evaluate(
            """async ([q, limit]) => {
                const found = await window.__pf.search(q);
                if (!found) return [];
                const data = await Promise.all(found.results.slice(0, limit).map(r => r.data()));
                return data.map(d => d.url);
            }""",
            [text, LIMIT],
        )
        return [url.removeprefix("/") for url in urls]

    return query


def browser_engine(page, base: str) -> Callable[[str], list[str]]:
    """The project's browser search: ``await window.kbSearch.query(text, {limit: 10})``."""
    page.goto(base)
    try:
        page.wait_for_function(
            "() => window.kbSearch && typeof window.kbSearch.query === 'function'", timeout=5000
        )
    except Exception as e:  # Playwright's TimeoutError: the site defines no kbSearch
        raise NotAvailable("the built site defines no window.kbSearch.query") from e

    def query(text: str) -> list[str]:
        answer = page.evaluate(
            "async ([q, limit]) => await window.kbSearch.query(q, {limit})", [text, LIMIT]
        )
        return [str(r.get("url", "")).removeprefix("/") for r in (answer or {}).get("results", [])]

    return query


def run_engine(
    name: str, query: Callable[[str], list[str]], questions: list[Question]
) -> EngineRun:
    """Ask every question; keep the ranked pages and the time taken."""
    run = EngineRun(name)
    started = time.perf_counter()
    for question in questions:
        run.pages.append(ranked_pages(query(question.q)))
    run.seconds = time.perf_counter() - started
    return run


# --- Scores -------------------------------------------------------------------------------------


def first_hit(pages: Sequence[str], answers: Sequence[str]) -> int | None:
    """The 1-based rank of the first answering page, or None."""
    for rank, page in enumerate(pages[:LIMIT], 1):
        if page in answers:
            return rank
    return None


@dataclass(frozen=True)
class Score:
    """hit@1, hit@3 and MRR@10 over some questions."""

    n: int
    hit1: float
    hit3: float
    mrr: float


def score(ranks: Sequence[int | None]) -> Score:
    """Scores from the first-hit ranks of a group of questions."""
    n = len(ranks)
    if n == 0:
        return Score(0, 0.0, 0.0, 0.0)
    return Score(
        n,
        sum(1 for r in ranks if r == 1) / n,
        sum(1 for r in ranks if r is not None and r <= TOP) / n,
        sum(1 / r for r in ranks if r is not None) / n,
    )


def agreement(a: EngineRun, b: EngineRun) -> tuple[float, float]:
    """(share of questions with the same first page, mean top-3 overlap / 3) of two runs."""
    n = len(a.pages)
    same = sum(1 for x, y in zip(a.pages, b.pages, strict=True) if x and y and x[0] == y[0])
    overlap = sum(
        len(set(x[:TOP]) & set(y[:TOP])) / TOP for x, y in zip(a.pages, b.pages, strict=True)
    )
    return same / n, overlap / n


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def report(
    questions: list[Question], runs: list[EngineRun], *, title: str, show_misses: bool
) -> str:
    """The Markdown report: per tag and overall scores, agreement, and optionally the misses."""
    lines = [f"### {title}", ""]
    ok = [run for run in runs if run.available]
    for run in runs:
        if not run.available:
            lines.append(f"- `{run.name}`: not available ({run.note})")
    if not ok:
        return "\n".join(lines)
    ranks = {
        run.name: [first_hit(p, q.answers) for p, q in zip(run.pages, questions, strict=True)]
        for run in ok
    }
    tags = sorted({t for q in questions for t in q.tags})
    head = (
        "| questions | n | " + " | ".join(f"{run.name} hit@1 | hit@3 | MRR@10" for run in ok) + " |"
    )
    lines += ["", head, "| --- | ---: |" + " ---: | ---: | ---: |" * len(ok)]
    for group in ["all", *tags]:
        picked = [i for i, q in enumerate(questions) if group == "all" or group in q.tags]
        cells = []
        for run in ok:
            s = score([ranks[run.name][i] for i in picked])
            cells.append(f"{_pct(s.hit1)} | {_pct(s.hit3)} | {s.mrr:.3f}")
        label = f"**{group}**" if group == "all" else group
        lines.append(f"| {label} | {len(picked)} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append(
        "Time for all questions: "
        + ", ".join(f"{run.name} {run.seconds:.1f} s" for run in ok)
        + "."
    )
    if len(ok) > 1:
        lines += ["", "| engines | same first page | top-3 overlap |", "| --- | ---: | ---: |"]
        for i, a in enumerate(ok):
            for b in ok[i + 1 :]:
                same, overlap = agreement(a, b)
                lines.append(f"| {a.name} / {b.name} | {_pct(same)} | {_pct(overlap)} |")
    if show_misses:
        for run in ok:
            missed = [
                (q, p)
                for q, p, r in zip(questions, run.pages, ranks[run.name], strict=True)
                if r is None or r > TOP
            ]
            lines += ["", f"#### `{run.name}`: {len(missed)} not answered in the top {TOP}", ""]
            for q, pages in missed:
                got = ", ".join(pages[:TOP]) or "(nothing)"
                lines.append(
                    f'- "{q.q}" [{", ".join(q.tags)}]: want {", ".join(q.answers)}; got {got}'
                )
    return "\n".join(lines)


# --- Speed: bytes and time to the first result --------------------------------------------------

#: Corpora for --speed: the demo, generated help articles (build_bench's), the tldr pages.
CORPORA = ("demo", "synthetic-5000", "tldr")
#: File types a server compresses (gzip level 6, as build_bench measures); others are sent as is
#: (Pagefind's index files are compressed already).
COMPRESSED_TYPES = frozenset((".html", ".js", ".mjs", ".css", ".json", ".svg", ".xml", ".txt"))
#: Per engine: its box, the element its results are drawn in, and how many results it shows.
BOXES = {
    "browser": (
        "#kb-search-input",
        "#kb-search-listbox",
        "document.querySelectorAll('#kb-search-listbox .kb-search__result').length",
    ),
    "material": (
        "input.md-search__input",
        ".md-search-result",
        "document.querySelectorAll('.md-search-result__item').length",
    ),
    "pagefind": (
        ".pagefind-ui__search-input",
        "#stock-pagefind",
        "document.querySelectorAll('.pagefind-ui__result').length",
    ),
}
#: How a visitor types: milliseconds between keys (about 8 characters a second).
KEY_DELAY_MS = 120
#: The answer is on screen once its results element has not changed for this long.
SETTLED_MS = 1500
# Stock Pagefind has no box on these pages: its default UI is added to the page, as its
# documentation shows (a container, its CSS and script, `new PagefindUI({element})`).
_PAGEFIND_UI = """async (base) => {
    const css = document.createElement('link');
    css.rel = 'stylesheet'; css.href = base + 'pagefind-ui.css'; document.head.append(css);
    const box = document.createElement('div'); box.id = 'stock-pagefind';
    document.body.prepend(box);
    await new Promise((ok, fail) => {
        const js = document.createElement('script'); js.src = base + 'pagefind-ui.js';
        js.onload = ok; js.onerror = fail; document.head.append(js);
    });
    new PagefindUI({element: '#stock-pagefind', bundlePath: base});
}"""
# Installed before typing: the time of the last keydown, and of every change of the results
# element after it. The answer to the whole query is the last change once things settle (an
# engine that searches as you type may still be drawing the answer to a shorter prefix when
# the last key is pressed).
_WATCH = """([results]) => {
    window.__kb = {key: 0, changed: 0};
    document.addEventListener('keydown', () => { window.__kb.key = performance.now(); }, true);
    new MutationObserver(() => {
        if (window.__kb.key) window.__kb.changed = performance.now();
    }).observe(document.querySelector(results), {childList: true, subtree: true,
                                                 characterData: true});
}"""
_SETTLED = """([quiet]) => window.__kb.changed > window.__kb.key &&
    performance.now() - window.__kb.changed > quiet"""


@dataclass
class Speed:
    """One cold first query: bytes fetched from the navigation to the answer, and the time."""

    query: str
    ms: float
    raw: int
    gzip: int
    search_raw: int
    search_gzip: int
    results: int


def served_bytes(site: Path, url_path: str) -> tuple[int, int]:
    """(raw, as served) bytes of the file behind `url_path` (gzip 6 for text types)."""
    import gzip

    rel = url_path.lstrip("/")
    path = site / rel
    if path.is_dir() or rel.endswith("/") or not rel:
        path = path / "index.html"
    if not path.is_file():
        return 0, 0
    data = path.read_bytes()
    if path.suffix in COMPRESSED_TYPES:
        return len(data), len(gzip.compress(data, 6))
    return len(data), len(data)


def _is_search_file(url_path: str) -> bool:
    # Material's index and worker, kb's engine, UI and index shards, Pagefind's bundle.
    return "search" in url_path or "pagefind" in url_path


def cold_query(browser, engine: str, base: str, site: Path, text: str) -> Speed:
    """Open the home page with an empty cache, type `text` into `engine`'s box, time the answer.

    The query is typed key by key (`KEY_DELAY_MS`); the time runs from the keydown of the last
    key to the last change of the results element before it settles (`SETTLED_MS`). Bytes:
    every request that ended before that change, from the navigation on.
    """
    from urllib.parse import urlsplit

    box, results, count = BOXES[engine]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    ended: list[tuple[str, float]] = []

    def finished(request) -> None:
        timing = request.timing
        ended.append((request.url, timing["startTime"] + max(timing["responseEnd"], 0)))

    context.on("requestfinished", finished)
    try:
        page = context.new_page()
        page.goto(base, wait_until="load")
        if engine == "pagefind":
            page.evaluate(_PAGEFIND_UI, f"/{STOCK_PAGEFIND}/")
            page.locator(box).wait_for(timeout=10000)
        if page.locator(box).count() == 0 or page.locator(results).count() == 0:
            raise NotAvailable(f"no {box} box with {results} on the page")
        page.evaluate(_WATCH, [results])
        page.locator(box).first.click()
        page.keyboard.type(text, delay=KEY_DELAY_MS)
        page.wait_for_function(_SETTLED, arg=[SETTLED_MS], timeout=60000, polling=100)
        found = page.evaluate(
            f"() => ({{ms: window.__kb.changed - window.__kb.key,"
            f" at: performance.timeOrigin + window.__kb.changed, results: {count}}})"
        )
    finally:
        context.close()
    raw = gz = search_raw = search_gz = 0
    for url, end in ended:
        if end > found["at"] + 1:
            continue
        path = urlsplit(url).path
        r, g = served_bytes(site, path)
        raw, gz = raw + r, gz + g
        if _is_search_file(path):
            search_raw, search_gz = search_raw + r, search_gz + g
    return Speed(text, found["ms"], raw, gz, search_raw, search_gz, found["results"])


def _build_bench(project: Path):
    """The copy's benchmarks/build_bench.py (its corpora), imported by path."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_bench", project / "benchmarks" / "build_bench.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_bench"] = module
    spec.loader.exec_module(module)
    return module


def _titles(docs: Path, count: int) -> list[str]:
    """The titles of `count` pages of `docs`, picked with a fixed seed (known-item queries)."""
    import random

    pages = sorted(p for p in docs.rglob("*.md") if p.name != "index.md")
    titles = []
    for path in random.Random(11).sample(pages, count):
        text = path.read_text(encoding="utf-8")
        # The front matter's title, else the first heading.
        match = re.search(r"^title:[ \t]*(.+)$", text, re.M) if text.startswith("---") else None
        match = match or re.search(r"^#[ \t]+(.+)$", text, re.M)
        titles.append(match.group(1).strip().strip("\"'") if match else path.stem)
    return titles


def prepare_corpus(name: str, project: Path, work: Path, count: int) -> tuple[Path, list[str], str]:
    """Build corpus `name` (not the demo) with the copy's kb: (site, queries, note)."""
    bench = _build_bench(project)
    # The shared corpora sit beside the working tree, not beside the copy.
    bench.TLDR = ROOT.parent / bench.TLDR.relative_to(bench.ROOT.parent)
    base = work / name
    docs = base / "docs"
    if name == "tldr":
        bench.write_tldr(docs)
    else:
        bench.write_synthetic(docs, int(name.rsplit("-", 1)[1]), flat=False)
    settings = yaml.load((project / "mkdocs.yml").read_text(encoding="utf-8"), bench._Loader)
    # A project of its own (config, docs, theme side by side): kb publishes nothing from
    # outside the folder of its mkdocs.yml.
    shutil.copytree(project / "theme", base / "theme")
    config = bench.kb_config(settings, Path("docs"), Path("theme"))
    # The project's own plugins (build_bench's list predates the removal of Material's search).
    config["plugins"] = settings.get("plugins", config["plugins"])
    path = bench.write_config(base / "mkdocs.yml", config)
    site = base / "site"
    seconds = kb_build(project, site, path, "--no-strict")
    return site, _titles(docs, count), f"{name}: kb build {seconds:.0f} s"


def speed_report(rows: list[tuple[str, str, list[Speed] | str]]) -> str:
    """The Markdown table of the cold first queries (medians over the queries)."""
    import statistics

    lines = [
        "| corpus | engine | queries | first result ms, median (max) | KB before it, gzip"
        " (raw) | of which search files, gzip (raw) | queries with results |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for corpus, engine, speeds in rows:
        if isinstance(speeds, str):
            lines.append(f"| {corpus} | {engine} | – | not available: {speeds} | | | |")
            continue

        def kb(values: list[int]) -> str:
            return f"{statistics.median(values) / 1024:,.0f}"

        ms = [s.ms for s in speeds]
        lines.append(
            f"| {corpus} | {engine} | {len(speeds)} | {statistics.median(ms):.0f} ({max(ms):.0f})"
            f" | {kb([s.gzip for s in speeds])} ({kb([s.raw for s in speeds])})"
            f" | {kb([s.search_gzip for s in speeds])} ({kb([s.search_raw for s in speeds])})"
            f" | {sum(1 for s in speeds if s.results)} |"
        )
    return "\n".join(lines)


def speed_main(args, engines: list[str], questions: list[Question]) -> int:
    """--speed: cold first queries, typed in Chromium, on each corpus."""
    engines = [e for e in engines if e in BOXES] or list(BOXES)
    corpora = [c.strip() for c in args.corpus.split(",") if c.strip()]
    unknown = set(corpora) - set(CORPORA) - {c for c in corpora if c.startswith("synthetic-")}
    if unknown:
        raise SystemExit(f"--corpus: unknown {sorted(unknown)}; use {', '.join(CORPORA)}")
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="kb-search-speed-"))
    rows: list[tuple[str, str, list[Speed] | str]] = []
    notes: list[str] = []
    try:
        project = copy_project(work / "project", args.rev)
        # Every site is built (and indexed by Pagefind) before Chromium starts: Playwright's
        # sync API runs an event loop, in which Pagefind's asyncio API cannot run.
        prepared: list[tuple[str, dict[str, Path], list[str]]] = []
        for corpus in corpora:
            if corpus == "demo":
                site = work / "demo-site"
                notes.append(f"demo: kb build {kb_build(project, site):.1f} s")
                step = max(1, len(questions) // args.queries)
                queries = [q.q for q in questions[::step][: args.queries]]
            else:
                reuse = args.reuse / corpus if args.reuse else None
                if reuse and (reuse / "site" / "index.html").is_file():
                    # A corpus an earlier --keep run built (5,000 pages take minutes here).
                    site, queries = reuse / "site", _titles(reuse / "docs", args.queries)
                    notes.append(f"{corpus}: the site built in {reuse}")
                else:
                    site, queries, note = prepare_corpus(corpus, project, work, args.queries)
                    notes.append(note)
            sites = {engine: site for engine in engines if engine != "material"}
            if "material" in engines and corpus == "demo":
                plain = copy_project(work / "plain", args.rev)
                plain_material_config(plain)
                sites["material"] = work / "plain-site"
                kb_build(plain, sites["material"])
            if "pagefind" in engines:
                seconds = write_stock_pagefind(site)
                notes.append(f"{corpus}: stock Pagefind index {seconds:.0f} s")
            prepared.append((corpus, sites, queries))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            try:
                for corpus, sites, queries in prepared:
                    for engine in engines:
                        if engine not in sites:
                            why = "measured on the demo only (Build at scale has its index size)"
                            rows.append((corpus, engine, why))
                            continue
                        with serve(sites[engine]) as base:
                            try:
                                speeds = [
                                    cold_query(browser, engine, base, sites[engine], q)
                                    for q in queries
                                ]
                                rows.append((corpus, engine, speeds))
                            except NotAvailable as e:
                                rows.append((corpus, engine, str(e)))
            finally:
                browser.close()
    finally:
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    source = f"commit {_commit(args.rev)}" if args.rev else "the working tree"
    print(f"### First query, cold cache: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print()
    print(speed_report(rows))
    print()
    print(f"Sources: {source}; " + "; ".join(notes) + ".")
    return 0


# --- Main ---------------------------------------------------------------------------------------


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _commit(rev: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", rev], capture_output=True, text=True
    )
    return done.stdout.strip() or rev


def main(argv: Sequence[str] | None = None) -> int:
    """Build, run the chosen engines on the chosen question file, print the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument(
        "--set", default="dev", help="dev, fresh, fresh2, fresh3, heldout, or a question file"
    )
    parser.add_argument(
        "--engine", action="append", choices=ENGINES, help="repeat for several (default: all)"
    )
    parser.add_argument("--misses", action="store_true", help="list the questions missed")
    parser.add_argument("--json", type=Path, help="also write every engine's pages to this file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--rev", help="score this commit (git archive) instead of the working tree")
    parser.add_argument(
        "--speed",
        action="store_true",
        help="measure cold first queries (bytes, time) instead of scoring the questions",
    )
    parser.add_argument(
        "--corpus", default="demo", help=f"--speed: comma-separated, from {', '.join(CORPORA)}"
    )
    parser.add_argument("--queries", type=int, default=5, help="--speed: queries per engine")
    parser.add_argument(
        "--reuse",
        type=Path,
        help="--speed: the folder an earlier --keep run left: measure the corpora built there",
    )
    args = parser.parse_args(argv)
    path = SETS.get(args.set, Path(args.set))
    if args.misses and path.resolve() == SETS["heldout"].resolve():
        parser.error("the held-out set is only scored: its misses are not shown (no tuning on it)")
    questions = read_questions(path)
    engines = list(dict.fromkeys(args.engine or ENGINES))
    if args.speed:
        return speed_main(args, engines, questions)

    work = Path(tempfile.mkdtemp(prefix="kb-search-quality-"))
    runs: list[EngineRun] = []
    notes: list[str] = []
    try:
        project, site = copy_project(work / "project", args.rev), work / "site"
        notes.append(f"kb build {kb_build(project, site):.1f} s")
        chromium = [e for e in engines if e != "whoosh"]
        plain_site, plain_failure = None, ""
        if "material" in chromium:
            plain = copy_project(work / "plain", args.rev)
            plain_material_config(plain)
            try:
                seconds = kb_build(plain, work / "plain-site")
                plain_site = work / "plain-site"
                notes.append(f"plain-Material build {seconds:.1f} s")
            except RuntimeError as e:
                plain_failure = str(e)
        if "pagefind" in chromium:
            notes.append(f"stock Pagefind index {write_stock_pagefind(site):.1f} s")
        for name in engines:
            if name == "whoosh":
                runs.append(run_engine(name, whoosh_engine(project), questions))
        if chromium:
            runs += run_chromium(chromium, questions, site, plain_site, plain_failure)
    finally:
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    runs.sort(key=lambda run: engines.index(run.name))
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    source = f"commit {_commit(args.rev)}" if args.rev else "the working tree"
    title = f"{path.name}: {len(questions)} questions, {when}"
    print(report(questions, runs, title=title, show_misses=args.misses))
    print()
    print(
        f"Versions: mkdocs {_version('mkdocs')}, mkdocs-material {_version('mkdocs-material')}, "
        f"whoosh3 {_version('whoosh3')}, pagefind {_version('pagefind')}, "
        f"playwright {_version('playwright')}. Sources: {source}. " + "; ".join(notes) + "."
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "set": str(path),
                    "questions": [q.__dict__ for q in questions],
                    "engines": {run.name: run.pages for run in runs if run.available},
                    "not_available": {run.name: run.note for run in runs if not run.available},
                },
                indent=1,
                default=list,
            ),
            encoding="utf-8",
        )
    return 0


def run_chromium(
    engines: list[str],
    questions: list[Question],
    site: Path,
    plain_site: Path | None,
    plain_failure: str = "",
) -> list[EngineRun]:
    """Run the Chromium engines in one headless browser, one tab each."""
    try:
        executable = chromium_path()
    except NotAvailable as e:
        return [EngineRun(name, note=str(e)) for name in engines]
    from playwright.sync_api import sync_playwright

    runs: list[EngineRun] = []
    with contextlib.ExitStack() as stack:
        base = stack.enter_context(serve(site))
        plain_base = stack.enter_context(serve(plain_site)) if plain_site else None
        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        stack.callback(browser.close)
        for name in engines:
            page = browser.new_page()
            try:
                if name == "material":
                    if plain_base is None:
                        raise NotAvailable(f"the plain-Material build failed: {plain_failure}")
                    query = material_engine(page, plain_base)
                elif name == "pagefind":
                    query = pagefind_engine(page, base)
                else:
                    query = browser_engine(page, base)
                runs.append(run_engine(name, query, questions))
            except NotAvailable as e:
                runs.append(EngineRun(name, note=str(e)))
            finally:
                page.close()
    return runs


if __name__ == "__main__":
    sys.exit(main())
