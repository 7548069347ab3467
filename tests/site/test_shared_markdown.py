"""One Python-Markdown instance for a build's pages: the same site as one instance per page."""

import filecmp
import re
from pathlib import Path

import markdown
import pytest

from kb_builder.plugins import shared_markdown
from tests.conftest import MINIMAL_CONFIG, ROOT, build_demo, run_kb, write_project

# The minimal site with the demo's Markdown extensions (footnotes, abbr, tabs, ...).
_DEMO_EXTENSIONS = re.search(
    r"^markdown_extensions:\n(?:[ #].*\n|\n)*", (ROOT / "mkdocs.yml").read_text(), re.M
).group()
CONFIG = re.sub(
    r"^markdown_extensions:\n(?:  .*\n)*", _DEMO_EXTENSIONS, MINIMAL_CONFIG, flags=re.M
).format(theme=ROOT / "theme")

# Each page leaves state behind in an instance: footnotes, abbreviations, tab sets (numbered
# per page), heading ids (unique per page), a glossary of the page's own, stashed raw HTML.
STATEFUL_PAGES = {
    "index.md": "# Home\n\nSee [first](first.md) and [second](second.md).\n",
    "first.md": """
        # First

        Text with a note[^1] and an ABBR.

        [^1]: The note of the first page.

        *[ABBR]: An abbreviation of the first page

        === "One"
            Tab one.

        === "Two"
            Tab two.

        ## Same
        ## Same

        <div markdown>**raw** first</div>

        ```python
        print("first")
        ```
        """,
    "second.md": """
        # Second

        An ABBR again, and no note.

        === "Only"
            A tab.

        ## Same
        """,
}


def _files(site: Path) -> list[Path]:
    return sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())


def _differences(one: Path, other: Path) -> list[str]:
    """Files of the two sites that differ (calendar stamps, the build's time, excepted)."""
    stamp = re.compile(rb"DTSTAMP:\d{8}T\d{6}Z")
    assert _files(one) == _files(other)
    differ = []
    for rel in _files(one):
        if filecmp.cmp(one / rel, other / rel, shallow=False):
            continue
        a, b = (stamp.sub(b"", (site / rel).read_bytes()) for site in (one, other))
        if a != b:
            differ.append(str(rel))
    return differ


@pytest.fixture
def one_instance_per_page(monkeypatch):
    """No extension counts as reset-safe: every page gets its own instance, as in MkDocs."""
    monkeypatch.setattr(shared_markdown, "RESET_SAFE", frozenset())


def test_the_demo_is_the_same_site_with_one_instance(demo_site, tmp_path, monkeypatch):
    monkeypatch.setattr(shared_markdown, "RESET_SAFE", frozenset())
    per_page = build_demo(tmp_path)
    assert _differences(demo_site, per_page) == []


def test_state_of_one_page_never_reaches_the_next(tmp_path, monkeypatch):
    sites = {}
    for mode in ("shared", "per-page"):
        if mode == "per-page":
            monkeypatch.setattr(shared_markdown, "RESET_SAFE", frozenset())
        cfg = write_project(tmp_path / mode, STATEFUL_PAGES, CONFIG)
        site = tmp_path / f"{mode}-site"
        result = run_kb("build", "-f", str(cfg), "-d", str(site), cwd=tmp_path / mode)
        assert result.exit_code == 0, result.output
        sites[mode] = site
    assert _differences(sites["shared"], sites["per-page"]) == []
    second = (sites["shared"] / "second" / "index.html").read_text(encoding="utf-8")
    assert "note of the first page" not in second
    assert "abbreviation of the first page" not in second
    assert 'id="same_1"' not in second  # heading ids start again on every page


def test_one_instance_is_handed_out_reset_and_only_for_known_extensions():
    shared = shared_markdown.SharedMarkdown()
    extensions, configs = ["footnotes", "toc"], {"toc": {"permalink": True}}
    first = shared.Markdown(extensions=extensions, extension_configs=configs)
    first.convert("A note[^1].\n\n[^1]: left behind\n")
    again = shared.Markdown(extensions=extensions, extension_configs=configs)
    assert again is first
    assert "left behind" not in again.convert("No note here.\n")
    # Other settings, or an extension whose state nobody checked: a new instance each time.
    assert shared.Markdown(extensions=["footnotes"], extension_configs=configs) is not first
    unknown = ["footnotes", "markdown.extensions.smarty"]
    one = shared.Markdown(extensions=unknown, extension_configs={})
    assert shared.Markdown(extensions=unknown, extension_configs={}) is not one
    assert shared.Markdown is not markdown.Markdown and shared.Extension is markdown.Extension


def test_the_engine_gets_its_markdown_module_back_after_a_build(tmp_path):
    # (Under ProperDocs the build runs in a child process: this one's module is never touched.)
    from mkdocs.structure import pages

    cfg = write_project(tmp_path / "p", {"index.md": "# Home\n"})
    assert run_kb("build", "-f", str(cfg), "-d", str(tmp_path / "s")).exit_code == 0
    assert pages.markdown is markdown
    broken = write_project(tmp_path / "q", {"index.md": "---\ntitle: [\n---\n# Home\n"})
    assert run_kb("build", "-f", str(broken), "-d", str(tmp_path / "t")).exit_code != 0
    assert pages.markdown is markdown
