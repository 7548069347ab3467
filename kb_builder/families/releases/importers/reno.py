"""reno notes (``releasenotes/notes/*.yaml``) -> notes and releases.

reno finds each note's release in git history; an import has no git, so the release comes from
a manifest (JSON: a list of ``{"file", "first_release_tag", "first_release_date"}``, as in the
shared corpus); notes it does not name, or names without a tag, are upcoming.
Each item of a section is one note; ``prelude`` becomes its release's summary.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from kb_builder.core.errors import ContentError, did_you_mean, display_path
from kb_builder.core.yamlio import decode_utf8, load_yaml
from kb_builder.families.releases.importers.rst import RstProblem, rst_to_markdown
from kb_builder.families.releases.importers.writer import Note, ReleaseInfo, Report

# reno's standard sections -> the site's kinds. 'upgrade' and 'other' have no kind of their own:
# upgrade notes tell operators what changes for them, closest to an improvement's notice.
SECTIONS = {
    "features": "feature",
    "issues": "known-issue",
    "upgrade": "improvement",
    "deprecations": "deprecation",
    "critical": "fix",
    "security": "security",
    "fixes": "fix",
    "other": "improvement",
}
PRELUDE = "prelude"


def read_manifest(path: Path) -> dict[str, tuple[str, dt.date] | None]:
    """note file name -> (version, date), or None for a note not yet released.

    Raises:
        ContentError: the manifest is not such a JSON list.
    """
    source = display_path(path)
    try:
        entries = json.loads(decode_utf8(path.read_bytes(), source))
        out: dict[str, tuple[str, dt.date] | None] = {}
        for entry in entries:
            tag = entry.get("first_release_tag")
            when = entry.get("first_release_date")
            out[entry["file"]] = (tag, dt.date.fromisoformat(when[:10])) if tag and when else None
        return out
    except json.JSONDecodeError as e:
        raise ContentError(source, e.lineno, f"is not valid JSON ({e.msg})") from None
    except (TypeError, KeyError, AttributeError, ValueError) as e:
        raise ContentError(
            source,
            1,
            f'is not a list of {{"file", "first_release_tag", "first_release_date"}} objects ({e})',
        ) from None


def _uid(path: Path) -> str:
    # reno names a note <slug>-<16 hex digits>; the digits are its uid.
    return path.stem.rsplit("-", 1)[-1]


def read(
    folder: Path, manifest: dict[str, tuple[str, dt.date] | None], report: Report
) -> tuple[list[Note], list[ReleaseInfo]]:
    """Every note in `folder`'s YAML files; problems are recorded in `report`, never raised."""
    notes: list[Note] = []
    releases: dict[str, ReleaseInfo] = {}
    preludes: dict[str, list[str]] = {}
    # Below the folder too: notes kept in a sub-folder are notes (the nova corpus has one).
    files = sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    report.files_in += len(files)
    if not files:
        report.skip(display_path(folder), 1, "has no reno notes (*.yaml)")
    for path in files:
        source = display_path(path)
        try:
            text = decode_utf8(path.read_bytes(), source)
            data, lines = load_yaml(text, source)
        except ContentError as e:
            report.notes_in += 1  # an unreadable file is one note lost, at least
            report.skipped.append(e)
            continue
        if not isinstance(data, dict) or not data:
            report.notes_in += 1
            what = "is empty" if not data else "is not a mapping of sections"
            report.skip(source, 1, f"{what}; a reno note has sections such as 'features:'")
            continue
        relative = path.relative_to(folder).as_posix()
        found = manifest.get(relative, manifest.get(path.name))
        version = found[0] if found else None
        if found and version not in releases:
            releases[version] = ReleaseInfo(version, found[1])
        for section, items in data.items():
            if items is None:
                continue  # 'fixes:' left empty: no note, as reno reads it
            values = items if isinstance(items, list) else [items]
            if isinstance(items, str) and section != PRELUDE:
                # reno expects a list; a text here has often swallowed the item below it.
                report.warn(
                    source,
                    lines.line_of((section,)),
                    f"'{section}' is one text, not a list of notes; it was imported as one "
                    "note: read it again, it may have swallowed the next item",
                )
            if section == PRELUDE:
                texts = [v for v in values if isinstance(v, str) and v.strip()]
                if texts and version:
                    preludes.setdefault(version, []).extend(texts)
                elif texts:
                    report.warn(
                        source,
                        lines.line_of((section,)),
                        "a prelude introduces a release, and this note has none yet (the "
                        "manifest names no release for it); it was not imported",
                    )
                continue
            for index, item in enumerate(values):
                line = lines.line_of((section, index) if isinstance(items, list) else (section,))
                report.notes_in += 1
                if section not in SECTIONS:
                    hint = did_you_mean(str(section), list(SECTIONS) + [PRELUDE])
                    report.skip(
                        source,
                        line,
                        f"unknown section '{section}'{hint}; reno does not publish it either "
                        f"(sections: {', '.join(SECTIONS)}, prelude)",
                    )
                    continue
                if not isinstance(item, str) or not item.strip():
                    report.skip(source, line, f"'{section}' item is not text")
                    continue
                try:
                    converted = rst_to_markdown(item)
                except RstProblem as e:
                    report.skip(source, line + (e.line or 1), str(e))
                    continue
                body = "" if converted.markdown == converted.title else converted.markdown
                notes.append(
                    Note(
                        title=converted.title,
                        kind=SECTIONS[section],
                        body=body,
                        source=source,
                        line=line,
                        key=f"reno:{relative}:{section}:{index}",
                        release=version,
                        origin=f"reno note uid {_uid(path)}, section '{section}'",
                    )
                )
    for version, texts in preludes.items():
        parts = []
        for text in texts:
            try:
                parts.append(rst_to_markdown(text).markdown)
            except RstProblem:
                continue  # a prelude is a summary: one that cannot be shown is left out
        releases[version] = ReleaseInfo(
            version, releases[version].date, "\n\n".join(p for p in parts if p)
        )
    return notes, list(releases.values())
