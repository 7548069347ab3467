"""Release notes from one YAML file per change and one per release.

Writers add ``_data/changes/<slug>-<8 hex>.yml`` files (no merge conflicts, as with reno or
towncrier); ``kb release cut`` assigns the upcoming ones to a new release file in
``_data/releases/``. `check` lists every problem as ``path:line: message``; `load` returns the
validated `ReleaseData` that `kb_builder.families.releases.pages` turns into pages, an Atom feed
and a rollout calendar.
"""

from kb_builder.families.releases.data import ChangeFile, ReleaseData, ReleaseFile
from kb_builder.families.releases.loader import check, load
from kb_builder.families.releases.model import DEFAULT_KINDS, Change, KindSpec, Release, Wave

__all__ = [
    "DEFAULT_KINDS",
    "Change",
    "ChangeFile",
    "KindSpec",
    "Release",
    "ReleaseData",
    "ReleaseFile",
    "Wave",
    "check",
    "load",
]
