"""Safe YAML loading that remembers the line of every key and item.

PyYAML's safe loader throws away positions once it builds Python objects, and silently keeps the
last of two duplicate keys. Here the node tree is walked by hand so that every value's position is
kept in a `LineMap` (path tuple -> 1-based line), duplicate keys are errors, and every failure is a
`ContentError` with `path:line`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any

import yaml

from kb_builder.errors import ContentError

# A YAML file with more nodes than this is almost certainly an alias bomb ("billion laughs").
MAX_NODES = 200_000

Path_ = tuple[str | int, ...]


@dataclass
class LineMap:
    """Where each value of a loaded YAML document stands in its file.

    Keys are paths into the document, such as ``("lessons", 2, "title")``; the root is ``()``.
    """

    lines: dict[Path_, int] = field(default_factory=dict)
    offset: int = 0

    def line_of(self, path: Path_) -> int:
        """The line of `path`, or of its closest recorded ancestor (never 0 for a loaded file)."""
        path = tuple(path)
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1) + self.offset


class _Walker:
    def __init__(self, loader: yaml.SafeLoader, source: str, line_offset: int):
        self.loader = loader
        self.line_offset = line_offset
        self.source = source
        self.lines: dict[Path_, int] = {}
        self.count = 0

    def walk(self, node: yaml.Node, path: Path_) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise ContentError(
                self.source,
                node.start_mark.line + 1,
                f"this YAML document has more than {MAX_NODES:,} values (an alias loop?); "
                "split it into smaller files",
            )
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            self.loader.flatten_mapping(node)
            result: dict[Any, Any] = {}
            first_seen: dict[Any, int] = {}
            for key_node, value_node in node.value:
                key = self.loader.construct_object(key_node, deep=True)
                line = key_node.start_mark.line + 1
                try:
                    hash(key)
                except TypeError:
                    raise ContentError(
                        self.source,
                        line,
                        "a key must be a plain word or string, not a list or mapping",
                    ) from None
                if key in first_seen:
                    raise ContentError(
                        self.source,
                        line,
                        f"duplicate key '{key}' (first given on line "
                        f"{first_seen[key] + self.line_offset}); "
                        "keep one of them",
                    )
                first_seen[key] = line
                self.lines[(*path, key)] = line
                result[key] = self.walk(value_node, (*path, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.walk(item, (*path, i)) for i, item in enumerate(node.value)]
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, TypeError, OverflowError, KeyError) as e:
            # PyYAML builds values with bare exceptions: "2026-13-01" raises "month must be in
            # 1..12" from datetime, "!!bool maybe" a KeyError: tracebacks, unless caught here.
            line = node.start_mark.line + 1
            if node.tag.endswith(":timestamp"):
                message = f"'{node.value}' is not a valid date ({e}); write dates as YYYY-MM-DD"
            else:
                kind = node.tag.rsplit(":", 1)[-1]
                keys = [str(part) for part in path if not isinstance(part, int)]
                subject = f"'{keys[-1]}' is '{node.value}', which" if keys else f"'{node.value}'"
                message = (
                    f"{subject} cannot be read as {kind}; remove the '!!{kind}' tag or correct "
                    "the value"
                )
            raise ContentError(self.source, line, message) from None


def decode_utf8(raw: bytes, source: str) -> str:
    """Decode file bytes as UTF-8 or raise a `ContentError` at the line of the first bad byte."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        raise ContentError(
            source,
            line,
            f"not valid UTF-8 (byte 0x{raw[e.start]:02x} at offset {e.start}); "
            "save the file as UTF-8",
        ) from None
    return text.removeprefix("\ufeff")


def _line_of_position(text: str, position: int) -> int:
    return text.count("\n", 0, max(position, 0)) + 1


def load_yaml(text: str, source: str, *, line_offset: int = 0) -> tuple[Any, LineMap]:
    """Parse one YAML document safely and return ``(data, line_map)``.

    Args:
        text: the YAML text.
        source: the file it came from, used in error messages.
        line_offset: lines before `text` in its file (front matter starts after ``---``).

    Raises:
        ContentError: on malformed YAML, duplicate keys or unsupported tags, at the right line.
    """
    try:
        # The reader rejects control characters as soon as it is created: inside the try.
        loader = yaml.SafeLoader(text)
    except yaml.YAMLError as e:
        line = _line_of_position(text, getattr(e, "position", 0))
        character = getattr(e, "character", None)
        # PyYAML gives the offending character as its code point.
        what = (
            f"the control character U+{character:04X}"
            if isinstance(character, int)
            else "a character"
        )
        raise ContentError(
            source,
            line + line_offset,
            f"contains {what}, which YAML does not allow; delete it (it is often pasted in by "
            "accident)",
        ) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return None, LineMap({}, line_offset)
        walker = _Walker(loader, source, line_offset)
        data = walker.walk(node, ())
    except ContentError as e:
        raise ContentError(e.path, e.line + line_offset, e.message) from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        problem = e.problem or "malformed YAML"
        if e.context and e.context_mark:
            started = e.context_mark.line + 1 + line_offset
            where = f"on line {started}" if started != line else "on this line"
            problem += f" ({e.context.removeprefix('while ')} {where})"
        raise ContentError(source, line, f"YAML syntax error: {problem}") from None
    except yaml.YAMLError as e:
        raise ContentError(source, 1 + line_offset, f"YAML error: {e}") from None
    except RecursionError:
        raise ContentError(source, 1 + line_offset, "YAML nested too deeply") from None
    finally:
        loader.dispose()
    return data, LineMap(walker.lines, line_offset)


def read_yaml_file(path: str | PathLike[str]) -> tuple[Any, LineMap]:
    """Read and parse a YAML data file (UTF-8); every failure is a `ContentError` at its line."""
    source = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as e:
        raise ContentError(source, 0, f"cannot be read: {e.strerror}") from None
    return load_yaml(decode_utf8(raw, source), source)


_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)


@dataclass
class FrontMatter:
    """A Markdown file split into its front matter and body.

    Attributes:
        data: the front-matter mapping ({} when there is none).
        lines: where each front-matter key stands in the file.
        body: the Markdown after the front matter.
        body_offset: how many lines of the file precede `body` (add it to a body line number).
    """

    data: dict[str, Any]
    lines: LineMap
    body: str
    body_offset: int


def split_front_matter(text: str, source: str) -> FrontMatter:
    """Split YAML front matter (between ``---`` lines, as MkDocs reads it) from Markdown.

    Unlike MkDocs, which silently renders malformed front matter as page text, this raises.
    """
    match = _FRONT_MATTER.match(text)
    if not match:
        if text.startswith("---\n") and "\n---" not in text[3:]:
            raise ContentError(
                source,
                1,
                "front matter opened with '---' is never closed; end it with a '---' line",
            )
        return FrontMatter({}, LineMap(), text, 0)
    yaml_text = match.group(1) or ""
    data, lines = load_yaml(yaml_text, source, line_offset=1)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ContentError(
            source, 2, "front matter must be 'key: value' lines (a mapping), e.g. 'title: My page'"
        )
    offset = text.count("\n", 0, match.end())
    return FrontMatter(data, lines, text[match.end() :], offset)
