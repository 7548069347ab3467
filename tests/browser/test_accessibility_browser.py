"""Accessibility: zero serious or critical axe-core violations on every page of both editions.

Runs Deque's axe-core (bundled by axe-playwright-python) inside a real Chromium, on every HTML
page, in the light scheme; a sample of pages also in the dark scheme; the header search box open
and the search page with and without results.
"""

from __future__ import annotations

import pytest

from tests.helpers.browser import axe_violations, serve_directory
from tests.helpers.sitecheck import html_files

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def violations(axe, page) -> list[str]:
    """Serious or critical violations, once the page is still (see tests.browser.settle)."""
    return axe_violations(axe, page)


def audit(axe, page, site, pages) -> dict[str, list[str]]:
    problems = {}
    with serve_directory(site) as url:
        for rel in pages:
            page.goto(url + rel)
            page.wait_for_load_state("networkidle")
            if found := violations(axe, page):
                problems[rel] = found
    return problems


def relative_pages(site) -> list[str]:
    return [p.relative_to(site).as_posix() for p in html_files(site)]


def test_every_public_page(axe, page, demo_site):
    pages = relative_pages(demo_site)
    assert len(pages) >= 20
    assert audit(axe, page, demo_site, pages) == {}


def test_every_internal_page(axe, page, demo_internal_site):
    pages = relative_pages(demo_internal_site)
    assert "internal/agent-notes/index.html" in pages
    assert audit(axe, page, demo_internal_site, pages) == {}


SAMPLE = [
    "index.html",
    "faq/index.html",
    "training/agenda/index.html",
    "wiki/permits/index.html",
    "wiki/videos/getting-started-webinar/index.html",
]


def test_dark_scheme(axe, chromium, demo_site):
    context = chromium.new_context(color_scheme="dark", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
        assert audit(axe, page, demo_site, SAMPLE) == {}
    finally:
        context.close()


def test_small_screen(axe, chromium, demo_site):
    context = chromium.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    try:
        assert audit(axe, page, demo_site, SAMPLE) == {}
    finally:
        context.close()


def open_box(page, query: str) -> None:
    """Type `query` into the header box; wait until its list shows that query's results."""
    page.fill("#kb-search-input", query)
    page.wait_for_function(
        "q => document.querySelector('#kb-search-listbox').dataset.kbQuery === q",
        arg=query,
        timeout=15_000,
    )
    page.keyboard.press("ArrowDown")  # an option chosen: aria-activedescendant in use


def test_search_open_with_results(axe, page, demo_site):
    with serve_directory(demo_site) as url:
        page.goto(url + "faq/")
        open_box(page, "ticket")
        assert page.locator("#kb-search-listbox [role=option]").count() >= 3
        assert violations(axe, page) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_page_with_and_without_results(axe, chromium, demo_site, scheme):
    context = chromium.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        with serve_directory(demo_site) as url:
            for query, listed in (("phone hours", True), ("qwxzv", False), ("telefone", True)):
                page.goto(url + "search/?q=" + query.replace(" ", "+"))
                page.wait_for_selector("#kb-search-page-results[data-kb-source]")
                assert (page.locator("main ol > li").count() > 0) == listed, query
                assert violations(axe, page) == [], query
            page.goto(url + "search/")
            assert violations(axe, page) == []
    finally:
        context.close()


def test_search_box_open_on_a_phone(axe, chromium, demo_site):
    context = chromium.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    try:
        with serve_directory(demo_site) as url:
            page.goto(url + "wiki/")
            page.click("[data-kb-search-open]")
            open_box(page, "password")
            assert violations(axe, page) == []
    finally:
        context.close()


FADING_PAGE = """<!doctype html><html lang="en"><title>Fade</title>
<style>
  body { background: #fff; }
  p { color: #000; opacity: 0.1; transition: opacity 60s linear; }
  p.shown { opacity: 1; }
</style>
<main><p id="text">Text fading in, as Material fades in its search results.</p>
<ol id="list"></ol></main>
<script>
  requestAnimationFrame(() => requestAnimationFrame(() =>
    document.getElementById("text").classList.add("shown")));
  let added = 0;
  const timer = setInterval(() => {
    const item = document.createElement("li");
    item.textContent = "result " + (++added);
    document.getElementById("list").append(item);
    if (added === 20) clearInterval(timer);
  }, 30);
</script></html>
"""


def test_the_settling_helper_waits_out_motion_and_changes(axe, page, tmp_path):
    """Mid-fade, axe reports low contrast; once settled (motion off, DOM still) it cannot."""
    (tmp_path / "index.html").write_text(FADING_PAGE, encoding="utf-8")
    with serve_directory(tmp_path) as url:
        page.goto(url)
        page.wait_for_function("getComputedStyle(text).opacity > 0.1")
        mid_fade = [v["id"] for v in axe.run(page).response["violations"]]
        assert "color-contrast" in mid_fade  # what the flaky search test saw
        assert violations(axe, page) == []
        assert page.evaluate("getComputedStyle(text).opacity") == "1"
        assert page.locator("#list li").count() == 20  # settled only after the last change
