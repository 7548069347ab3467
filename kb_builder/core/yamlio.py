"""Safe YAML loading that remembers the line of every key and item.

PyYAML's safe loader throws away positions once it builds Python objects, and silently keeps the
last of two duplicate keys. Here the node tree is walked by hand so that every value's position is
kept in a `LineMap` (path tuple -> 1-based line), duplicate keys are errors, and every failure is a
`ContentError` with `path:line`.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any

import yaml

from kb_builder.core.errors import ContentError

# A YAML file with more nodes than this is almost certainly an alias bomb ("billion laughs").
MAX_NODES = 200_000
# Deeper than this is a mistake or an attack (a recursive alias such as '&a [*a]' never ends).
MAX_DEPTH = 50

Path_ = tuple[str | int, ...]

_CORE = "tag:yaml.org,2002:"
# The tags content may use, explicitly or implicitly: everything else (!!binary, !!set,
# !!omap, !!python/..., local !tags) is refused rather than turned into a value no model expects.
_SCALAR_TAGS = {f"{_CORE}{t}" for t in ("null", "bool", "int", "float", "str", "timestamp")}
_MAP_TAG, _SEQ_TAG, _MERGE_TAG = f"{_CORE}map", f"{_CORE}seq", f"{_CORE}merge"
# C0 and C1 control characters but tab and newline: invisible, they break feeds (XML refuses
# them), terminals (ESC starts a sequence) and HTML. YAML's reader refuses most of them in the
# file itself, but double-quoted escapes ("\e", "\x00", "\u0085") produce them.
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def shown(text: str) -> str:
    """`text` for a message, control characters written as escapes (never sent to a terminal)."""
    return CONTROL_CHARACTER.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def control_character_message(value: str, what: str) -> str | None:
    """The message for the first control character in `value`, or None if it has none.

    Args:
        value: text a writer gave.
        what: how the message names it ("'title'", "this key").
    """
    found = CONTROL_CHARACTER.search(value)
    if not found:
        return None
    return (
        f"{what} contains the control character U+{ord(found.group()):04X}, which cannot be "
        "shown; delete it (it is often pasted in by accident or written as an escape such as "
        "'\\e' or '\\x00')"
    )


# Joiners that scripts need between letters (Persian, Indic: U+200C, U+200D) and emoji need
# inside a sequence (U+200D, tag characters after a black flag): allowed there, nowhere else.
_JOINERS = {"\u200c", "\u200d"}


def _needed_format_character(text: str, i: int) -> bool:
    c = text[i]
    before = text[i - 1] if i else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    if c in _JOINERS and before and after:
        kinds = unicodedata.category(before)[0] + unicodedata.category(after)[0]
        if all(k in "LM" for k in kinds):
            return True
        if c == "\u200d" and (
            unicodedata.category(before) in ("So", "Sk", "Mn") or before == "\ufe0f"
        ):
            return True
    if "\U000e0020" <= c <= "\U000e007f":  # a subdivision flag: U+1F3F4 then tag letters
        start = i
        while start and "\U000e0020" <= text[start - 1] <= "\U000e007f":
            start -= 1
        return start > 0 and text[start - 1] == "\U0001f3f4"
    return False


def invisible_character(text: str) -> int | None:
    """Where `text` holds an invisible format character (Unicode category Cf), or None.

    Bidi controls (U+202A-U+202E, U+2066-U+2069) make a title read backwards ("Trojan
    Source"), and zero-width spaces, marks and U+FEFF make two equal-looking titles differ:
    none can be seen, so none can be corrected by a reader. Joiners that a script or an emoji
    needs are kept (see `_needed_format_character`).
    """
    for i, c in enumerate(text):
        if unicodedata.category(c) == "Cf" and not _needed_format_character(text, i):
            return i
    return None


def invisible_character_message(value: str, what: str) -> str | None:
    """The message for the first invisible format character in `value`, or None."""
    i = invisible_character(value)
    if i is None:
        return None
    name = unicodedata.name(value[i], "a format character")
    return (
        f"{what} contains the invisible character U+{ord(value[i]):04X} ({name}), which "
        "changes how the text reads or compares without being seen; delete it (it is often "
        "pasted in with the text)"
    )


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


def _tag_name(tag: str) -> str:
    return "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag


def _tag_message(what: str, tag: str) -> str:
    if tag.startswith(f"{_CORE}python/"):
        return (
            f"{what} has the tag '{_tag_name(tag)}', which would run Python code when the file "
            "is read; remove it"
        )
    return (
        f"{what} has the tag '{_tag_name(tag)}', which content files do not use; remove the "
        "tag (values are plain text, numbers, dates, true/false, lists and mappings)"
    )


def _subject(path: Path_) -> str:
    """``("modules", 0, "title")`` -> ``'modules item 1.title'`` (as validation names it)."""
    name = ""
    for part in path:
        if isinstance(part, int):
            name += f" item {part + 1}"
        else:
            name += f".{part}" if name else str(part)
    return f"'{shown(name)}'" if name else "the value"


class MarkLines:
    """The line of a PyYAML mark as writers and kb count lines: by "\n" alone.

    PyYAML also breaks lines at a lone "\r", U+0085, U+2028 and U+2029, so its own line
    numbers run ahead of the file's on a text that holds one; the mark's character index is
    the same for both.
    """

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def __call__(self, mark: yaml.Mark | None) -> int:
        """The 1-based line of `mark` (1 without one)."""
        return bisect.bisect_right(self.starts, mark.index) if mark is not None else 1


class _Walker:
    def __init__(
        self,
        loader: yaml.SafeLoader,
        source: str,
        line_offset: int,
        foreign_tags: tuple[str, ...] = (),
        text_keys: bool = True,
        *,
        line_of: MarkLines,
    ):
        self.line_of = line_of
        self.loader = loader
        self.text_keys = text_keys
        self.foreign_tags = foreign_tags
        self.line_offset = line_offset
        self.source = source
        self.lines: dict[Path_, int] = {}
        self.count = 0

    def fail(self, node: yaml.Node, message: str, *, extra_lines: int = 0) -> ContentError:
        return ContentError(self.source, self.line_of(node.start_mark) + extra_lines, message)

    def walk(self, node: yaml.Node, path: Path_, depth: int = 0) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(
                node,
                f"this YAML document has more than {MAX_NODES:,} values (an alias loop?); "
                "split it into smaller files",
            )
        if depth > MAX_DEPTH:
            raise self.fail(
                node,
                f"values are nested more than {MAX_DEPTH} levels deep (or an alias refers to "
                "itself); flatten the structure",
            )
        self.lines.setdefault(path, self.line_of(node.start_mark))
        if self.foreign_tags and node.tag.startswith(self.foreign_tags):
            return None  # another program's tag (MkDocs' !ENV): its value is not ours to read
        if isinstance(node, yaml.MappingNode):
            if node.tag != _MAP_TAG:
                raise self._unsupported(node, path)
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                raise self._unsupported(node, path)
            return [self.walk(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        return self.scalar(node, path)

    def _unsupported(self, node: yaml.Node, path: Path_, plain: str = "") -> ContentError:
        return self.fail(node, _tag_message(_subject(path), node.tag))

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict[Any, Any]:
        # Merge keys ('<<: *defaults') are resolved here rather than by PyYAML's
        # flatten_mapping, which puts the merged keys among the written ones: an override
        # would then look like a duplicate key. Written keys win over merged ones, and among
        # several merged mappings the first wins (the YAML merge-key rule).
        merged: dict[Any, Any] = {}
        written: list[tuple[yaml.Node, yaml.Node]] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                sources = (
                    value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                )
                for merge_source in sources:
                    if not isinstance(merge_source, yaml.MappingNode):
                        raise self.fail(
                            key_node,
                            "'<<' merges a mapping into this one: give it an alias of a mapping "
                            "(e.g. '<<: *defaults') or a list of them",
                        )
                    for key, value in self.walk(merge_source, path, depth + 1).items():
                        merged.setdefault(key, value)
            else:
                written.append((key_node, value_node))
        result: dict[Any, Any] = {}
        first_seen: dict[Any, int] = {}
        for key_node, value_node in written:
            line = self.line_of(key_node.start_mark)
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(
                    key_node, "a key must be a plain word or string, not a list or mapping"
                )
            key = self.scalar(key_node, path, is_key=True)
            problem = self.key_problem(key, key_node)
            if problem:
                raise self.fail(key_node, problem)
            try:
                hash(key)
            except TypeError:  # pragma: no cover - scalars are hashable
                raise self.fail(key_node, "a key must be a plain word or string") from None
            if key in first_seen:
                raise self.fail(
                    key_node,
                    f"duplicate key '{shown(str(key))}' (first given on line "
                    f"{first_seen[key] + self.line_offset}); keep one of them",
                )
            first_seen[key] = line
            self.lines[(*path, key)] = line
            result[key] = self.walk(value_node, (*path, key), depth + 1)
        for key, value in merged.items():
            result.setdefault(key, value)
        return result

    def key_problem(self, key: Any, node: yaml.Node) -> str | None:
        """Why `key` cannot be a key (None when it can).

        A key names something (a setting, a synonym, a field): ``? !!null``, ``~`` or an empty
        key names nothing, and every model reads keys as text, so ``yes:`` (true) or ``5:`` (a
        number) would fail later with a message about the whole mapping, far from this line.
        mkdocs.yml may keep other scalars as keys (a nav title such as ``2026.11:``).
        """
        written = shown(node.value)
        if key is None:
            if not written:
                return "this key is empty (null) and names nothing; write a word as the key"
            return (
                f"the key '{written}' is read as empty (null) and names nothing; write a word "
                f"as the key, or quote it ('\"{written}\": ...') to mean the text"
            )
        if isinstance(key, str):
            if not key.strip():
                return "the key is blank; write a word as the key"
            return None
        if not self.text_keys:
            return None
        kind = {bool: "true/false", int: "a number", float: "a number"}.get(type(key), "a date")
        return (
            f"the key '{written}' is read as {kind}, not text; quote it ('\"{written}\": ...') "
            "or use a word"
        )

    def scalar(self, node: yaml.Node, path: Path_, *, is_key: bool = False) -> Any:
        """Construct one scalar; every way it can fail is a `ContentError` at its line."""
        what = f"the key '{shown(node.value)}'" if is_key else _subject(path)
        if node.tag not in _SCALAR_TAGS:
            raise self.fail(node, _tag_message(what, node.tag))
        try:
            value = self.loader.construct_object(node, deep=True)
        except Exception as e:  # noqa: BLE001 - whatever a constructor raises is the finding
            # PyYAML builds values with bare exceptions: "2026-13-01" raises "month must be in
            # 1..12" from datetime, "!!bool maybe" a KeyError, "!!timestamp x" an
            # AttributeError: tracebacks, unless caught here.
            if node.tag.endswith(":timestamp"):
                if isinstance(e, ValueError):  # looks like a date, but the day does not exist
                    message = (
                        f"'{shown(node.value)}' is not a valid date ({e}); write dates as "
                        "YYYY-MM-DD"
                    )
                else:  # '!!timestamp x': not even the shape of a date
                    message = (
                        f"{what} is '{shown(node.value)}', which is not a date; write it as "
                        "YYYY-MM-DD"
                    )
                if is_key:
                    message = f"the key {message}; quote it to use it as text"
            else:
                kind = node.tag.rsplit(":", 1)[-1]
                subject = f"{what} is '{node.value}', which" if not is_key else what
                message = (
                    f"{subject} cannot be read as {kind}; remove the '!!{kind}' tag or correct "
                    "the value"
                )
            raise self.fail(node, message) from None
        if isinstance(value, str):
            problem = control_character_message(value, what)
            at = CONTROL_CHARACTER.search(value).start() if problem else None  # type: ignore[union-attr]
            if not problem:
                problem = invisible_character_message(value, what)
                at = invisible_character(value)
            if problem:
                before = value[:at]
                # Block scalars start on the line after their '|' or '>' indicator; in a
                # literal one ('|') each newline of the text is a line of the file.
                extra = (before.count("\n") + 1) if node.style == "|" else int(node.style == ">")
                raise self.fail(node, problem, extra_lines=extra)
        return value


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
    text = text.removeprefix("\ufeff")
    if not source.endswith((".yml", ".yaml")):
        # YAML's own reader refuses these in data files (with its message); a page's Markdown
        # would carry them into HTML, feeds (XML refuses them) and terminals (ESC sequences).
        # Carriage returns stay: CRLF files are fine.
        found = _RAW_CONTROL.search(text)
        if found:
            raise ContentError(
                source,
                text.count("\n", 0, found.start()) + 1,
                f"contains the control character U+{ord(found.group()):04X}, which a page cannot "
                "show; delete it (it is often pasted in by accident)",
            )
    return text


# Control characters in a file's text: C0 but tab, newline and carriage return; DEL; C1.
_RAW_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _line_of_position(text: str, position: int) -> int:
    return text.count("\n", 0, max(position, 0)) + 1


def load_yaml(
    text: str,
    source: str,
    *,
    line_offset: int = 0,
    foreign_tags: tuple[str, ...] = (),
    text_keys: bool = True,
) -> tuple[Any, LineMap]:
    """Parse one YAML document safely and return ``(data, line_map)``.

    Args:
        text: the YAML text.
        source: the file it came from, used in error messages.
        line_offset: lines before `text` in its file (front matter starts after ``---``).
        foreign_tags: tag prefixes another program reads (``"!"`` for MkDocs' ``!ENV``);
            their values load as None instead of being refused.
        text_keys: every key must be text (data files, front matter); False lets numbers,
            dates and true/false be keys (mkdocs.yml). Empty (null) keys are always refused.

    Raises:
        ContentError: on malformed YAML, duplicate keys or unsupported tags, at the right line.
    """
    if _libyaml_agrees(text):
        try:
            return _load_yaml(
                yaml.CSafeLoader(text), text, source, line_offset, foreign_tags, text_keys
            )
        except ContentError:
            pass  # located and worded by PyYAML's own loader below, the definition
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
    return _load_yaml(loader, text, source, line_offset, foreign_tags, text_keys)


def _load_yaml(
    loader: yaml.SafeLoader | yaml.CSafeLoader,
    text: str,
    source: str,
    line_offset: int,
    foreign_tags: tuple[str, ...],
    text_keys: bool,
) -> tuple[Any, LineMap]:
    """`load_yaml` with `loader` made for `text`."""
    try:
        node = loader.get_single_node()
        if node is None:
            return None, LineMap({}, line_offset)
        line_of = MarkLines(text)
        walker = _Walker(loader, source, line_offset, foreign_tags, text_keys, line_of=line_of)
        data = walker.walk(node, ())
    except ContentError as e:
        raise ContentError(e.path, e.line + line_offset, e.message) from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        unclosed = e.problem and ("end of stream" in e.problem or "<stream end>" in e.problem)
        if e.context_mark and unclosed:
            # An unclosed quote or bracket runs to the end of the text: the line to fix is
            # where it was opened, not the end of the file.
            mark = e.context_mark
        lines_of = MarkLines(text)

        def located(at: yaml.Mark) -> int:
            # The end of the stream may be blank lines after the last one written (a front
            # matter's closing line): the line to fix is the last one with text.
            found = lines_of(at)
            return (min(found, _last_written_line(text)) if unclosed else found) + line_offset

        line = located(mark)
        problem = e.problem or "malformed YAML"
        if "'\\t'" in problem:
            problem += "; YAML is indented with spaces, never tabs: replace the tab by spaces"
        if e.context and e.context_mark:
            started = located(e.context_mark)
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


#: What may make libyaml (PyYAML's C loader) read a text otherwise than PyYAML's Python loader:
#: tabs (libyaml takes them inside plain values), '?' keys, tags, flow collections, anchors,
#: block scalars, directives, reserved indicators, and the line breaks beside "\n".
_LIBYAML_MAY_DIFFER = re.compile(r"[\t?!\[\]{}&*|>%@`\r\x85\u2028\u2029]")


def _libyaml_agrees(text: str) -> bool:
    """True when libyaml reads `text` as PyYAML's Python loader does, the definition.

    A page's front matter is mostly ``key: value`` lines, which the C loader reads ten times
    faster; anything beyond them (`_LIBYAML_MAY_DIFFER`), and text the Python reader refuses,
    goes to the Python loader. Differential fuzzing found no text through this gate that the
    two loaders read differently (tests/unit/test_yaml_loaders.py).
    """
    return (
        _HAS_LIBYAML
        and not _LIBYAML_MAY_DIFFER.search(text)
        and not yaml.reader.Reader.NON_PRINTABLE.search(text)
    )


_HAS_LIBYAML = bool(getattr(yaml, "__with_libyaml__", False))


def _last_written_line(text: str) -> int:
    """The 1-based line (counted by "\n", as `MarkLines`) of the last line that is not blank."""
    lines = text.split("\n")
    for number in range(len(lines), 0, -1):
        if lines[number - 1].strip():
            return number
    return 1


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
            source,
            lines.line_of(()),
            "front matter must be 'key: value' lines (a mapping), e.g. 'title: My page'",
        )
    offset = text.count("\n", 0, match.end())
    return FrontMatter(data, lines, text[match.end() :], offset)
