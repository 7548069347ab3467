"""The release notes as one edition shows them: internal changes kept or left out, grouped.

Pages, the feed and the calendar are all made from this view, so that the public edition's
filtering is decided in one place. That includes the internal passages (``!!! internal``) a
writer puts in a change's body or a release's summary: the public view has them removed, with
`kb_builder.pages.audience.find_internal`, the same rule as pages, so the feed cannot carry what the
release page hides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kb_builder.core.editions import Edition
from kb_builder.core.errors import ContentError
from kb_builder.core.yamlio import decode_utf8, load_yaml
from kb_builder.families.releases.data import ChangeFile, ReleaseData, ReleaseFile
from kb_builder.families.releases.model import Change, KindSpec, Release
from kb_builder.pages import audience


@dataclass(frozen=True)
class Section:
    """The changes of one kind, in a release's list."""

    kind: KindSpec
    changes: list[Change]


@dataclass(frozen=True)
class ReleaseView:
    """A release with the changes this edition shows, grouped by kind.

    Attributes:
        release: the release.
        path: its file, relative to the data directory.
        sections: one per kind that has changes, in the configured kind order.
    """

    release: Release
    path: str
    sections: list[Section] = field(default_factory=list)

    @property
    def changes(self) -> list[Change]:
        """Every change shown, section by section."""
        return [c for s in self.sections for c in s.changes]


@dataclass(frozen=True)
class EditionView:
    """What one edition shows of the release notes.

    Attributes:
        edition: "public" or "internal".
        released: released versions, newest first.
        planned: planned releases, soonest first; upcoming changes are listed with the first.
        unscheduled: upcoming changes, by kind, when no release is planned to take them.
    """

    edition: Edition
    released: list[ReleaseView]
    planned: list[ReleaseView]
    unscheduled: list[Section]

    @property
    def pending(self) -> bool:
        """True when anything is planned or waiting for a release."""
        return bool(self.planned or self.unscheduled)


def shown(change: Change, edition: Edition) -> bool:
    """True if `edition` shows `change` (the public edition never shows internal ones)."""
    return edition == "internal" or change.audience == "public"


def _public_change(change: Change, edition: Edition) -> Change:
    """`change` as `edition` shows it: in the public edition, its body's internal passages go."""
    if edition == "internal" or not change.body:
        return change
    body = audience.public_text(change.body)
    return change if body == change.body else change.model_copy(update={"body": body})


def _public_release(release: Release, edition: Edition) -> Release:
    """`release` as `edition` shows it: in the public edition, internal passages of its summary
    are removed."""
    if edition == "internal" or not release.summary:
        return release
    summary = audience.public_text(release.summary)
    if summary == release.summary:
        return release
    return release.model_copy(update={"summary": summary})


def group(
    changes: list[ChangeFile], kinds: tuple[KindSpec, ...], edition: Edition
) -> list[Section]:
    """The changes `edition` shows, by kind in `kinds` order, by title within a kind."""
    # Title order reads well; the file name settles ties so that the order is stable.
    ordered = sorted(
        (
            ChangeFile(c.path, _public_change(c.change, edition))
            for c in changes
            if shown(c.change, edition)
        ),
        key=lambda c: (c.change.title.casefold(), c.path),
    )
    sections = []
    for kind in kinds:
        members = [c.change for c in ordered if c.change.kind == kind.name]
        if members:
            sections.append(Section(kind, members))
    return sections


def _release_view(
    data: ReleaseData, entry: ReleaseFile, edition: Edition, extra: list[ChangeFile] | None = None
) -> ReleaseView:
    changes = data.changes_of(entry.release.version) + (extra or [])
    release = _public_release(entry.release, edition)
    return ReleaseView(release, entry.path, group(changes, data.kinds, edition))


def edition_view(data: ReleaseData, edition: Edition) -> EditionView:
    """Group `data` as `edition` shows it.

    Upcoming changes (no ``release``) are headed for the next planned release, if any.
    """
    planned = data.planned()
    upcoming = data.upcoming()
    planned_views = [
        _release_view(data, entry, edition, upcoming if i == 0 else None)
        for i, entry in enumerate(planned)
    ]
    return EditionView(
        edition=edition,
        released=[_release_view(data, entry, edition) for entry in data.released()],
        planned=planned_views,
        unscheduled=[] if planned else group(upcoming, data.kinds, edition),
    )


def marker_errors(data: ReleaseData, data_dir: Path) -> list[ContentError]:
    """Near misses of the internal marker in change bodies and release summaries.

    The same rule as pages (`pages.audience.find_internal`), reported in the writer's YAML
    file, never at a line of a generated page: at the line itself in a literal block (``|``),
    which keeps the text's lines, else at the field's line. The file is read again only when a
    field has a problem (rare), for its lines.
    """
    fields = [(c.path, "body", c.change.body) for c in data.changes]
    fields += [(r.path, "summary", r.release.summary) for r in data.releases]
    errors: list[ContentError] = []
    for path, key, text in fields:
        if not text:
            continue
        problems = audience.find_internal(text).problems
        if not problems:
            continue
        file = data_dir / path
        line, literal = 1, False
        try:
            source = decode_utf8(file.read_bytes(), str(file))
            _, lines = load_yaml(source, str(file))
            line = lines.line_of((key,))
            header = source.splitlines()[line - 1] if line >= 1 else ""
            literal = bool(_LITERAL_BLOCK.search(header))
        except (ContentError, OSError, IndexError):
            pass  # the file was valid when loaded; without its lines, the first line is named
        if literal:
            errors += [ContentError(str(file), line + p.line + 1, p.message) for p in problems]
        else:
            errors += audience.field_errors(text, str(file), line, key)
    return errors


# A key whose value is a literal block scalar ("body: |", "body: |-", "body: |2 # note").
_LITERAL_BLOCK = re.compile(r":[ \t]*\|[-+0-9]*[ \t]*(?:#.*)?$")
