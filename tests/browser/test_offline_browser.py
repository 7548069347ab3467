"""The offline edition opened from disk (file://) in a real Chromium: everything works, and no
request goes to any other host."""

from urllib.parse import urlsplit

import pytest

from tests.conftest import copy_demo, run_kb
from tests.helpers.sitecheck import html_files, parse

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory):
    project = tmp_path_factory.mktemp("offline") / "project"
    copy_demo(project)
    result = run_kb("build", "--offline", cwd=project)
    assert result.exit_code == 0, result
    return project / "site-offline"


@pytest.fixture
def offline_page(page):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.requests = requests  # type: ignore[attr-defined]
    return page


def only_local(requests: list[str]) -> list[str]:
    return [u for u in requests if urlsplit(u).scheme not in {"file", "data", "blob"}]


def test_no_reference_to_another_host(offline_site):
    for path in html_files(offline_site):
        tree = parse(path)
        for node in tree.css("script[src], link[href], img[src], iframe[src], source[src]"):
            url = node.attributes.get("src") or node.attributes.get("href") or ""
            assert not urlsplit(url).scheme.startswith("http"), (path, url)
    assert (offline_site / "assets" / "kb-search" / "manifest.js").is_file()
    assert (offline_site / "search.html").is_file()
    assert (offline_site / "faq" / "index.html").is_file()  # no directory URLs


def test_navigation_and_faq_anchors_from_disk(offline_page, offline_site):
    page = offline_page
    page.goto((offline_site / "index.html").as_uri())
    page.click(".md-tabs >> text=FAQ")
    page.wait_for_url("**/faq/index.html")
    page.click("nav#questions >> text=How does your escalation process work?")
    page.wait_for_url("**/faq/index.html#how-does-your-escalation-process-work")
    assert page.locator("#how-does-your-escalation-process-work").is_visible()
    assert only_local(page.requests) == []
    assert page.js_errors == []


def test_search_box_works_from_disk(offline_page, offline_site):
    page = offline_page
    page.goto((offline_site / "faq" / "index.html").as_uri())
    page.fill("#kb-search-input", "escalation manager")
    results = page.locator("#kb-search-listbox .kb-search__result")
    results.first.wait_for(timeout=15_000)
    assert "escalat" in " ".join(results.all_inner_texts()).lower()
    target = results.first.get_attribute("data-href")
    assert target.startswith("file://") and ".html" in target
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(target)
    assert only_local(page.requests) == []


def test_home_search_form_from_disk(offline_page, offline_site):
    page = offline_page
    page.goto((offline_site / "index.html").as_uri())
    page.fill("#kb-hero-q", "preview")
    page.press("#kb-hero-q", "Enter")
    page.wait_for_url("**/search.html?q=preview")
    page.locator("main ol.kb-search-page__list > li").first.wait_for(timeout=15_000)
    assert only_local(page.requests) == []


def test_training_progress_from_disk(offline_page, offline_site):
    page = offline_page
    page.goto((offline_site / "training" / "agenda.html").as_uri())
    page.check('input[data-kb-lesson="waitlists"]')
    page.reload()
    assert page.is_checked('input[data-kb-lesson="waitlists"]')
    assert only_local(page.requests) == []
