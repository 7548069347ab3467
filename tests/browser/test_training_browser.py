"""The training agenda in a real Chromium: progress survives a reload; lesson navigation."""

import pytest

pytestmark = pytest.mark.browser


def progress(page, group: str) -> tuple[int, int]:
    bar = page.locator(f'progress[data-kb-progress="{group}"]')
    return int(bar.evaluate("b => b.value")), int(bar.evaluate("b => b.max"))


def test_ticked_lessons_survive_a_reload(page, demo_url):
    page.goto(demo_url + "training/agenda/")
    assert progress(page, "all") == (0, 22)
    assert page.locator("[data-kb-continue]").inner_text().startswith("Start with 1.1")
    page.check('input[data-kb-lesson="preview-environment"]')
    page.check('input[data-kb-lesson="issuing-permits"]')

    page.reload()
    assert page.is_checked('input[data-kb-lesson="preview-environment"]')
    assert page.is_checked('input[data-kb-lesson="issuing-permits"]')
    assert not page.is_checked('input[data-kb-lesson="signing-in"]')
    assert progress(page, "all") == (2, 22)
    assert progress(page, "getting-started") == (1, 4)
    assert progress(page, "permits") == (1, 5)
    assert page.inner_text('[data-kb-progress-label="all"]') == "2 of 22 lessons done"
    assert page.locator("[data-kb-continue]").inner_text() == (
        "Continue where you left off: 1.2 Signing in safely"
    )
    # The same progress shows on the page a lesson links to (ticking a lesson starts the agenda).
    page.goto(demo_url + "wiki/permits/")
    assert page.locator("nav.kb-lesson-nav").first.is_visible()
    assert page.is_checked('nav.kb-lesson-nav input[data-kb-lesson="issuing-permits"]')
    assert not page.is_checked('nav.kb-lesson-nav input[data-kb-lesson="permit-types"]')
    # Reset clears it.
    page.goto(demo_url + "training/agenda/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-kb-reset]")
    assert progress(page, "all") == (0, 22)
    page.reload()
    assert not page.is_checked('input[data-kb-lesson="preview-environment"]')
    assert page.js_errors == []


def test_progress_is_keyed_by_lesson_id(page, demo_url):
    """What is stored names lesson ids, so renaming a lesson's title keeps the tick."""
    page.goto(demo_url + "training/agenda/")
    page.check('input[data-kb-lesson="waitlists"]')
    stored = page.evaluate("JSON.parse(localStorage.getItem('kb-training:ops-com-help-centre'))")
    assert list(stored["done"]) == ["waitlists"]


def test_lesson_navigation_on_a_linked_page(page, demo_url):
    # Opened from the agenda: the lesson box is there (a visitor who did not is shown none).
    page.goto(demo_url + "training/agenda/")
    page.click('article a[href="../../wiki/signing-in/"]')
    page.wait_for_url("**/wiki/signing-in/")
    nav = page.locator("nav.kb-lesson-nav").first
    assert nav.is_visible()
    assert "Lesson 2 of 4 in Module 1: Getting started" in nav.inner_text()
    page.click("nav.kb-lesson-nav >> nth=0 >> a[rel=next]")
    page.wait_for_url("**/wiki/videos/getting-started-webinar/")
    assert (
        "Lesson 3 of 4 in Module 1: Getting started"
        in page.locator("nav.kb-lesson-nav").first.inner_text()
    )
    page.click("nav.kb-lesson-nav >> nth=0 >> a[rel=prev]")
    page.wait_for_url("**/wiki/signing-in/")
    # Ticking on the lesson page counts on the agenda.
    page.check('nav.kb-lesson-nav input[data-kb-lesson="signing-in"]')
    page.click("nav.kb-lesson-nav >> text=Self-guided training agenda")
    page.wait_for_url("**/training/agenda/")
    assert page.is_checked('input[data-kb-lesson="signing-in"]')
    assert page.js_errors == []


def test_agenda_is_a_plain_checklist_without_scripts(chromium, demo_url):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_url + "training/agenda/")
    assert page.locator("input[data-kb-lesson]").count() == 22
    assert not page.locator(".kb-progress").first.is_visible()
    assert not page.locator(".kb-agenda-actions").is_visible()
    page.check('input[data-kb-lesson="tour"]')  # still a usable checklist
    context.close()


def test_agenda_prints_as_a_checklist(page, demo_url):
    page.goto(demo_url + "training/agenda/")
    page.emulate_media(media="print")
    assert not page.locator(".md-header").is_visible()
    assert not page.locator(".md-sidebar--primary").is_visible()
    assert page.locator('input[data-kb-lesson="tour"]').is_visible()
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
