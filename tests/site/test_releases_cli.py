"""`kb new change` and `kb release cut`, run through click's CliRunner on copies of the demo."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kb_builder.cli import release as cli
from kb_builder.families.releases import check, edit, load
from kb_builder.families.releases.loader import parse_change
from kb_builder.families.releases.pages import pages
from tests.conftest import ROOT


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A project with the demo release notes, as the working directory."""
    shutil.copytree(ROOT / "content" / "_data", tmp_path / "content" / "_data")
    (tmp_path / "mkdocs.yml").write_text("site_name: Test\ndocs_dir: content\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(command, *args: str, input: str | None = None):
    return CliRunner().invoke(command, list(args), input=input, catch_exceptions=False)


def new_files(project: Path, before: set[Path]) -> list[Path]:
    return sorted(set((project / "content/_data/changes").iterdir()) - before)


def test_new_change_from_flags(project):
    before = set((project / "content/_data/changes").iterdir())
    result = run(
        cli.new,
        "change",
        "--title",
        "Citations: photo captions",
        "--kind",
        "feature",
        "--module",
        "Citations",
        "--module",
        "Mobile app",
        "--tracker",
        "OPS-2200",
        "--body",
        "Officers can add a caption to each photo.\n\nSee `Citations`.",
    )
    assert result.exit_code == 0, result.output
    (path,) = new_files(project, before)
    assert result.output == f"content/_data/changes/{path.name}\n"
    assert path.name.startswith("citations-photo-captions-") and len(path.stem) == 24 + 1 + 8
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == (
        "# yaml-language-server: $schema=../../../schemas/change.schema.json"
    )
    change, errors = parse_change(text.encode(), str(path))
    assert errors == []
    assert change.modules == ["Citations", "Mobile app"] and change.tracker == ["OPS-2200"]
    assert change.body == "Officers can add a caption to each photo.\n\nSee `Citations`."
    assert change.release is None and change.audience == "public"
    assert check(project / "content/_data") == []


def test_new_change_prompts_for_what_is_missing(project):
    before = set((project / "content/_data/changes").iterdir())
    result = run(cli.new, "change", "--audience", "internal", input="Agents' macro\nfix\n\n")
    assert result.exit_code == 0, result.output
    assert "Title (one line of plain text): " in result.output
    (path,) = new_files(project, before)
    assert path.name.startswith("agents-macro-")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data == {"title": "Agents' macro", "kind": "fix", "audience": "internal"}


def test_new_change_never_overwrites(project, monkeypatch):
    monkeypatch.setattr(edit, "new_suffix", lambda: "0123abcd")
    first = run(cli.new, "change", "-t", "Same", "-k", "fix")
    assert first.exit_code == 0
    path = project / "content/_data/changes/same-0123abcd.yml"
    path.write_text(path.read_text() + "# the writer's own edit\n", encoding="utf-8")
    second = run(cli.new, "change", "-t", "Same", "-k", "feature")
    assert second.exit_code == 1
    assert second.output == (
        "content/_data/changes/same-0123abcd.yml already exists; nothing was written. "
        "Run the command again.\n"
    )
    assert path.read_text().endswith("# the writer's own edit\n")


def test_new_change_refuses_an_unknown_release(project):
    before = set((project / "content/_data/changes").iterdir())
    result = run(cli.new, "change", "-t", "X", "-k", "fix", "--release", "2026.13")
    assert result.exit_code == 1
    assert "which is not a release (did you mean '2026.12'?)" in result.output
    assert result.output.endswith("1 problem in the new change; nothing was written.\n")
    assert new_files(project, before) == []


def test_new_change_refuses_an_unknown_kind(project):
    result = run(cli.new, "change", "-t", "X", "-k", "feture")
    assert result.exit_code == 2
    assert "'feture' is not one of 'feature', 'improvement'" in result.output


def upcoming_titles(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("- **")]


def snapshot(data_dir: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in data_dir.rglob("*") if p.is_file()}


def test_cutting_the_planned_release_assigns_the_waiting_changes_and_releases_it(project):
    data_dir = project / "content/_data"
    before = load(data_dir)
    assert before.planned()[0].release.version == "2026.12"
    upcoming = [c.path for c in before.upcoming()]
    assert len(upcoming) >= 5
    originals = {p: (data_dir / p).read_text(encoding="utf-8") for p in upcoming}
    release_file = (data_dir / "releases/2026.12.yml").read_text(encoding="utf-8")

    result = run(cli.release, "cut", "2026.12")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == [
        "Marked content/_data/releases/2026.12.yml: released on 2026-12-08.",
        f"{len(upcoming)} waiting changes assigned to 2026.12:",
    ]
    assert check(data_dir) == []
    after = load(data_dir)
    assert after.upcoming() == []
    assert sorted(c.path for c in after.changes_of("2026.12")) == sorted(upcoming)
    # Only the release line was added, only the status changed: the rest is the writer's.
    for path, original in originals.items():
        edited = (data_dir / path).read_text(encoding="utf-8")
        assert edited.replace('release: "2026.12"\n', "") == original
    edited_release = (data_dir / "releases/2026.12.yml").read_text(encoding="utf-8")
    assert edited_release == release_file.replace("status: planned", "status: released")

    generated = {p.src_uri: p.markdown for p in pages(after, "public")}
    new_page = generated["releases/2026.12.md"]
    assert "- **Permits: guest permits for events**" in new_page
    assert "Support console" not in new_page  # an internal change, in the public edition
    upcoming_page = generated["releases/upcoming.md"]
    assert "guest permits for events" not in upcoming_page
    assert "## Release 2026.12" not in upcoming_page
    internal = {p.src_uri: p.markdown for p in pages(after, "internal")}
    assert "Support console: request a preview data refresh" in internal["releases/2026.12.md"]


def test_cut_with_another_date_changes_the_date_line(project):
    result = run(cli.release, "cut", "2026.12", "--date", "2026-12-09")
    assert result.exit_code == 0, result.output
    release = load(project / "content/_data").releases
    [entry] = [r for r in release if r.release.version == "2026.12"]
    assert (entry.release.status, str(entry.release.date)) == ("released", "2026-12-09")


def test_dry_run_prints_what_would_move_and_changes_nothing(project):
    data_dir = project / "content/_data"
    before = snapshot(data_dir)
    waiting = [c.path for c in load(data_dir).upcoming()]
    result = run(cli.release, "cut", "2026.12", "--dry-run")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:3] == [
        "Dry run: nothing is written.",
        "Would mark content/_data/releases/2026.12.yml: released on 2026-12-08.",
        f"{len(waiting)} waiting changes would be assigned to 2026.12:",
    ]
    assert lines[3:] == [f"  content/_data/{p}" for p in sorted(waiting)]
    assert snapshot(data_dir) == before


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ("2027.02", "--date", "2027-02-09"),
            "Release 2026.12 is planned before 2027.02 (content/_data/releases/2026.12.yml), "
            "with the 9 waiting changes listed under it on the Upcoming Release page; 2027.02 "
            "is not planned. Cut 2026.12 first ('kb release cut 2026.12'), or plan 2027.02 "
            "with 'kb release plan 2027.02 --date YYYY-MM-DD'; to release 2027.02 first with "
            "the waiting changes, pass --out-of-order. Nothing was written.\n",
        ),
        (
            ("2027.01",),
            "Release 2026.12 is planned before 2027.01 (content/_data/releases/2026.12.yml), "
            "with the 9 waiting changes listed under it on the Upcoming Release page; 2027.01 "
            "is planned after it. Cut 2026.12 first ('kb release cut 2026.12'); to release "
            "2027.01 first with the waiting changes, pass --out-of-order. Nothing was written.\n",
        ),
        (
            ("2026.11",),
            "Release 2026.11 was released on 2026-11-17 (content/_data/releases/2026.11.yml); a "
            "published release is not cut again. Cut the planned release (2026.12), or plan the "
            "next one with 'kb release plan VERSION --date YYYY-MM-DD'. Nothing was written.\n",
        ),
    ],
)
def test_a_cut_that_would_move_changes_away_from_where_they_are_listed_is_refused(
    project, args, expected
):
    data_dir = project / "content/_data"
    before = snapshot(data_dir)
    result = run(cli.release, "cut", *args)
    assert result.exit_code == 1
    assert result.output == expected
    assert snapshot(data_dir) == before


def test_out_of_order_releases_a_new_version_first_on_purpose(project):
    result = run(cli.release, "cut", "2026.11.1", "--date", "2026-11-24", "--out-of-order")
    assert result.exit_code == 0, result.output
    data = load(project / "content/_data")
    assert data.upcoming() == [] and len(data.changes_of("2026.11.1")) >= 5
    text = (project / "content/_data/releases/2026.11.1.yml").read_text(encoding="utf-8")
    assert "status: released" in text and "# summary: |" in text


def test_a_cut_with_nothing_to_release_is_refused(project):
    data_dir = project / "content/_data"
    assert run(cli.release, "cut", "2026.12").exit_code == 0
    before = snapshot(data_dir)
    result = run(cli.release, "cut", "2027.01")
    assert result.exit_code == 0, result.output  # 2027.01 has changes of its own
    assert run(cli.release, "plan", "2027.02", "--date", "2027-02-09").exit_code == 0
    result = run(cli.release, "cut", "2027.02")
    assert result.exit_code == 1
    assert result.output == (
        "No change is waiting for a release and none names 2027.02, so its page would be "
        "empty; add changes with 'kb new change', then cut. Nothing was written.\n"
    )
    assert before != snapshot(data_dir)  # the two commands above did write


def test_plan_creates_a_planned_release_and_moves_nothing(project):
    data_dir = project / "content/_data"
    waiting = sorted(c.path for c in load(data_dir).upcoming())
    result = run(cli.release, "plan", "2027.02", "--date", "2027-02-09")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "Created content/_data/releases/2027.02.yml (planned, 2027-02-09)."
    )
    data = load(data_dir)
    assert [r.release.version for r in data.planned()] == ["2026.12", "2027.01", "2027.02"]
    assert sorted(c.path for c in data.upcoming()) == waiting
    assert check(data_dir) == []
    refused = run(cli.release, "plan", "2027.02", "--date", "2027-02-10")
    assert refused.exit_code == 1 and "already exists" in refused.output


def test_new_release_files_keep_their_prompts_as_comments(project):
    from kb_builder.families.releases.stubs import STUBS

    run(cli.release, "plan", "2027.02", "--date", "2027-02-09")
    text = (project / "content/_data/releases/2027.02.yml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert "summary" not in data and "title" not in data
    # Uncommented unchanged, every prompt of the template is refused at its line.
    uncommented = text.replace("# title:", "title:").replace("# summary: |\n#  ", "summary: |\n ")
    path = project / "content/_data/releases/2027.02.yml"
    path.write_text(uncommented, encoding="utf-8")
    messages = [str(e) for e in check(project / "content/_data")]
    assert [m.split(": ")[0] for m in messages] == [
        "content/_data/releases/2027.02.yml:5",
        "content/_data/releases/2027.02.yml:10",
    ], messages
    assert all("still has the template's text" in m for m in messages)
    assert {s.text for s in STUBS} >= {"A sentence or two on what this release brings."}


def test_the_change_template_prompt_is_refused_when_uncommented(project):
    result = run(cli.new, "change", "-t", "Short", "-k", "fix")
    path = project / result.output.strip()
    text = path.read_text(encoding="utf-8")
    assert "# body: |\n#   Details for clients, in Markdown.\n" in text
    path.write_text(text.replace("# body: |\n#  ", "body: |\n "), encoding="utf-8")
    [error] = check(project / "content/_data")
    assert str(error) == (
        f"content/_data/changes/{path.name}:4: 'body' still has the template's text 'Details "
        "for clients, in Markdown.', which would be published as it is; write the details "
        "clients need, or delete 'body'"
    )


@pytest.mark.parametrize("version", ["../x", "a/b", "has space"])
def test_release_cut_refuses_an_unsafe_version(project, version):
    result = run(cli.release, "cut", version, "--date", "2027-02-09")
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: 'version' is '{version}', which cannot be a version")
    assert not (project / "content/_data/releases" / f"{version}.yml").exists()


def test_release_cut_refuses_invalid_data(project):
    bad = project / "content/_data/changes/bad.yml"
    bad.write_text("title: Bad\nkind: feture\n", encoding="utf-8")
    result = run(cli.release, "cut", "2026.12")
    assert result.exit_code == 1
    assert result.output.startswith("content/_data/changes/bad.yml:2: 'kind' is 'feture'")
    assert result.output.endswith(
        "1 problem in the release notes; fix them, then cut the release.\n"
    )
    assert "status: planned" in (project / "content/_data/releases/2026.12.yml").read_text()


def test_release_cut_leaves_nothing_half_done(project):
    # A change file the command cannot edit safely stops it before anything is written.
    odd = project / "content/_data/changes/odd.yml"
    odd.write_text("{title: Odd, kind: fix}\n", encoding="utf-8")
    data_dir = project / "content/_data"
    snapshot = {p: p.read_bytes() for p in data_dir.rglob("*.yml")}
    result = run(cli.release, "cut", "2026.12")
    assert result.exit_code == 1
    assert result.output.startswith("content/_data/changes/odd.yml: cannot add")
    assert {p: p.read_bytes() for p in data_dir.rglob("*.yml")} == snapshot


def test_commands_without_a_config_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(cli.release, "cut", "1.0", "--date", "2027-02-09")
    assert result.exit_code == 2
    assert result.output == (
        "mkdocs.yml: no such file; run kb in the project folder or pass -f path/to/mkdocs.yml\n"
    )


def test_config_file_option(project, tmp_path):
    before = set((project / "content/_data/changes").iterdir())
    result = run(cli.new, "change", "-f", str(project / "mkdocs.yml"), "-t", "T", "-k", "fix")
    assert result.exit_code == 0, result.output
    assert len(new_files(project, before)) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("title: x\nkind: fix\n", 'title: x\nkind: fix\nrelease: "9.0"\n'),
        (
            "title: x\nkind: fix  # why\nbody: b\n",
            'title: x\nkind: fix  # why\nrelease: "9.0"\nbody: b\n',
        ),
        (
            "title: x\nkind: fix\nrelease:  # later\n",
            'title: x\nkind: fix\nrelease: "9.0"  # later\n',
        ),
        ("title: x\nrelease: ~\nkind: fix\n", 'title: x\nrelease: "9.0"\nkind: fix\n'),
        ("title: x\r\nkind: fix\r\n", 'title: x\r\nkind: fix\r\nrelease: "9.0"\r\n'),
        ("title: x\nkind: fix", 'title: x\nkind: fix\nrelease: "9.0"\n'),
        (
            "title: x\nkind: >-\n  fix\nbody: |\n  a\n\n",
            'title: x\nkind: >-\n  fix\nbody: |\n  a\n\nrelease: "9.0"\n',
        ),
    ],
)
def test_set_release_changes_only_that_line(text, expected):
    assert edit.set_release(text, "9.0") == expected


@pytest.mark.parametrize(
    "text", ["{title: x, kind: fix}\n", "title: x\nrelease: '1.0'\n", "  title: x\n  kind: fix\n"]
)
def test_set_release_refuses_what_it_cannot_edit_safely(text):
    with pytest.raises(edit.CannotEdit):
        edit.set_release(text, "9.0")


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Permits: guest permits for events", "permits-guest-permits-for-events"),
        ("Café & <b>crème</b>", "cafe-creme"),
        ("!!!", "change"),
        ("x" * 80, "x" * 60),
    ],
)
def test_file_slug(title, slug):
    assert edit.file_slug(title) == slug


def git(project: Path, *args: str) -> None:
    import subprocess

    subprocess.run(
        ["git", "-c", "user.name=Writer", "-c", "user.email=w@example.com", *args],
        cwd=project,
        check=True,
        capture_output=True,
    )


def test_a_change_listed_under_the_planned_release_cannot_slip_into_a_published_one(project):
    data_dir = project / "content/_data"
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "December's changes are waiting")
    path = data_dir / "changes/chalking-timer-5b6a7988.yml"
    original = path.read_text(encoding="utf-8")
    path.write_text(original + 'release: "2026.11"\n', encoding="utf-8")
    line = len(original.splitlines()) + 1
    assert [str(e) for e in check(data_dir)] == [
        f"content/_data/changes/chalking-timer-5b6a7988.yml:{line}: 'release' is '2026.11', but "
        "the Upcoming Release page (as last committed) lists this change under 2026.12; "
        "2026.11 is older and already released, so the change would leave the Upcoming "
        "Release page and change notes clients have read. Use 'release: \"2026.12\"' (or "
        "leave 'release' out until 'kb release cut 2026.12')"
    ]
    refused = run(cli.release, "cut", "2026.12", "--dry-run")
    assert refused.exit_code == 1 and "'release' is '2026.11'" in refused.output
    # Into the release it was listed under, or into a hotfix cut on purpose: both fine.
    path.write_text(original, encoding="utf-8")
    result = run(cli.release, "cut", "2026.11.1", "--date", "2026-11-24", "--out-of-order")
    assert result.exit_code == 0, result.output
    assert check(data_dir) == []
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "Hotfix")
    assert run(cli.release, "cut", "2026.12", "--dry-run").exit_code == 1  # nothing waiting
    assert check(data_dir) == []


def test_without_history_there_is_nothing_to_compare(project):
    path = project / "content/_data/changes/chalking-timer-5b6a7988.yml"
    path.write_text(path.read_text(encoding="utf-8") + 'release: "2026.11"\n', encoding="utf-8")
    assert check(project / "content/_data") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'version: "1.0"\nstatus: planned  # until it ships\ndate: 2026-12-01\n',
            'version: "1.0"\nstatus: released  # until it ships\ndate: 2026-12-08\n',
        ),
        (
            "version: '1.0'\r\nstatus: 'planned'\r\ndate: '2026-12-01'\r\nsummary: x\r\n",
            "version: '1.0'\r\nstatus: released\r\ndate: 2026-12-08\r\nsummary: x\r\n",
        ),
        (
            "# head\nversion: '1.0'\nstatus: planned\nsummary: |\n  x\n",
            "# head\nversion: '1.0'\nstatus: released\ndate: 2026-12-08\nsummary: |\n  x\n",
        ),
    ],
)
def test_set_released_changes_only_status_and_date(text, expected):
    import datetime as dt

    assert edit.set_released(text, dt.date(2026, 12, 8)) == expected


@pytest.mark.parametrize(
    "text",
    ["{version: '1.0', status: planned}\n", "version: '1.0'\nstatus: >-\n  planned\n", "x: 1\n"],
)
def test_set_released_refuses_what_it_cannot_edit_safely(text):
    import datetime as dt

    with pytest.raises(edit.CannotEdit):
        edit.set_released(text, dt.date(2026, 12, 8))
