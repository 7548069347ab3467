"""Writers' commands for release notes: ``kb new change`` and ``kb release cut``.

Both find the data through mkdocs.yml (``docs_dir/_data``), never overwrite a file, and leave
the data valid: whatever they write is checked before they report success.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from kb_builder.cli.options import CONFIG_OPTION
from kb_builder.core.errors import ContentError, display_path
from kb_builder.core.project import DATA_DIR, read_settings
from kb_builder.core.validation import validate
from kb_builder.core.yamlio import LineMap
from kb_builder.families.releases import edit
from kb_builder.families.releases.loader import (
    CHANGES_DIR,
    RELEASES_DIR,
    check,
    load,
    parse_release,
)
from kb_builder.families.releases.model import DEFAULT_KINDS, Release

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


def _valid_version(version: str, status: str, date: dt.date | None) -> None:
    fields = {"version": version, "status": status, "date": date or dt.date(2000, 1, 1)}
    _, errors = validate(Release, fields, "VERSION", LineMap({(): 1}))
    if errors:
        _fail(f"Error: {errors[0].message}", 2)


def _load_valid(data_dir: Path, doing: str):
    problems = check(data_dir)
    if problems:
        _report(problems, f"in the release notes; fix them, then {doing}")
    return load(data_dir)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _release_edit(path: Path, day: dt.date) -> str:
    text = path.read_bytes().decode("utf-8")
    try:
        return edit.set_released(text, day)
    except edit.CannotEdit as e:
        _fail(
            f"{display_path(path)}: cannot mark it released ({e}); set 'status: released' and "
            f"'date: {day.isoformat()}' by hand, then assign its changes. Nothing was written."
        )
        raise  # pragma: no cover - _fail exits


def _change_edits(data_dir: Path, changes, version: str) -> list[tuple[Path, str]]:
    """The new text of every change file in `changes`, proved harmless before any is written."""
    edits = []
    for change in changes:
        change_path = data_dir / change.path
        text = change_path.read_bytes().decode("utf-8")
        try:
            edits.append((change_path, edit.set_release(text, version)))
        except edit.CannotEdit as e:
            _fail(
                f"{display_path(change_path)}: cannot add 'release: \"{version}\"' ({e}); add "
                "it by hand or simplify the file, then cut again. Nothing was written."
            )
    return edits


@release.command(name="cut")
@CONFIG_OPTION
@click.argument("version")
@click.option(
    "--date",
    "date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The release date, YYYY-MM-DD (default: the planned date of a planned release).",
)
@click.option("--dry-run", is_flag=True, help="Print what would change, and change nothing.")
@click.option(
    "--out-of-order",
    is_flag=True,
    help="Release VERSION although an earlier release is still planned; the waiting changes "
    "listed under that one move to VERSION.",
)
def release_cut(
    config_file: Path, version: str, date: dt.datetime | None, dry_run: bool, out_of_order: bool
) -> None:
    """Release VERSION with every waiting change, and mark it released.

    VERSION is normally the planned release the Upcoming Release page lists the waiting changes
    under: it takes them, and its file is marked released on its date (or --date). A new
    VERSION is refused while an earlier release is planned, unless --out-of-order.
    """
    data_dir, schemas_dir = _project(config_file)
    day = date.date() if date else None
    _valid_version(version, "released", day)
    data = _load_valid(data_dir, "cut the release")
    existing = next((r for r in data.releases if r.release.version == version), None)
    planned = data.planned()
    waiting = data.upcoming()
    waiting_note = (
        f"the {_plural(len(waiting), 'waiting change')} listed under it on the Upcoming Release "
        "page"
    )
    if existing is not None and existing.release.status == "released":
        when = existing.release.date.isoformat() if existing.release.date else "already"
        _fail(
            f"Release {version} was released on {when} ({display_path(data_dir / existing.path)}); "
            "a published release is not cut again. Cut the planned release"
            + (f" ({planned[0].release.version})" if planned else "")
            + ", or plan the next one with 'kb release plan VERSION --date YYYY-MM-DD'. "
            "Nothing was written."
        )
    if planned and planned[0].release.version != version and not out_of_order:
        first = planned[0]
        where = display_path(data_dir / first.path)
        soonest = first.release.version
        if existing:
            instead = f"Cut {soonest} first ('kb release cut {soonest}')"
            what = f"{version} is planned after it"
        else:
            instead = (
                f"Cut {soonest} first ('kb release cut {soonest}'), "
                f"or plan {version} with 'kb release plan {version} --date YYYY-MM-DD'"
            )
            what = f"{version} is not planned"
        _fail(
            f"Release {first.release.version} is planned before {version} ({where}), with "
            f"{waiting_note}; {what}. {instead}; to release {version} first with the waiting "
            "changes, pass --out-of-order. Nothing was written."
        )
    if existing is not None:
        day = day or existing.release.date
        plan_path = data_dir / existing.path
    else:
        plan_path = data_dir / RELEASES_DIR / f"{version}.yml"
        if plan_path.exists():
            _fail(f"{display_path(plan_path)} already exists; nothing was written.")
    if day is None:
        _fail(
            f"Release {version} has no date; give it with --date YYYY-MM-DD. Nothing was written.",
            2,
        )
    assigned = data.changes_of(version) if existing else []
    if not assigned and not waiting:
        _fail(
            f"No change is waiting for a release and none names {version}, so its page would be "
            "empty; add changes with 'kb new change', then cut. Nothing was written."
        )

    # Every edit is prepared (and proved harmless) before anything is written.
    edits = _change_edits(data_dir, waiting, version)
    if existing is not None:
        release_edit = ("edit", plan_path, _release_edit(plan_path, day))
    else:
        text = edit.release_text(
            version, "released", day, edit.schema_ref(plan_path.parent, schemas_dir, "release")
        )
        _, errors = parse_release(text.encode("utf-8"), str(plan_path))
        if errors:  # pragma: no cover - the template is fixed; this guards against editing it
            _report(errors, "in the release file it would write; nothing was written")
        release_edit = ("new", plan_path, text)

    if dry_run:
        click.echo("Dry run: nothing is written.")
    action = ("Would mark", "Marked") if existing else ("Would create", "Created")
    click.echo(
        f"{action[0] if dry_run else action[1]} {display_path(plan_path)}: released on "
        f"{day.isoformat()}."
    )
    if assigned:
        click.echo(f"Already in {version}: {_plural(len(assigned), 'change')}.")
    moved = "would be assigned" if dry_run else "assigned"
    click.echo(f"{_plural(len(edits), 'waiting change')} {moved} to {version}:")
    for change_path, _ in edits:
        click.echo(f"  {display_path(change_path)}")
    if dry_run:
        return

    kind, path, text = release_edit
    if kind == "new":
        path.parent.mkdir(parents=True, exist_ok=True)
        edit.write_new(path, text)
    for change_path, new_text in edits:
        edit.replace_text(change_path, new_text)
    if kind == "edit":
        # Last: until here the release is still planned, so a crash never publishes it empty.
        edit.replace_text(path, text)
    problems = check(data_dir)
    if problems:  # pragma: no cover - every edit above was verified; this is the last guard
        _report(problems, "after cutting the release")
    click.echo("Next: plan the next release with 'kb release plan VERSION --date YYYY-MM-DD'.")


@release.command(name="plan")
@CONFIG_OPTION
@click.argument("version")
@click.option(
    "--date",
    "date",
    required=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The planned release date, YYYY-MM-DD.",
)
def release_plan(config_file: Path, version: str, date: dt.datetime) -> None:
    """Create planned release VERSION; no change is moved.

    Waiting changes are listed on the Upcoming Release page under the soonest planned release,
    and join it when it is cut.
    """
    data_dir, schemas_dir = _project(config_file)
    day = date.date()
    _valid_version(version, "planned", day)
    data = _load_valid(data_dir, "plan the release")
    for entry in data.releases:
        if entry.release.version == version:
            _fail(
                f"Release {version} already exists ({display_path(data_dir / entry.path)}); "
                "edit that file to change it. Nothing was written."
            )
    folder = data_dir / RELEASES_DIR
    path = folder / f"{version}.yml"
    if path.exists():
        _fail(f"{display_path(path)} already exists; nothing was written.")
    folder.mkdir(parents=True, exist_ok=True)
    schema = edit.schema_ref(folder, schemas_dir, "release")
    text = edit.release_text(version, "planned", day, schema)
    edit.write_new(path, text)
    problems = check(data_dir)
    if problems:
        path.unlink()
        _report(problems, "with the new release; nothing was written")
    soonest = load(data_dir).planned()[0].release.version
    click.echo(f"Created {display_path(path)} (planned, {day.isoformat()}).")
    click.echo(
        f"Waiting changes are listed under {soonest} on the Upcoming Release page. Write the "
        f"summary of {version} in {display_path(path)} when you know it."
    )


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
    from kb_builder.families.releases.importers import writer

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
    from kb_builder.families.releases.importers import reno
    from kb_builder.families.releases.importers.writer import Report

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
    from kb_builder.families.releases.importers import towncrier
    from kb_builder.families.releases.importers.writer import Report

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
    from kb_builder.families.releases.importers import changelog
    from kb_builder.families.releases.importers.writer import Report

    data_dir, schemas_dir = _project(config_file)
    report = Report()
    notes, releases = changelog.read(file, report)
    _finish(data_dir, schemas_dir, notes, releases, display_path(file), report, dry_run)
