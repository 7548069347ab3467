"""What a strict `kb build` would refuse, found by running it: the engine half of `kb check`.

`checking.content.check` lists every problem the core can see without the engine. What only
the engine sees (links to missing pages, missing anchors, nav entries, absolute links, and any
other warning strict mode turns into a failure) is found here by building both editions, as
`kb build` does, into a temporary folder that is thrown away: the checks cannot drift apart
from the build because they are the build. The kb plugin locates every warning at the
writer's file and line (`kb_builder.checking.warnings`), and a build error is read back as the
`ContentError` it came from. Nothing is written outside the temporary folder (no search
index, no cache).
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from pathlib import Path

# Material prints a multi-line end-of-life banner on every run; the README covers the plan.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from mkdocs import exceptions as mkdocs_exceptions  # noqa: E402
from mkdocs.commands import build as mkdocs_build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402

from kb_builder.checking import warnings as link_check  # noqa: E402
from kb_builder.core.editions import EDITIONS  # noqa: E402
from kb_builder.core.errors import ContentError  # noqa: E402
from kb_builder.core.project import read_settings  # noqa: E402
from kb_builder.plugins.locating import engine_logger


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
    """MkDocs refused mkdocs.yml; `problems` locates each reason at its setting's line.

    `strict_only` is true when every reason is a warning that only strict mode refuses (an
    unknown setting), false when a setting is invalid (a plugin option of the wrong type).
    """

    def __init__(self, problems: list[ContentError], *, strict_only: bool = True) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
        self.strict_only = strict_only


def load_located(config_file: str | Path, *, strict: bool = True):
    """MkDocs' `load_config`, with every reason it gives for refusing a setting at its line.

    Raises:
        ConfigRefused: the settings were refused, for warnings in strict mode (an unknown
            setting) or for errors (a value of the wrong type, also in a plugin's options).
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
        raise ConfigRefused(locating.located, strict_only=not locating.errors) from None
    finally:
        logger.removeHandler(locating)


# MkDocs' wording of an invalid plugin option, inside "Config value 'plugins': ...".
_PLUGIN_OPTION = re.compile(
    r"^Plugin '(?P<plugin>[^']+)' option '(?P<option>[^']+)': (?P<why>.*)$", re.S
)
_CONFIG_ERROR = re.compile(r"^Config value '(?P<key>[^']+)': (?P<why>.*)$", re.S)


def config_error(message: str, config_file: Path) -> ContentError:
    """An error MkDocs gives about a setting (it then aborts), at the setting's line.

    MkDocs logs "Config value 'plugins': Plugin 'kb' option 'edition': ..." and raises a bare
    "Aborted with a configuration error!": the reason and its line are only in the log.
    """
    match = _CONFIG_ERROR.match(message)
    if not match:
        return ContentError(str(config_file), 1, message)
    try:
        settings = read_settings(config_file)
    except ContentError as e:
        return e
    key, why = match["key"], match["why"].strip()
    path: tuple = (key,)
    option = _PLUGIN_OPTION.match(why) if key == "plugins" else None
    if option:
        for i, entry in enumerate(settings.data.get("plugins") or []):
            if isinstance(entry, dict) and option["plugin"] in entry:
                path = ("plugins", i, option["plugin"], option["option"])
        subject = f"the {option['plugin']} plugin's '{option['option']}'"
        return ContentError(
            str(config_file),
            settings.line_of(*path),
            _worded(subject, option["option"], option["why"].strip()),
        )
    return ContentError(str(config_file), settings.line_of(*path), f"'{key}': {why}")


_CHOICE = re.compile(r"^Expected one of: \((?P<choices>.*)\) but received: (?P<value>.*)$", re.S)


def _worded(subject: str, option: str, why: str) -> str:
    """MkDocs' reason in the writers' words: what was given and what would be valid."""
    choice = _CHOICE.match(why)
    if choice:
        # Worded as project.resolve_edition words the same mistake, which kb build reports.
        what = "an edition" if option == "edition" else "one of its values"
        choices = " or ".join(c.strip() for c in choice["choices"].split(","))
        return f"{subject} is {choice['value']}, which is not {what}; use {choices}"
    # The kb plugin's own messages start with "must ...".
    return f"{subject} {why}" if why.startswith("must") else f"{subject} is refused: {why}"


class _LocateSettings(logging.Handler):
    """Rewrites MkDocs' warnings and errors about settings as ``mkdocs.yml:line: ...``."""

    def __init__(self, config_file: Path) -> None:
        super().__init__(logging.WARNING)
        self.config_file = config_file
        self.located: list[ContentError] = []
        self.errors = False

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno == logging.WARNING:
            error = link_check.config_warning(record.getMessage(), self.config_file)
        elif record.levelno == logging.ERROR and engine_logger(record).startswith("mkdocs.config"):
            error = config_error(record.getMessage(), self.config_file)
            self.errors = True
        else:
            return
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
            if getattr(plugin, "refused", None):
                # kb check's build went on after refusing something (a template that does not
                # exist, ...): what broke later follows from what is already listed.
                return plugin.refused + plugin.warnings
            problems.append(
                ContentError(
                    str(config_file),
                    1,
                    f"the {edition} build stopped on an unexpected {type(e).__name__} ({e}); "
                    "this is a bug in kb-builder, please report it with this message",
                )
            )
    # Everything refused on the way (kb check goes on after each; see KnowledgeBasePlugin).
    return getattr(plugin, "refused", []) + problems + plugin.warnings


def _message(e: BaseException) -> str:
    if isinstance(e, mkdocs_exceptions.MkDocsException):
        return e.format_message()
    return str(e)


def _is_summary(e: mkdocs_exceptions.MkDocsException) -> bool:
    """MkDocs' closing "Aborted with ..." stands for problems already reported one by one."""
    return e.format_message().startswith("Aborted with")
