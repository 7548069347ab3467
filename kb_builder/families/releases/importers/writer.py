"""The shared half of every importer: notes and releases in, change and release files out.

Importers only read their format; this module names the files (deterministically, so a
second import of the same notes is refused file by file instead of duplicating them), writes
each with a comment saying where it came from, validates each with the site's own loader
before writing, and never overwrites anything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from kb_builder.core.errors import ContentError, display_path
from kb_builder.families.releases import edit
from kb_builder.families.releases.loader import (
    CHANGES_DIR,
    RELEASES_DIR,
    parse_change,
    parse_release,
)


@dataclass(frozen=True)
class Note:
    """One imported note or entry, ready to become a change file.

    Attributes:
        title: plain text, one line.
        kind: one of the site's kinds.
        body: Markdown (already escaped and checked by the importer).
        source: the input file, as shown in messages and in the file's comment.
        line: the line of the note in `source`.
        key: what makes the note unique in its source (section and index), for its file name.
        release: its version, or None while upcoming.
        origin: extra words for the comment, e.g. the reno note's uid.
    """

    title: str
    kind: str
    body: str
    source: str
    line: int
    key: str
    release: str | None = None
    origin: str = ""


@dataclass(frozen=True)
class ReleaseInfo:
    """A release the notes belong to: its version, date and (reno's prelude) summary."""

    version: str
    date: dt.date
    summary: str = ""


@dataclass
class Report:
    """What an import did: files written (or to be written), notes skipped and why."""

    notes_in: int = 0
    files_in: int = 0
    written: list[Path] = field(default_factory=list)
    releases_written: list[Path] = field(default_factory=list)
    releases_kept: list[Path] = field(default_factory=list)
    skipped: list[ContentError] = field(default_factory=list)
    mapped: dict[str, int] = field(default_factory=dict)
    warnings: list[ContentError] = field(default_factory=list)

    def warn(self, source: str, line: int, message: str) -> None:
        """Record something imported that the writer should read again."""
        self.warnings.append(ContentError(source, line, message))

    def skip(self, source: str, line: int, message: str) -> None:
        """Record one note (or one input file) that was not imported, at its input line."""
        self.skipped.append(ContentError(source, line, message))


def _suffix(key: str) -> str:
    # Deterministic: the same note always gets the same name, so re-importing it is refused.
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]


def change_file_text(note: Note, schema: str) -> str:
    """The text of the change file for `note`, with the comment saying where it came from."""
    text = edit.change_text(
        {"title": note.title, "kind": note.kind, "release": note.release, "body": note.body},
        schema,
    )
    modeline, rest = text.split("\n", 1)
    origin = f" ({note.origin})" if note.origin else ""
    return f"{modeline}\n# Imported by 'kb import' from {note.source}:{note.line}{origin}.\n{rest}"


def release_file_text(release: ReleaseInfo, source: str, schema: str) -> str:
    """The text of a released version's file, with the comment saying where it came from."""
    fields: dict[str, object] = {
        "version": release.version,
        "status": "released",
        "date": release.date,
    }
    if release.summary:
        fields["summary"] = release.summary
    body = edit._dump(fields)
    return (
        f"# yaml-language-server: $schema={schema}\n"
        f"# Imported by 'kb import' from {source}.\n" + body
    )


def write(
    data_dir: Path,
    schemas_dir: Path,
    notes: list[Note],
    releases: list[ReleaseInfo],
    source: str,
    report: Report,
    *,
    dry_run: bool,
) -> None:
    """Write (or, with `dry_run`, only plan) a file per note and per release.

    A change file that exists is never replaced: the note is skipped and reported. A release
    file that exists is kept and used. A release gets a file only if a change of it does: the
    site refuses a released version with no changes. Each file is validated with the loader the
    site uses before anything is written, so what it would refuse is reported at its input line.
    """
    changes_dir = data_dir / CHANGES_DIR
    releases_dir = data_dir / RELEASES_DIR
    schema = edit.schema_ref(changes_dir, schemas_dir, "change")
    planned: list[tuple[Path, str, Note]] = []
    names: set[Path] = set()
    for note in notes:
        path = changes_dir / f"{edit.file_slug(note.title)}-{_suffix(note.key)}.yml"
        text = change_file_text(note, schema)
        _, errors = parse_change(text.encode("utf-8"), display_path(path))
        if errors:
            report.skip(note.source, note.line, f"would not be a valid change: {errors[0].message}")
        elif path.exists() or path in names:
            report.skip(
                note.source,
                note.line,
                f"{display_path(path)} exists already (imported before?); it was not overwritten",
            )
        else:
            names.add(path)
            planned.append((path, text, note))

    needed = {note.release for _, _, note in planned}
    release_schema = edit.schema_ref(releases_dir, schemas_dir, "release")
    new_releases: list[tuple[Path, str]] = []
    usable: set[str] = set()
    for release in sorted(releases, key=lambda r: (r.date, r.version)):
        path = releases_dir / f"{release.version}.yml"
        existing = next((p for p in (path, path.with_suffix(".yaml")) if p.exists()), None)
        if release.version not in needed:
            report.warn(
                source,
                1,
                f"release {release.version} has no change to import; "
                "no release file is written for it",
            )
        elif existing is not None:
            report.releases_kept.append(existing)
            usable.add(release.version)
            if release.summary:
                report.warn(
                    source,
                    1,
                    f"the prelude of {release.version} was not added to "
                    f"{display_path(existing)}, which exists; copy it into its 'summary' if it "
                    "belongs there",
                )
        else:
            text = release_file_text(release, source, release_schema)
            _, errors = parse_release(text.encode("utf-8"), display_path(path))
            if errors:
                report.warn(source, 1, f"release {release.version}: {errors[0].message}")
            else:
                new_releases.append((path, text))
                usable.add(release.version)

    if not dry_run:
        changes_dir.mkdir(parents=True, exist_ok=True)
        releases_dir.mkdir(parents=True, exist_ok=True)
    for path, text in new_releases:
        if not dry_run:
            edit.write_new(path, text)
        report.releases_written.append(path)
    for path, text, note in planned:
        if note.release is not None and note.release not in usable:
            report.skip(note.source, note.line, f"its release {note.release} was not imported")
            continue
        if not dry_run:
            edit.write_new(path, text)
        report.written.append(path)
        report.mapped[note.kind] = report.mapped.get(note.kind, 0) + 1
