"""A corpus of broken inputs: every mistake a writer can make gets a located, exact message.

Each folder of tests/bad_inputs/ is a small project's content/ with one mistake (and, when the
mistake is in the settings, its own mkdocs.yml, with ``{theme}`` for the theme folder), and its
expected.txt holds exactly what `kb check` must print. `kb check` must exit 1 with those lines
and no traceback. tests/site/test_check_build_parity.py builds every case in both editions: a build
that fails must fail on lines among these, and leave the previous site as it was. Add a case by
adding a folder; write its expected.txt by running with KB_UPDATE_GOLDEN=1, then read it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import MINIMAL_CONFIG, ROOT, run_kb

CORPUS = ROOT / "tests" / "bad_inputs"
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
    # Notices are not problems (a site without site_url gets one: see test_client_noise).
    lines = [line for line in result.output.splitlines() if not line.endswith("[site_url]")]
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
        # Every message names the writer's file: a content file, or the settings.
        assert line.startswith(("content/", "mkdocs.yml:")), line


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
