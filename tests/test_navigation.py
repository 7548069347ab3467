"""Bounded navigation: a page's size must not grow with the number of pages in the site."""

import pytest

from kb_builder.navigation import ListedPage, crowded_sections, listing_markdown, page_title
from tests.sitecheck import broken_links, parse


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
