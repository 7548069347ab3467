"""Less noise for clients (issue 12), in a real Chromium: what a client sees on a phone (375 px)
and a desktop (1280 px) before and after they act.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}

# Pages that lessons of the demo's agenda link to, which most visitors open for themselves.
LESSON_PAGES = ["faq/", "wiki/signing-in/", "support/launch-a-ticket/", "releases/"]


def _visitor(chromium, viewport=DESKTOP, **options):
    context = chromium.new_context(viewport=viewport, **options)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.js_errors = errors  # type: ignore[attr-defined]
    return context, page


def _title_is_first(page) -> bool:
    """The page's title is the first thing shown in the article."""
    return page.evaluate(
        """() => {
          const shown = [...document.querySelector("article").children]
            .filter(e => e.offsetParent !== null);
          return shown.length > 0 && shown[0].tagName === "H1";
        }"""
    )


def test_a_new_visitor_sees_no_lesson_box(chromium, demo_url):
    context, page = _visitor(chromium)
    for path in LESSON_PAGES:
        page.goto(demo_url + path)
        assert page.locator("nav.kb-lesson-nav").count() == 2, path  # there, for those who train
        assert not page.locator("nav.kb-lesson-nav").first.is_visible(), path
        assert not page.locator("nav.kb-lesson-nav--end").is_visible(), path
        assert _title_is_first(page), path
    assert page.js_errors == []
    context.close()


def test_the_lesson_box_is_for_a_visitor_who_started_the_agenda(chromium, demo_url):
    context, page = _visitor(chromium)
    # Arriving from the agenda shows it, and it stays on the other lesson pages.
    page.goto(demo_url + "training/agenda/")
    page.click('article a[href="../../wiki/signing-in/"]')
    page.wait_for_url("**/wiki/signing-in/")
    assert page.locator("nav.kb-lesson-nav").first.is_visible()
    page.goto(demo_url + "faq/")
    assert page.locator("nav.kb-lesson-nav").first.is_visible()
    # Reset on the agenda: not started any more, so the box goes again.
    page.goto(demo_url + "training/agenda/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-kb-reset]")
    page.goto(demo_url + "faq/")
    assert not page.locator("nav.kb-lesson-nav").first.is_visible()
    # Ticking a lesson starts the agenda too.
    page.goto(demo_url + "training/agenda/")
    page.check('input[data-kb-lesson="signing-in"]')
    page.goto(demo_url + "wiki/signing-in/")
    assert page.locator("nav.kb-lesson-nav").first.is_visible()
    assert page.js_errors == []
    context.close()


def test_a_lesson_opened_in_a_new_tab_from_the_agenda_shows_the_box(chromium, demo_url):
    """The referrer counts: a visitor who opened the lesson in a new tab came from the agenda."""
    context, page = _visitor(chromium)
    page.goto(demo_url + "faq/", referer=demo_url + "training/agenda/")
    assert page.locator("nav.kb-lesson-nav").first.is_visible()
    other, stranger = _visitor(chromium)
    stranger.goto(demo_url + "faq/", referer=demo_url + "support/")
    assert not stranger.locator("nav.kb-lesson-nav").first.is_visible()
    other.close()
    context.close()


def test_without_scripts_no_lesson_box_and_the_agenda_lists_the_lessons(chromium, demo_url):
    context, page = _visitor(chromium, java_script_enabled=False)
    page.goto(demo_url + "faq/")
    assert not page.locator("nav.kb-lesson-nav").first.is_visible()
    page.goto(demo_url + "training/agenda/")
    assert page.locator("h3.kb-lesson").count() == 22
    assert page.locator('article a[href="../../wiki/signing-in/"]').first.is_visible()
    context.close()
