"""Accessibility: zero serious or critical axe-core violations on every page of both editions.

Runs Deque's axe-core (bundled by axe-playwright-python) inside a real Chromium, on every HTML
page, in the light scheme; a sample of pages also in the dark scheme and with the search open.
"""

from __future__ import annotations

import pytest

from tests.browser import serve_directory
from tests.sitecheck import html_files

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def violations(axe, page) -> list[str]:
    found = []
    for violation in axe.run(page).response["violations"]:
        if violation["impact"] in BLOCKING:
            targets = [node["target"] for node in violation["nodes"]][:3]
            found.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']} {targets}"
            )
    return found


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


def test_search_open_with_results(axe, page, demo_site):
    with serve_directory(demo_site) as url:
        page.goto(url + "faq/")
        page.fill("input.md-search__input", "ticket")
        page.press("input.md-search__input", "End")  # Material searches on keyup
        page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
        assert violations(axe, page) == []
