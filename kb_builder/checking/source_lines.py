"""From a line of a generated page back to the line of the data file that produced it.

Pages made from data (the agenda, release notes, support guides) are virtual: a writer cannot
open them, so a problem found in one must be reported in the YAML the writer edits. The
generators' templates are free to arrange values as they like, so the map is recovered from
the output rather than kept by every template: the data values that appear in a generated line
identify the data line they came from. A line made of template text alone (a "Done" checkbox,
a meta line) belongs to the data item above it, so the search walks back to the nearest line
that carries data.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kb_builder.core.project import DATA_DIR

_WORD = re.compile(r"[^\W_]{3,}", re.UNICODE)
# A backslash before punctuation is a Markdown escape the generator added, not data.
_MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


@dataclass(frozen=True)
class DataLine:
    """Where a generated line came from: a data file (its path as shown) and a 1-based line."""

    path: str
    line: int
    matched: str | None = None  # the needle found on that line, if one was


def _data_files(content_dir: Path, edit_source: str) -> list[Path]:
    """The data files that may have produced a page: its edit source first, then the others."""
    first = content_dir / edit_source
    found: list[Path] = []
    if first.is_file():
        found.append(first)
    elif first.is_dir():
        found += sorted(p for p in first.rglob("*") if p.suffix in {".yml", ".yaml"})
    data_dir = content_dir / DATA_DIR
    if data_dir.is_dir():
        found += [
            p
            for p in sorted(data_dir.rglob("*"))
            if p.suffix in {".yml", ".yaml"} and p.is_file() and p not in found
        ]
    return found


@lru_cache(maxsize=256)
def _lines_of(path: Path, _mtime: float) -> tuple[str, ...]:
    return tuple(path.read_text(encoding="utf-8", errors="replace").splitlines())


def _read(path: Path) -> tuple[str, ...]:
    try:
        return _lines_of(path, path.stat().st_mtime)
    except OSError:
        return ()


def _words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(html.unescape(_MARKDOWN_ESCAPE.sub(r"\1", text)))}


def _is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")


# "  - title: " before a value: the key names a field, every item has it, so it is no evidence.
_KEY = re.compile(r"^\s*(?:-\s+)*(?:[\w.-]+\s*:(?:\s|$))?")


def _value_words(line: str) -> set[str]:
    return _words(_KEY.sub("", line, count=1))


def link_needles(page_uri: str, href: str) -> list[str]:
    """How a link of a generated page may be written in its data, most specific first.

    ``../wiki/a.md#b`` on ``training/agenda.md`` may come from ``wiki/a.md#b`` (data paths are
    relative to the content folder) or be written as it is (Markdown in a data field).
    """
    path, _, anchor = href.partition("#")
    needles = []
    if path and "://" not in path and not path.startswith("/"):
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page_uri), path))
        needles.append(target + (f"#{anchor}" if anchor else ""))
    needles.append(href)
    if anchor:
        needles.append(f"#{anchor}")
    return [n for n in dict.fromkeys(needles) if n]


def locate(
    content_dir: Path,
    edit_source: str,
    markdown: str,
    line: int,
    needles: list[str] | None = None,
) -> DataLine:
    """The data line that produced line `line` (1-based) of the generated `markdown`.

    Args:
        content_dir: the content folder.
        edit_source: the page's data file or folder, relative to `content_dir`.
        markdown: the generated page, front matter included.
        line: the line of `markdown` a problem was found at.
        needles: exact text the problem is about (a link target), tried first.
    """
    files = _data_files(content_dir, edit_source)
    if not files:
        return DataLine(str(content_dir / edit_source), 1)
    for needle in needles or []:
        for path in files:
            for n, text in enumerate(_read(path), start=1):
                if needle in text and not _is_comment(text):
                    # The longest form on the line is how the writer wrote it.
                    written = max((x for x in needles or [] if x in text), key=len)
                    return DataLine(str(path), n, written)
    generated = markdown.splitlines()
    for n in range(min(line, len(generated)) - 1, -1, -1):
        words = _words(generated[n])
        if not words:
            continue
        total = sum(len(w) for w in words)
        best: tuple[int, int, int] = (0, 0, 0)  # (score, -file order, -line)
        where = DataLine(str(files[0]), 1)
        for order, path in enumerate(files):
            for i, text in enumerate(_read(path), start=1):
                if _is_comment(text):
                    continue
                score = sum(len(w) for w in words & _value_words(text))
                if (score, -order, -i) > best:
                    best, where = (score, -order, -i), DataLine(str(path), i)
        # Most of the line must be data: template words that a value happens to share (a
        # meta line's "lessons") are no evidence; the line above is asked instead.
        if best[0] >= 4 and best[0] * 2 >= total:
            return where
    return DataLine(str(files[0]), 1)
