"""MkDocs 1.6 (the default engine): the kb plugin runs inside it (kb_builder.plugins.engine)."""

from __future__ import annotations

from pathlib import Path


def build(
    config_file: str | Path,
    site_dir: str | Path | None = None,
    *,
    strict: bool = True,
    edition: str | None = None,
    offline: bool = False,
):
    """Build one edition with MkDocs, atomically, with its search index."""
    from kb_builder.plugins import engine

    return engine.build_edition(
        config_file, site_dir, strict=strict, edition=edition, offline=offline
    )


def serve(
    config_file: str | Path,
    dev_addr: str,
    *,
    livereload: bool = True,
    edition: str | None = None,
) -> None:
    """Preview one edition with MkDocs' server, rebuilding when content changes."""
    from kb_builder.plugins import engine

    engine.serve(config_file, dev_addr, livereload=livereload, edition=edition)
