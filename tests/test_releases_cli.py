"""`kb new change` and `kb release cut`, run through click's CliRunner on copies of the demo."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kb_builder.generators.releases import pages
from kb_builder.releases import check, cli, edit, load
from kb_builder.releases.loader import parse_change
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


def test_release_cut_moves_every_upcoming_change(project):
    data_dir = project / "content/_data"
    before = load(data_dir)
    upcoming = [c.path for c in before.upcoming()]
    assert len(upcoming) >= 5
    originals = {p: (data_dir / p).read_text(encoding="utf-8") for p in upcoming}

    result = run(cli.release, "cut", "2027.02", "--date", "2027-02-09")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == [
        "Created content/_data/releases/2027.02.yml (released, 2027-02-09).",
        f"Assigned {len(upcoming)} upcoming changes to 2027.02:",
    ]
    assert check(data_dir) == []
    after = load(data_dir)
    assert after.upcoming() == []
    assert sorted(c.path for c in after.changes_of("2027.02")) == sorted(upcoming)
    # Only the release line was added: comments and formatting are the writer's.
    for path, original in originals.items():
        edited = (data_dir / path).read_text(encoding="utf-8")
        assert edited.replace('release: "2027.02"\n', "") == original

    generated = {p.src_uri: p.markdown for p in pages(after, "public")}
    new_page = generated["releases/2027.02.md"]
    assert "- **Permits: guest permits for events**" in new_page
    assert "Support console" not in new_page  # an internal change, in the public edition
    upcoming_page = generated["releases/upcoming.md"]
    assert "guest permits for events" not in upcoming_page
    assert "No changes are listed for this release yet." in upcoming_page  # 2026.12 is empty
    internal = {p.src_uri: p.markdown for p in pages(after, "internal")}
    assert "Support console: request a preview data refresh" in internal["releases/2027.02.md"]


def test_release_cut_as_planned(project):
    result = run(cli.release, "cut", "2027.02", "--date", "2027-02-09", "--status", "planned")
    assert result.exit_code == 0, result.output
    data = load(project / "content/_data")
    assert [r.release.version for r in data.planned()] == ["2026.12", "2027.01", "2027.02"]
    upcoming_page = pages(data, "public")[1].markdown
    section = upcoming_page[upcoming_page.index("## Release 2027.02") :]
    assert "- **Permits: guest permits for events**" in section


def test_release_cut_refuses_an_existing_version(project):
    data_dir = project / "content/_data"
    snapshot = {p: p.read_bytes() for p in data_dir.rglob("*.yml")}
    result = run(cli.release, "cut", "2026.12", "--date", "2026-12-08")
    assert result.exit_code == 1
    assert result.output == (
        "Release 2026.12 already exists (content/_data/releases/2026.12.yml); cut a new "
        "version, or edit that file to change it.\n"
    )
    assert {p: p.read_bytes() for p in data_dir.rglob("*.yml")} == snapshot


@pytest.mark.parametrize("version", ["../x", "a/b", "has space"])
def test_release_cut_refuses_an_unsafe_version(project, version):
    result = run(cli.release, "cut", version, "--date", "2027-02-09")
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: 'version' is '{version}', which cannot be a version")
    assert not (project / "content/_data/releases" / f"{version}.yml").exists()


def test_release_cut_refuses_invalid_data(project):
    bad = project / "content/_data/changes/bad.yml"
    bad.write_text("title: Bad\nkind: feture\n", encoding="utf-8")
    result = run(cli.release, "cut", "2027.02", "--date", "2027-02-09")
    assert result.exit_code == 1
    assert result.output.startswith("content/_data/changes/bad.yml:2: 'kind' is 'feture'")
    assert result.output.endswith(
        "1 problem in the release notes; fix them, then cut the release.\n"
    )
    assert not (project / "content/_data/releases/2027.02.yml").exists()


def test_release_cut_leaves_nothing_half_done(project):
    # A change file the command cannot edit safely stops it before anything is written.
    odd = project / "content/_data/changes/odd.yml"
    odd.write_text("{title: Odd, kind: fix}\n", encoding="utf-8")
    data_dir = project / "content/_data"
    snapshot = {p: p.read_bytes() for p in data_dir.rglob("*.yml")}
    result = run(cli.release, "cut", "2027.02", "--date", "2027-02-09")
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
