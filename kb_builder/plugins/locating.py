"""Writers' messages out of MkDocs: located warnings, and errors without a traceback."""

from __future__ import annotations

import logging
from typing import Protocol

from mkdocs.exceptions import PluginError

from kb_builder.checking import warnings as link_check
from kb_builder.core.errors import ContentError


def engine_logger(record: logging.LogRecord) -> str:
    """The record's logger as MkDocs names it: ProperDocs logs as ``properdocs.config`` what
    MkDocs logs as ``mkdocs.config`` (the same code under its own name)."""
    top, dot, rest = record.name.partition(".")
    return f"mkdocs{dot}{rest}" if top == "properdocs" else record.name


def fail(error: ContentError) -> PluginError:
    """`error` as MkDocs' PluginError (``path:line: message``, no traceback)."""
    failure = PluginError(str(error))
    # kb check (plugins/checker.py) reads the located error back instead of parsing the text.
    failure.content_error = error  # type: ignore[attr-defined]
    return failure


class _Collects(Protocol):
    locator: link_check.Locator | None
    warnings: list[ContentError]


class LocatingHandler(logging.Handler):
    """Rewrites MkDocs' warnings as ``path:line: message`` of the writer's file, and keeps them.

    Installed first among the ``mkdocs`` logger's handlers, so that the console handler and
    strict mode's warning counter, which come after it, see the located message.
    """

    def __init__(self, plugin: _Collects) -> None:
        super().__init__(logging.WARNING)
        self.plugin = plugin

    def emit(self, record: logging.LogRecord) -> None:
        # Settings are validated before this plugin's build starts (mkdocs.config): a handler
        # left by an earlier build in the same process must not claim them.
        if (
            record.levelno != logging.WARNING
            or self.plugin.locator is None
            or engine_logger(record).startswith("mkdocs.config")
            # The preview server's own request log ("GET /api/search 404") is about a
            # visitor's request, not about the writer's sources.
            or engine_logger(record).startswith(("mkdocs.livereload", "mkdocs.commands.serve"))
        ):
            return
        located = self.plugin.locator.locate(record.getMessage())
        self.plugin.warnings += located
        record.msg, record.args = "\n".join(str(e) for e in located), ()


def install(plugin: _Collects) -> None:
    """Put a `LocatingHandler` for `plugin` first on the ``mkdocs`` logger (once)."""
    logger = logging.getLogger("mkdocs")
    for handler in list(logger.handlers):
        if isinstance(handler, LocatingHandler):
            logger.removeHandler(handler)
    logger.handlers.insert(0, LocatingHandler(plugin))
