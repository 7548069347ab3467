"""Template text: what the writers' commands put in a file for the writer to replace.

The one list of it. `edit` writes these texts into new release and change
files (as comments or as values), and the loader refuses any of them in a value that is
published, at the value's line: text a writer never replaced must not go live. A template that
needs a new prompt adds it here, so the check recognises it the day it is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kb_builder.core.errors import ContentError
from kb_builder.core.yamlio import LineMap


@dataclass(frozen=True)
class Stub:
    """One text a template writes, and what the writer should put there instead.

    Attributes:
        text: the words as the template writes them.
        instead: what would be valid, for the message.
    """

    text: str
    instead: str


RELEASE_SUMMARY = Stub(
    "A sentence or two on what this release brings.",
    "write what this release brings for clients, or delete 'summary'",
)
RELEASE_TITLE = Stub(
    "A name for the release, if it has one.",
    "write the release's name, or delete 'title'",
)
CHANGE_TITLE = Stub(
    "What changed, in one line.",
    "write what changed, in one line of plain text",
)
CHANGE_BODY = Stub(
    "Details for clients, in Markdown.",
    "write the details clients need, or delete 'body'",
)

STUBS: tuple[Stub, ...] = (RELEASE_SUMMARY, RELEASE_TITLE, CHANGE_TITLE, CHANGE_BODY)


def _words(text: str) -> str:
    # Rewrapped or recased, a prompt is still the prompt.
    return " ".join(text.split()).casefold()


_WORDS = tuple((_words(s.text), s) for s in STUBS)


def _strings(value: Any, path: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, (*path, i))


def _label(path: tuple) -> str:
    parts = [f"item {p + 1}" if isinstance(p, int) else str(p) for p in path]
    return ".".join(parts).replace(".item", " item")


def find(data: dict[str, Any], source: str, lines: LineMap) -> list[ContentError]:
    """Every value of a data file that still holds template text, at the value's line.

    Args:
        data: the file's mapping as read.
        source: its path, for messages.
        lines: where its values stand.
    """
    errors = []
    for path, value in _strings(data, ()):
        words = _words(value)
        for stub_words, stub in _WORDS:
            if stub_words in words:
                errors.append(
                    ContentError(
                        source,
                        lines.line_of(path),
                        f"'{_label(path)}' still has the template's text '{stub.text}', "
                        f"which would be published as it is; {stub.instead}",
                    )
                )
                break
    return errors
