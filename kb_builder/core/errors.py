"""Errors a writer can cause, always pointing at `path:line`.

Every mistake in content (YAML, front matter, Markdown structure) becomes a `ContentError`.
Its string form is the whole message a writer sees: ``path:line: what is wrong``. Nothing that
reaches a writer is a traceback.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


def display_path(path: str | os.PathLike[str]) -> str:
    """Return `path` relative to the working directory when it lies below it, else absolute.

    Writers run `kb` from the project root, so `content/faq/index.md` reads better than an
    absolute path, and editors and terminals make it clickable either way.
    """
    p = Path(path)
    try:
        return p.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(p)


@dataclass(frozen=True, order=True)
class ContentError(Exception):
    """A problem in content, located at a line of a file.

    Args:
        path: the file, as given (displayed relative to the working directory).
        line: 1-based line number; 0 when the problem concerns the file as a whole.
        message: what is wrong and what would be valid.
    """

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        where = display_path(self.path)
        return f"{where}:{self.line}: {self.message}" if self.line else f"{where}: {self.message}"


_FROZEN_SETATTR = ContentError.__setattr__


def _setattr(self: ContentError, name: str, value: object) -> None:
    # Python itself sets an exception's __traceback__ (and __context__, __cause__, __notes__)
    # as it travels, e.g. out of a `with` block of a @contextmanager: a frozen dataclass
    # would answer with FrozenInstanceError, a traceback in place of the writer's message.
    if name.startswith("__") and name.endswith("__"):
        object.__setattr__(self, name, value)
    else:
        _FROZEN_SETATTR(self, name, value)


ContentError.__setattr__ = _setattr  # type: ignore[method-assign]


class ContentErrors(Exception):
    """Several content errors at once (what `kb check` reports)."""

    def __init__(self, errors: Iterable[ContentError]):
        self.errors = sorted(set(errors))
        super().__init__("\n".join(str(e) for e in self.errors))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest choice, or an empty string.

    A different case ('FAQ') or an abbreviation ('nav') is matched before spelling mistakes.
    """
    word, options = str(word), [str(c) for c in choices]
    folded = word.casefold()
    for match in (
        [c for c in options if c.casefold() == folded],
        [c for c in options if len(folded) >= 3 and c.casefold().startswith(folded)],
        difflib.get_close_matches(word, options, n=1, cutoff=0.6),
    ):
        if match:
            return f" (did you mean '{match[0]}'?)"
    return ""


def one_of(choices: Iterable[str]) -> str:
    """Format valid choices for a message: ``'a', 'b' or 'c'``."""
    quoted = [f"'{c}'" for c in choices]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]
