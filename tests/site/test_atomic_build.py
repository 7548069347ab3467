"""A failed build leaves the previous site exactly as it was, and no staging folder behind."""

from tests.conftest import run_kb, write_project


def leftovers(root) -> list[str]:
    """Staging folders a build left behind (there must be none, failed or not)."""
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".site"))


def index_generation(root) -> str:
    return (root / ".kb" / "index" / "public" / "CURRENT").read_text().strip()


def test_failed_build_keeps_the_previous_site(tmp_path):
    # The text is on a page of its own: the home page is not in the search index.
    cfg = write_project(tmp_path, {"index.md": "# Home\n", "v.md": "# V\n\nVersion one.\n"})
    site = tmp_path / "site"
    assert run_kb("build", "-f", str(cfg), "-d", str(site), cwd=tmp_path).exit_code == 0
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}

    # Version two breaks halfway: a good page first, then a FAQ page with no questions.
    (tmp_path / "content" / "v.md").write_text("# V\n\nVersion two.\n")
    (tmp_path / "content" / "zz-faq.md").write_text("---\ntype: faq\n---\n# Empty\n")
    result = run_kb("build", "-f", str(cfg), "-d", str(site), cwd=tmp_path)
    assert result.exit_code == 1
    assert "The previous site, if any, is unchanged." in result.output

    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert "Version one" in run_kb("search", "version", "-f", str(cfg), cwd=tmp_path).output
    assert leftovers(tmp_path) == []


def test_successful_build_replaces_the_site(tmp_path):
    cfg = write_project(tmp_path, {"index.md": "# Home\n", "old.md": "# Old\n"})
    site = tmp_path / "site"
    run_kb("build", "-f", str(cfg), "-d", str(site), cwd=tmp_path)
    assert (site / "old" / "index.html").exists()
    (tmp_path / "content" / "old.md").unlink()
    assert run_kb("build", "-f", str(cfg), "-d", str(site), cwd=tmp_path).exit_code == 0
    assert not (site / "old").exists()
    assert leftovers(tmp_path) == []


def test_build_failing_after_pages_were_written_keeps_the_previous_site(tmp_path):
    """MkDocs checks anchors only after writing every page: the staging folder is full by then."""
    pages = {"index.md": "# Home\n", "v.md": "# V\n\nVersion one.\n", "b.md": "# B\n"}
    cfg = write_project(tmp_path, pages)
    site = tmp_path / "site"
    assert run_kb("build", "-f", str(cfg), "-d", str(site), cwd=tmp_path).exit_code == 0
    generation = index_generation(tmp_path)
    (tmp_path / "content" / "v.md").write_text("# V\n\nVersion two, [see](b.md#nowhere).\n")
    result = run_kb("build", "-f", str(cfg), "-d", str(site), cwd=tmp_path)
    assert result.exit_code == 1
    assert "content/v.md:3:" in result.output and "b.md#nowhere" in result.output
    assert "Version one." in (site / "v" / "index.html").read_text()
    # The index is swapped only with the site: kb search still finds the old text.
    assert index_generation(tmp_path) == generation
    found = run_kb("search", "version", "--json", "-f", str(cfg), cwd=tmp_path).output
    assert "<mark>Version</mark> one" in found and "two" not in found
    assert leftovers(tmp_path) == []
