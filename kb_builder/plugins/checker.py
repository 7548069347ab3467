"""What a strict `kb build` would refuse, found by running it: the engine half of `kb check`.

`kb_builder.loader.check` lists every problem the core can see without the engine. What only
the engine sees (links to missing pages, missing anchors, nav entries, absolute links, and any
other warning strict mode turns into a failure) is found here by building both editions, as
`kb build` does, into a temporary folder that is thrown away: the checks cannot drift apart
from the build because they are the build. The kb plugin locates every warning at the
writer's file and line (`kb_builder.link_check`), and a build error is read back as the
`ContentError` it came from. Nothing is written outside the temporary folder (no search
index, no cache).
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

# Material prints a multi-line end-of-life banner on every run; the README covers the plan.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from mkdocs import exceptions as mkdocs_exceptions  # noqa: E402
from mkdocs.commands import build as mkdocs_build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402

from kb_builder import link_check  # noqa: E402
from kb_builder.errors import ContentError  # noqa: E402
from kb_builder.generators import EDITIONS  # noqa: E402


class _Collect(logging.Handler):
    """Keeps the engine's warnings and errors instead of printing them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.warnings: list[str] = []
        self.errors: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        kept = self.warnings if record.levelno == logging.WARNING else self.errors
        kept.append(record.getMessage())


class ConfigRefused(Exception):
    """Strict mode refused mkdocs.yml for its warnings; `problems` locates each of them."""

    def __init__(self, problems: list[ContentError]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def load_located(config_file: str | Path, *, strict: bool = True):
    """MkDocs' `load_config`, with strict mode's warnings about settings at their lines.

    Raises:
        ConfigRefused: strict mode refused the settings for warnings (an unknown setting).
        mkdocs.exceptions.MkDocsException: any other configuration error, as MkDocs raises it.
    """
    logger = logging.getLogger("mkdocs")
    locating = _LocateSettings(Path(config_file))
    # First among the handlers: the console shows the located message, not MkDocs' own.
    logger.handlers.insert(0, locating)
    try:
        return load_config(str(config_file), strict=strict)
    except mkdocs_exceptions.Abort:
        if not locating.located:
            raise
        raise ConfigRefused(locating.located) from None
    finally:
        logger.removeHandler(locating)


class _LocateSettings(logging.Handler):
    """Rewrites MkDocs' warnings about settings as ``mkdocs.yml:line: ...`` and keeps them."""

    def __init__(self, config_file: Path) -> None:
        super().__init__(logging.WARNING)
        self.config_file = config_file
        self.located: list[ContentError] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno != logging.WARNING:
            return
        error = link_check.config_warning(record.getMessage(), self.config_file)
        self.located.append(error)
        record.msg, record.args = str(error), ()


def build_problems(config_file: str | Path) -> list[ContentError]:
    """Every problem a strict build of either edition reports, at the writer's file and line.

    A build stops at its first content error, so this finds at least that one per edition
    (`loader.check` finds the rest) and, when the content builds, every engine warning.
    """
    config_file = Path(config_file)
    problems: list[ContentError] = []
    logger = logging.getLogger("mkdocs")
    saved = (list(logger.handlers), logger.propagate, logger.level)
    collector = _Collect()
    logger.handlers[:] = [collector]
    logger.propagate = False
    logger.setLevel(logging.WARNING)
    try:
        for edition in EDITIONS:
            problems += _edition_problems(config_file, edition, collector)
    finally:
        logger.handlers[:], logger.propagate = saved[0], saved[1]
        logger.setLevel(saved[2])
    return problems


def _edition_problems(config_file: Path, edition: str, collector: _Collect) -> list[ContentError]:
    collector.warnings.clear()
    collector.errors.clear()
    try:
        config = load_located(config_file, strict=True)
    except ConfigRefused as e:
        return e.problems
    except (mkdocs_exceptions.MkDocsException, OSError) as e:
        return [ContentError(str(config_file), 1, _message(e))]
    plugin = config.plugins.get("kb")
    if plugin is None:
        message = "the kb plugin is not enabled; add '- kb' under plugins:"
        return [ContentError(str(config_file), 1, message)]
    plugin.config["edition"] = edition
    plugin.edition_override = edition  # over KB_EDITION, as kb build does
    plugin.dry_run = True
    problems: list[ContentError] = []
    with tempfile.TemporaryDirectory(prefix="kb-check-") as site:
        config.site_dir = site
        try:
            mkdocs_build.build(config)
        except mkdocs_exceptions.MkDocsException as e:
            if plugin.failure is not None:
                problems.append(plugin.failure)
            elif not _is_summary(e):
                problems.append(ContentError(str(config_file), 1, _message(e)))
            else:  # a build error of the engine's own, logged before its summary
                problems += [ContentError(str(config_file), 1, m) for m in collector.errors]
        except Exception as e:  # noqa: BLE001 - a writer gets a message, never a traceback
            problems.append(
                ContentError(
                    str(config_file),
                    1,
                    f"the {edition} build stopped on an unexpected {type(e).__name__} ({e}); "
                    "this is a bug in kb-builder, please report it with this message",
                )
            )
    problems += plugin.warnings
    return problems


def _message(e: BaseException) -> str:
    if isinstance(e, mkdocs_exceptions.MkDocsException):
        return e.format_message()
    return str(e)


def _is_summary(e: mkdocs_exceptions.MkDocsException) -> bool:
    """MkDocs' closing "Aborted with ..." stands for problems already reported one by one."""
    return e.format_message().startswith("Aborted with")
