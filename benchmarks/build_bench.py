"""Build at scale: plain Material for MkDocs against kb-builder, on the same pages, in one run.

Usage (from the project root, with the project's virtualenv)::

    .venv/bin/python benchmarks/build_bench.py [--sizes 1000,5000]
        [--corpora demo,synthetic,synthetic-flat,tldr] [--keep] [--out FILE]
        [--no-warm] [--profile DIR] [--repeat N]

For every corpus the same Markdown pages are built by each builder, one build after the other,
each in a fresh subprocess and a fresh project folder (so kb-builder's search index and
related-articles cache in ``.kb/`` start cold):

- **material**: ``mkdocs build`` with theme ``material``, the project's theme settings and
  navigation features (read from ``mkdocs.yml``), ``plugins: [search]``, no ``custom_dir``, no
  kb plugin;
- **kb**: ``kb build --no-strict`` with ``plugins: [kb]`` and ``theme.custom_dir`` set to the
  project's ``theme/``, as the project builds its own site (kb's chunked browser search index
  replaces Material's search plugin, as in ``mkdocs.yml``);
- **kb (warm .kb/)**: the same kb build again, keeping the ``.kb/`` of the first (a writer's
  next build of an unchanged site; skip it with ``--no-warm``).

The ratio row compares the cold kb build with plain Material. ``--repeat N`` builds each
corpus cold N times with each builder, alternating (material, kb, kb, material, ...), and
shows the medians: on a shared machine one build's CPU time moves by 10-25% from minute to
minute, more than the differences worth measuring at 1,000 pages. ``--profile DIR`` builds each
corpus with kb once more under cProfile (not measured) and leaves ``DIR/kb-<corpus>.prof``.

Each build is measured from the outside: wall time (monotonic clock around the subprocess),
CPU time (user + system) and peak memory (max RSS) from ``os.wait4``'s resource usage of that
child alone, then the bytes of the site folder it wrote and of ``search/search_index.json``,
which Material's browser search downloads before it shows its first result (raw, and gzip
level 6 as a web server would send it). The 1-minute load average is recorded at the start and
end of each build: the machine may be busy, and wall time suffers first.

Corpora:

- ``demo``: the project's own help centre (``content/`` with ``mkdocs.yml``, copied to a
  temporary folder). Plain Material cannot build pages generated from ``_data/``, so it builds
  the Markdown files of ``content/`` only (no ``nav``, ``exclude_docs: _data/``).
- ``synthetic``: N seeded help articles (400-800 words, 3-6 ``##`` sections, lists, code and
  links to sibling articles) in 10 folders, each with an ``index.md``, under a home page.
- ``synthetic-flat``: the same kind of pages, all in one folder (with an ``index.md``).
- ``tldr``: the 4,613 real tldr pages of ``../shared/corpora/tldr-common/pages`` (CC-BY-4.0),
  copied into a temporary folder (never into the repository) as one folder under a home page.
  ``..md`` is renamed ``dot-dot.md`` for both builds: kb-builder refuses a file MkDocs would
  silently drop.

Prints a Markdown table (and writes it to ``--out``); paste it into ``benchmarks/README.md``
with the command that produced it. Builds never run in parallel.
"""

from __future__ import annotations

import argparse
import copy
import gzip
import hashlib
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TLDR = ROOT.parent / "shared" / "corpora" / "tldr-common" / "pages"
BIN = Path(sys.executable).parent
CORPORA = ("demo", "synthetic", "synthetic-flat", "tldr")
SIZES = (1000, 5000)
BUILDERS = ("material", "kb")
SEED = 20261129
# The folders of the nested synthetic corpus (the flat one has a single "articles" folder).
SECTION_FOLDERS = (
    "billing",
    "permits",
    "citations",
    "vehicles",
    "users-and-roles",
    "reports",
    "payments",
    "appeals",
    "events",
    "mobile-app",
)
# Renamed in the benchmark's copy of tldr, for both builders (see the module docstring).
TLDR_RENAMES = {"..md": "dot-dot.md"}
MB = 1_000_000
KB = 1_000
# MkDocs' own timing of its build, logged by both builders. The rest of the wall time is
# start-up and, for kb, the Whoosh index written once the new site is in place.
MKDOCS_TIME = re.compile(r"Documentation built in ([0-9.]+) seconds")


# --- mkdocs.yml, read and written with its !!python/name tags intact -------------------------


@dataclass(frozen=True)
class PyName:
    """A ``!!python/name:module.attr`` value of mkdocs.yml, kept as text."""

    name: str


class _Loader(yaml.SafeLoader):
    """Safe YAML loading that keeps ``!!python/name:`` tags instead of importing them."""


class _Dumper(yaml.SafeDumper):
    """Safe YAML dumping that writes `PyName` back as a ``!!python/name:`` tag."""


_PYNAME_TAG = "tag:yaml.org,2002:python/name:"
_Loader.add_multi_constructor(_PYNAME_TAG, lambda loader, suffix, node: PyName(suffix))
_Dumper.add_representer(PyName, lambda dumper, v: dumper.represent_scalar(_PYNAME_TAG + v.name, ""))


def read_project_config() -> dict:
    """The project's mkdocs.yml as plain data."""
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)


def write_config(path: Path, config: dict) -> Path:
    """Write `config` as an mkdocs.yml at `path` and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(config, Dumper=_Dumper, sort_keys=False, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return path


def material_theme(project: dict) -> dict:
    """The project's theme settings without what only its custom_dir provides."""
    theme = {k: v for k, v in project["theme"].items() if k not in ("custom_dir", "favicon")}
    theme["font"] = False
    return theme


def plugin_settings(project: dict, name: str) -> dict:
    """The settings of plugin `name` in the project's ``plugins:`` list ({} if it has none)."""
    for item in project.get("plugins", []):
        if isinstance(item, dict) and name in item:
            return dict(item[name] or {})
    return {}


def material_config(project: dict, docs_dir: Path) -> dict:
    """Plain Material: same theme, features and Markdown, only the search plugin."""
    return {
        "site_name": "Build benchmark",
        "docs_dir": str(docs_dir),
        "site_dir": "site",
        "theme": material_theme(project),
        "plugins": ["search"],
        "markdown_extensions": project.get("markdown_extensions", []),
        "validation": project.get("validation", {}),
    }


def kb_config(project: dict, docs_dir: Path, theme_dir: Path) -> dict:
    """kb-builder: the same, plus the kb plugin, the project's theme overrides and assets."""
    config = material_config(project, docs_dir)
    config["theme"] = {**material_theme(project), "custom_dir": str(theme_dir)}
    if "favicon" in project["theme"]:
        config["theme"]["favicon"] = project["theme"]["favicon"]
    # As the project builds itself: kb's own browser search index replaces Material's search
    # plugin (mkdocs.yml has no `search`), so kb does not pay for both.
    config["plugins"] = [{"kb": plugin_settings(project, "kb")}]
    for key in ("extra_css", "extra_javascript"):
        if key in project:
            config[key] = project[key]
    return config


# --- corpora ----------------------------------------------------------------------------------


@dataclass
class Corpus:
    """Pages ready to build: a name, how many Markdown pages, and one mkdocs.yml per builder."""

    name: str
    pages: int
    configs: dict[str, Path]
    note: str = ""


def _words(text: str) -> list[str]:
    return text.split()


_COMMON = _words(
    "the a to of and in for is you your it on with this that can be are or from by as at not "
    "when if each one new all more only before after then which also any page option list "
    "open choose select enter save change check make sure need use set see show"
)
_DOMAIN = _words(
    "permit permits citation citations vehicle plate plates lot lots zone zones payment "
    "payments refund invoice account accounts user users role roles report reports export "
    "renewal reminder reminders email portal admin administrator agent ticket tickets "
    "support officer patrol appeal appeals deadline waitlist guest event events access "
    "password sign-in device session notification schedule calendar field filter status "
    "receipt balance fee fees rate rates visitor campus employee student resident garage "
    "meter violation warning photo photos upload import template setting settings group "
    "groups customer client preview sandbox release module dashboard search record history"
)
_VERBS = _words(
    "create edit delete renew reset approve reject assign export import schedule cancel "
    "transfer refund review print archive restore enable disable configure verify"
)
_HEADINGS = (
    "Before you start",
    "Steps",
    "What happens next",
    "Who can do this",
    "Troubleshooting",
    "Limits",
    "Examples",
    "Settings that matter",
    "Common mistakes",
    "If it does not work",
    "For administrators",
    "Good to know",
)


class PageWriter:
    """Seeded generator of realistic help articles (same seed, same pages, byte for byte)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        # A long tail of rare words (codes, product names) so the search index has a realistic
        # vocabulary, on top of frequent common and domain words (Zipf-like weights).
        rare = [self._syllables() for _ in range(4000)]
        self.words = _COMMON + _DOMAIN + rare
        self.weights = [1 / (rank + 1) ** 0.9 for rank in range(len(self.words))]

    def _syllables(self) -> str:
        parts = ("ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "zen", "tar", "pel", "dro")
        return "".join(self.rng.choice(parts) for _ in range(self.rng.randint(2, 4)))

    def title(self) -> str:
        """A help-article title, e.g. ``Renew a guest permit by email``."""
        rng = self.rng
        noun = rng.choice(_DOMAIN)
        return (
            f"{rng.choice(_VERBS).capitalize()} {rng.choice(('a', 'the'))} {noun} "
            + (
                f"{rng.choice(_DOMAIN)} {rng.choice(('in bulk', 'for a group', 'by email', ''))}"
            ).strip()
        )

    def sentence(self, low: int = 8, high: int = 20) -> str:
        """One sentence of weighted random words."""
        words = self.rng.choices(self.words, self.weights, k=self.rng.randint(low, high))
        return " ".join(words).capitalize() + "."

    def paragraph(self) -> str:
        """Two to four sentences."""
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 4)))

    def article(self, title: str, siblings: list[tuple[str, str]]) -> str:
        """A page of 400-800 words: front matter, intro, 3-6 sections, lists, code, links."""
        rng = self.rng
        target = rng.randint(400, 800)
        lines = [
            "---",
            f"title: {title}",
            f"description: {self.sentence(8, 14)}",
            "---",
            "",
            f"# {title}",
            "",
            self.paragraph(),
            "",
        ]
        headings = rng.sample(_HEADINGS, rng.randint(3, 6))
        words_per_section = max(90, (target - 100) // len(headings) - 40)
        for n, heading in enumerate(headings):
            lines += [f"## {heading}", ""]
            written = 0
            while written < words_per_section:
                kind = rng.random()
                if kind < 0.2:
                    items = [self.sentence(4, 10) for _ in range(rng.randint(3, 6))]
                    ordered = rng.random() < 0.5
                    lines += [f"{i + 1}. {t}" if ordered else f"- {t}" for i, t in enumerate(items)]
                    written += sum(len(t.split()) for t in items)
                elif kind < 0.28:
                    code = [
                        f"{rng.choice(_VERBS)}_{rng.choice(_DOMAIN)} --id {rng.randint(1, 9999)}"
                        for _ in range(rng.randint(2, 5))
                    ]
                    lines += ["```text", *code, "```"]
                    written += 3 * len(code)
                else:
                    text = self.paragraph()
                    lines.append(text)
                    written += len(text.split())
                lines.append("")
            if n == 0 and siblings:
                links = rng.sample(siblings, min(len(siblings), rng.randint(0, 2)))
                for other_title, href in links:
                    lines += [f"See also [{other_title}]({href}).", ""]
        return "\n".join(lines)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def write_synthetic(docs: Path, pages: int, *, flat: bool, seed: int = SEED) -> None:
    """Write exactly `pages` Markdown files into `docs`.

    Nested: a home page, then `SECTION_FOLDERS`, each with an ``index.md`` and an equal share
    of the articles. Flat: a home page, then one folder with an ``index.md`` and every article.
    """
    writer = PageWriter(seed)
    folders = ["articles"] if flat else list(SECTION_FOLDERS)
    articles = pages - 1 - len(folders)
    if articles < len(folders):
        raise SystemExit(f"--sizes: {pages} is too few pages for {len(folders)} folders")
    docs.mkdir(parents=True)
    (docs / "index.md").write_text(
        "# Help centre\n\nAnswers and guides, one folder per area.\n\n"
        + "".join(f"- [{f}]({f}/index.md)\n" for f in folders),
        encoding="utf-8",
    )
    for i, folder in enumerate(folders):
        count = articles // len(folders) + (1 if i < articles % len(folders) else 0)
        titles = [writer.title() for _ in range(count)]
        names = [f"{_slug(t)}-{n}.md" for n, t in enumerate(titles)]
        (docs / folder).mkdir()
        (docs / folder / "index.md").write_text(
            f"# {folder.replace('-', ' ').capitalize()}\n\n{writer.paragraph()}\n",
            encoding="utf-8",
        )
        siblings = list(zip(titles, names, strict=True))
        for title, name in siblings:
            nearby = [s for s in writer.rng.sample(siblings, min(4, count)) if s[1] != name]
            (docs / folder / name).write_text(writer.article(title, nearby), encoding="utf-8")


def write_tldr(docs: Path) -> int:
    """Copy the tldr pages into ``docs/commands/`` under a home page; return the page count."""
    if not TLDR.is_dir():
        raise SystemExit(f"the tldr corpus is not on this machine ({TLDR})")
    target = docs / "commands"
    target.mkdir(parents=True)
    count = 0
    for source in sorted(TLDR.iterdir()):
        if source.suffix == ".md":
            shutil.copyfile(source, target / TLDR_RENAMES.get(source.name, source.name))
            count += 1
    (docs / "index.md").write_text(
        "# Command reference\n\nThe tldr pages, one per command (CC-BY-4.0).\n",
        encoding="utf-8",
    )
    return count + 1


def prepare_demo(base: Path, project: dict) -> Corpus:
    """The project's own help centre: copied as is for kb, its Markdown files for Material."""
    kb_project = base / "kb"
    kb_project.mkdir(parents=True)
    for folder in ("content", "theme"):
        shutil.copytree(ROOT / folder, kb_project / folder)
    shutil.copyfile(ROOT / "mkdocs.yml", kb_project / "mkdocs.yml")
    content = kb_project / "content"
    plain = material_config(project, content)
    plain["site_name"] = project["site_name"]
    plain["exclude_docs"] = "_data/\n"
    # The home page names the project's template (`template: home.html`): plain Material gets
    # a stand-in that is its own main.html, so it renders that page as any other.
    shim = base / "material" / "overrides"
    shim.mkdir(parents=True)
    (shim / "home.html").write_text('{% extends "main.html" %}\n', encoding="utf-8")
    plain["theme"]["custom_dir"] = str(shim)
    configs = {
        "material": write_config(base / "material" / "mkdocs.yml", plain),
        "kb": kb_project / "mkdocs.yml",
    }
    pages = sum(1 for md in content.rglob("*.md") if "_data" not in md.parts)
    note = (
        "demo: kb builds the project's nav, its pages generated from _data/ and the A-Z "
        "listings; plain Material builds the Markdown files of content/ only (no nav, _data/ "
        "excluded, the internal page included, the home page's `template: home.html` served by "
        "a one-line stand-in that extends Material's main.html)."
    )
    return Corpus("demo", pages, configs, note)


def prepare(name: str, size: int, work: Path, project: dict) -> Corpus:
    """Write corpus `name` (of `size` pages, for synthetic ones) under `work`, with configs."""
    if name == "demo":
        return prepare_demo(work / name, project)
    if name == "tldr":
        base = work / name
        pages = write_tldr(base / "docs")
        note = "tldr: `..md` renamed `dot-dot.md` for both builds; a one-line home page added."
    else:
        name = f"{name}-{size}"
        base = work / name
        write_synthetic(base / "docs", size, flat=name.startswith("synthetic-flat"))
        pages, note = size, ""
    docs = base / "docs"
    configs = {
        "material": write_config(base / "material" / "mkdocs.yml", material_config(project, docs)),
        "kb": write_config(base / "kb" / "mkdocs.yml", kb_config(project, docs, ROOT / "theme")),
    }
    return Corpus(name, pages, configs, note)


# --- one build, measured ----------------------------------------------------------------------


def sources_fingerprint() -> str:
    """A short hash of the code and settings kb builds with (others may edit them mid-run)."""
    digest = hashlib.sha256()
    paths = [ROOT / "mkdocs.yml"]
    for folder in ("kb_builder", "search", "theme"):
        paths += sorted(p for p in (ROOT / folder).rglob("*") if "__pycache__" not in p.parts)
    for path in paths:
        if path.is_file():
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


@dataclass
class Result:
    """What one build cost and wrote."""

    corpus: str
    builder: str
    source_pages: int
    ok: bool = False
    wall: float = 0.0
    cpu: float = 0.0
    rss_mb: float = 0.0
    html_pages: int = 0
    html_bytes: int = 0
    site_bytes: int = 0
    index_raw: int = 0
    index_gzip: int = 0
    server_index_bytes: int = 0
    warnings: int = 0
    load: tuple[float, float] = (0.0, 0.0)
    log: Path | None = None
    mkdocs_s: float | None = None
    sources: str = ""


def command(builder: str, config: Path) -> list[str]:
    """The command line of one build (the venv's own `mkdocs` and `kb`)."""
    site = str(config.parent / "site")
    if builder == "material":
        return [str(BIN / "mkdocs"), "build", "-f", str(config), "-d", site]
    return [str(BIN / "kb"), "build", "--no-strict", "-f", str(config), "-d", site]


def run_measured(argv: list[str], cwd: Path, log: Path) -> tuple[int, float, float, float]:
    """Run `argv` alone in a subprocess; return exit code, wall s, CPU s and max RSS in MB.

    CPU and memory come from ``os.wait4``: the resource usage of that child only (with any
    process it waited for), unaffected by earlier builds of this run.
    """
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as out:
        start = time.monotonic()
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss is in kilobytes on Linux.
    return proc.returncode, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024 / MB


def _files(folder: Path) -> Iterator[os.DirEntry]:
    """Every regular file under `folder`, recursively (symbolic links not followed)."""
    for entry in os.scandir(folder):
        if entry.is_dir(follow_symlinks=False):
            yield from _files(Path(entry.path))
        elif entry.is_file(follow_symlinks=False):
            yield entry


def folder_bytes(folder: Path) -> int:
    """Total size of the files under `folder` (0 if it does not exist)."""
    return sum(e.stat().st_size for e in _files(folder)) if folder.is_dir() else 0


def measure_site(result: Result, site: Path) -> None:
    """Fill in the output sizes of `result` from the site folder."""
    for entry in _files(site):
        size = entry.stat().st_size
        result.site_bytes += size
        if entry.name.endswith(".html"):
            result.html_bytes += size
            if entry.name != "404.html":
                result.html_pages += 1
    index = site / "search" / "search_index.json"
    if index.is_file():
        raw = index.read_bytes()
        result.index_raw = len(raw)
        result.index_gzip = len(gzip.compress(raw, compresslevel=6))


def build(corpus: Corpus, builder: str, *, warm: bool = False) -> Result:
    """Build `corpus` with `builder` in its own project folder and measure it.

    A build starts without a site folder and, unless `warm`, without kb-builder's ``.kb/``
    (search index and related-articles cache). A warm kb build keeps the ``.kb/`` of the build
    before it, as a writer's second build on an unchanged site does.
    """
    config = corpus.configs[builder]
    project = config.parent
    shutil.rmtree(project / "site", ignore_errors=True)
    if not warm:
        shutil.rmtree(project / ".kb", ignore_errors=True)
    label = f"{builder} (warm .kb/)" if warm else builder
    log = project / ("build-warm.log" if warm else "build.log")
    result = Result(corpus.name, label, corpus.pages, log=log, sources=sources_fingerprint())
    before = os.getloadavg()[0]
    code, result.wall, result.cpu, result.rss_mb = run_measured(
        command(builder, config), project, result.log
    )
    result.load = (before, os.getloadavg()[0])
    result.ok = code == 0
    text = result.log.read_text(encoding="utf-8", errors="replace")
    result.warnings = sum(1 for line in text.splitlines() if line.startswith("WARNING"))
    built = MKDOCS_TIME.search(text)
    result.mkdocs_s = float(built.group(1)) if built else None
    if result.ok:
        measure_site(result, project / "site")
        result.server_index_bytes = folder_bytes(project / ".kb")
    else:
        tail = "\n".join(text.splitlines()[-15:])
        print(f"{corpus.name} / {builder} failed (exit {code}):\n{tail}", file=sys.stderr)
    return result


def profile(corpus: Corpus, out: Path) -> Path:
    """Build `corpus` with kb once more, under cProfile (not measured), into `out`/...prof."""
    config = corpus.configs["kb"]
    shutil.rmtree(config.parent / "site", ignore_errors=True)
    shutil.rmtree(config.parent / ".kb", ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    target = (out / f"kb-{corpus.name}.prof").resolve()
    argv = [sys.executable, "-m", "cProfile", "-o", str(target), *command("kb", config)]
    run_measured(argv, config.parent, config.parent / "profile.log")
    return target


# --- report -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One measure of the table: its heading, how to read it, and whether kb/material is shown."""

    heading: str
    value: Callable[[Result], object]
    fmt: str = "{:.1f}"
    ratio: bool = True


def _per_page(total: int, r: Result) -> float:
    return total / r.html_pages / KB if r.html_pages else 0.0


COLUMNS = (
    Column("wall s", lambda r: r.wall),
    Column("CPU s", lambda r: r.cpu),
    Column("of which MkDocs s", lambda r: r.mkdocs_s),
    Column("peak RSS MB", lambda r: r.rss_mb, "{:.0f}"),
    Column("output MB", lambda r: r.site_bytes / MB),
    Column("KB/page (HTML)", lambda r: _per_page(r.html_bytes, r)),
    Column("KB/page (all)", lambda r: _per_page(r.site_bytes, r)),
    # Material's search box downloads search_index.json whole before its first result; kb's
    # loads only the chunks a query needs (benchmarks/search_quality.py --speed measures it).
    Column(
        "first search KB (gzip)", lambda r: r.index_gzip / KB if r.index_raw else None, "{:.0f}"
    ),
    Column("search_index.json MB", lambda r: r.index_raw / MB if r.index_raw else None, "{:.2f}"),
    Column(
        "kb server index MB",
        lambda r: r.server_index_bytes / MB if r.builder.startswith("kb") else None,
        ratio=False,
    ),
    Column("warnings", lambda r: r.warnings, "{}", ratio=False),
    Column("load 1 min (start → end)", lambda r: f"{r.load[0]:.2f} → {r.load[1]:.2f}", "{}", False),
)
HEADER = "| corpus | pages | builder | " + " | ".join(c.heading for c in COLUMNS) + " |"


def _cell(column: Column, r: Result) -> str:
    value = column.value(r)
    return "–" if value is None else column.fmt.format(value)


def rows(results: list[Result]) -> Iterable[str]:
    """Table rows of one corpus: each build, then the kb/material ratio (cold builds)."""
    for r in results:
        if not r.ok:
            yield f"| {r.corpus} | {r.source_pages} | {r.builder} | failed, see {r.log} |"
            continue
        cells = " | ".join(_cell(c, r) for c in COLUMNS)
        yield f"| {r.corpus} | {r.html_pages} | {r.builder} | {cells} |"
    material, kb = (next((r for r in results if r.builder == b), None) for b in BUILDERS)
    if material and kb and material.ok and kb.ok:
        ratios = []
        for column in COLUMNS:
            a, b = column.value(kb), column.value(material)
            usable = column.ratio and isinstance(a, int | float) and isinstance(b, int | float)
            ratios.append(f"**{a / b:.2f}x**" if usable and b else "")
        yield f"| {kb.corpus} | | kb / material | " + " | ".join(ratios) + " |"


def growth(results: list[Result]) -> list[str]:
    """Bytes of HTML per page from the smallest to the largest size of each corpus/builder."""
    lines = []
    by_key: dict[tuple[str, str], list[Result]] = {}
    for r in results:
        if r.ok and r.html_pages and r.corpus.startswith("synthetic"):
            by_key.setdefault((r.corpus.rsplit("-", 1)[0], r.builder), []).append(r)
    for (corpus, builder), found in by_key.items():
        if len(found) < 2:
            continue
        small, large = (
            min(found, key=lambda r: r.source_pages),
            max(found, key=lambda r: r.source_pages),
        )
        a, b = small.html_bytes / small.html_pages, large.html_bytes / large.html_pages
        lines.append(
            f"- {corpus}, {builder}: {a / KB:.1f} KB of HTML per page at {small.source_pages} "
            f"pages, {b / KB:.1f} KB at {large.source_pages} ({b / a:.2f}x)"
        )
    return lines


def machine() -> str:
    """One line describing where the benchmark ran."""
    versions = ", ".join(
        f"{name} {metadata.version(name)}" for name in ("mkdocs", "mkdocs-material", "kb-builder")
    )
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {os.cpu_count()} CPUs "
        f"({platform.processor() or platform.machine()}), Python {platform.python_version()}, "
        f"{versions}"
    )


def report(results: list[Result], notes: list[str], started: str) -> str:
    """The whole Markdown report: machine line, table, growth and notes."""
    lines = [f"Started {started}.", "", HEADER, "|" + " --- |" * (HEADER.count("|") - 1)]
    for key in dict.fromkeys(r.corpus for r in results):
        lines += rows([r for r in results if r.corpus == key])
    more = growth(results)
    if more:
        lines += ["", "HTML per page as the site grows (target: flat):", "", *more]
    if notes:
        lines += ["", *(f"- {n}" for n in notes)]
    kb_builds = [r for r in results if r.builder.startswith("kb")]
    fingerprints = list(dict.fromkeys(r.sources for r in kb_builds))
    if len(fingerprints) == 1:
        lines += [
            "",
            f"kb-builder sources (sha256 of kb_builder/, search/, theme/, mkdocs.yml): "
            f"{fingerprints[0]}, the same for every kb build.",
        ]
    elif fingerprints:
        changed = ", ".join(f"{r.corpus} {r.builder}: {r.sources}" for r in kb_builds)
        lines += ["", f"WARNING: kb-builder's sources changed during the run ({changed})."]
    return "\n".join(lines) + "\n"


def interleaved(builders: tuple[str, ...], repeat: int) -> list[tuple[str, bool]]:
    """Cold build steps, each builder `repeat` times, alternating in A B B A order.

    On a shared machine the speed drifts over minutes: alternating, and reversing the order
    every other round, gives each builder the same share of slow and fast moments.
    """
    steps: list[tuple[str, bool]] = []
    for round_ in range(repeat):
        order = builders if round_ % 2 == 0 else tuple(reversed(builders))
        steps += [(b, False) for b in order]
    return steps


def median_of(runs: list[Result]) -> Result:
    """One row for `runs` of one builder: the median CPU, wall time and peak memory.

    The other figures (pages, bytes, warnings) are the last build's: every build writes the
    same site.
    """
    middle = copy.copy(runs[-1])
    middle.cpu = statistics.median(r.cpu for r in runs)
    middle.wall = statistics.median(r.wall for r in runs)
    middle.rss_mb = statistics.median(r.rss_mb for r in runs)
    middle.ok = all(r.ok for r in runs)
    return middle


def main(argv: list[str] | None = None) -> int:
    """Parse options, prepare each corpus, build it with both builders, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="synthetic sizes")
    parser.add_argument("--corpora", default=",".join(CORPORA), help=f"of {', '.join(CORPORA)}")
    parser.add_argument("--keep", action="store_true", help="keep the build folders")
    parser.add_argument("--out", type=Path, help="also write the report to this file")
    parser.add_argument(
        "--no-warm",
        dest="warm",
        action="store_false",
        help="skip the second kb build that reuses .kb/ (search index, related cache)",
    )
    parser.add_argument(
        "--profile", type=Path, metavar="DIR", help="also profile each kb build (cProfile) into DIR"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        metavar="N",
        help="cold builds per builder, interleaved; the table shows each one's median",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be 1 or more")
    corpora = [c.strip() for c in args.corpora.split(",") if c.strip()]
    unknown = set(corpora) - set(CORPORA)
    if unknown:
        parser.error(f"unknown corpora: {', '.join(sorted(unknown))}; use {', '.join(CORPORA)}")
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    for tool in ("mkdocs", "kb"):
        if not (BIN / tool).exists():
            parser.error(f"{BIN / tool} not found: run with the project's .venv/bin/python")

    project = read_project_config()
    work = Path(tempfile.mkdtemp(prefix="kb-build-bench-"))
    started = machine()
    print(f"# {started}\n# working in {work}", file=sys.stderr)
    results: list[Result] = []
    notes: list[str] = []
    plan = [(c, s) for c in corpora for s in (sizes if c.startswith("synthetic") else [0])]
    try:
        for name, size in plan:
            corpus = prepare(name, size, work, project)
            if corpus.note and corpus.note not in notes:
                notes.append(corpus.note)
            steps = interleaved(BUILDERS, args.repeat) + ([("kb", True)] if args.warm else [])
            repeats: dict[str, list[Result]] = {}
            for builder, warm in steps:
                print(
                    f"# building {corpus.name} ({corpus.pages} pages) with {builder}"
                    f"{' again, .kb/ kept' if warm else ''}...",
                    file=sys.stderr,
                    flush=True,
                )
                result = build(corpus, builder, warm=warm)
                if args.repeat > 1 and not warm:
                    repeats.setdefault(builder, []).append(result)
                    if len(repeats[builder]) == args.repeat:
                        results.append(median_of(repeats[builder]))
                        each = ", ".join(
                            f"{r.cpu:.1f} s / {r.rss_mb:.0f} MB" for r in repeats[builder]
                        )
                        notes.append(
                            f"{corpus.name}, {builder}: the median of {args.repeat} cold "
                            f"builds, interleaved with the other builder's ({each})."
                        )
                else:
                    results.append(result)
                print(
                    f"#   {result.wall:.1f} s wall, {result.cpu:.1f} s CPU, "
                    f"{result.rss_mb:.0f} MB, {result.site_bytes / MB:.1f} MB written",
                    file=sys.stderr,
                    flush=True,
                )
                if not args.keep:
                    shutil.rmtree(corpus.configs[builder].parent / "site", ignore_errors=True)
                if args.out:
                    # Rewritten after every build, so that a long run cut short keeps its figures.
                    args.out.write_text(report(results, notes, started), encoding="utf-8")
            if args.profile:
                print(f"# profile: {profile(corpus, args.profile)}", file=sys.stderr)
            if not args.keep:
                shutil.rmtree(corpus.configs["kb"].parent.parent, ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"# build folders kept in {work}", file=sys.stderr)
    text = report(results, notes, started)
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
