"""Where each change stood on the Upcoming Release page as last committed (git ``HEAD``).

A change that was listed under a planned release must not leave the Upcoming Release page
for an older release that is already out: its clients were told it comes with the planned
one, and a published release's notes would change behind their backs. Only history can tell
where a change was listed, so this reads the data files of the last commit, when the project
is a git checkout (the published site is built from commits); elsewhere there is no history
and nothing to compare.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from kb_builder.core.errors import ContentError
from kb_builder.families.releases.data import ReleaseData, version_key
from kb_builder.families.releases.model import Release

_TIMEOUT = 10


def _git(args: list[str], cwd: Path, stdin: bytes | None = None) -> bytes | None:
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            timeout=_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def committed_files(data_dir: Path, folders: tuple[str, ...]) -> dict[str, bytes] | None:
    """The files under `folders` of `data_dir` at git HEAD, by path relative to `data_dir`.

    None when `data_dir` is not in a git checkout with a commit.
    """
    if not data_dir.is_dir():
        return None
    prefix = _git(["rev-parse", "--show-prefix"], data_dir)
    if prefix is None or _git(["rev-parse", "--verify", "-q", "HEAD"], data_dir) is None:
        return None
    base = prefix.decode("utf-8", "replace").strip()
    listing = _git(
        ["ls-tree", "-r", "-z", "--full-name", "--name-only", "HEAD", "--", *folders], data_dir
    )
    if not listing:
        return {}
    paths = [p for p in listing.decode("utf-8", "replace").split("\0") if p]
    # One process for every file (a `git show` each would cost more than the check).
    wanted = "".join(f"HEAD:{p}\n" for p in paths).encode("utf-8")
    out = _git(["cat-file", "--batch"], data_dir, wanted)
    if out is None:
        return None
    files: dict[str, bytes] = {}
    at = 0
    for path in paths:
        end = out.index(b"\n", at)
        header = out[at:end].split()
        at = end + 1
        if len(header) != 3 or header[1] != b"blob":
            continue
        size = int(header[2])
        files[path.removeprefix(base)] = out[at : at + size]
        at += size + 1
    return files


def listed_under(committed: ReleaseData) -> dict[str, Release]:
    """Change file -> the planned release the Upcoming Release page listed it under."""
    planned = committed.planned()
    versions = {r.release.version: r.release for r in planned}
    places: dict[str, Release] = {}
    for entry in committed.changes:
        release = entry.change.release
        if release is None and planned:
            places[entry.path] = planned[0].release
        elif release in versions:
            places[entry.path] = versions[release]
    return places


def _older(a: Release, b: Release) -> bool:
    if a.date and b.date and a.date != b.date:
        return a.date < b.date
    return version_key(a.version) < version_key(b.version)


def moved_back(
    data: ReleaseData,
    committed: ReleaseData,
    data_dir: Path,
    release_line,
) -> list[ContentError]:
    """Changes now in a published version older than the planned one they were listed under.

    Args:
        data: the release notes as they are now.
        committed: as last committed.
        data_dir: the data directory, for paths in messages.
        release_line: change path -> the line of its ``release:``.
    """
    # Released already in the last commit: notes clients may have read. A release being cut
    # now (a hotfix with --out-of-order, say) is new, and takes changes on purpose.
    before = {r.release.version for r in committed.releases if r.release.status == "released"}
    released = {
        r.release.version: r.release
        for r in data.releases
        if r.release.status == "released" and r.release.version in before
    }
    places = listed_under(committed)
    errors = []
    for entry in data.changes:
        now = released.get(entry.change.release or "")
        was = places.get(entry.path)
        if now is None or was is None or now.version == was.version or not _older(now, was):
            continue
        errors.append(
            ContentError(
                str(data_dir / entry.path),
                release_line(entry.path),
                f"'release' is '{now.version}', but the Upcoming Release page (as last "
                f"committed) lists this change under {was.version}; {now.version} is older "
                "and already released, so the change would leave the Upcoming Release page "
                f"and change notes clients have read. Use 'release: \"{was.version}\"' (or "
                f"leave 'release' out until 'kb release cut {was.version}')",
            )
        )
    return errors
