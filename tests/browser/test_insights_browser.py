"""The "Was this helpful?" widget and the search events, in a real headless Chromium, against a
real `kb serve --api` (answers found in its SQLite file), and absent from a static site."""

from __future__ import annotations

import pytest

from tests.helpers.browser import serve_directory
from tests.helpers.insights_server import build_project, kb_serve_api

pytestmark = pytest.mark.browser

WIDGET = "form.kb-feedback"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    project = build_project(
        tmp_path_factory.mktemp("insights-browser") / "project",
        # On a loaded test machine a Whoosh query can pass the default 250 ms.
        extra_config="\nextra:\n  kb_search_api_timeout_ms: 3000\n",
    )
    with kb_serve_api(project) as server:
        yield server


def test_a_visitor_answers_no_with_a_comment_and_it_is_in_sqlite(page, served):
    page.goto(served.url + "/wiki/permits/")
    widget = page.locator(WIDGET)
    widget.wait_for(state="visible", timeout=15_000)
    assert widget.count() == 1
    assert page.get_by_role("group", name="Was this page helpful?").is_visible()
    page.get_by_role("button", name="No").click()
    assert page.get_by_role("button", name="No").get_attribute("aria-pressed") == "true"
    comment = "Step 3 shows an old menu <b>bold</b>"
    box = page.get_by_label("What should we add or fix?")
    assert box.evaluate("el => el === document.activeElement")
    box.fill(comment)
    page.get_by_role("button", name="Send").click()
    status = widget.locator("[role=status]")
    status.filter(has_text="Thank you").wait_for(timeout=15_000)
    assert status.get_attribute("aria-live") == "polite"
    assert served.rows("SELECT page, anchor, helpful, comment FROM feedback") == [
        ("wiki/permits/", "", 0, comment)
    ]
    # The comment is text in the page, never markup.
    assert page.locator("form.kb-feedback b").count() == 0
    assert page.js_errors == []


def test_every_faq_answer_has_its_own_widget(page, served):
    page.goto(served.url + "/faq/")
    questions = page.locator("h2.kb-faq-question")
    page.locator(WIDGET).first.wait_for(state="visible", timeout=15_000)
    assert page.locator(WIDGET).count() == questions.count() > 3
    # One box per answer, none for the page as a whole.
    assert page.locator("[data-kb-feedback] form").count() == 0
    target = "faq/#what-hours-is-telephone-support-available"
    widget = page.locator(f'{WIDGET}[data-kb-feedback-target="{target}"]')
    # It sits under its answer: the next question comes after it.
    assert widget.evaluate(
        "w => w.previousElementSibling.textContent.includes('Premium customers')"
        " || w.previousElementSibling.previousElementSibling.textContent.includes('Premium')"
    )
    widget.get_by_role("button", name="Yes").click()
    widget.get_by_role("button", name="Send").click()
    widget.locator("[role=status]").filter(has_text="Thank you").wait_for(timeout=15_000)
    rows = served.rows("SELECT page, anchor, helpful FROM feedback WHERE page = 'faq/'")
    assert rows == [("faq/", "what-hours-is-telephone-support-available", 1)]
    assert page.js_errors == []


def test_searches_that_find_nothing_and_opened_results_are_recorded(page, served):
    page.goto(served.url + "/search/?q=quokka+licence+zzqx")
    page.locator("[data-kb-search-results] [role=status]").filter(has_text="No results").wait_for(
        timeout=15_000
    )
    page.wait_for_function("() => true")  # let the event's request leave
    page.wait_for_timeout(500)
    assert served.rows("SELECT query, results FROM searches WHERE query LIKE 'quokka%'") == [
        ("quokka licence zzqx", 0)
    ]
    page.goto(served.url + "/search/?q=phone+hours")
    first = page.locator("a.kb-search-page__link").first
    first.wait_for(timeout=15_000)
    href = first.get_attribute("href")
    with page.expect_navigation():
        first.click()
    page.wait_for_timeout(500)
    rows = served.rows(
        "SELECT s.query, s.results, o.page FROM searches s JOIN opens o ON o.search_id = s.id "
        "WHERE s.query = 'phone hours'"
    )
    assert len(rows) == 1 and rows[0][1] > 0
    assert href.endswith(rows[0][2].split("#")[0]) or rows[0][2] in href
    assert page.js_errors == []


def test_a_static_site_shows_no_widget_and_sends_nothing(page, served):
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    with serve_directory(served.site) as url:
        page.goto(url + "wiki/permits/")
        page.wait_for_load_state("networkidle")
        assert page.locator(WIDGET).count() == 0
        assert page.locator("[data-kb-feedback]").is_hidden()
        assert page.get_by_role("button", name="Yes").count() == 0
        page.goto(url + "faq/")
        page.wait_for_load_state("networkidle")
        assert page.locator(WIDGET).count() == 0
    assert posts == []
    assert page.js_errors == []


def test_a_result_chosen_in_the_header_box_is_one_search_with_its_open(page, served):
    page.goto(served.url + "/")
    assert page.locator(WIDGET).count() == 0  # the home page is a way to answers, not one
    box = page.locator("#kb-search-input")
    box.focus()
    box.fill("sandbox refresh")
    page.locator(".kb-search__result").first.wait_for(timeout=15_000)
    with page.expect_navigation():
        box.press("ArrowDown")
        box.press("Enter")
    page.locator(WIDGET).first.wait_for(state="visible", timeout=15_000)
    rows = served.rows(
        "SELECT s.results, o.page FROM searches s LEFT JOIN opens o ON o.search_id = s.id "
        "WHERE s.query = 'sandbox refresh'"
    )
    assert len(rows) == 1 and rows[0][0] > 0 and rows[0][1]
    assert page.url.split("#")[0].endswith(rows[0][1].split("#")[0])
    # The prefixes typed on the way ("s", "sa", ...) are not searches anyone made.
    assert served.rows("SELECT count(*) FROM searches WHERE query LIKE 'sandbox%'") == [(1,)]
    assert page.js_errors == []


def test_the_widgets_have_no_serious_accessibility_violations(page, served):
    from axe_playwright_python.sync_playwright import Axe

    from tests.helpers.browser import axe_violations

    page.goto(served.url + "/faq/")
    page.locator(WIDGET).first.wait_for(state="visible", timeout=15_000)
    page.locator(WIDGET).first.get_by_role("button", name="No").click()  # comment box open
    found = axe_violations(Axe(), page)
    assert found == []
