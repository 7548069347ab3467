"""Release-notes pages: golden files for the demo data, escaping, and the public/internal split."""

from __future__ import annotations

import os
import re
import shutil
import textwrap
from pathlib import Path

import markdown
import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser

from kb_builder.core.editions import EDITIONS
from kb_builder.core.project import _PermissiveLoader
from kb_builder.families.releases import load
from kb_builder.families.releases.areas import areas
from kb_builder.families.releases.pages import assets, pages
from tests.conftest import ROOT

DEMO = ROOT / "content" / "_data"
GOLDEN = ROOT / "tests" / "golden" / "releases"
HOSTILE = '<script>alert(1)</script> & "x"'


def assert_golden(name: str, text: str) -> None:
    """Compare with tests/golden/releases/<name>; KB_UPDATE_GOLDEN=1 rewrites it instead."""
    path = GOLDEN / name
    if os.environ.get("KB_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
        return
    assert path.is_file(), f"no golden file {path}; run with KB_UPDATE_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


def site_html(page_markdown: str) -> str:
    """A page rendered by Python-Markdown with the demo site's extensions, as MkDocs would."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_PermissiveLoader)
    names = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    body = page_markdown.split("\n---\n", 1)[1]
    return markdown.markdown(body, extensions=names)


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def demo_copy(tmp_path: Path) -> Path:
    data_dir = tmp_path / "_data"
    shutil.copytree(DEMO, data_dir)
    return data_dir


@pytest.mark.parametrize("edition", EDITIONS)
def test_demo_pages_match_golden_files(edition):
    generated = pages(load(DEMO), edition)
    assert [p.src_uri for p in generated] == [
        "releases/index.md",
        "releases/upcoming.md",
        "releases/2026.11.md",
        "releases/2026.10.md",
        "releases/2026.09.md",
        "releases/areas.md",
        *(f"releases/area-{a.slug}.md" for a in areas(load(DEMO), edition)),
    ]
    for page in generated:
        assert_golden(f"{edition}/{page.src_uri.removeprefix('releases/')}", page.markdown)


def test_pages_have_front_matter_an_h1_and_an_edit_source():
    for page in pages(load(DEMO), "public"):
        front, body = page.markdown.removeprefix("---\n").split("\n---\n", 1)
        meta = yaml.safe_load(front)
        assert set(meta) == {"title", "description"}
        assert body.lstrip("\n").startswith(f"# {meta['title']}")
        assert (ROOT / "content" / page.edit_source).exists()
    by_uri = {p.src_uri: p for p in pages(load(DEMO), "public")}
    assert by_uri["releases/2026.11.md"].edit_source == "_data/releases/2026.11.yml"
    assert by_uri["releases/upcoming.md"].edit_source == "_data/releases/2026.12.yml"


def test_upcoming_page_heads_for_the_next_planned_release():
    upcoming = {p.src_uri: p for p in pages(load(DEMO), "public")}["releases/upcoming.md"]
    text = upcoming.markdown
    # Unassigned changes are listed under the next planned release, kinds in the fixed order.
    release_12 = text.index("## Release 2026.12")
    release_01 = text.index("## Release 2027.01: The new permit portal")
    assert release_12 < text.index("Permits: guest permits for events") < release_01
    assert text.index("### Features") < text.index("### Improvements") < text.index("### Fixes")
    assert "**Planned rollout:** Tuesday, December 8, 2026." in text
    assert "| Wave 1 | Pilot clients, who have agreed to try the portal first | Tuesday, " in text
    assert "Tuesday, March 16, 2027" in text


def test_upcoming_page_says_when_nothing_is_pending(tmp_path):
    data_dir = write(
        tmp_path,
        {
            "releases/1.0.yml": "version: '1.0'\nstatus: released\ndate: 2026-01-06\n",
            "changes/a.yml": "title: A\nkind: fix\nrelease: '1.0'\n",
        },
    )
    by_uri = {p.src_uri: p.markdown for p in pages(load(data_dir), "public")}
    assert '!!! success "Nothing is pending"' in by_uri["releases/upcoming.md"]
    assert "Nothing is pending at the moment" in by_uri["releases/index.md"]


def test_upcoming_changes_without_a_planned_release(tmp_path):
    data_dir = write(tmp_path, {"changes/a.yml": "title: Later\nkind: fix\n"})
    by_uri = {p.src_uri: p.markdown for p in pages(load(data_dir), "public")}
    upcoming = by_uri["releases/upcoming.md"]
    assert "## Not scheduled yet" in upcoming and "- **Later**" in upcoming
    assert "Nothing is pending" not in upcoming
    assert "No release has been published yet." in by_uri["releases/index.md"]


def test_a_release_with_several_rollout_days(tmp_path):
    data_dir = write(
        tmp_path,
        {
            "releases/1.0.yml": """
                version: '1.0'
                status: released
                date: 2026-01-06
                rollout: [2026-01-07, 2026-01-06]
            """,
            "changes/only-internal.yml": """
                title: Agents' tooling
                kind: fix
                audience: internal
                release: '1.0'
            """,
        },
    )
    page = pages(load(data_dir), "public")[2].markdown
    assert "**Released:** Tuesday, January 6, 2026." in page
    assert "**Rolled out:** Tuesday, January 6, 2026 and Wednesday, January 7, 2026." in page
    # Its one change is internal: the public page says so plainly rather than showing it.
    assert "There are no changes to list for this release." in page


def hostile_data(tmp_path: Path) -> Path:
    return write(
        tmp_path,
        {
            "releases/1.0.yml": f"""
                version: '1.0'
                title: '{HOSTILE.replace("'", "''")}'
                status: released
                date: 2026-01-06
                summary: 'Summary <iframe src=x></iframe>'
            """,
            "releases/2.0.yml": f"""
                version: '2.0'
                status: planned
                waves:
                  - name: '{HOSTILE.replace("'", "''")}'
                    date: 2026-02-03
                    who: '<b onmouseover=alert(1)>everyone</b> | pipe'
            """,
            "changes/a.yml": f"""
                title: '{HOSTILE.replace("'", "''")} *not bold* [not a link](x) {{: .x}}'
                kind: fix
                release: '1.0'
                modules: ['<img src=x onerror=alert(1)>']
                body: |
                  Raw <img src=x onerror=alert(1)> & `<code>` stays code,
                  [a](b){{: onclick=alert(1) }}

                  ```html
                  <b>in a fence</b>
                  ```
            """,
            "changes/b.yml": f"""
                title: '{HOSTILE.replace("'", "''")}'
                kind: feature
                body: '<script>alert(2)</script>'
            """,
        },
    )


def elements_and_attributes(html: str) -> tuple[set[str], set[str]]:
    tree = LexborHTMLParser(html)
    tags, attrs = set(), set()
    for node in tree.root.traverse():
        if not node.tag.startswith("-"):
            tags.add(node.tag)
            attrs |= {a.lower() for a in node.attributes}
    return tags, attrs


@pytest.mark.parametrize("edition", EDITIONS)
def test_titles_and_bodies_from_data_cannot_inject_markup(tmp_path, edition):
    generated = pages(load(hostile_data(tmp_path)), edition)
    # Index, Upcoming, the release, the areas and the one area (a module named as markup).
    assert [p.src_uri for p in generated][3:] == [
        "releases/areas.md",
        "releases/area-area.md",  # nothing but markup: the fallback slug
    ]
    for page in generated:
        html = site_html(page.markdown)
        tags, attrs = elements_and_attributes(html)
        assert not tags & {"script", "img", "iframe", "b"}, page.src_uri
        assert not {a for a in attrs if a.startswith("on")}, page.src_uri
    release = LexborHTMLParser(site_html(generated[2].markdown))
    text = release.body.text()
    # Titles are plain text: shown exactly as written, markup characters included.
    assert f"{HOSTILE} *not bold* [not a link](x) {{: .x}}" in text
    assert "<img src=x onerror=alert(1)>" in text  # a module name
    # Bodies are Markdown: code spans and fences stay code, raw HTML around them is text.
    assert [c.text() for c in release.css("p > code")] == ["<code>"]
    assert "<b>in a fence</b>" in release.css_first("pre").text()
    assert "Raw <img src=x onerror=alert(1)> & <code> stays code,\na" in text
    assert release.css_first('a[href="b"]').text() == "a"
    assert "Summary <iframe src=x></iframe>" in text
    upcoming = LexborHTMLParser(site_html(generated[1].markdown)).body.text()
    assert "<b onmouseover=alert(1)>everyone</b> | pipe" in upcoming
    assert "<script>alert(2)</script>" in upcoming
    assert "Release 2.0" in upcoming and HOSTILE in upcoming
    area = LexborHTMLParser(site_html(generated[4].markdown)).body.text()
    assert "Area: <img src=x onerror=alert(1)>." in area


def test_the_title_in_front_matter_is_never_a_writers_title(tmp_path):
    # Page titles reach <title> and the navigation: only versions (a safe alphabet) go there.
    for page in pages(load(hostile_data(tmp_path)), "public"):
        front = yaml.safe_load(page.markdown.removeprefix("---\n").split("\n---\n", 1)[0])
        assert "<" not in front["title"] + front["description"]


CANARY = "CANARY-7f3a9c"


def with_internal_changes(tmp_path: Path) -> Path:
    data_dir = demo_copy(tmp_path)
    return write(
        data_dir,
        {
            "changes/internal-released.yml": f"""
                title: Agents' {CANARY} console
                kind: improvement
                audience: internal
                release: '2026.11'
                modules: [{CANARY}-module]
                body: Secret {CANARY} details.
            """,
            "changes/internal-upcoming.yml": f"""
                title: Upcoming {CANARY} tooling
                kind: fix
                audience: internal
            """,
            "changes/internal-staged.yml": f"""
                title: Staged {CANARY} runbook
                kind: known-issue
                audience: internal
                release: '2027.01'
            """,
            "releases/2026.08.yml": """
                version: '2026.08'
                status: released
                date: 2026-08-11
                summary: Maintenance release for the support team's tools.
            """,
            "changes/internal-only-release.yml": f"""
                title: Only {CANARY} change of 2026.08
                kind: fix
                audience: internal
                release: '2026.08'
            """,
        },
    )


def test_the_public_edition_never_shows_internal_changes(tmp_path):
    data = load(with_internal_changes(tmp_path))
    public_pages = pages(data, "public")
    public_assets = assets(data, "public", "https://help.example.com/")
    public_assets += assets(data, "public", None)
    for page in public_pages:
        assert CANARY not in page.markdown, page.src_uri
        assert "kb-badge" not in page.markdown, page.src_uri
    for asset in public_assets:
        assert CANARY.encode() not in asset.content, asset.dest_uri
    # A release made only of internal changes is still listed, with its summary.
    by_uri = {p.src_uri: p.markdown for p in public_pages}
    assert "Maintenance release for the support team's tools." in by_uri["releases/2026.08.md"]
    assert "There are no changes to list for this release." in by_uri["releases/2026.08.md"]
    assert "[2026.08](2026.08.md)" in by_uri["releases/index.md"]


def test_the_internal_edition_marks_internal_changes(tmp_path):
    data = load(with_internal_changes(tmp_path))
    by_uri = {p.src_uri: p.markdown for p in pages(data, "internal")}
    for uri in ("releases/2026.11.md", "releases/upcoming.md", "releases/2026.08.md"):
        assert CANARY in by_uri[uri], uri
    line = next(x for x in by_uri["releases/2026.11.md"].splitlines() if CANARY in x)
    assert line == f'- **Agents\' {CANARY} console** <span class="kb-badge">Internal</span>'
    upcoming = by_uri["releases/upcoming.md"]
    assert re.search(rf"Upcoming {CANARY} tooling\*\* <span class=\"kb-badge\">", upcoming)
    feed, calendar = assets(data, "internal", None)
    assert CANARY.encode() in feed.content and b"(Internal)" in feed.content
    assert CANARY.encode() in calendar.content and b"(internal)" in calendar.content
