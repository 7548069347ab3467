"""Which engine renders the site: MkDocs (the default), ProperDocs or Zensical.

The core and the kb plugin do not change with the engine; only how the build is run does. Each
engine is one module of this package with the same function::

    build(config_file, site_dir, *, strict, edition, offline) -> plugins.engine.Built

that builds one edition atomically into its output folder, with the search index, and raises
`kb_builder.plugins.engine.BuildFailed` with a message for the writer. docs/engines.md says
which features each engine has, and why the others are missing.

This module imports no engine: `kb build` loads only the one it was asked for.
"""

from __future__ import annotations

import importlib
from pathlib import Path

# The engines `kb build --engine` accepts, the default first.
ENGINES = ("mkdocs", "properdocs", "zensical")
DEFAULT = "mkdocs"


def build(
    engine: str,
    config_file: str | Path,
    site_dir: str | Path | None = None,
    *,
    strict: bool = True,
    edition: str | None = None,
    offline: bool = False,
):
    """Build one edition with `engine` (one of `ENGINES`); see the engine modules."""
    if engine not in ENGINES:
        # click.Choice refuses other names on the command line; this is for callers in Python.
        raise ValueError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    module = importlib.import_module(f"kb_builder.engines.{engine}")
    return module.build(config_file, site_dir, strict=strict, edition=edition, offline=offline)


def serve(
    engine: str,
    config_file: str | Path,
    dev_addr: str,
    *,
    livereload: bool = True,
    edition: str | None = None,
) -> None:
    """Preview one edition with `engine` until interrupted (an engine module's ``serve``)."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    module = importlib.import_module(f"kb_builder.engines.{engine}")
    module.serve(config_file, dev_addr, livereload=livereload, edition=edition)
