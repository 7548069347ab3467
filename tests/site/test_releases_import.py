"""`kb import reno|towncrier|changelog` on the real shared corpora and on broken inputs.

Real parts only: the importers run through the `kb` command (CliRunner), and the imported site
is built strictly by a subprocess of the project's own `kb`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kb_builder.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
CORPORA = ROOT / ".." / "shared" / "corpora"
KB = Path(sys.executable).with_name("kb")
SUMMARY = re.compile(
    r"(\d+) notes? in \((\d+) files?\): (\d+) changes? (?:written|to write) .*?, (\d+) skipped"
)

if not CORPORA.is_dir():
    if os.environ.get("CI"):
        raise RuntimeError(f"the shared corpora are missing at {CORPORA}")
    pytest.skip(
        f"the shared corpora are not at {CORPORA} (read-only test data)", allow_module_level=True
    )


@pytest.fixture
def site(tmp_path, monkeypatch) -> Path:
    """A copy of the demo project (content, theme, mkdocs.yml) to import into and build."""
    for name in ("content", "theme"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def counts(result) -> tuple[int, int, int]:
    """(notes in, changes out, skipped) from the command's closing line."""
    found = SUMMARY.search(result.output)
    assert found, result.output
    notes_in, _files, out, skipped = (int(n) for n in found.groups())
    return notes_in, out, skipped


def imported(site: Path) -> list[Path]:
    return [
        p
        for p in sorted((site / "content/_data/changes").glob("*.yml"))
        if "Imported by 'kb import'" in p.read_text(encoding="utf-8")
    ]


def build(site: Path) -> None:
    done = subprocess.run(
        [str(KB), "build", "-d", str(site / "out")], cwd=site, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_reno_corpus_lands_on_the_right_release_pages(site):
    notes = CORPORA / "reno-nova-sample" / "notes"
    manifest = CORPORA / "reno-nova-sample" / "manifest.json"
    result = run("import", "reno", str(notes), "--manifest", str(manifest))
    notes_in, out, skipped = counts(result)
    assert notes_in == out + skipped
    files = imported(site)
    assert len(files) == out
    # Every skip is a misspelt section, reported at its line with the valid name.
    assert skipped == len(
        re.findall(r"\.yaml:\d+: unknown section '(feature|upgrades)'", result.output)
    )
    assert result.exit_code == 1 and f"{skipped} skipped" in result.output

    # Every file of the manifest was read, the one in a sub-folder too.
    assert "(300 files)" in result.output
    first_release = {
        e["file"]: e["first_release_tag"] for e in json.loads(manifest.read_text("utf-8"))
    }
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        source = re.search(r"from (\S+?):\d+ \(reno note uid", path.read_text("utf-8")).group(1)
        relative = Path(source).resolve().relative_to(notes.resolve()).as_posix()
        assert data.get("release") == first_release[relative], path.name
    build(site)
    for path in files[:: max(1, len(files) // 25)]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        page = (
            site / "out" / "releases" / data["release"] / "index.html"
            if data.get("release")
            else site / "out" / "releases" / "upcoming" / "index.html"
        )
        if not page.exists():
            page = next((site / "out").rglob("upcoming*/index.html"))
        words = " ".join(re.findall(r"[A-Za-z]{5,}", data["title"])[:3])
        text = " ".join(re.findall(r"[A-Za-z]{5,}", page.read_text("utf-8")))
        assert words in text, (path.name, page)


@pytest.mark.parametrize(
    "name", sorted(p.name for p in (CORPORA / "changelogs").glob("*.CHANGELOG.md"))
)
def test_changelog_corpus_builds_and_counts_add_up(site, name):
    result = run("import", "changelog", str(CORPORA / "changelogs" / name))
    notes_in, out, skipped = counts(result)
    assert notes_in == out + skipped
    assert len(imported(site)) == out
    assert (result.exit_code == 1) == (skipped > 0)
    build(site)


def test_towncrier_corpus(site):
    total = 0
    skips: list[str] = []
    for folder in ("pip-news", "pytest-changelog"):
        result = run("import", "towncrier", str(CORPORA / "changelogs/towncrier-samples" / folder))
        notes_in, out, skipped = counts(result)
        assert notes_in == out + skipped
        total += notes_in
        skips.extend(re.findall(r"\S+\.rst:1: .*\(skipped\)", result.output))
    assert total == 6
    # pip's one 'trivial' fragment is the one skip: towncrier does not publish its text.
    assert len(skips) == 1 and "trivial" in skips[0]
    build(site)


def test_dry_run_writes_nothing_and_a_second_import_overwrites_nothing(site):
    folder = CORPORA / "changelogs/towncrier-samples/pytest-changelog"
    before = sorted((site / "content/_data").rglob("*"))
    result = run("import", "towncrier", str(folder), "--dry-run")
    assert result.exit_code == 0 and "Would write content/_data/changes/" in result.output
    assert sorted((site / "content/_data").rglob("*")) == before
    assert run("import", "towncrier", str(folder)).exit_code == 0
    texts = {p: p.read_bytes() for p in imported(site)}
    again = run("import", "towncrier", str(folder))
    assert again.exit_code == 1 and "it was not overwritten" in again.output
    assert {p: p.read_bytes() for p in imported(site)} == texts


def test_malformed_inputs_are_reported_at_their_line_and_the_rest_imported(site, tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "good-0123456789abcdef.yaml").write_text(
        "fixes:\n  - |\n    Reports load faster. <script>alert(1)</script>\n", encoding="utf-8"
    )
    (notes / "bad-yaml-1111111111111111.yaml").write_text("fixes:\n  - [unclosed\n", "utf-8")
    (notes / "empty-2222222222222222.yaml").write_text("", encoding="utf-8")
    (notes / "latin1-3333333333333333.yaml").write_bytes(b"fixes:\n  - caf\xe9\n")
    (notes / "unknown-4444444444444444.yaml").write_text("fixed:\n  - Nope.\n", "utf-8")
    (notes / "js-5555555555555555.yaml").write_text(
        "features:\n  - |\n    See `this <javascript:alert(1)>`_.\n", encoding="utf-8"
    )
    result = run("import", "reno", str(notes))
    assert "Traceback" not in result.output
    assert result.exit_code == 1 and "5 skipped" in result.output
    for name, line in (
        ("bad-yaml-1111111111111111.yaml", 2),
        ("empty-2222222222222222.yaml", 1),
        ("latin1-3333333333333333.yaml", 2),
        ("unknown-4444444444444444.yaml", 2),
        ("js-5555555555555555.yaml", 3),
    ):
        assert re.search(rf"{re.escape(name)}:{line}: ", result.output), (name, result.output)
    assert "'javascript:' links" in result.output
    (written,) = imported(site)
    body = yaml.safe_load(written.read_text("utf-8"))["body"]
    assert "<script>" not in body and "&#60;script&#62;" in body
    build(site)


def test_changelog_without_versions_and_empty_towncrier_fragment(site, tmp_path):
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text("# Changelog\n\n- Something.\n", encoding="utf-8")
    result = run("import", "changelog", str(changelog))
    assert result.exit_code == 1
    assert "CHANGELOG.md:1: has no version headings" in result.output
    fragments = tmp_path / "news"
    fragments.mkdir()
    (fragments / "12.bugfix.rst").write_text("", encoding="utf-8")
    (fragments / "13.feature.rst").write_text("A *new* report.\n", encoding="utf-8")
    result = run("import", "towncrier", str(fragments))
    assert result.exit_code == 1 and "12.bugfix.rst:1: is empty" in result.output
    assert len(imported(site)) == 1


GOLDEN = ROOT / "tests" / "golden" / "import"
RENO_SAMPLE = (
    "13.0.0-cve-bugs-fe43ef267a82f304.yaml",  # security notes: lists of links
    "add-nova-wsgi-module-3cc250a78fef7365.yaml",  # code-block (Sphinx) with a language
    "image_cache-conf-opts-moved-e552e4a2d59e056e.yaml",  # list-table
    "trusted-vfs-abee6dff7c9b6940.yaml",  # paragraphs, code, quotes
    "antelope-prelude-4a99907b00e739f8.yaml",  # prelude -> release summary, anonymous links
    "privsep-queens-4548989d1cbe3aeb.yaml",  # a scalar section that swallowed an item
    "add-live-migration-support-in-xapi-pool-5ac42c2468c3616e.yaml",  # misspelt 'feature'
)


def golden_run(tmp_path: Path, monkeypatch, *args: str) -> str:
    """The command's output, then every file it wrote, as one text to compare."""
    (tmp_path / "mkdocs.yml").write_text("site_name: Test\ndocs_dir: content\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("import", *args)
    out = [f"$ kb import {' '.join(args)}", f"exit {result.exit_code}", result.output]
    for path in sorted((tmp_path / "content").rglob("*.yml")):
        out += [f"==> {path.relative_to(tmp_path).as_posix()}", path.read_text("utf-8")]
    return "\n".join(out)


def assert_golden(name: str, text: str) -> None:
    """Compare with tests/golden/import/<name>; KB_UPDATE_GOLDEN=1 rewrites it instead."""
    path = GOLDEN / name
    if os.environ.get("KB_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
        return
    assert path.is_file(), f"no golden file {path}; run with KB_UPDATE_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


def test_golden_reno_sample(tmp_path, monkeypatch):
    notes = tmp_path / "notes"
    notes.mkdir()
    for name in RENO_SAMPLE:
        shutil.copy(CORPORA / "reno-nova-sample" / "notes" / name, notes / name)
    shutil.copy(CORPORA / "reno-nova-sample" / "manifest.json", tmp_path / "manifest.json")
    text = golden_run(tmp_path, monkeypatch, "reno", "notes", "--manifest", "manifest.json")
    assert_golden("reno.txt", text)


def test_golden_towncrier_sample(tmp_path, monkeypatch):
    shutil.copytree(CORPORA / "changelogs" / "towncrier-samples" / "pip-news", tmp_path / "news")
    assert_golden("towncrier.txt", golden_run(tmp_path, monkeypatch, "towncrier", "news"))


@pytest.mark.parametrize(
    ("name", "lines"),
    [("keepachangelog-2.0.0.CHANGELOG.md", 40), ("minimist.CHANGELOG.md", 30)],
)
def test_golden_changelog_sample(tmp_path, monkeypatch, name, lines):
    # The head of a real changelog: its first versions, sections and entries.
    head = (CORPORA / "changelogs" / name).read_text("utf-8").split("\n")[:lines]
    (tmp_path / "CHANGELOG.md").write_text("\n".join(head) + "\n", "utf-8")
    text = golden_run(tmp_path, monkeypatch, "changelog", "CHANGELOG.md")
    assert_golden(f"changelog-{name.split('.')[0].split('-')[0]}.txt", text)


def test_refused_links_and_raw_html_are_skipped_in_every_format(site, tmp_path):
    fragments = tmp_path / "news"
    fragments.mkdir()
    (fragments / "20.feature.rst").write_text(
        "Shown.\n\n.. raw:: html\n\n   <img src=x onerror=alert(1)>\n", encoding="utf-8"
    )
    (fragments / "21.bugfix.rst").write_text("See `x <data:text/html,hi>`_.\n", "utf-8")
    (fragments / "22.feature.rst").write_text(".. include:: /etc/hostname\n", "utf-8")
    result = run("import", "towncrier", str(fragments))
    assert result.exit_code == 1 and "3 skipped" in result.output
    assert "20.feature.rst:1: has raw HTML" in result.output
    assert "21.bugfix.rst:1: links to 'data:text/html,hi'" in result.output
    assert '22.feature.rst:1: is not valid reStructuredText ("include" directive disabled' in (
        result.output
    )
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text(
        "# Changelog\n\n## [1.0.0] - 2026-01-02\n\n### Fixed\n\n"
        "- A [trap](javascript:alert(1)).\n- <b onclick=x>Bold</b> claims, kept as text.\n",
        encoding="utf-8",
    )
    result = run("import", "changelog", str(changelog))
    assert result.exit_code == 1 and "1 skipped" in result.output
    assert "CHANGELOG.md:7: links to 'javascript:alert(1)'" in result.output
    build(site)
    page = (site / "out/releases/1.0.0/index.html").read_text("utf-8")
    assert "&lt;b onclick=x&gt;Bold&lt;/b&gt;" in page and "<b onclick" not in page
