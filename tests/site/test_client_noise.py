"""Less noise for clients (issue 12): what the built pages of each edition show, read back.

Browser checks of the same items (layout at 375 and 1280 px) are in
test_client_noise_browser.py.
"""

from __future__ import annotations

import re

from tests.helpers.sitecheck import html_files, parse

# What only writers need: the data files pages come from, and the tools that build the site.
PLUMBING = re.compile(r"_data/|\.ya?ml\b|Material for MkDocs|MkDocs|kb-builder|Made with", re.I)


def _visible_text(path) -> str:
    tree = parse(path)
    for node in tree.css("script, style, svg, template"):
        node.decompose()
    return " ".join(tree.body.text(separator=" ").split())


def test_public_pages_show_no_writer_plumbing(demo_site):
    leaks = {}
    for path in html_files(demo_site):
        found = PLUMBING.findall(_visible_text(path))
        if found:
            leaks[path.relative_to(demo_site).as_posix()] = sorted(set(found))
    assert leaks == {}


def test_the_internal_edition_still_names_the_data_file(demo_internal_site):
    note = parse(demo_internal_site / "support" / "escalation" / "index.html")
    text = " ".join(note.css_first(".kb-freshness").text().split())
    assert text.startswith("This page is generated from _data/support.yml; its data last changed")


def test_the_footer_names_no_tools_with_any_config(build_site):
    """The theme's footer, not one site's settings: a site without `extra.generator: false`
    (the test config) shows its copyright and nothing about how it was built."""
    config = None  # the minimal test config: no copyright, no generator setting
    result, site = build_site({"index.md": "# Home\n"}, config)
    assert result.exit_code == 0, result
    footer = parse(site / "index.html").css_first("footer")
    assert "Made with" not in footer.text() and "Material" not in footer.text()
    assert footer.css('a[href*="squidfunk"]') == []


def test_the_copyright_is_shown_as_text(build_site, tmp_path):
    from tests.conftest import MINIMAL_CONFIG, ROOT

    config = MINIMAL_CONFIG.format(theme=ROOT / "theme") + 'copyright: "© Us <b>& co</b>"\n'
    result, site = build_site({"index.md": "# Home\n"}, config)
    assert result.exit_code == 0, result
    line = parse(site / "index.html").css_first(".md-copyright__highlight")
    assert line.text().strip() == "© Us <b>& co</b>" and line.css("b") == []


def _related_lists(path) -> int:
    tree = parse(path)
    own = tree.css("article h2#related-pages, article h2#related-articles")
    return len(own) + len(tree.css("nav.kb-related"))


def test_every_page_has_at_most_one_related_list(demo_site, demo_internal_site):
    for site in (demo_site, demo_internal_site):
        pages = html_files(site)
        doubled = [p.relative_to(site).as_posix() for p in pages if _related_lists(p) > 1]
        assert doubled == []
    # Both kinds are still there: a page's own list, and the computed one where it has none.
    assert _related_lists(demo_site / "support" / "escalation" / "index.html") == 1
    assert parse(demo_site / "support" / "team" / "index.html").css("nav.kb-related")


def test_every_label_names_a_control_of_its_page(demo_site, demo_internal_site):
    """Material's table of contents title is <label for="__toc"> even on a section's index page,
    which has no __toc toggle (the Nu checker's error); the build unlinks it there."""
    orphans = []
    for site in (demo_site, demo_internal_site):
        for path in html_files(site):
            tree = parse(path)
            ids = {n.attributes["id"] for n in tree.css("[id]")}
            for label in tree.css("label[for]"):
                if label.attributes["for"] not in ids:
                    orphans.append(f"{path.relative_to(site)}: {label.attributes['for']}")
    assert orphans == []
    # The section index pages still have their table of contents, titled.
    toc = parse(demo_site / "support" / "index.html").css_first("nav.md-nav--secondary")
    assert "Table of contents" in toc.css_first(".md-nav__title").text()


def test_every_page_links_the_release_feed(demo_site, demo_internal_site):
    from urllib.parse import urljoin

    for site in (demo_site, demo_internal_site):
        for path in html_files(site):
            links = parse(path).css('head link[rel="alternate"][type="application/atom+xml"]')
            rel = path.relative_to(site).as_posix()
            assert len(links) == 1, rel
            base = "http://x/" + rel
            target = urljoin(base, links[0].attributes["href"])
            assert target == "http://x/releases/feed.xml", rel
            assert (site / "releases" / "feed.xml").is_file()


def test_no_feed_link_without_release_notes(build_site):
    result, site = build_site({"index.md": "# Home\n", "page.md": "# Page\n"})
    assert result.exit_code == 0, result
    assert not (site / "releases" / "feed.xml").exists()
    for path in html_files(site):
        assert parse(path).css('link[rel="alternate"]') == [], path


# ---- kb check: feeds and calendars need site_url -------------------------------------------------


def _release_project(tmp_path, extra_config: str = ""):
    """A small site with release notes (one release, one change) and `extra_config`."""
    from tests.conftest import MINIMAL_CONFIG, ROOT, write_project

    config = "site_name: Test help centre\n" + extra_config + MINIMAL_CONFIG.split("\n", 1)[1]
    pages = {
        "index.md": "# Home\n",
        "_data/releases/1.0.yml": "version: '1.0'\nstatus: released\ndate: 2026-01-06\n",
        "_data/changes/a.yml": "title: A fix\nkind: fix\nrelease: '1.0'\nbody: Fixed.\n",
    }
    return write_project(tmp_path, pages, config.format(theme=ROOT / "theme"))


def test_check_says_feeds_need_site_url(tmp_path):
    from tests.conftest import run_kb

    cfg = _release_project(tmp_path)
    result = run_kb("check", "-f", "mkdocs.yml", cwd=tmp_path)
    assert result.exit_code == 0, result  # a notice: a site under construction has no address
    assert (
        "mkdocs.yml:1: site_url is not set: the release notes' feeds and calendars get "
        "placeholder ids (kb-builder.invalid)"
    ) in result.output
    assert result.output.count("[site_url]") == 1
    assert cfg.is_file()


def test_check_is_quiet_about_site_url_when_it_is_set_or_not_needed(tmp_path):
    from tests.conftest import run_kb, write_project

    _release_project(tmp_path / "set", "site_url: https://help.example.com/\n")
    result = run_kb("check", "-f", "mkdocs.yml", cwd=tmp_path / "set")
    assert result.exit_code == 0 and "site_url" not in result.output, result
    # From the environment at build time: not known to kb check, and not missing.
    _release_project(tmp_path / "env", "site_url: !ENV [KB_SITE_URL, '']\n")
    result = run_kb("check", "-f", "mkdocs.yml", cwd=tmp_path / "env")
    assert "site_url" not in result.output, result
    # No release notes: no feed, nothing to say.
    write_project(tmp_path / "plain", {"index.md": "# Home\n"})
    result = run_kb("check", "-f", "mkdocs.yml", cwd=tmp_path / "plain")
    assert result.exit_code == 0 and "site_url" not in result.output, result
