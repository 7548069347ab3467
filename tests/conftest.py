"""Shared fixtures: real sites built with MkDocs into tmp_path, and the demo site built once."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb_builder.cli.main import main as kb

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

MINIMAL_CONFIG = """\
site_name: Test help centre
docs_dir: content
theme:
  name: material
  custom_dir: {theme}
  font: false
plugins:
  - kb
markdown_extensions:
  - admonition
  - toc:
      permalink: true
validation:
  anchors: warn
  unrecognized_links: warn
"""


class Result:
    """What `kb` printed and returned."""

    def __init__(self, exit_code: int, output: str, exception: BaseException | None):
        self.exit_code = exit_code
        self.output = output
        self.exception = exception

    def __repr__(self) -> str:  # shown by pytest on failed assertions
        import traceback

        tb = "".join(traceback.format_exception(self.exception)) if self.exception else ""
        return f"Result(exit_code={self.exit_code}, output=\n{self.output}{tb})"


# KB_TEST_ENGINE=properdocs (or zensical) runs every `kb build` of the tests on that engine
# (tests/site/test_engines.py builds with each engine whatever this says).
TEST_ENGINE = os.environ.get("KB_TEST_ENGINE", "")


def run_kb(*args: str, cwd: Path | None = None) -> Result:
    """Run the `kb` command in-process (stdout and stderr together), from `cwd`."""
    if TEST_ENGINE and args[:1] == ("build",) and "--engine" not in args:
        args = ("build", "--engine", TEST_ENGINE, *args[1:])
    old = Path.cwd()
    if cwd:
        os.chdir(cwd)
    try:
        result = CliRunner().invoke(kb, list(args), catch_exceptions=True)
    finally:
        os.chdir(old)
    exc = result.exception if not isinstance(result.exception, SystemExit) else None
    return Result(result.exit_code, result.output, exc)


def write_project(root: Path, pages: dict[str, str], config: str | None = None) -> Path:
    """Write a small project (mkdocs.yml + content/) and return its mkdocs.yml."""
    root.mkdir(parents=True, exist_ok=True)
    for rel, text in pages.items():
        path = root / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    cfg = root / "mkdocs.yml"
    cfg.write_text(config or MINIMAL_CONFIG.format(theme=ROOT / "theme"), encoding="utf-8")
    return cfg


@pytest.fixture
def build_site(tmp_path):
    """Build a tiny site from `pages`; return (result, site_dir)."""

    def _build(pages: dict[str, str], config: str | None = None, *args: str):
        cfg = write_project(tmp_path / "project", pages, config)
        site = tmp_path / "site"
        result = run_kb("build", "-f", str(cfg), "-d", str(site), *args, cwd=tmp_path / "project")
        return result, site

    return _build


def copy_demo(project: Path, *, config: str | None = "mkdocs.yml", schemas: bool = False) -> Path:
    """Copy this repository's demo project (content/, theme/ and mkdocs.yml) into `project`.

    Args:
        config: the name the copy of mkdocs.yml gets (None: no copy, the test writes its own).
        schemas: copy schemas/ too (data files name their JSON Schemas by relative path).

    Returns:
        `project`, to edit the copy before building it.
    """
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copytree(ROOT / "theme", project / "theme")
    if config is not None:
        shutil.copy(ROOT / "mkdocs.yml", project / config)
    if schemas:
        shutil.copytree(ROOT / "schemas", project / "schemas")
    return project


def build_demo(work: Path, *args: str) -> Path:
    """Build this repository's demo (a copy of content/, theme/, mkdocs.yml) into work/site."""
    project = copy_demo(work / "project")
    site = work / "site"
    result = run_kb("build", "-d", str(site), *args, cwd=project)
    assert result.exit_code == 0, result.output
    return site


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Path:
    """The demo site (content/ of this repository) built once, strictly."""
    return build_demo(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="session")
def demo_internal_site(tmp_path_factory) -> Path:
    """The internal edition of the demo site, built once."""
    return build_demo(tmp_path_factory.mktemp("demo-internal"), "--edition", "internal")


@pytest.fixture(scope="session")
def chromium():
    """A headless Chromium browser (Playwright), or a skip (a failure in CI) without one."""
    from tests.helpers.browser import CHROMIUM_FLAGS, require_chromium

    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def demo_url(demo_site):
    """The demo site served on 127.0.0.1 for the whole session."""
    from tests.helpers.browser import serve_directory

    with serve_directory(demo_site) as url:
        yield url


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.js_errors = errors  # type: ignore[attr-defined]
    yield page
    context.close()
