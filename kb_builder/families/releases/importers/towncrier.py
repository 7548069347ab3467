"""towncrier news fragments (``<issue>.<type>[.<n>].rst``) -> upcoming notes.

Fragments are, by towncrier's design, what the next release will say: they are all upcoming.
"""

from __future__ import annotations

from pathlib import Path

from kb_builder.core.errors import ContentError, did_you_mean, display_path
from kb_builder.core.yamlio import decode_utf8
from kb_builder.families.releases.importers.rst import RstProblem, rst_to_markdown
from kb_builder.families.releases.importers.writer import Note, Report

# towncrier's fragment types (its defaults, pip's and pytest's) -> the site's kinds.
TYPES = {
    "feature": "feature",
    "improvement": "improvement",
    "bugfix": "fix",
    "removal": "deprecation",
    "deprecation": "deprecation",
    "breaking": "deprecation",
    "security": "security",
    "doc": "improvement",
    "vendor": "improvement",
    "packaging": "improvement",
}
# Types towncrier itself lists without their text (or leaves out): nothing for clients to read.
UNPUBLISHED = ("trivial", "misc", "process", "contrib")


def _fragment_type(name: str) -> str | None:
    # <issue>.<type>[.<counter>].rst: the type is the last part that is not a number.
    parts = name.removesuffix(".rst").removesuffix(".md").split(".")
    for part in reversed(parts[1:]):
        if not part.isdigit():
            return part
    return None


def read(folder: Path, report: Report) -> list[Note]:
    """Every fragment in `folder`; problems are recorded in `report`, never raised."""
    notes: list[Note] = []
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in (".rst", ".md"))
    report.files_in += len(files)
    if not files:
        report.skip(display_path(folder), 1, "has no towncrier fragments (*.rst)")
    for path in files:
        source = display_path(path)
        report.notes_in += 1
        kind_name = _fragment_type(path.name)
        if kind_name in UNPUBLISHED:
            report.skip(source, 1, f"a '{kind_name}' fragment, which towncrier does not publish")
            continue
        if kind_name not in TYPES:
            hint = did_you_mean(str(kind_name), list(TYPES))
            report.skip(
                source, 1, f"unknown fragment type '{kind_name}'{hint} (types: {', '.join(TYPES)})"
            )
            continue
        try:
            text = decode_utf8(path.read_bytes(), source)
            if not text.strip():
                raise ContentError(source, 1, "is empty; a fragment says what changed")
            converted = rst_to_markdown(text)
        except ContentError as e:
            report.skipped.append(e)
            continue
        except RstProblem as e:
            report.skip(source, e.line or 1, str(e))
            continue
        issue = path.name.split(".", 1)[0]
        notes.append(
            Note(
                title=converted.title,
                kind=TYPES[kind_name],
                body="" if converted.markdown == converted.title else converted.markdown,
                source=source,
                line=1,
                key=f"towncrier:{path.name}",
                origin=f"towncrier fragment, issue {issue}" if issue.isdigit() else "",
            )
        )
    return notes
