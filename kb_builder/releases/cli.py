"""Writers' commands for release notes: ``kb new change`` and ``kb release cut``.

Both find the data through mkdocs.yml (``docs_dir/_data``), never overwrite a file, and leave
the data valid: whatever they write is checked before they report success.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from kb_builder.cli_options import CONFIG_OPTION
from kb_builder.errors import ContentError, display_path
from kb_builder.loader import DATA_DIR
from kb_builder.project import read_settings
from kb_builder.releases import edit
from kb_builder.releases.loader import CHANGES_DIR, RELEASES_DIR, check, load, parse_release
from kb_builder.releases.model import DEFAULT_KINDS, Release
from kb_builder.validation import validate
from kb_builder.yamlio import LineMap

KIND_NAMES = [k.name for k in DEFAULT_KINDS]


def _fail(message: str, code: int = 1) -> None:
    click.echo(message, err=True)
    sys.exit(code)


def _project(config_file: Path) -> tuple[Path, Path]:
    """The data directory and the schemas folder of the project of `config_file`."""
    try:
        settings = read_settings(config_file)
    except ContentError as e:
        _fail(str(e), 2)
    return settings.docs_dir / DATA_DIR, settings.config_file.parent / "schemas"


def _report(errors: list[ContentError], what: str) -> None:
    for error in errors:
        click.echo(str(error), err=True)
    noun = "problem" if len(errors) == 1 else "problems"
    _fail(f"{len(errors)} {noun} {what}.")


@click.group(name="new", context_settings={"help_option_names": ["-h", "--help"]})
def new() -> None:
    """Create content files for writers."""


@new.command(name="change")
@CONFIG_OPTION
@click.option("-t", "--title", help="What changed, in one line of plain text.")
@click.option("-k", "--kind", type=click.Choice(KIND_NAMES), help="Where it is listed.")
@click.option("-b", "--body", help="Details, in Markdown.")
@click.option("-m", "--module", "modules", multiple=True, help="A module or area (repeatable).")
@click.option("--tracker", multiple=True, help="A tracker key such as OPS-1234 (repeatable).")
@click.option(
    "--audience",
    type=click.Choice(["public", "internal"]),
    default="public",
    show_default=True,
    help="'internal' keeps it out of the public edition.",
)
@click.option("--release", help="The version it belongs to (leave out while upcoming).")
def new_change(
    config_file: Path,
    title: str | None,
    kind: str | None,
    body: str | None,
    modules: tuple[str, ...],
    tracker: tuple[str, ...],
    audience: str,
    release: str | None,
) -> None:
    """Add a change file to content/_data/changes/ and print its path.

    Options not given are asked for (title, kind, then an optional body).
    """
    data_dir, schemas_dir = _project(config_file)
    interactive = title is None or kind is None
    if title is None:
        title = click.prompt("Title (one line of plain text)")
    if kind is None:
        kind = click.prompt("Kind", type=click.Choice(KIND_NAMES), default="improvement")
    if body is None and interactive:
        body = click.prompt("Body in Markdown (Enter for none)", default="", show_default=False)
    folder = data_dir / CHANGES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{edit.file_slug(title)}-{edit.new_suffix()}.yml"
    text = edit.change_text(
        {
            "title": title,
            "kind": kind,
            "audience": audience,
            "release": release,
            "modules": modules,
            "tracker": tracker,
            "body": body,
        },
        edit.schema_ref(folder, schemas_dir, "change"),
    )
    try:
        edit.write_new(path, text)
    except FileExistsError:
        _fail(f"{display_path(path)} already exists; nothing was written. Run the command again.")
    # Checked as part of the whole data (its release must exist): a bad file is taken back.
    errors = [e for e in check(data_dir) if Path(e.path) == path]
    if errors:
        path.unlink()
        _report(errors, "in the new change; nothing was written")
    click.echo(display_path(path))


@click.group(name="release", context_settings={"help_option_names": ["-h", "--help"]})
def release() -> None:
    """Manage releases."""


def _valid_version(version: str, status: str, date: dt.date) -> None:
    fields = {"version": version, "status": status, "date": date}
    _, errors = validate(Release, fields, "VERSION", LineMap({(): 1}))
    if errors:
        _fail(f"Error: {errors[0].message}", 2)


@release.command(name="cut")
@CONFIG_OPTION
@click.argument("version")
@click.option(
    "--date",
    "date",
    required=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The release date, YYYY-MM-DD (the planned date of a planned release).",
)
@click.option(
    "--status",
    type=click.Choice(["released", "planned"]),
    default="released",
    show_default=True,
)
def release_cut(config_file: Path, version: str, date: dt.datetime, status: str) -> None:
    """Create release VERSION and assign every upcoming change to it."""
    data_dir, schemas_dir = _project(config_file)
    day = date.date()
    _valid_version(version, status, day)
    problems = check(data_dir)
    if problems:
        _report(problems, "in the release notes; fix them, then cut the release")
    data = load(data_dir)
    folder = data_dir / RELEASES_DIR
    for entry in data.releases:
        if entry.release.version == version:
            _fail(
                f"Release {version} already exists ({display_path(data_dir / entry.path)}); "
                "cut a new version, or edit that file to change it."
            )
    path = folder / f"{version}.yml"
    if path.exists():
        _fail(f"{display_path(path)} already exists; nothing was written.")

    # Every edit is prepared (and proved harmless) before anything is written.
    edits: list[tuple[Path, str]] = []
    for change in data.upcoming():
        change_path = data_dir / change.path
        text = change_path.read_bytes().decode("utf-8")
        try:
            edits.append((change_path, edit.set_release(text, version)))
        except edit.CannotEdit as e:
            _fail(
                f"{display_path(change_path)}: cannot add 'release: \"{version}\"' ({e}); add "
                "it by hand or simplify the file, then cut again. Nothing was written."
            )
    folder.mkdir(parents=True, exist_ok=True)
    text = edit.release_text(version, status, day, edit.schema_ref(folder, schemas_dir, "release"))
    _, errors = parse_release(text.encode("utf-8"), str(path))
    if errors:  # pragma: no cover - the template is fixed; this guards against editing it badly
        _report(errors, "in the release file it would write; nothing was written")
    edit.write_new(path, text)
    for change_path, new_text in edits:
        edit.replace_text(change_path, new_text)
    problems = check(data_dir)
    if problems:  # pragma: no cover - every edit above was verified; this is the last guard
        _report(problems, "after cutting the release")

    click.echo(f"Created {display_path(path)} ({status}, {day.isoformat()}).")
    noun = "change" if len(edits) == 1 else "changes"
    click.echo(f"Assigned {len(edits)} upcoming {noun} to {version}:")
    for change_path, _ in edits:
        click.echo(f"  {display_path(change_path)}")
    click.echo(f"Write the summary of {version} in {display_path(path)}.")


@click.group(name="import", context_settings={"help_option_names": ["-h", "--help"]})
def import_() -> None:
    """Import release notes kept in reno, towncrier or Keep a Changelog as change files."""


_DRY_RUN = click.option(
    "--dry-run", is_flag=True, help="Print what would be written; write nothing."
)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _finish(data_dir: Path, schemas_dir: Path, notes, releases, source: str, report, dry_run):  # noqa: ANN001
    """Write the files, print what was (or would be) written and skipped, exit 1 if any was."""
    from kb_builder.releases.importers import writer

    writer.write(data_dir, schemas_dir, notes, releases, source, report, dry_run=dry_run)
    verb = "Would write" if dry_run else "Wrote"
    for path in report.releases_written + report.written:
        click.echo(f"{verb} {display_path(path)}")
    for path in report.releases_kept:
        click.echo(f"Kept {display_path(path)} (exists; its changes are added to it)")
    for warning in report.warnings:
        click.echo(str(warning), err=True)
    for problem in report.skipped:
        click.echo(f"{problem} (skipped)", err=True)
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(report.mapped.items()))
    done = "to write" if dry_run else "written"
    click.echo(
        f"{_count(report.notes_in, 'note')} in ({_count(report.files_in, 'file')}): "
        f"{_count(len(report.written), 'change')} {done} ({kinds or 'none'}), "
        f"{len(report.skipped)} skipped; {_count(len(report.releases_written), 'release')} "
        f"{done}, {len(report.releases_kept)} kept."
    )
    if not dry_run and report.written:
        problems = check(data_dir)
        if problems:
            _report(problems, "in the release notes after the import")
    if report.skipped:
        _fail(f"{len(report.skipped)} skipped; see the messages above.")


@import_.command(name="reno")
@CONFIG_OPTION
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--manifest",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSON list of {file, first_release_tag, first_release_date}: each note's release.",
)
@_DRY_RUN
def import_reno(config_file: Path, folder: Path, manifest: Path | None, dry_run: bool) -> None:
    """Import reno notes (releasenotes/notes/) from FOLDER."""
    from kb_builder.releases.importers import reno
    from kb_builder.releases.importers.writer import Report

    data_dir, schemas_dir = _project(config_file)
    releases_of = {}
    if manifest is not None:
        try:
            releases_of = reno.read_manifest(manifest)
        except ContentError as e:
            _fail(str(e), 2)
    report = Report()
    notes, releases = reno.read(folder, releases_of, report)
    _finish(data_dir, schemas_dir, notes, releases, display_path(folder), report, dry_run)


@import_.command(name="towncrier")
@CONFIG_OPTION
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@_DRY_RUN
def import_towncrier(config_file: Path, folder: Path, dry_run: bool) -> None:
    """Import towncrier news fragments from FOLDER (as upcoming changes)."""
    from kb_builder.releases.importers import towncrier
    from kb_builder.releases.importers.writer import Report

    data_dir, schemas_dir = _project(config_file)
    report = Report()
    notes = towncrier.read(folder, report)
    _finish(data_dir, schemas_dir, notes, [], display_path(folder), report, dry_run)


@import_.command(name="changelog")
@CONFIG_OPTION
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_DRY_RUN
def import_changelog(config_file: Path, file: Path, dry_run: bool) -> None:
    """Import a Keep a Changelog FILE (CHANGELOG.md)."""
    from kb_builder.releases.importers import changelog
    from kb_builder.releases.importers.writer import Report

    data_dir, schemas_dir = _project(config_file)
    report = Report()
    notes, releases = changelog.read(file, report)
    _finish(data_dir, schemas_dir, notes, releases, display_path(file), report, dry_run)
