"""A build never deletes what it did not make, and its site and search index move together.

Every failure here is made for real: a file where a folder must be, an immutable folder
(`chattr +i`, which stops even root), a folder of someone's files. Tests run as root on this
machine, where a chmod'ed folder would not stop a write.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kb_builder.plugins.engine import BUILD_MARKER
from tests.conftest import MINIMAL_CONFIG, ROOT, run_kb, write_project


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` with its bytes (what must survive a refused build)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def project(tmp_path: Path, text: str = "Version one.") -> Path:
    """A small project with its own theme folder (never the repository's: it may be a target)."""
    theme = tmp_path / "overrides"
    theme.mkdir(parents=True, exist_ok=True)
    (theme / "main.html").write_text('{% extends "base.html" %}\n', encoding="utf-8")
    config = MINIMAL_CONFIG.format(theme=theme)
    # The text is on b.md: the home page is a way to answers, not in the search index.
    pages = {"index.md": "# Home\n", "b.md": f"# B\n\n{text}\n"}
    return write_project(tmp_path, pages, config)


def build(cfg: Path, *args: str):
    return run_kb("build", "-f", str(cfg), *args, cwd=cfg.parent)


def assert_clean_failure(result, *fragments: str) -> None:
    """Exit 1, the fragments in the message, and no traceback."""
    assert result.exit_code == 1, result
    assert result.exception is None, result
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.output, result


def current_generation(root: Path, edition: str = "public") -> str | None:
    pointer = root / ".kb" / "index" / edition / "CURRENT"
    return pointer.read_text().strip() if pointer.exists() else None


@pytest.mark.parametrize(
    "target, what",
    [
        (".", "is or contains the project folder"),
        ("..", "is or contains the project folder"),
        ("content", "the content folder"),
        ("content/site", "the content folder"),
        ("overrides", "the theme folder"),
        (".kb", ".kb/ folder"),
        (".kb/index/site", ".kb/ folder"),
    ],
)
def test_an_output_folder_that_holds_sources_is_refused_and_nothing_is_deleted(
    tmp_path, target, what
):
    root = tmp_path / "project"
    cfg = project(root)
    assert build(cfg).exit_code == 0  # .kb/ now exists too
    before = snapshot(tmp_path)
    result = build(cfg, "-d", str(root / target))
    assert_clean_failure(result, what, "Choose a folder of its own")
    assert snapshot(tmp_path) == before


def test_a_folder_no_build_wrote_is_never_replaced(tmp_path):
    cfg = project(tmp_path)
    mine = tmp_path / "my-notes"
    mine.mkdir()
    (mine / "notes.txt").write_text("years of work\n")
    result = build(cfg, "-d", str(mine))
    assert_clean_failure(result, "already holds files that no kb build wrote", BUILD_MARKER)
    assert snapshot(mine) == {"notes.txt": b"years of work\n"}


def test_empty_previous_and_legacy_output_folders_are_replaced(tmp_path):
    cfg = project(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert build(cfg, "-d", str(empty)).exit_code == 0
    assert (empty / "index.html").is_file() and (empty / BUILD_MARKER).is_file()
    # A previous build (it has the marker) is replaced: a page deleted since is gone.
    (empty / "stale.html").write_text("old")
    assert build(cfg, "-d", str(empty)).exit_code == 0
    assert not (empty / "stale.html").exists()
    # An MkDocs build from before the marker existed: sitemap.xml.gz and 404.html.
    legacy = tmp_path / "legacy"
    legacy.mkdir()
    for name in ("sitemap.xml.gz", "404.html", "index.html"):
        (legacy / name).write_text("old build")
    assert build(cfg, "-d", str(legacy)).exit_code == 0
    assert "old build" not in (legacy / "index.html").read_text()


def test_a_site_folder_under_a_file_or_that_is_a_file(tmp_path):
    cfg = project(tmp_path)
    (tmp_path / "notes.txt").write_text("keep")
    under = build(cfg, "-d", str(tmp_path / "notes.txt" / "site"))
    assert_clean_failure(under, "lies under the file", "notes.txt")
    itself = build(cfg, "-d", str(tmp_path / "notes.txt"))  # click's own usage error
    assert itself.exit_code == 2 and itself.exception is None and "is a file" in itself.output
    assert (tmp_path / "notes.txt").read_text() == "keep"


def test_kb_folder_that_is_a_file_fails_cleanly_and_keeps_the_site(tmp_path):
    cfg = project(tmp_path)
    site = tmp_path / "site"
    assert build(cfg).exit_code == 0
    before = snapshot(site)
    shutil.rmtree(tmp_path / ".kb")
    (tmp_path / ".kb").write_text("not a folder")
    (tmp_path / "content" / "b.md").write_text("# B\n\nVersion two.\n")
    result = build(cfg)
    assert_clean_failure(result, "The previous site, if any, is unchanged.")
    assert snapshot(site) == before
    assert leftovers(tmp_path) == []


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".site."))


def test_search_index_that_cannot_be_written_leaves_site_and_index_as_they_were(tmp_path):
    cfg = project(tmp_path)
    site = tmp_path / "site"
    assert build(cfg).exit_code == 0
    before = snapshot(site)
    # A file where the public index folder must be: the index write fails for real.
    index = tmp_path / ".kb" / "index" / "public"
    shutil.rmtree(index)
    index.write_text("in the way")
    (tmp_path / "content" / "b.md").write_text("# B\n\nVersion two.\n")
    result = build(cfg)
    assert_clean_failure(
        result, "the search index could not be written", "neither the site nor its index"
    )
    assert snapshot(site) == before  # the message is true: the previous site is unchanged
    assert "Version one." in (site / "b" / "index.html").read_text()
    assert leftovers(tmp_path) == []


@contextlib.contextmanager
def immutable(path: Path):
    """`chattr +i`: the folder cannot be renamed, even by root (skips where unsupported)."""
    chattr = shutil.which("chattr")
    if chattr is None:
        pytest.skip("chattr is not installed: no way to make a rename fail for root")
    made = subprocess.run([chattr, "+i", str(path)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"this file system has no immutable flag: {made.stderr.decode().strip()}")
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", str(path)], check=True)


def test_site_that_cannot_be_swapped_puts_the_new_index_back(tmp_path):
    cfg = project(tmp_path)
    site = tmp_path / "site"
    assert build(cfg).exit_code == 0
    generation = current_generation(tmp_path)
    before = snapshot(site)
    (tmp_path / "content" / "b.md").write_text("# B\n\nVersion two.\n")
    with immutable(site):
        result = build(cfg)
    assert_clean_failure(result, "could not replace", "the search index was put back too")
    assert snapshot(site) == before
    assert current_generation(tmp_path) == generation
    assert leftovers(tmp_path) == []
    # And the next build, with nothing in its way, moves both forward.
    assert build(cfg).exit_code == 0
    assert "Version two." in (site / "b" / "index.html").read_text()
    assert current_generation(tmp_path) != generation


def dead_pid() -> int:
    """The PID of a process that has exited (so a folder named after it is a leftover)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_leftovers_of_killed_builds_are_removed_but_not_a_running_builds(tmp_path):
    cfg = project(tmp_path)
    pid = dead_pid()
    for name in (
        f".site.building-{pid}-abc123",
        f".site.old-{pid}-ff00",
        ".site.building-x1y2z3",  # named before PIDs were part of the name
        ".site.old-4242",
    ):
        (tmp_path / name / "assets").mkdir(parents=True)
        (tmp_path / name / "assets" / "page.html").write_text("half")
    running = tmp_path / ".site.building-1-running"  # PID 1 is always alive
    running.mkdir()
    other = tmp_path / ".site-internal.building-x"  # another target's: not this build's
    other.mkdir()
    assert build(cfg).exit_code == 0
    assert leftovers(tmp_path) == [".site.building-1-running"]
    assert other.is_dir()


def test_edition_comes_from_the_flag_then_the_environment_then_mkdocs_yml(tmp_path, monkeypatch):
    internal_page = "---\naudience: internal\n---\n# Agents only\n"
    cfg = write_project(tmp_path, {"index.md": "# Home\n", "agents.md": internal_page})
    monkeypatch.setenv("KB_EDITION", "internal")
    flagged = build(cfg, "--edition", "public")
    assert flagged.exit_code == 0, flagged
    assert "Public edition written to site/" in flagged.output
    assert (tmp_path / "site" / "index.html").is_file()
    assert not (tmp_path / "site" / "agents").exists()
    assert not (tmp_path / "site-internal").exists()

    from_env = build(cfg)
    assert from_env.exit_code == 0, from_env
    assert "Internal edition written to site-internal/" in from_env.output
    assert (tmp_path / "site-internal" / "agents" / "index.html").is_file()
    # kb search reads the index of the same edition, by the same precedence.
    assert "Agents only" in run_kb("search", "agents", "-f", str(cfg), cwd=tmp_path).output
    public = run_kb("search", "agents", "--edition", "public", "-f", str(cfg), cwd=tmp_path)
    assert "Agents only" not in public.output

    monkeypatch.delenv("KB_EDITION")
    cfg.write_text(
        cfg.read_text().replace("  - kb\n", "  - kb:\n      edition: internal\n"), "utf-8"
    )
    shutil.rmtree(tmp_path / "site-internal")
    from_config = build(cfg)
    assert "Internal edition written to site-internal/" in from_config.output, from_config
    assert (tmp_path / "site-internal" / "agents" / "index.html").is_file()


def test_an_unknown_edition_in_the_environment_is_a_clear_error(tmp_path, monkeypatch):
    cfg = write_project(tmp_path, {"index.md": "# Home\n"})
    monkeypatch.setenv("KB_EDITION", "staff")
    result = build(cfg)
    assert_clean_failure(result, "KB_EDITION", "'staff', which is not an edition")
    assert not (tmp_path / "site").exists()


def test_enabled_false_turns_every_event_off(tmp_path):
    """No index, no generated page, no FAQ structure: the site builds as plain Material."""
    training = (
        "modules:\n  - id: basics\n    title: Basics\n    lessons:\n      - id: first\n"
        "        title: First\n        minutes: 5\n        objective: Know it\n"
        "        page: index.md\n"
    )
    faq = "---\ntype: faq\n---\n# FAQ\n\n## How do I pay?\n\nBy card.\n"
    config = MINIMAL_CONFIG.format(theme=ROOT / "theme").replace(
        "  - kb\n", "  - kb:\n      enabled: false\n"
    )
    cfg = write_project(
        tmp_path,
        {"index.md": "# Home\n", "faq.md": faq, "_data/training.yml": training},
        config,
    )
    result = build(cfg, "--no-strict")
    assert result.exit_code == 0, result
    site = tmp_path / "site"
    assert (site / "faq" / "index.html").is_file()
    assert not (tmp_path / ".kb").exists()  # no Whoosh index, no related-pages cache
    assert not (site / "training" / "agenda").exists()  # no page generated from data
    html = (site / "faq" / "index.html").read_text()
    assert "FAQPage" not in html  # no JSON-LD: on_page_content did nothing
    assert "kb_edition" not in html
    for path in site.rglob("*.json"):
        assert '"keywords"' not in path.read_text(errors="replace"), path


def test_an_unwritable_parent_folder_is_a_clear_error(tmp_path):
    cfg = project(tmp_path)
    parent = tmp_path / "published"
    parent.mkdir()
    with immutable(parent):
        result = build(cfg, "-d", str(parent / "site"))
    assert_clean_failure(result, "cannot write beside", "Operation not permitted")
    assert list(parent.iterdir()) == []


def test_an_unwritable_kb_folder_leaves_site_and_index_as_they_were(tmp_path):
    cfg = project(tmp_path)
    site = tmp_path / "site"
    assert build(cfg).exit_code == 0
    before, generation = snapshot(site), current_generation(tmp_path)
    (tmp_path / "content" / "b.md").write_text("# B\n\nVersion two.\n")
    with immutable(tmp_path / ".kb" / "index" / "public"):
        result = build(cfg)
    assert_clean_failure(result, "The previous site, if any, is unchanged.")
    assert snapshot(site) == before
    assert current_generation(tmp_path) == generation
    assert leftovers(tmp_path) == []


def test_a_failed_build_changes_no_byte_of_the_site_or_of_kb(tmp_path):
    """Site and index move together: a build refused late (a missing anchor is found after
    every page is rendered and the related pages computed) leaves site/ and .kb/ byte for byte
    as they were, the related-pages cache included; a good build then updates it."""
    cfg = project(tmp_path)
    assert build(cfg).exit_code == 0
    (tmp_path / "content" / "c.md").write_text("# C\n\nVersion one of another page.\n")
    assert build(cfg).exit_code == 0
    related = tmp_path / ".kb" / "index" / "public-related.json"
    assert related.is_file()
    before = {"site": snapshot(tmp_path / "site"), "kb": snapshot(tmp_path / ".kb")}
    page = tmp_path / "content" / "b.md"
    page.write_text("# B\n\nVersion two, new words.\n\nSee [x](c.md#no-such-anchor-zz).\n")
    result = build(cfg)
    assert_clean_failure(result, "no-such-anchor-zz")
    after = {"site": snapshot(tmp_path / "site"), "kb": snapshot(tmp_path / ".kb")}
    assert after == before
    assert leftovers(tmp_path) == []
    page.write_text("# B\n\nVersion two, new words.\n")
    assert build(cfg).exit_code == 0
    assert related.read_bytes() != before["kb"]["index/public-related.json"]
