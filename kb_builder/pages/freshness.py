"""Freshness: who owns a page, when it was last reviewed, and which reviews are due.

Help centres rot quietly: an SLA changes and one page is missed. Pages may name an `owner`, the
date they were `reviewed` and the date they must be reviewed again (`review_by`); `kb check`
lists every page whose review is due. Pages generated from data show when the data last
changed instead (from git when the project is a git checkout, else from the file's time).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from kb_builder.core.errors import ContentError


@dataclass(frozen=True)
class Review:
    """A page's review state, as shown on the page."""

    owner: str | None
    reviewed: date | None
    review_by: date | None

    def is_due(self, today: date) -> bool:
        return self.review_by is not None and self.review_by < today


def overdue(pages, today: date) -> list[ContentError]:
    """A warning (as a located message) for every page whose review date has passed.

    Args:
        pages: mapping of content path -> `kb_builder.pages.page.Page`.
        today: the date to compare with (injected, so that tests do not age).
    """
    due = []
    for page in pages.values():
        meta = page.meta
        if meta.review_by is not None and meta.review_by < today:
            owner = f" (owner: {meta.owner})" if meta.owner else ""
            due.append(
                ContentError(
                    page.source,
                    page.front.lines.line_of(("review_by",)),
                    f"review was due on {meta.review_by.isoformat()}{owner}; check the page "
                    "and move 'review_by' (and 'reviewed') forward",
                )
            )
    return sorted(due)


def last_changed(path: Path) -> date | None:
    """When a file last changed: its last git commit, else its modification time."""
    if not path.exists():
        return None

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args, "--", path.name],
            cwd=path.parent,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout.strip()

    try:
        out = git("log", "-1", "--format=%cs")
        # An uncommitted change is newer than the last commit: trust the file's time then.
        dirty = git("status", "--porcelain")
        if out and not dirty:
            return date.fromisoformat(out)
    except (OSError, subprocess.SubprocessError, ValueError):
        pass
    return datetime.fromtimestamp(path.stat().st_mtime).date()
