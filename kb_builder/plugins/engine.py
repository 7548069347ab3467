"""Build and serve through MkDocs, for the `kb` command.

The command line (`kb_builder.cli`) calls these functions and never imports MkDocs itself, so
that replacing the engine changes only this package.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

# Material prints a multi-line end-of-life banner on every run; the README covers the plan.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from mkdocs import exceptions as mkdocs_exceptions  # noqa: E402
from mkdocs.commands import build as mkdocs_build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402


class BuildFailed(Exception):
    """A build did not complete; the message says why (already without traceback)."""


class _PlainFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.levelno >= logging.WARNING:
            return f"{record.levelname}: {message}"
        return message


def configure_logging(verbose: bool = False, quiet: bool = False) -> None:
    """Send MkDocs' log to stderr as plain ``LEVEL: message`` lines."""
    logger = logging.getLogger("mkdocs")
    for handler in list(logger.handlers):
        if getattr(handler, "_kb", False):
            logger.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler._kb = True  # type: ignore[attr-defined]
    handler.setFormatter(_PlainFormatter())
    logger.addHandler(handler)
    logger.propagate = False
    level = logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO
    logger.setLevel(level)


def default_site_dir(configured: str | Path, edition: str, offline: bool = False) -> Path:
    """Where an edition goes unless told: ``site/``, ``site-internal/``, ``site-offline/``..."""
    path = Path(configured)
    name = (
        path.name + ("" if edition == "public" else f"-{edition}") + ("-offline" if offline else "")
    )
    return path.with_name(name)


def _enable_offline(config) -> None:
    """Material's offline plugin (search index inlined, no directory URLs), added if missing."""
    if any(name.endswith("offline") for name in config.plugins):
        config.plugins[next(n for n in config.plugins if n.endswith("offline"))].config[
            "enabled"
        ] = True
        return
    from material.plugins.offline.plugin import OfflinePlugin

    plugin = OfflinePlugin()
    errors, _ = plugin.load_config({"enabled": True})
    if errors:
        raise BuildFailed(f"Material's offline plugin: {errors}")
    config.plugins["material/offline"] = plugin


def build(
    config_file: str | Path,
    site_dir: str | Path | None = None,
    *,
    strict: bool = True,
    edition: str = "public",
    offline: bool = False,
) -> Path:
    """Build one edition of the site atomically and return where it was written.

    With `offline`, the copy works when opened from disk or unpacked from a zip, with no
    request to any other host.

    The site is built into a fresh folder beside the target and swapped in only when the whole
    build succeeded, so a failed or interrupted build leaves the previous site untouched.

    Raises:
        BuildFailed: with a message for the writer.
    """
    try:
        config = load_config(str(config_file), strict=strict)
    except mkdocs_exceptions.ConfigurationError as e:
        raise BuildFailed(f"{config_file}: {e}") from None
    except FileNotFoundError as e:
        raise BuildFailed(f"{config_file}: {e.strerror}") from None
    plugin = config.plugins.get("kb")
    if plugin is None:
        raise BuildFailed(f"{config_file}: the kb plugin is not enabled; add '- kb' under plugins:")
    plugin.config["edition"] = edition
    plugin.config["offline"] = offline
    plugin.defer_index = True
    if offline:
        _enable_offline(config)
    target = Path(site_dir or default_site_dir(config.site_dir, edition, offline)).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    config.site_dir = str(staging)
    try:
        mkdocs_build.build(config)
    except mkdocs_exceptions.MkDocsException as e:
        shutil.rmtree(staging, ignore_errors=True)
        message = e.format_message()
        if message == "Aborted with a BuildError!":
            message = "stopped at the error above."
        raise BuildFailed(message) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap_in(staging, target)
    try:
        plugin.write_search_index()
    except OSError as e:
        raise BuildFailed(
            f"the site was written to {target}, but its search index could not be: {e}"
        ) from None
    return target


def _swap_in(staging: Path, target: Path) -> None:
    """Replace `target` by `staging` with two renames (each atomic on one filesystem)."""
    staging.chmod(0o755)
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        if old.exists():
            shutil.rmtree(old)
        target.rename(old)
    staging.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def serve(
    config_file: str | Path,
    dev_addr: str,
    *,
    livereload: bool = True,
    strict: bool = False,
    edition: str = "public",
) -> None:
    """Live preview of one edition on `dev_addr` (127.0.0.1 by default) until interrupted."""
    from mkdocs.commands import serve as mkdocs_serve

    # MkDocs loads the configuration itself here: the plugin reads the edition from the
    # environment instead (see KnowledgeBaseConfig.edition).
    os.environ["KB_EDITION"] = edition
    try:
        mkdocs_serve.serve(
            config_file=str(config_file), livereload=livereload, dev_addr=dev_addr, strict=strict
        )
    except mkdocs_exceptions.MkDocsException as e:
        raise BuildFailed(e.format_message()) from None
