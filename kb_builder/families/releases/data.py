"""The release notes as loaded: every release and change with the file it came from."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kb_builder.families.releases.model import DEFAULT_KINDS, Change, KindSpec, Release


@dataclass(frozen=True)
class ReleaseFile:
    """A release and its file, relative to the data directory (``releases/2026.12.yml``)."""

    path: str
    release: Release


@dataclass(frozen=True)
class ChangeFile:
    """A change and its file, relative to the data directory (``changes/x-1a2b3c4d.yml``)."""

    path: str
    change: Change


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that orders '2026.9' before '2026.10' (numbers compared as numbers)."""
    parts = re.findall(r"\d+|[^\d]+", version)
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)


def _planned_key(entry: ReleaseFile) -> tuple[bool, dt.date, tuple]:
    days = entry.release.rollout_days()
    first = entry.release.date or (days[0] if days else None)
    # A planned release without any date yet comes after every scheduled one.
    return (first is None, first or dt.date.max, version_key(entry.release.version))


@dataclass(frozen=True)
class ReleaseData:
    """Everything under ``_data/releases/`` and ``_data/changes/``, validated and consistent.

    Attributes:
        releases: one entry per release file, sorted by file.
        changes: one entry per change file, sorted by file.
        kinds: the kinds of change, in the order release pages list them.
    """

    releases: tuple[ReleaseFile, ...] = ()
    changes: tuple[ChangeFile, ...] = ()
    kinds: tuple[KindSpec, ...] = DEFAULT_KINDS

    def released(self) -> list[ReleaseFile]:
        """Released versions, newest first (by release date, then version)."""
        done = [r for r in self.releases if r.release.status == "released"]
        return sorted(
            done,
            key=lambda r: (r.release.date or dt.date.min, version_key(r.release.version)),
            reverse=True,
        )

    def planned(self) -> list[ReleaseFile]:
        """Planned releases, soonest first; the first is where upcoming changes are headed."""
        return sorted((r for r in self.releases if r.release.status == "planned"), key=_planned_key)

    def changes_of(self, version: str) -> list[ChangeFile]:
        """The changes assigned to `version`."""
        return [c for c in self.changes if c.change.release == version]

    def upcoming(self) -> list[ChangeFile]:
        """The changes not assigned to any release yet."""
        return [c for c in self.changes if c.change.release is None]
