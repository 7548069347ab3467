"""A failed build leaves the previous site exactly as it was, and no staging folder behind."""

from tests.conftest import run_kb, write_project


def test_failed_build_keeps_the_previous_site(tmp_path):
    cfg = write_project(tmp_path, {"index.md": "# Home\n\nVersion one.\n"})
    site = tmp_path / "site"
    assert run_kb("build", "-f", str(cfg), "-d", str(site), cwd=tmp_path).exit_code == 0
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}

    # Version two breaks halfway: a good page first, then a FAQ page with no questions.
    (tmp_path / "content" / "index.md").write_text("# Home\n\nVersion two.\n")
    (tmp_path / "content" / "zz-faq.md").write_text("---\ntype: faq\n---\n# Empty\n")
    result = run_kb("build", "-f", str(cfg), "-d", str(site), cwd=tmp_path)
    assert result.exit_code == 1
    assert "The previous site, if any, is unchanged." in result.output

    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "mkdocs.yml", "site"]


def test_successful_build_replaces_the_site(tmp_path):
    cfg = write_project(tmp_path, {"index.md": "# Home\n", "old.md": "# Old\n"})
    site = tmp_path / "site"
    run_kb("build", "-f", str(cfg), "-d", str(site), cwd=tmp_path)
    assert (site / "old" / "index.html").exists()
    (tmp_path / "content" / "old.md").unlink()
    assert run_kb("build", "-f", str(cfg), "-d", str(site), cwd=tmp_path).exit_code == 0
    assert not (site / "old").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "mkdocs.yml", "site"]


def test_build_failing_after_pages_were_written_keeps_the_previous_site(tmp_path):
    """MkDocs checks anchors only after writing every page: the staging folder is full by then."""
    cfg = write_project(tmp_path, {"index.md": "# Home\n\nVersion one.\n", "b.md": "# B\n"})
    site = tmp_path / "site"
    assert run_kb("build", "-f", str(cfg), "-d", str(site), cwd=tmp_path).exit_code == 0
    (tmp_path / "content" / "index.md").write_text("# Home\n\nVersion two, [see](b.md#nowhere).\n")
    result = run_kb("build", "-f", str(cfg), "-d", str(site), cwd=tmp_path)
    assert result.exit_code == 1
    assert "contains a link 'b.md#nowhere', but the doc 'b.md' does not contain an anchor" in (
        result.output
    )
    assert "Version one." in (site / "index.html").read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "mkdocs.yml", "site"]
