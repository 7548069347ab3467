"""The search as visitors use it, in a real Chromium: the header box, the search page, OpenSearch,
and the search API asked first when the site is served with one.

The sites are the demo, built for real; the API is a real ``kb serve --api`` process on a free
port of 127.0.0.1, stopped by its PID. The "API down" and "API slow" cases are real HTTP servers
too: a configured API address where nothing listens, and a server whose /api/search answers
after seconds.
"""

from __future__ import annotations

import http.server
import json
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from tests.conftest import ROOT, copy_demo, run_kb
from tests.helpers.browser import serve_directory
from tests.helpers.sitecheck import html_files, parse

BOX = "#kb-search-input"
LISTBOX = "#kb-search-listbox"
RESULTS = "main ol.kb-search-page__list > li"
HOSTILE = '<img src=x onerror="window.__pwned=1"><b>bold</b> & "quotes"'


def wait_for_box(page, query: str) -> None:
    """Until the box's list shows the results of `query` (not of an earlier query)."""
    page.wait_for_function(
        "q => document.querySelector('#kb-search-listbox').dataset.kbQuery === q",
        arg=query,
        timeout=15_000,
    )


def wait_for_page_results(page) -> None:
    page.wait_for_selector("#kb-search-page-results[data-kb-source]", timeout=15_000)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def copy_project(target: Path, extra_config: str = "") -> Path:
    """This repository's demo (content/, theme/, mkdocs.yml) copied to `target`."""
    copy_demo(target, config=None)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (target / "mkdocs.yml").write_text(config + extra_config, encoding="utf-8")
    return target


# ---------------------------------------------------------------- the built pages (no browser)


def test_every_page_links_the_opensearch_description(demo_site):
    description = demo_site / "opensearch.xml"
    for path in html_files(demo_site):
        links = parse(path).css('head link[rel="search"]')
        assert len(links) == 1, path
        assert links[0].attributes["type"] == "application/opensearchdescription+xml"
        assert links[0].attributes["title"] == "OPS-COM Help Centre"
        href = links[0].attributes["href"]
        # 404.html is served at any depth: its links are from the site root.
        target = demo_site / href.lstrip("/") if href.startswith("/") else path.parent / href
        assert target.resolve() == description.resolve(), path
    ns = {"os": "http://a9.com/-/spec/opensearch/1.1/"}
    tree = ET.parse(description).getroot()
    short = tree.find("os:ShortName", ns).text
    assert short and len(short) <= 16 and "OPS-COM Help Centre".startswith(short)
    assert tree.find("os:LongName", ns).text == "OPS-COM Help Centre"
    url = tree.find("os:Url", ns)
    assert url.get("type") == "text/html"
    assert url.get("template") == "search/?q={searchTerms}"


def test_opensearch_description_escapes_the_site_name_and_uses_site_url():
    from kb_builder.indexing.search_page import opensearch

    name = 'Help & "Support" <Centre> of a long name'
    asset = opensearch(name, "https://h.example/kb", "search/")
    root = ET.fromstring(asset.content)
    ns = {"os": "http://a9.com/-/spec/opensearch/1.1/"}
    assert root.find("os:ShortName", ns).text == 'Help & "Support"'
    assert root.find("os:Description", ns).text == f"Search {name}"
    assert root.find("os:Url", ns).get("template") == "https://h.example/kb/search/?q={searchTerms}"


def test_the_search_page_and_the_home_page_are_never_results(demo_site):
    records = []
    for path in sorted((demo_site / "assets" / "kb-search" / "r").glob("*.js")):
        # kbSearchChunk("r/0",[[url, title, ...], ...]);
        text = path.read_text(encoding="utf-8")
        records += [row[0] for row in json.loads(text[text.index(",") + 1 : text.rindex(")")])]
    assert len(records) > 50, "no records found in the browser index"
    assert "search/" not in records and "" not in records
    assert not any(r.startswith(("search/#", "#")) for r in records)
    # The Whoosh index (kb search, the API) has the same records: neither page is in it.
    project = demo_site.parent / "project"
    for query in ("search the help centre", "help centre home"):
        found = run_kb("search", query, "--json", "--limit", "50", cwd=project)
        assert found.exit_code == 0, found
        urls = [hit["url"] for hit in json.loads(found.output)["hits"]]
        assert urls and not any(u == "" or u.startswith(("search/", "#")) for u in urls), urls


def test_the_search_page_without_scripts_says_so(demo_site):
    tree = parse(demo_site / "search" / "index.html")
    main = tree.css_first("main")
    noscript = main.css_first("noscript")
    assert noscript is not None and "needs JavaScript" in noscript.html
    assert 'href="../faq/"' in noscript.html
    assert 'href="../support/launch-a-ticket/"' in noscript.html
    form = main.css_first("form[role=search]")
    assert form.css_first("input[name=q]") is not None
    hero = parse(demo_site / "index.html").css_first("form.kb-hero__search")
    assert hero.attributes["action"] == "search/" and hero.attributes["method"] == "get"


def test_a_small_site_gets_the_search_page_and_a_collision_is_an_error(build_site):
    pages = {"index.md": "# Home\n\nWelcome.\n", "guide.md": "# Guide\n\nText.\n"}
    result, site = build_site(pages)
    assert result.exit_code == 0, result
    page = parse(site / "search" / "index.html")
    # No FAQ and no ticket guides in this site: the page says so without dead links.
    assert "needs JavaScript" in page.css_first("main noscript").html
    assert page.css("main noscript a") == []
    assert page.css_first("header input#kb-search-input").attributes["role"] == "combobox"
    assert (site / "opensearch.xml").is_file()
    faq = '---\ntitle: "Billing & <b>refunds</b> [FAQ]"\ntype: faq\n---\n\n## Can I pay?\n\nYes.\n'
    result, site = build_site({**pages, "billing.md": faq})
    assert result.exit_code == 0, result
    links = parse(site / "search" / "index.html").css("main noscript a")
    assert [a.text() for a in links] == ["Billing & <b>refunds</b> [FAQ]"]  # text, not markup
    assert links[0].attributes["href"] == "../billing/"
    result, _ = build_site({**pages, "search.md": "# My search\n"})
    assert result.exit_code != 0
    assert "the search page is generated at search.md" in result.output, result


# ---------------------------------------------------------------- the header box


@pytest.mark.browser
def test_typing_shows_results_as_you_type(page, demo_url):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(demo_url + "faq/")
    box = page.locator(BOX)
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-expanded") == "false"
    box.click()
    box.press_sequentially("pass", delay=40)
    wait_for_box(page, "pass")
    box.press_sequentially("word", delay=40)
    wait_for_box(page, "password")  # the last query wins
    assert box.get_attribute("aria-expanded") == "true"
    assert box.get_attribute("aria-controls") == "kb-search-listbox"
    options = page.locator(f"{LISTBOX} [role=option]")
    assert options.count() >= 3
    first = page.locator(f"{LISTBOX} .kb-search__result").first
    assert "password" in first.inner_text().lower()
    assert page.locator(f"{LISTBOX} mark").count() >= 1
    # Nothing but this site was asked (a static host: no API, no other host).
    assert {urlsplit(u).netloc for u in requests} == {urlsplit(demo_url).netloc}
    assert not any("/api/" in u for u in requests)
    assert page.js_errors == []


@pytest.mark.browser
def test_keyboard_alone_arrows_enter_and_escape(page, demo_url):
    page.goto(demo_url + "wiki/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "kb-search-input"
    page.keyboard.type("escalation", delay=30)
    wait_for_box(page, "escalation")
    box = page.locator(BOX)
    assert box.get_attribute("aria-activedescendant") is None
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    second = page.locator(f"{LISTBOX} [role=option]").nth(1)
    assert box.get_attribute("aria-activedescendant") == second.get_attribute("id")
    assert second.get_attribute("aria-selected") == "true"
    page.keyboard.press("ArrowUp")
    first = page.locator(f"{LISTBOX} [role=option]").first
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    page.keyboard.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    assert page.locator(LISTBOX).is_hidden()
    assert page.evaluate("document.activeElement.id") == "kb-search-input"
    page.keyboard.press("ArrowDown")  # opens the list again, nothing chosen yet
    assert box.get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    target = page.locator(f"{LISTBOX} [role=option]").first.get_attribute("data-href")
    page.keyboard.press("Enter")
    page.wait_for_url(target)
    assert page.js_errors == []


@pytest.mark.browser
def test_escape_right_after_typing_keeps_the_list_closed(page, demo_url):
    page.goto(demo_url + "faq/")
    page.locator(BOX).focus()
    page.keyboard.type("sandbo")
    wait_for_box(page, "sandbo")
    page.keyboard.type("x")
    page.keyboard.press("Escape")  # the list closes before "sandbox" is even asked
    page.wait_for_timeout(1500)
    assert page.locator(BOX).get_attribute("aria-expanded") == "false"
    assert page.locator(LISTBOX).is_hidden()
    assert page.input_value(BOX) == "sandbox"
    page.keyboard.press("Escape")  # with the list closed, Escape clears the box
    assert page.input_value(BOX) == ""


@pytest.mark.browser
def test_enter_without_a_choice_opens_the_search_page(page, demo_url):
    page.goto(demo_url + "support/")
    page.keyboard.press("s")
    assert page.evaluate("document.activeElement.id") == "kb-search-input"
    page.keyboard.type("phone hours")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=phone+hours")
    wait_for_page_results(page)
    assert page.locator(RESULTS).count() >= 3
    assert page.js_errors == []


@pytest.mark.browser
def test_shortcut_keys_do_not_steal_typing_in_fields(page, demo_url):
    page.goto(demo_url + "search/")
    page.click("#kb-search-page-q")
    page.keyboard.type("s/s")
    assert page.input_value("#kb-search-page-q") == "s/s"
    assert page.input_value(BOX) == ""


@pytest.mark.browser
def test_the_box_on_a_phone(chromium, demo_url):
    context = chromium.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(demo_url + "faq/")
        opener = page.locator("[data-kb-search-open]")
        assert opener.is_visible() and page.locator(BOX).is_hidden()
        opener.click()
        assert page.locator(BOX).is_visible()
        assert page.evaluate("document.activeElement.id") == "kb-search-input"
        page.keyboard.type("sandbox")
        wait_for_box(page, "sandbox")
        listbox = page.locator(LISTBOX).bounding_box()
        assert listbox["x"] >= 0 and listbox["x"] + listbox["width"] <= 375
        page.keyboard.press("Escape")
        page.keyboard.press("Escape")
        assert page.locator(BOX).is_hidden() and opener.is_visible()
    finally:
        context.close()


@pytest.mark.browser
def test_the_header_keeps_materials_parts(page, demo_url):
    """theme/partials/header.html is a copy of Material's: its other parts must still work."""
    page.goto(demo_url + "faq/")
    header = page.locator("header.md-header")
    assert header.locator(".md-logo").count() == 1
    assert header.locator("label[for=__drawer]").count() == 1
    assert header.locator(".md-header__title").count() == 1
    assert header.locator("form[data-md-component=palette]").count() == 1


# ---------------------------------------------------------------- the search page


@pytest.mark.browser
def test_search_page_lists_results_in_an_ordered_list_inside_main(page, demo_url):
    page.goto(demo_url + "search/?q=" + quote("escalation process"))
    wait_for_page_results(page)
    items = page.locator(RESULTS)
    assert items.count() >= 3
    for i in range(3):
        item = items.nth(i)
        link = item.locator("a.kb-search-page__link")
        assert link.inner_text().strip()
        assert link.get_attribute("href").startswith(demo_url)
        assert item.locator(".kb-search-page__where").inner_text().strip()
        assert item.locator(".kb-search-page__snippet").inner_text().strip()
    assert page.input_value("#kb-search-page-q") == "escalation process"
    assert "results for" in page.locator("#kb-search-page-status").inner_text()
    assert page.locator("#kb-search-page-help").is_hidden()
    first = items.first.locator("a").get_attribute("href")
    items.first.locator("a").click()
    page.wait_for_url(first)
    assert page.js_errors == []


@pytest.mark.browser
def test_zero_results_offer_the_did_you_mean_and_the_contact_routes(page, demo_url):
    # A misspelling with a filter that leaves nothing: no results, but a respelling to try.
    page.goto(demo_url + "search/?q=escalaton&kind=release")
    wait_for_page_results(page)
    assert page.locator(RESULTS).count() == 0
    assert "No results" in page.locator("#kb-search-page-status").inner_text()
    dym = page.locator(".kb-search-page__did-you-mean a")
    assert dym.inner_text() == "escalation"
    assert "q=escalation" in dym.get_attribute("href")
    help_box = page.locator("#kb-search-page-help")
    assert help_box.is_visible()
    assert help_box.locator('a[href$="support/launch-a-ticket/"]').count() == 1
    assert help_box.locator('a[href$="faq/"]').count() == 1
    dym.click()
    page.wait_for_url("**/search/?q=escalation&kind=release")  # the same filter, respelt
    wait_for_page_results(page)
    assert page.input_value("#kb-search-page-q") == "escalation"
    # Nothing at all to respell: still the way to contact support.
    page.goto(demo_url + "search/?q=qwxzv")
    wait_for_page_results(page)
    assert page.locator(RESULTS).count() == 0
    assert page.locator("#kb-search-page-help").is_visible()
    assert page.js_errors == []


@pytest.mark.browser
def test_a_respelt_query_says_so_with_a_link(page, demo_url):
    page.goto(demo_url + "search/?q=telefone")
    wait_for_page_results(page)
    corrected = page.locator(".kb-search-page__corrected a")
    assert corrected.inner_text() == "telephone"
    assert page.locator(RESULTS).count() >= 3


@pytest.mark.browser
def test_the_query_is_shown_as_text_never_markup(page, demo_url):
    page.goto(demo_url + "search/?q=" + quote(HOSTILE))
    wait_for_page_results(page)
    assert HOSTILE in page.locator("#kb-search-page-status").inner_text()
    assert page.input_value("#kb-search-page-q") == HOSTILE
    assert page.locator("main img[src=x], main b").count() == 0
    page.locator(BOX).fill(HOSTILE)
    wait_for_box(page, HOSTILE)
    assert HOSTILE in page.locator(LISTBOX).inner_text()
    assert page.locator("header img[src=x], header b").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert HOSTILE in page.title()
    assert page.js_errors == []


@pytest.mark.browser
def test_without_scripts_the_search_page_says_so_and_links_to_help(chromium, demo_url):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(demo_url + "search/?q=phone")
        message = page.locator("main noscript, main .kb-search-page__noscript").first
        assert "needs JavaScript" in page.locator("main").inner_text()
        assert message is not None
        page.locator("main a", has_text="Customer Support FAQ").first.click()
        page.wait_for_url("**/faq/")
        # The header box is a plain form: Enter opens the search page.
        page.fill(BOX, "phone")
        page.press(BOX, "Enter")
        page.wait_for_url("**/search/?q=phone")
    finally:
        context.close()


# ---------------------------------------------------------------- the search API first


@pytest.fixture(scope="module")
def api_server(tmp_path_factory) -> Iterator[str]:
    """The demo built with `kb build`, served by a real `kb serve --api` process.

    The API's timeout is raised to 3 s here: on a loaded test machine a Whoosh query can take
    longer than the default 250 ms, and this test is about which engine answers, not how fast
    (test_a_slow_api_is_not_waited_for is about the timeout).
    """
    project = copy_project(
        tmp_path_factory.mktemp("api") / "project", "\nextra:\n  kb_search_api_timeout_ms: 3000\n"
    )
    built = run_kb("build", cwd=project)
    assert built.exit_code == 0, built
    port = free_port()
    kb = Path(sys.executable).with_name("kb")
    process = subprocess.Popen(
        [str(kb), "serve", "--api", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line, line
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()  # by its PID: only the process this fixture started
        process.wait(timeout=10)


@pytest.mark.browser
def test_served_with_the_api_the_box_and_the_page_ask_it_first(page, api_server):
    api_calls: list[str] = []
    page.on("request", lambda r: api_calls.append(r.url) if "/api/search" in r.url else None)
    page.goto(api_server + "faq/")
    # Focusing the box finds the API (a HEAD request for this page) and warms it up.
    with page.expect_response(lambda r: "/api/search" in r.url, timeout=15_000):
        page.locator(BOX).focus()
    page.locator(BOX).fill("sandbox")
    wait_for_box(page, "sandbox")
    assert page.locator(LISTBOX).get_attribute("data-kb-source") == "api"
    assert any("q=sandbox" in u for u in api_calls)
    first = page.locator(f"{LISTBOX} .kb-search__result").first
    assert first.get_attribute("data-href") == api_server + "wiki/preview-environment/"
    page.goto(api_server + "search/?q=" + quote("phone hours"))
    wait_for_page_results(page)
    assert page.locator("#kb-search-page-results").get_attribute("data-kb-source") == "api"
    assert page.locator(RESULTS).count() >= 3
    assert page.js_errors == []


@pytest.fixture(scope="module")
def site_with_unreachable_api(tmp_path_factory) -> Path:
    """The demo configured with a search API at an address where nothing listens."""
    dead = free_port()  # bound, then released: nothing listens there
    project = copy_project(
        tmp_path_factory.mktemp("api-down") / "project",
        f"\nextra:\n  kb_search_api: http://127.0.0.1:{dead}/api/search\n",
    )
    built = run_kb("build", cwd=project)
    assert built.exit_code == 0, built
    return project / "site"


@pytest.mark.browser
def test_a_configured_api_that_is_down_falls_back_to_the_static_index(
    page, site_with_unreachable_api
):
    tried: list[str] = []
    page.on("request", lambda r: tried.append(r.url))
    with serve_directory(site_with_unreachable_api) as url:
        page.goto(url + "faq/")
        configured = page.locator("[data-kb-search]").get_attribute("data-kb-api")
        assert configured.startswith("http://127.0.0.1:")
        page.locator(BOX).fill("sandbox")
        wait_for_box(page, "sandbox")
        assert page.locator(LISTBOX).get_attribute("data-kb-source") == "static"
        assert any(u.startswith(configured) for u in tried)
        assert page.locator(f"{LISTBOX} .kb-search__result").count() >= 3
        page.goto(url + "search/?q=sandbox")
        wait_for_page_results(page)
        assert page.locator(RESULTS).count() >= 3
    assert page.js_errors == []


class _SlowApiHandler(http.server.SimpleHTTPRequestHandler):
    """A site whose server announces an API that answers only after `delay` seconds."""

    delay = 5.0

    def end_headers(self) -> None:
        self.send_header("X-KB-Search-API", "/api/search")
        super().end_headers()

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        if not self.path.startswith("/api/"):
            return super().do_GET()
        time.sleep(self.delay)
        body = json.dumps({"query": "", "hits": [], "total": 0}).encode()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the browser gave up waiting, as it should

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


def serve_with_slow_api(root: Path):
    """`root` served on 127.0.0.1 by a server whose /api/search answers too late."""
    return serve_directory(root, _SlowApiHandler)


@pytest.mark.browser
def test_a_slow_api_is_not_waited_for(page, demo_site):
    with serve_with_slow_api(demo_site) as url:
        page.goto(url + "faq/")
        page.locator(BOX).focus()  # finds the API and loads the static index
        page.wait_for_timeout(500)
        started = time.monotonic()
        page.locator(BOX).fill("sandbox")
        wait_for_box(page, "sandbox")
        elapsed = time.monotonic() - started
        assert page.locator(LISTBOX).get_attribute("data-kb-source") == "static"
        assert elapsed < 2.5, elapsed  # the API would have taken 5 s
        assert page.locator(f"{LISTBOX} .kb-search__result").count() >= 3
    assert page.js_errors == []
