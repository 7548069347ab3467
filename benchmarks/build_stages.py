"""Where a build's CPU time and memory go, stage by stage: plain Material and kb side by side.

Usage (from the project root, with the project's virtualenv)::

    .venv/bin/python benchmarks/build_stages.py [--corpus synthetic|synthetic-flat|tldr|demo]
        [--size 1000] [--builders material,kb]

`build_bench.py` says how much a whole build costs; this says where. The corpus is prepared
as `build_bench.py` prepares it (the same pages and configs, in a temporary folder deleted at
the end), then each builder builds it once, cold, in a fresh child process of this script that
notes its own CPU time (user + system) and memory at MkDocs' plugin events:

- **startup**: the interpreter, the builder's imports and the configuration (to ``on_config``);
- **files**: ``on_files`` (kb: every page read, validated and checked);
- **nav**: ``on_nav``;
- **pages**: every page's Markdown rendered (to ``on_env``; kb: its search records too);
- **env**: ``on_env`` (kb: related articles);
- **templates**: every page's template rendered and written (to ``on_post_build``);
- **post_build**: ``on_post_build`` (kb: the browser search index);
- **after**: what follows MkDocs' build (kb: the Whoosh index, the swap into place).

For each stage: the CPU seconds it took, the resident memory at its end ("RSS at end") and the
highest resident memory so far ("peak so far"). Memory that Python frees is usually kept by the
process for later allocations, so "RSS at end" rarely falls: read a stage's cost as how much it
raises the peak. One build per builder, so the seconds move with the machine by a fifth from run
to run (see benchmarks/README.md); the shares within a run are the robust figures.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import build_bench  # noqa: E402  (the corpora and their configs: one definition)

STAGES = ("startup", "files", "nav", "pages", "env", "templates", "post_build", "after")
# The plugin event that ends each MkDocs stage, and whether it ends before or after the event.
_ENDS = {
    ("config", "after"): "startup",
    ("files", "after"): "files",
    ("nav", "after"): "nav",
    ("env", "before"): "pages",
    ("env", "after"): "env",
    ("post_build", "before"): "templates",
    ("post_build", "after"): "post_build",
}
_MARK = "[build-stage] "


def _current_rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def _note(stage: str) -> None:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    row = {
        "stage": stage,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss": _current_rss_mb(),
        "peak": usage.ru_maxrss / 1024,
    }
    print(_MARK + json.dumps(row), file=sys.stderr, flush=True)


def child(builder: str, config: str, site: str) -> None:
    """Build once, noting each stage's end (`_ENDS`) on standard error."""
    from mkdocs import plugins

    run_event = plugins.PluginCollection.run_event
    noted: set[str] = set()

    def noting(self, name, item=None, **kwargs):
        ending = _ENDS.get((name, "before"))
        if ending and ending not in noted:
            noted.add(ending)
            _note(ending)
        result = run_event(self, name, item, **kwargs)
        ending = _ENDS.get((name, "after"))
        if ending and ending not in noted:
            noted.add(ending)
            _note(ending)
        return result

    plugins.PluginCollection.run_event = noting
    if builder == "kb":
        from kb_builder.cli.main import main

        argv = ["build", "--no-strict", "-q", "-f", config, "-d", site]
    else:
        from mkdocs.__main__ import cli as main

        argv = ["build", "-q", "-f", config, "-d", site]
    try:
        main(argv, standalone_mode=False)
    finally:
        _note("after")


def measure(builder: str, config: Path) -> list[dict]:
    """One cold build of `config` by `builder` in a child process: its stage notes."""
    shutil.rmtree(config.parent / "site", ignore_errors=True)
    shutil.rmtree(config.parent / ".kb", ignore_errors=True)
    argv = [sys.executable, __file__, "--child", builder, str(config), str(config.parent / "site")]
    done = subprocess.run(argv, cwd=config.parent, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"the {builder} build failed:\n{done.stderr[-2000:]}")
    rows = [
        json.loads(line[len(_MARK) :])
        for line in done.stderr.splitlines()
        if line.startswith(_MARK)
    ]
    return rows


def table(results: dict[str, list[dict]]) -> str:
    """A Markdown table: per stage and builder, CPU s, RSS at end and peak so far (MB)."""
    builders = list(results)
    head = "| stage | " + " | ".join(
        f"{b} CPU s | {b} RSS at end MB | {b} peak so far MB" for b in builders
    )
    lines = [head + " |", "| --- |" + " --- | --- | --- |" * len(builders)]
    by_stage = {b: {row["stage"]: row for row in rows} for b, rows in results.items()}
    previous = dict.fromkeys(builders, 0.0)
    for stage in STAGES:
        cells = []
        for b in builders:
            row = by_stage[b].get(stage)
            if row is None:
                cells.append("– | – | –")
                continue
            cells.append(f"{row['cpu'] - previous[b]:.2f} | {row['rss']:.1f} | {row['peak']:.1f}")
            previous[b] = row["cpu"]
        lines.append(f"| {stage} | " + " | ".join(cells) + " |")
    totals = []
    for b in builders:
        last = by_stage[b].get("after", {})
        totals.append(f"**{last.get('cpu', 0):.2f}** | | **{last.get('peak', 0):.1f}**")
    lines.append("| total | " + " | ".join(totals) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Prepare the corpus, build it once with each builder, print the stage table."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--child"]:
        child(*args[1:4])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="synthetic", choices=build_bench.CORPORA)
    parser.add_argument("--size", type=int, default=1000, help="pages of a synthetic corpus")
    parser.add_argument("--builders", default="material,kb", help="of material, kb")
    options = parser.parse_args(args)
    builders = [b.strip() for b in options.builders.split(",") if b.strip()]
    unknown = set(builders) - set(build_bench.BUILDERS)
    if unknown:
        parser.error(f"unknown builders: {', '.join(sorted(unknown))}")
    work = Path(tempfile.mkdtemp(prefix="kb-build-stages-"))
    try:
        corpus = build_bench.prepare(
            options.corpus, options.size, work, build_bench.read_project_config()
        )
        results = {}
        for builder in builders:
            print(
                f"# building {corpus.name} ({corpus.pages} pages) with {builder}...",
                file=sys.stderr,
            )
            results[builder] = measure(builder, corpus.configs[builder])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{corpus.name}, {corpus.pages} pages, one cold build each ({build_bench.machine()})\n")
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
