"""A corpus of broken inputs: every mistake a writer can make gets a located, exact message.

Each folder of tests/bad_inputs/ is a small project's content/ with one mistake, and its
expected.txt holds exactly what `kb check` must print. `kb check` must exit 1 with those lines;
`kb build` must stop (exit 1) on one of them. Neither may print a traceback, and a failed
build must leave no site behind. Add a case by adding a folder; write its expected.txt by
running with KB_UPDATE_GOLDEN=1, then read it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import MINIMAL_CONFIG, ROOT, run_kb

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


def project(tmp_path: Path, case: str) -> Path:
    """The case as a project: its content/, and its own mkdocs.yml or the minimal one."""
    shutil.copytree(CORPUS / case / "content", tmp_path / "content")
    own = CORPUS / case / "mkdocs.yml"
    config = own.read_text(encoding="utf-8") if own.is_file() else MINIMAL_CONFIG
    (tmp_path / "mkdocs.yml").write_text(config.format(theme=ROOT / "theme"))
    return tmp_path


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES)
def test_check_reports_the_exact_problem(tmp_path, case):
    result = run_kb("check", cwd=project(tmp_path, case))
    lines = result.output.splitlines()
    expected_file = CORPUS / case / "expected.txt"
    if os.environ.get("KB_UPDATE_GOLDEN"):
        expected_file.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    expected = expected_file.read_text(encoding="utf-8").splitlines()
    assert result.exit_code == 1, result
    assert result.exception is None and "Traceback" not in result.output
    assert lines[:-1] == expected
    assert (
        lines[-1] == f"{len(expected)} problem{'s' if len(expected) > 1 else ''} found in content/."
    )
    for line in expected:
        assert line.startswith("content/"), line  # every message names its file


@pytest.mark.parametrize("case", CASES)
def test_build_stops_at_one_of_them(tmp_path, case):
    root = project(tmp_path, case)
    expected = (CORPUS / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    # Where MkDocs itself reports the mistake before any plugin sees it, expected-build.txt
    # holds its message instead.
    engine = CORPUS / case / "expected-build.txt"
    if engine.is_file():
        expected = engine.read_text(encoding="utf-8").splitlines()
    result = run_kb("build", cwd=root)
    assert result.exit_code == 1, result
    assert result.exception is None and "Traceback" not in result.output
    assert any(line in result.output for line in expected), result.output
    assert not (root / "site").exists()
    assert [p.name for p in root.iterdir() if p.name.startswith(".site")] == []


def test_a_ten_megabyte_page(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "index.md").write_text("# Home\n")
    (tmp_path / "content" / "log.md").write_text("# Pasted log\n\n" + "x" * 10_000_000 + "\n")
    (tmp_path / "mkdocs.yml").write_text(MINIMAL_CONFIG.format(theme=ROOT / "theme"))
    message = (
        "content/log.md: the page is 9.5 MB, over the 5 MB a page may be; split it into "
        "several pages"
    )
    check = run_kb("check", cwd=tmp_path)
    assert check.exit_code == 1 and message in check.output.splitlines()
    build = run_kb("build", cwd=tmp_path)
    assert build.exit_code == 1 and message in build.output
