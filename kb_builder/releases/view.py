"""The release notes as one edition shows them: internal changes kept or left out, grouped.

Pages, the feed and the calendar are all made from this view, so that the public edition's
filtering is decided in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kb_builder.generators import Edition
from kb_builder.releases.data import ChangeFile, ReleaseData, ReleaseFile
from kb_builder.releases.model import Change, KindSpec, Release


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


def group(
    changes: list[ChangeFile], kinds: tuple[KindSpec, ...], edition: Edition
) -> list[Section]:
    """The changes `edition` shows, by kind in `kinds` order, by title within a kind."""
    # Title order reads well; the file name settles ties so that the order is stable.
    ordered = sorted(
        (c for c in changes if shown(c.change, edition)),
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
    return ReleaseView(entry.release, entry.path, group(changes, data.kinds, edition))


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
