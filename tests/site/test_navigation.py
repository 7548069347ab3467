"""Bounded navigation: a page's size must not grow with the number of pages in the site."""

import shutil

import pytest

from kb_builder.pages.navigation import ListedPage, crowded_sections, listing_markdown, page_title
from tests.helpers.sitecheck import broken_links, parse


def test_crowded_sections():
    uris = [f"cmds/{i:03}.md" for i in range(50)] + ["cmds/index.md", "faq/index.md", "a.md"]
    crowded = crowded_sections(uris, limit=40)
    assert list(crowded) == ["cmds"]
    assert len(crowded["cmds"]) == 50 and "cmds/index.md" not in crowded["cmds"]


def test_listing_groups_by_letter_and_escapes_titles():
    pages = [
        ListedPage("zip", "c/zip.md"),
        ListedPage("[", "c/[.md"),
        ListedPage("awk", "c/awk.md"),
    ]
    text = listing_markdown("c", pages, with_title=True)
    assert text.splitlines()[0] == "# C"
    assert text.index("## #") < text.index("## A") < text.index("## Z")
    assert "- [&#91;](<[.md>)" in text


@pytest.mark.parametrize(
    ("title", "body", "uri", "expected"),
    [
        ("Front", "# H1\n", "x.md", "Front"),
        (None, "Intro\n\n# The heading\n", "x.md", "The heading"),
        (None, "No heading\n", "dir/some-page.md", "some page"),
    ],
)
def test_page_title(title, body, uri, expected):
    assert page_title(title, body, uri) == expected


def _pages(n: int) -> dict[str, str]:
    pages = {"index.md": "# Home\n\n[All commands](cmds/index.md)\n"}
    for i in range(n):
        pages[f"cmds/cmd-{i:04}.md"] = f"# Command {i:04}\n\nDoes thing {i}.\n"
    return pages


def _page_bytes(site, i):
    return len((site / "cmds" / f"cmd-{i:04}" / "index.html").read_bytes())


def test_page_size_stays_flat_as_the_section_grows(build_site, tmp_path):
    result, site = build_site(_pages(60))
    assert result.exit_code == 0, result
    small = _page_bytes(site, 0)
    listing = parse(site / "cmds" / "index.html")
    assert len(listing.css("article > ul > li > a")) == 60  # not the related articles
    # The sidebar of a page holds the section's index, not its 60 siblings.
    sidebar = parse(site / "cmds" / "cmd-0000" / "index.html").css_first(".md-sidebar--primary")
    assert len(sidebar.css("a")) < 10
    assert broken_links(site) == []

    result, site = build_site(_pages(240))
    assert result.exit_code == 0, result
    assert _page_bytes(site, 0) < small * 1.05  # four times the pages, the same page size


# The docs root is a folder like any other: a crowd of pages directly in it is shown by the home
# page, the sections and one A-Z page, whatever the nav, the edition or where the pages come from.

_ROOT_HOOK = """\
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File


@event_priority(100)  # before the kb plugin (50), which counts, checks and lists pages
def on_files(files, config):
    for i in range({count}):
        files.append(File.generated(config, f"made-{{i:02}}.md", content=f"# Made {{i:02}}\\n"))
    return files
"""


def _root_config(nav: str, hook_count: int) -> str:
    from tests.conftest import MINIMAL_CONFIG, ROOT

    config = MINIMAL_CONFIG.format(theme=ROOT / "theme")
    # Strict builds fail on pages an explicit nav leaves out, so a hidden crowd must not count.
    config = config.replace("validation:\n", "validation:\n  omitted_files: warn\n")
    config += "hooks:\n  - hooks.py\n" if hook_count else ""
    if nav == "explicit":
        config += (
            "nav:\n  - Home: index.md\n  - Named root page: page-0001.md\n"
            "  - Guides:\n      - guides/index.md\n      - guides/setup.md\n"
            "  - Also named: page-0002.md\n"
        )
    return config


def _root_site(n: int, internal: int, hook_count: int) -> dict[str, str]:
    pages = {
        "index.md": "---\nhero:\n  title: Help\n---\n\n# Home\n\nWelcome.\n",
        "guides/index.md": "# Guides\n",
        "guides/setup.md": "# Setup\n\n[A root page](../page-0000.md)\n",
        # Where the listing would go: it must go elsewhere, and this page be listed.
        "a-z.md": "# A writer's own a-z page\n",
    }
    for i in range(n - internal - hook_count - 1):
        pages[f"page-{i:04}.md"] = f"# Page {i:04}\n\nDoes thing {i}.\n"
    for i in range(internal):
        pages[f"agents-{i:02}.md"] = f"---\naudience: internal\n---\n\n# Agents {i:02}\n\nNote.\n"
    return pages


def _root_titles(pages: dict[str, str], hook_count: int, edition: str) -> set[str]:
    """The titles of every root page this edition publishes (home page not counted)."""
    titles = {f"Made {i:02}" for i in range(hook_count)}
    for uri, text in pages.items():
        internal = "audience: internal" in text
        if "/" not in uri and uri != "index.md" and (edition == "internal" or not internal):
            titles.add(next(line[2:] for line in text.splitlines() if line.startswith("# ")))
    return titles


@pytest.mark.parametrize(("nav", "edition"), [("implicit", "public"), ("explicit", "internal")])
def test_page_size_stays_flat_as_the_root_grows(build_site, tmp_path, nav, edition):
    """200 root pages once carried 120-136 KB of navigation HTML each; now a root page, the home
    page and a section's page weigh the same at 60 and at 240 root pages."""
    sizes, hook_count = [], 10
    for n in (60, 240):
        (tmp_path / "project").mkdir(exist_ok=True)
        (tmp_path / "project" / "hooks.py").write_text(_ROOT_HOOK.format(count=hook_count))
        pages = _root_site(n, internal=5, hook_count=hook_count)
        result, site = build_site(pages, _root_config(nav, hook_count), "--edition", edition)
        assert result.exit_code == 0, result  # strict: no page left out, no link broken

        # Every root page of the edition is listed, once, on a page of its own; the home page
        # stays a landing page, the search page a way to an answer.
        listing = parse(site / "a-z-2" / "index.html")
        listed = [a.text().strip() for a in listing.css("article > ul > li > a")]
        expected = _root_titles(pages, hook_count, edition)
        assert sorted(listed) == sorted(expected)
        assert len(listed) == (n if edition == "internal" else n - 5)  # the public has no agents'
        assert "A writer's own a-z page" in listed and "search" not in listed
        assert not parse(site / "index.html").css("article > ul > li > a")

        # The navigation: home, the listing, the section; the listing is one click away.
        for page in ("page-0000", "made-00", "guides/setup"):
            sidebar = parse(site / page / "index.html").css_first(".md-sidebar--primary")
            links = [a.attributes.get("href", "") for a in sidebar.css("a")]
            assert len(links) < 10, links
            assert any(href.rstrip("/").endswith("a-z-2") for href in links), links
        assert broken_links(site) == []
        sizes.append(
            {
                page: len((site / page / "index.html").read_bytes())
                for page in ("page-0000", "made-00", "guides/setup", "")
            }
        )
        shutil.rmtree(tmp_path / "project")
    small, large = sizes
    for page, size in large.items():
        assert size < small[page] * 1.05, (page, small[page], size)


def test_a_root_without_a_home_page_is_listed_by_a_generated_home_page(build_site):
    from tests.conftest import MINIMAL_CONFIG, ROOT

    config = MINIMAL_CONFIG.format(theme=ROOT / "theme").replace(
        "  - kb\n", "  - kb:\n      nav_section_limit: 3\n"
    )
    pages = {f"p{i}.md": f"# P{i}\n" for i in range(5)} | {"guides/index.md": "# Guides\n"}
    result, site = build_site(pages, config)
    assert result.exit_code == 0, result
    home = parse(site / "index.html")
    assert [a.text() for a in home.css("article > ul > li > a")] == [f"P{i}" for i in range(5)]
    sidebar = parse(site / "p0" / "index.html").css_first(".md-sidebar--primary")
    assert not any(
        f"p{i}" in a.attributes.get("href", "") for a in sidebar.css("a") for i in range(5)
    )
    assert broken_links(site) == []
