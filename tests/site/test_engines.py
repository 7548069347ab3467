"""`kb build --engine`: the demo built by MkDocs, ProperDocs and Zensical (docs/engines.md).

ProperDocs runs the kb plugin itself: its site must be MkDocs' byte for byte, but for the
generator's name. Zensical runs no plugin: it is handed the docs tree the core exports, and
its site must have what that tree carries (FAQ anchors and JSON-LD, the ticket guides, the
Upcoming Release page, the agenda, lesson boxes, related lists), with no broken link. The
canary test's tokens are planted in the demo and every byte of each engine's public output,
of the tree Zensical was given, and of the public search index is scanned.

An engine that is not installed fails these tests under CI (CI=true) instead of skipping:
`make test` installs the `engines` extra.
"""

from __future__ import annotations

import contextlib
import html.parser
import importlib.util
import os
import posixpath
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.conftest import ROOT, build_demo, copy_demo, run_kb, write_project
from tests.site import test_canaries as canaries


def require(engine: str) -> None:
    if importlib.util.find_spec(engine) is None:
        message = f"{engine} is not installed (pip install -e '.[engines]')"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def demo_project(work: Path) -> Path:
    project = work / "project"
    copy_demo(project)
    return project


@contextlib.contextmanager
def working_dir(path: Path):
    old = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def zensical_build(project: Path, site: Path, export: Path, *args: str):
    """`kb build --engine zensical`, keeping what Zensical was given in `export`."""
    from kb_builder.engines import zensical

    edition = args[1] if args[:1] == ("--edition",) else None
    with working_dir(project):
        return zensical.build("mkdocs.yml", site, edition=edition, export_dir=export)


def pages(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(site.rglob("*.html"))
    }


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("href"):
            self.hrefs.append(values["href"])


def links_of(text: str) -> _Links:
    parser = _Links()
    parser.feed(text)
    return parser


def broken_links(site: Path) -> list[str]:
    """Every link from a page of `site` to a page or anchor of it that is not there."""
    found = pages(site)
    parsed = {path: links_of(text) for path, text in found.items()}
    broken = []
    for path, links in parsed.items():
        for href in links.hrefs:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith(("mailto:", "tel:", "#__")):
                continue
            # A path from the root ("/" on the 404 page) is read from the site's root.
            base = "" if parts.path.startswith("/") else posixpath.dirname(path)
            target = posixpath.normpath(posixpath.join(base, unquote(parts.path).lstrip("/")))
            if parts.path == "":
                target = path
            elif parts.path.endswith("/") or not posixpath.splitext(target)[1]:
                target = posixpath.join(target, "index.html")
            if target not in found and not (site / target).is_file():
                broken.append(f"{path}: {href}")
            elif (
                parts.fragment
                and target in parsed
                and unquote(parts.fragment) not in parsed[target].ids
            ):
                broken.append(f"{path}: {href} (no such anchor)")
    return broken


GENERATOR = re.compile(r'<meta name="generator" content="[^"]*">')


# --- ProperDocs -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def properdocs_site(tmp_path_factory) -> Path:
    require("properdocs")
    return build_demo(tmp_path_factory.mktemp("properdocs"), "--engine", "properdocs")


def test_properdocs_builds_the_same_site_as_mkdocs(properdocs_site, demo_site):
    """The kb plugin ran inside ProperDocs: every page is MkDocs', but for the generator."""
    ours, theirs = pages(properdocs_site), pages(demo_site)
    assert sorted(ours) == sorted(theirs)
    assert "ProperDocs" in GENERATOR.search(ours["index.html"]).group(0)
    different = [
        path for path in ours if GENERATOR.sub("", ours[path]) != GENERATOR.sub("", theirs[path])
    ]
    assert different == []
    # Every other file too (the feed and calendars differ only by their build time).
    assert {p.relative_to(properdocs_site) for p in properdocs_site.rglob("*")} == {
        p.relative_to(demo_site) for p in demo_site.rglob("*")
    }


def test_properdocs_reports_a_broken_link_at_the_writers_line(build_site):
    require("properdocs")
    result, site = build_site(
        {"index.md": "# Home\n\nSee [the guide](guide.md).\n", "other.md": "# Other\n"},
        None,
        "--engine",
        "properdocs",
    )
    assert result.exit_code == 1, result
    assert "content/index.md:3:" in result.output, result.output
    assert "Traceback" not in result.output
    assert not site.exists()


def test_properdocs_writes_the_search_index(properdocs_site):
    project = properdocs_site.parent / "project"
    result = run_kb("search", "critical ticket", "--json", cwd=project)
    assert result.exit_code == 0, result
    assert '"total": 0' not in result.output


# --- Zensical ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def zensical_demo(tmp_path_factory):
    """The demo's public edition built by Zensical: (site, what Zensical was given)."""
    require("zensical")
    work = tmp_path_factory.mktemp("zensical")
    project = demo_project(work)
    built = zensical_build(project, work / "site", work / "export")
    assert built.site_dir == work / "site"
    return work / "site", work / "export"


def test_zensical_rendered_the_site(zensical_demo):
    site, _ = zensical_demo
    assert "zensical" in GENERATOR.search((site / "index.html").read_text()).group(0).lower()
    assert (site / ".kb-build").is_file()
    # MkDocs' static search index of the same pages, beside Zensical's.
    assert (site / "assets" / "kb-search" / "manifest.js").is_file()
    # The home page's search-first hero (theme/home.html's, written into the page).
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<section class="kb-hero"' in home and 'action="search/"' in home
    assert (site / "search" / "index.html").is_file()
    # The feed, the calendar and the OpenSearch description are files of the exported tree.
    assert b"<feed" in (site / "releases" / "feed.xml").read_bytes()
    assert b"BEGIN:VCALENDAR" in (site / "releases" / "rollouts.ics").read_bytes()
    assert 'rel="search" type="application/opensearchdescription+xml"' in (
        site / "index.html"
    ).read_text(encoding="utf-8")


def test_zensical_has_the_faq_anchors_and_json_ld(zensical_demo, demo_site):
    site, _ = zensical_demo
    ours = (site / "faq" / "index.html").read_text(encoding="utf-8")
    theirs = (demo_site / "faq" / "index.html").read_text(encoding="utf-8")
    questions = {h for h in links_of(theirs).hrefs if h.startswith("#") and not h.startswith("#__")}
    assert len(questions) >= 5, questions
    # The question list links to each question, and each question has its anchor.
    assert questions <= set(links_of(ours).hrefs)
    assert {q[1:] for q in questions} <= links_of(ours).ids
    assert '<script type="application/ld+json">' in ours
    assert '"@type": "FAQPage"' in ours


@pytest.mark.parametrize(
    "page",
    [
        "support/launch-a-ticket/index.html",
        "support/critical-tickets/index.html",
        "support/plans-and-hours/index.html",
        "support/escalation/index.html",
        "releases/upcoming/index.html",
        "releases/index.html",
        "training/agenda/index.html",
    ],
)
def test_zensical_has_the_generated_pages(zensical_demo, demo_site, page):
    """Pages made from data, with the headings of MkDocs' rendering of them."""
    site, _ = zensical_demo
    assert (site / page).is_file(), page
    ours = links_of((site / page).read_text(encoding="utf-8")).ids
    theirs = links_of((demo_site / page).read_text(encoding="utf-8")).ids
    headings = {i for i in theirs if not i.startswith(("__", "kb-"))}
    assert headings and headings <= ours, headings - ours


def test_zensical_links_to_generated_pages_are_not_broken(zensical_demo, demo_site):
    site, _ = zensical_demo
    assert broken_links(site) == []
    # The check finds broken links: the same walk over a page with one.
    probe = site.parent / "probe"
    shutil.copytree(site, probe)
    page = probe / "wiki" / "index.html"
    page.write_text(page.read_text() + '<a href="../support/no-such-guide/">x</a>')
    assert broken_links(probe) == ["wiki/index.html: ../support/no-such-guide/"]


def test_zensical_has_lesson_boxes_and_related_lists(zensical_demo, demo_site):
    site, _ = zensical_demo
    for marker in ('class="kb-lesson-nav"', 'class="kb-related"', 'class="kb-freshness"'):
        ours = {p for p, text in pages(site).items() if marker in text}
        theirs = {p for p, text in pages(demo_site).items() if marker in text}
        assert theirs and ours == theirs, marker


def test_zensical_has_the_video_players(zensical_demo, demo_site):
    site, _ = zensical_demo
    page = "wiki/videos/getting-started-webinar/index.html"
    assert "kb-video" in (demo_site / page).read_text()
    assert "kb-video" in (site / page).read_text()


def test_zensical_is_handed_no_plugin_and_no_data(zensical_demo):
    _, export = zensical_demo
    config = (export / "mkdocs.yml").read_text(encoding="utf-8")
    assert "- kb" not in config and "kb:" not in config.split("extra:")[0]
    assert not (export / "docs" / "_data").exists()
    assert not (export / "docs" / "internal").exists()
    # Pages from data are files of the tree, so Zensical can link to them.
    assert (export / "docs" / "support" / "launch-a-ticket.md").is_file()


def test_zensical_refuses_the_offline_copy(tmp_path):
    require("zensical")
    project = demo_project(tmp_path)
    result = run_kb("build", "--engine", "zensical", "--offline", cwd=project)
    assert result.exit_code == 1
    assert "--offline is not available with --engine zensical" in result.output
    assert "Traceback" not in result.output
    assert not (project / "site-offline").exists()


def test_zensical_content_errors_are_the_kb_plugins(tmp_path):
    """The export runs the kb plugin and MkDocs' checks: a broken link stops it at its line."""
    require("zensical")
    cfg = write_project(
        tmp_path / "project", {"index.md": "# Home\n\nSee [the guide](guide.md).\n"}
    )
    result = run_kb("build", "--engine", "zensical", cwd=cfg.parent)
    assert result.exit_code == 1, result
    assert "content/index.md:3:" in result.output, result.output
    assert "Traceback" not in result.output


def test_zensical_warnings_are_at_the_writers_line(tmp_path):
    """A link only Zensical checks (raw HTML) fails the build at the source's own line, past
    front matter the export rewrites."""
    require("zensical")
    page = (
        "---\ntitle: Home page\nowner: Support Team\n---\n# Home\n\nIntro.\n\n"
        '<p><a href="missing.md">x</a></p>\n'
    )
    cfg = write_project(tmp_path / "project", {"index.md": page})
    assert run_kb("build", cwd=cfg.parent).exit_code == 0  # MkDocs does not read raw HTML
    result = run_kb("build", "--engine", "zensical", "-d", "zsite", cwd=cfg.parent)
    assert result.exit_code == 1, result
    assert "content/index.md:9: page does not exist (Zensical)" in result.output, result.output
    assert "Traceback" not in result.output
    assert not (cfg.parent / "zsite").exists()


# --- canaries on every engine's public output -------------------------------------------


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("engine-canaries") / "project"
    copy_demo(project)
    canaries._plant(project)
    return project


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs", "zensical"])
def test_no_canary_in_any_byte_an_engine_publishes(planted, engine):
    if engine != "mkdocs":
        require(engine)
    site = planted.parent / f"site-{engine}"
    if engine == "zensical":
        export = planted.parent / "zensical-export"
        zensical_build(planted, site, export, "--edition", "public")
        given = canaries.every_file(export)
        assert any(p.startswith("docs/") for p in given)
        assert canaries.leaks(given) == {}
    else:
        result = run_kb("build", "--engine", engine, "-d", str(site), cwd=planted)
        assert result.exit_code == 0, result
    files = canaries.every_file(site)
    assert len(files) > 50
    assert canaries.leaks(files) == {}
    assert b"public guide text." in files["wiki/canary-guide/index.html"]
    assert b"public snippet text." in files["wiki/canary-snippets/index.html"]
    # The public search index this build wrote (.kb/index/public).
    index = {
        path: data
        for path, data in canaries.every_file(planted / ".kb").items()
        if "internal" not in path
    }
    assert index and canaries.leaks(index) == {}


def test_the_internal_edition_through_zensical_has_every_canary(planted, tmp_path):
    """The scan can fail: the internal edition's tree and site hold every token."""
    require("zensical")
    zensical_build(planted, tmp_path / "site", tmp_path / "export", "--edition", "internal")
    files = canaries.every_file(tmp_path / "site")
    missing = [c for c in canaries.CANARIES if not any(c.encode() in d for d in files.values())]
    assert missing == []
    # The theme's edition banner (config.extra.kb_edition) and the export's page badge.
    assert b"kb-edition-banner" in files["index.html"]
    assert b"kb-page-badge" in files["internal/canary-runbook/index.html"]


# --- kb serve --engine ------------------------------------------------------------------


def test_properdocs_serves_the_preview(tmp_path):
    """`kb serve --engine properdocs` previews with ProperDocs; stopping kb stops its server."""
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    require("properdocs")
    cfg = write_project(tmp_path / "project", {"index.md": "# Home\n\nHello there.\n"})
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    kb = Path(sys.executable).with_name("kb")
    process = subprocess.Popen(
        [str(kb), "serve", "--engine", "properdocs", "--no-livereload", "-a", f"127.0.0.1:{port}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=cfg.parent,
    )
    try:
        deadline, page = time.monotonic() + 90, None
        while page is None and time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    page = response.read().decode()
            except OSError:
                time.sleep(0.5)
        assert page is not None, process.poll()
        assert "Hello there." in page
        assert "ProperDocs" in GENERATOR.search(page).group(0)
    finally:
        process.terminate()
        output = process.communicate(timeout=60)[0]
    assert "Traceback" not in output, output
    # The server (kb's child) stopped with kb: nothing listens there (SO_REUSEADDR: the
    # closed connections' TIME_WAIT does not count, a listening socket still does).
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))


def test_zensical_has_no_preview(tmp_path):
    require("zensical")
    cfg = write_project(tmp_path / "project", {"index.md": "# Home\n"})
    result = run_kb("serve", "--engine", "zensical", cwd=cfg.parent)
    assert result.exit_code == 1, result
    assert "kb serve --engine zensical is not available" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("limit, collapsed", [(3, True), (40, False)])
def test_zensical_navigation_collapses_crowded_folders(tmp_path, limit, collapsed):
    """The derived nav is the kb plugin's: a folder over nav_section_limit shows its index
    alone (which lists its pages), and a folder under it shows every page."""
    require("zensical")
    pages_ = {"index.md": "# Home\n\nSee the [wiki](wiki/index.md).\n"}
    pages_["wiki/index.md"] = "# Wiki\n\nAll articles.\n"
    pages_ |= {f"wiki/a{i}.md": f"# Article {i}\n\nText {i}.\n" for i in range(1, 6)}
    config = (
        f"site_name: T\ndocs_dir: content\ntheme:\n  name: material\n  custom_dir: {ROOT / 'theme'}"
        "\n  font: false\n  features:\n    - navigation.indexes\nplugins:\n  - kb:\n"
        f"      nav_section_limit: {limit}\nmarkdown_extensions:\n  - admonition\n"
    )
    cfg = write_project(tmp_path / "project", pages_, config)
    result = run_kb("build", "--engine", "zensical", cwd=cfg.parent)
    assert result.exit_code == 0, result
    home = (cfg.parent / "site" / "index.html").read_text(encoding="utf-8")
    hrefs = {posixpath.normpath(h) for h in links_of(home).hrefs}  # Zensical writes ./wiki/
    assert "wiki" in hrefs
    assert ("wiki/a3" in hrefs) is not collapsed
    listing = (cfg.parent / "site" / "wiki" / "index.html").read_text(encoding="utf-8")
    assert "a3/" in listing


@pytest.mark.browser
def test_zensical_search_box_and_page_answer_in_chromium(zensical_demo, page):
    """The header box and the search page run on Zensical's pages (theme overrides, scripts,
    and the static index MkDocs built of the same pages), with no script error."""
    from tests.browser.test_search_ui_browser import BOX, LISTBOX, RESULTS, wait_for_box
    from tests.helpers.browser import serve_directory

    site, _ = zensical_demo
    with serve_directory(site) as url:
        page.goto(url + "faq/")
        box = page.locator(BOX)
        box.click()
        box.press_sequentially("password", delay=40)
        wait_for_box(page, "password")
        first = page.locator(f"{LISTBOX} .kb-search__result").first
        assert "password" in first.inner_text().lower()
        page.goto(url + "search/?q=critical%20ticket")
        page.wait_for_selector("#kb-search-page-results[data-kb-source]", timeout=15_000)
        assert page.locator(RESULTS).count() >= 1
        assert page.js_errors == []


@pytest.mark.browser
def test_zensical_webinar_plays_from_the_site(zensical_demo, page):
    """The player's file links, rewritten for Zensical, reach the video and its captions."""
    from tests.helpers.browser import serve_directory

    site, _ = zensical_demo
    with serve_directory(site) as url:
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(url + "wiki/videos/release-preview-webinar/")
        page.wait_for_load_state("networkidle")
        assert not any(u.endswith(".webm") for u in requested)  # nothing before play
        played = page.evaluate(
            """async () => {
                const v = document.querySelector('figure.kb-video video');
                v.muted = true;
                await v.play();
                await new Promise(r => setTimeout(r, 1200));
                return {time: v.currentTime, tracks: v.textTracks.length};
            }"""
        )
        assert played["time"] > 0.3 and played["tracks"] == 1
        assert page.js_errors == []
