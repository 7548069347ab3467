"""Read ``_data/releases/*.yml`` and ``_data/changes/*.yml``: `check` lists every problem.

Each file is read on its own (UTF-8, YAML, a mapping, the model), then the files are checked
against each other: two releases with one version, a change pointing to a release that does not
exist. `check` never stops at the first problem; `load` raises it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

import yaml
from pydantic import BaseModel

from kb_builder.core.errors import ContentError, did_you_mean, display_path
from kb_builder.core.validation import validate
from kb_builder.core.yamlio import LineMap, decode_utf8, load_yaml
from kb_builder.families.releases import history
from kb_builder.families.releases.data import ChangeFile, ReleaseData, ReleaseFile
from kb_builder.families.releases.model import (
    DEFAULT_KINDS,
    Change,
    KindSpec,
    Release,
    change_model,
)
from kb_builder.families.releases.scalars import unreadable_scalar, versions_as_written
from kb_builder.families.releases.stubs import find as find_stubs

RELEASES_DIR = "releases"
CHANGES_DIR = "changes"
SUFFIXES = (".yml", ".yaml")

# Keys whose value is a version, per kind of file.
_VERSION_KEYS = {"release": ("version",), "change": ("release",)}
_EXAMPLES = {
    "change": "at least 'title' and 'kind', e.g. 'title: Faster reports' and 'kind: improvement'",
    "release": "at least 'version' and 'status', e.g. 'version: \"2026.12\"' and 'status: planned'",
}


def data_files(folder: Path) -> list[Path]:
    """The YAML files directly in `folder`, sorted (editor lock and backup files skipped)."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix in SUFFIXES and not p.name.startswith((".", "#")) and p.is_file()
    )


def _describe(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    return f"a single value ('{value}')"


class Parsed(NamedTuple):
    """One data file as read: the model (None if any error), its lines, its data, its errors."""

    model: Any
    lines: LineMap | None
    data: dict[str, Any] | None
    errors: list[ContentError]


def _read_mapping(raw: bytes, source: str, noun: str) -> tuple[dict[str, Any], LineMap]:
    """The file's top-level mapping and where its values stand; raises `ContentError`."""
    text = decode_utf8(raw, source)
    try:
        data, lines = load_yaml(text, source)
    except yaml.reader.ReaderError as e:
        # A control character: PyYAML refuses the text before yamlio's error handling starts.
        raise ContentError(
            source,
            text.count("\n", 0, e.position) + 1,
            f"contains the control character U+{e.character:04X}, which YAML does not allow; "
            "delete it (it is often pasted in by accident)",
        ) from None
    except (ValueError, TypeError, AttributeError, KeyError, OverflowError) as e:
        # PyYAML's constructors raise these for values such as '!!bool maybe'.
        raise unreadable_scalar(text, source, e) from None
    if data is None:
        raise ContentError(source, 1, f"the file is empty; a {noun} needs {_EXAMPLES[noun]}")
    if not isinstance(data, dict):
        raise ContentError(
            source,
            lines.line_of(()),
            f"a {noun} file must be 'key: value' lines (a mapping), not {_describe(data)}; "
            f"a {noun} needs {_EXAMPLES[noun]}",
        )
    versions_as_written(text, data, _VERSION_KEYS[noun])
    return data, lines


def parse(raw: bytes, source: str, model: type[BaseModel], noun: str) -> Parsed:
    """Read one data file's bytes as `model`; never raises for anything in the file.

    Args:
        raw: the file's bytes.
        source: its path, for messages.
        model: `Release` or a `Change` model.
        noun: "release" or "change", for messages.
    """
    try:
        data, lines = _read_mapping(raw, source, noun)
    except ContentError as e:
        return Parsed(None, None, None, [e])
    found, errors = validate(model, data, source, lines, what=noun)
    # Every value of these files is published: a template's prompt left in one is a mistake.
    stubs = find_stubs(data, source, lines)
    if stubs:
        return Parsed(None, lines, data, sorted(set(errors + stubs)))
    return Parsed(found, lines, data, errors)


def _parse_release(raw: bytes, source: str) -> Parsed:
    parsed = parse(raw, source, Release, "release")
    if parsed.model is None or parsed.lines is None:
        return parsed
    errors = _wave_order(parsed.model, source, parsed.lines)
    return parsed._replace(model=None, errors=errors) if errors else parsed


def parse_change(
    raw: bytes, source: str, kinds: tuple[KindSpec, ...] = DEFAULT_KINDS
) -> tuple[Change | None, list[ContentError]]:
    """Read one change file on its own (its release is not looked up)."""
    parsed = parse(raw, source, change_model(tuple(k.name for k in kinds)), "change")
    return parsed.model, parsed.errors


def parse_release(raw: bytes, source: str) -> tuple[Release | None, list[ContentError]]:
    """Read one release file on its own (other releases are not compared)."""
    parsed = _parse_release(raw, source)
    return parsed.model, parsed.errors


def _wave_order(release: Release, source: str, lines: LineMap) -> list[ContentError]:
    errors = []
    for i in range(1, len(release.waves)):
        before, wave = release.waves[i - 1], release.waves[i]
        if wave.date < before.date:
            errors.append(
                ContentError(
                    source,
                    lines.line_of(("waves", i, "date")),
                    f"'waves item {i + 1}.date' is {wave.date}, before the date of the wave "
                    f"above it ({before.date}); list the waves in the order they roll out",
                )
            )
    return errors


def _read(path: Path) -> bytes | ContentError:
    try:
        return path.read_bytes()
    except OSError as e:
        return ContentError(str(path), 0, f"cannot be read: {e.strerror}")


def _collect_releases(
    data_dir: Path, errors: list[ContentError], status_lines: dict[str, int] | None = None
) -> tuple[list[ReleaseFile], dict[str, tuple[str, int]]]:
    """Valid releases, and where every version named is first defined (file, line).

    `status_lines`, if given, receives the line of each valid release's ``status:``.
    """
    releases: list[ReleaseFile] = []
    # Versions of every release file that names one, valid or not: a change pointing at a
    # release whose file has another mistake is not reported a second time.
    known: dict[str, tuple[str, int]] = {}
    for path in data_files(data_dir / RELEASES_DIR):
        source = str(path)
        raw = _read(path)
        if isinstance(raw, ContentError):
            errors.append(raw)
            continue
        release, lines, data, file_errors = _parse_release(raw, source)
        errors += file_errors
        version = release.version if release else (data or {}).get("version")
        if not isinstance(version, str) or lines is None:
            continue
        line = lines.line_of(("version",))
        if version in known:
            first, first_line = known[version]
            errors.append(
                ContentError(
                    source,
                    line,
                    f"'version' is '{version}', which {display_path(first)}:{first_line} "
                    "already has; give each release its own version",
                )
            )
            continue
        known[version] = (source, line)
        if version == "areas" or version.startswith("area-"):
            # releases/areas.md and releases/area-<slug>.md are the pages by area.
            errors.append(
                ContentError(
                    source,
                    line,
                    f"'version' is '{version}', whose page would take the place of the release "
                    "notes by area (releases/areas/ and releases/area-<name>/); give it a "
                    "version that does not start with 'area', e.g. '2026.12'",
                )
            )
            continue
        if release is not None:
            releases.append(ReleaseFile(path.relative_to(data_dir).as_posix(), release))
            if status_lines is not None:
                status_lines[version] = lines.line_of(("status",))
    return releases, known


def _collect_changes(
    data_dir: Path,
    kinds: tuple[KindSpec, ...],
    known: set[str],
    errors: list[ContentError],
    named_out: set[str] | None = None,
    release_lines: dict[str, int] | None = None,
) -> list[ChangeFile]:
    """Valid changes whose release (if any) is one of the `known` versions.

    `named_out`, if given, receives every version a change file names, valid file or not.
    """
    model = change_model(tuple(k.name for k in kinds))
    changes: list[ChangeFile] = []
    named: set[str] = set()
    releases_dir = display_path(data_dir / RELEASES_DIR)
    for path in data_files(data_dir / CHANGES_DIR):
        source = str(path)
        raw = _read(path)
        if isinstance(raw, ContentError):
            errors.append(raw)
            continue
        change, lines, data, file_errors = parse(raw, source, model, "change")
        errors += file_errors
        # Looked up from the data as read, so that a change with another mistake is checked too.
        release = (data or {}).get("release")
        if isinstance(release, str):
            named.add(release)
        if isinstance(release, str) and release not in known and lines is not None:
            errors.append(
                ContentError(
                    source,
                    lines.line_of(("release",)),
                    f"'release' is '{release}', which is not a release"
                    f"{did_you_mean(release, sorted(known))}; use the version of a release in "
                    f"{releases_dir}/, or leave 'release' out while the change is upcoming",
                )
            )
        elif change is not None:
            changes.append(ChangeFile(path.relative_to(data_dir).as_posix(), change))
            if release_lines is not None and lines is not None:
                release_lines[changes[-1].path] = lines.line_of(("release",))
    if named_out is not None:
        named_out |= named
    return changes


def _collect(data_dir: Path, kinds: tuple[KindSpec, ...]) -> tuple[ReleaseData, list[ContentError]]:
    errors: list[ContentError] = []
    status_lines: dict[str, int] = {}
    releases, known = _collect_releases(data_dir, errors, status_lines)
    named: set[str] = set()
    release_lines: dict[str, int] = {}
    changes = _collect_changes(data_dir, kinds, set(known), errors, named, release_lines)
    errors += _empty_released(data_dir, releases, named, status_lines)
    data = ReleaseData(tuple(releases), tuple(changes), kinds)
    committed = _committed(data_dir, kinds)
    if committed is not None:
        errors += history.moved_back(
            data, committed, data_dir, lambda path: release_lines.get(path, 1)
        )
    return data, sorted(set(errors))


def _committed(data_dir: Path, kinds: tuple[KindSpec, ...]) -> ReleaseData | None:
    """The valid release and change files of the last commit (files with errors skipped)."""
    files = history.committed_files(data_dir, (RELEASES_DIR, CHANGES_DIR))
    if not files:
        return None
    model = change_model(tuple(k.name for k in kinds))
    releases, changes = [], []
    for rel, raw in sorted(files.items()):
        folder, _, name = rel.partition("/")
        if "/" in name or not name.endswith(SUFFIXES) or name.startswith((".", "#")):
            continue
        if folder == RELEASES_DIR:
            release = _parse_release(raw, rel).model
            if release is not None:
                releases.append(ReleaseFile(rel, release))
        elif folder == CHANGES_DIR:
            change = parse(raw, rel, model, "change").model
            if change is not None:
                changes.append(ChangeFile(rel, change))
    return ReleaseData(tuple(releases), tuple(changes), kinds)


def _empty_released(
    data_dir: Path, releases: list[ReleaseFile], named: set[str], status_lines: dict[str, int]
) -> list[ContentError]:
    """Released versions no change names: they would publish an empty page and feed entry.

    A change file with another mistake still counts (its own error is reported), so one typo
    is not reported twice.
    """
    changes_dir = display_path(data_dir / CHANGES_DIR)
    errors = []
    for entry in releases:
        release = entry.release
        if release.status != "released" or release.version in named:
            continue
        errors.append(
            ContentError(
                str(data_dir / entry.path),
                status_lines.get(release.version, 1),
                f"'status' is 'released', but no change in {changes_dir}/ has 'release: "
                f"\"{release.version}\"', so its page would say nothing; set 'status: planned' and "
                f"run 'kb release cut {release.version}', which assigns the waiting changes and "
                "marks it released, or give its changes 'release: "
                f'"{release.version}"\'',
            )
        )
    return errors


def check(data_dir: Path, kinds: tuple[KindSpec, ...] = DEFAULT_KINDS) -> list[ContentError]:
    """Every problem in the release and change files below `data_dir`, sorted by file and line.

    Args:
        data_dir: the data directory (``content/_data``); missing folders mean no releases.
        kinds: the kinds of change a writer may use, in page order.
    """
    return _collect(data_dir, kinds)[1]


def read(
    data_dir: Path, kinds: tuple[KindSpec, ...] = DEFAULT_KINDS
) -> tuple[ReleaseData | None, list[ContentError]]:
    """The releases and changes below `data_dir` and every problem in them, from one reading.

    The data is None when there is any problem (`check` lists the same problems).
    """
    data, errors = _collect(data_dir, kinds)
    return (None if errors else data), errors


def load(data_dir: Path, kinds: tuple[KindSpec, ...] = DEFAULT_KINDS) -> ReleaseData:
    """The validated releases and changes below `data_dir`.

    Raises:
        ContentError: the first problem `check` would list.
    """
    data, errors = _collect(data_dir, kinds)
    if errors:
        raise errors[0]
    return data
