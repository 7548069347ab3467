"""The demo site in a real Chromium: search from the home page, FAQ anchors and back links."""

import pytest

pytestmark = pytest.mark.browser


def in_viewport(page, selector: str) -> bool:
    return page.evaluate(
        """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
                     return r.top >= 0 && r.top < window.innerHeight; }""",
        selector,
    )


def test_home_search_opens_results(page, demo_url):
    page.goto(demo_url)
    page.fill("#kb-hero-q", "telephone")
    page.press("#kb-hero-q", "Enter")
    page.wait_for_url("**/search/?q=telephone")
    results = page.locator("main ol.kb-search-page__list > li")
    results.first.wait_for(timeout=15_000)
    assert page.input_value("#kb-search-page-q") == "telephone"
    texts = " ".join(results.all_inner_texts()).lower()
    assert "telephone" in texts
    assert page.js_errors == []


def test_faq_question_links_jump_to_the_answer_and_back(page, demo_url):
    page.goto(demo_url + "faq/")
    page.click("nav#questions >> text=What hours is telephone support available?")
    page.wait_for_url("**/faq/#what-hours-is-telephone-support-available")
    assert in_viewport(page, "#what-hours-is-telephone-support-available")
    page.click("#what-hours-is-telephone-support-available ~ p.kb-faq-back a >> nth=0")
    page.wait_for_url("**/faq/#questions")
    assert in_viewport(page, "#questions")
    assert page.js_errors == []


def test_deep_link_to_a_question(page, demo_url):
    page.goto(demo_url + "faq/#how-does-your-escalation-process-work")
    assert in_viewport(page, "#how-does-your-escalation-process-work")
    heading = page.inner_text("#how-does-your-escalation-process-work")
    assert heading.startswith("How does your escalation process work?")


def test_most_asked_questions_link_into_the_faq(page, demo_url):
    page.goto(demo_url)
    page.click("text=What after-hours support do you provide?")
    page.wait_for_url("**/faq/#what-after-hours-support-do-you-provide")
    assert in_viewport(page, "#what-after-hours-support-do-you-provide")
