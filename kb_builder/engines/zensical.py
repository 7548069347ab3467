"""Zensical (Material's successor): an engine that runs no third-party plugins.

The kb plugin cannot run in it, so the core renders the edition first, as a complete docs tree
(`kb_builder.plugins.export`: every page's final Markdown, the pages made from data, lesson
boxes, related lists, FAQ JSON-LD, and only the files the edition publishes), and a derived
mkdocs.yml (no kb plugin, the navigation as the kb plugin left it, the theme's custom_dir, the
Markdown extensions the pages need). Zensical builds that tree, strictly unless told, and its
output replaces MkDocs' in the staging folder; then the build goes on as every kb build does
(`plugins.engine.build_edition`): the Whoosh index, the atomic swap. The static search index
(assets/kb-search/) is MkDocs' rendering of the same Markdown, kept beside Zensical's pages.

Fail closed: the public tree is the public MkDocs build's own input (the kb plugin already
removed and refused what is internal), and `tests/site/test_engines.py` scans the tree and
Zensical's output with the canary test's tokens.

Zensical runs in a child process: it is a Rust runtime that writes its diagnostics to the
console itself, and a crash there must end in a message, not take `kb` down with it.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

from kb_builder.core.errors import display_path

# Zensical's diagnostics: "Warning: page does not exist" then "╭─[ wiki/a.md:19:44 ]".
_DIAGNOSTIC = re.compile(r"^(Warning|Error):\s*(.+)$")
_WHERE = re.compile(r"\[\s*([^\]:]+\.md):(\d+):\d+\s*\]")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def build(
    config_file: str | Path,
    site_dir: str | Path | None = None,
    *,
    strict: bool = True,
    edition: str | None = None,
    offline: bool = False,
    export_dir: str | Path | None = None,
):
    """Build one edition with Zensical from the exported docs tree, atomically, with its index.

    `export_dir`: keep the exported tree (docs/), the derived mkdocs.yml and Zensical's own
    output (site/) there, to read what Zensical was given; by default they are temporary.
    """
    from kb_builder.plugins import engine

    if offline:
        raise engine.BuildFailed(
            "--offline is not available with --engine zensical (Material's offline plugin does "
            "not run there; see docs/engines.md); build the offline copy with --engine mkdocs"
        )
    if importlib.util.find_spec("zensical") is None:
        raise engine.BuildFailed(
            "the Zensical engine is not installed; install it with: "
            "pip install 'kb-builder[engines]'"
        )
    with tempfile.TemporaryDirectory(prefix="kb-zensical-") as temporary:
        work = Path(export_dir) if export_dir is not None else Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        return engine.build_edition(
            config_file,
            site_dir,
            strict=strict,
            edition=edition,
            offline=False,
            export=_Render(Path(config_file), work, strict=strict),
        )


def serve(
    config_file: str | Path,
    dev_addr: str,
    *,
    livereload: bool = True,
    edition: str | None = None,
) -> None:
    """Not available: a preview would have to export the tree again on every change."""
    from kb_builder.plugins import engine

    raise engine.BuildFailed(
        "kb serve --engine zensical is not available (see docs/engines.md); preview with "
        "kb serve, or build with kb build --engine zensical and serve that with kb serve --api"
    )


class _Render:
    """The two steps `plugins.engine.build_edition` runs for another engine (see its `export`)."""

    def __init__(self, config_file: Path, work: Path, *, strict: bool) -> None:
        self.config_file = config_file
        self.work = work
        self.strict = strict
        self.exported = None
        self.docs_dir: Path | None = None
        self.custom_dir: str | None = None

    def attach(self, config) -> None:
        """Before the MkDocs build: record its pages into work/docs."""
        from kb_builder.plugins.export import attach

        self.exported = attach(config, self.work / "docs")
        self.docs_dir = Path(config.docs_dir)
        self.custom_dir = config.theme.custom_dir

    def render(self, staging: Path) -> None:
        """After the MkDocs build: Zensical builds the tree; its site replaces the staging one."""
        from kb_builder.plugins.engine import BuildFailed

        derived = self.work / "mkdocs.yml"
        derived.write_text(
            yaml.dump(self.derived_config(), Dumper=_Dumper, allow_unicode=True, sort_keys=False),
            encoding="utf-8",
        )
        site = self.work / "site"
        shutil.rmtree(site, ignore_errors=True)
        # --clean: no cache of an earlier build decides what this one renders.
        command = [sys.executable, "-m", "zensical", "build", "--clean", "-f", str(derived)]
        if self.strict:
            command.append("--strict")
        env = dict(os.environ, NO_COLOR="1", CLICOLOR="0")
        run = subprocess.run(
            command, cwd=self.work, capture_output=True, text=True, encoding="utf-8",
            errors="replace", env=env,
        )  # fmt: skip
        output = _ANSI.sub("", run.stdout + run.stderr)
        problems = self.located(output)
        if run.returncode != 0 or not (site / "index.html").is_file() or problems:
            # Zensical's own last line (its traceback above it is not for the writer).
            last = next((ln for ln in reversed(output.splitlines()) if ln.strip()), "no output")
            listed = "".join(f"\n  {p}" for p in problems) or f"\n  {last.strip()}"
            raise BuildFailed(f"Zensical did not build the exported pages:{listed}")
        # MkDocs' static search index of the same Markdown stays; everything else is Zensical's.
        kept = self.work / "kb-search"
        ours = staging / "assets" / "kb-search"
        if ours.is_dir():
            shutil.move(ours, kept)
        for path in list(staging.iterdir()):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
        shutil.copytree(site, staging, dirs_exist_ok=True)
        if kept.is_dir():
            shutil.move(kept, staging / "assets" / "kb-search")

    def located(self, output: str) -> list[str]:
        """Zensical's warnings, each at the writer's line (``path:line: message``): the
        exported page's line mapped back to its source or data file (`Exported.locate`)."""
        problems: list[str] = []
        message: str | None = None
        for line in output.splitlines():
            found = _DIAGNOSTIC.match(line.strip())
            if found:
                if message is not None:
                    problems.append(message)
                message = found.group(2).strip()
                continue
            where = _WHERE.search(line)
            if where and message is not None:
                uri, number = where.group(1), int(where.group(2))
                path, line_number = self.exported.locate(uri, number)
                problems.append(f"{display_path(path)}:{line_number}: {message} (Zensical)")
                message = None
        if message is not None and not message.lower().startswith("strict"):
            problems.append(message)
        return problems

    def derived_config(self) -> dict[str, Any]:
        """mkdocs.yml for Zensical: the project's settings, less the kb plugin, plus what it did."""
        from kb_builder.plugins.export import REQUIRED_EXTENSIONS, relative_to_docs

        with self.config_file.open(encoding="utf-8") as stream:
            config = yaml.load(stream, Loader=_Loader) or {}
        config["docs_dir"] = "docs"
        config["site_dir"] = "site"
        plugins = [
            p
            for p in config.get("plugins") or []
            if p != "kb" and not (isinstance(p, dict) and "kb" in p)
        ]
        if plugins:
            config["plugins"] = plugins
        else:
            config.pop("plugins", None)
        theme = config.get("theme") or {}
        if isinstance(theme, str):
            theme = {"name": theme}
        if self.custom_dir:
            theme["custom_dir"] = str(Path(self.custom_dir).resolve())
        config["theme"] = theme
        config["nav"] = self.exported.nav
        extensions = list(config.get("markdown_extensions") or [])
        names = {e if isinstance(e, str) else next(iter(e)) for e in extensions}
        extensions += [name for name in REQUIRED_EXTENSIONS if name not in names]
        docs = self.work / "docs"
        for entry in extensions:
            snippets = entry.get("pymdownx.snippets") if isinstance(entry, dict) else None
            if isinstance(snippets, dict) and snippets.get("base_path"):
                paths = snippets["base_path"]
                paths = [paths] if isinstance(paths, str) else paths
                # Includes are read from the exported tree (internal files are not in it).
                snippets["base_path"] = [
                    str(docs / rel) if (rel := relative_to_docs(p, self.docs_dir)) else p
                    for p in paths
                ]
        config["markdown_extensions"] = extensions
        config["extra"] = {**(config.get("extra") or {}), **self.exported.extra}
        return config


class _Tagged:
    """A YAML value with a tag the derived config passes on unread (``!!python/name:...``)."""

    def __init__(self, tag: str, value: Any) -> None:
        self.tag, self.value = tag, value


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml without running its tags: Zensical reads them itself."""


def _construct_tagged(loader: yaml.Loader, suffix: str, node: yaml.Node) -> _Tagged:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return _Tagged(node.tag, value)


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_tagged)
_Loader.add_multi_constructor("!", _construct_tagged)


class _Dumper(yaml.SafeDumper):
    pass


def _represent_tagged(dumper: yaml.Dumper, data: _Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, data.value)


_Dumper.add_representer(_Tagged, _represent_tagged)
