"""Contact routes in a real Chromium with a fixed clock: from the home page to the right link.

The demo site is built once (tests/conftest.py) and served on 127.0.0.1. Each visit fixes the
browser's clock (Playwright's `page.clock`) at a moment given with the vendor's UTC offset
(Toronto is -05:00 in January), in a browser running in another time zone. From the home page
the client clicks "Contact support" (one click) and must then see, for their plan and their
kind of issue, the link that applies right now (the second click): the on-call address for a
critical issue after hours, never a telephone number for Standard Plus, never a telephone
while it is closed.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.browser

SATURDAY_10PM = "2026-01-17T22:00:00-05:00"
TUESDAY_10AM = "2026-01-13T10:00:00-05:00"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}

TICKETS = "mailto:support@example.com"
ON_CALL = "mailto:critical@example.com"
PORTAL = "https://help.example.com/"
CALL = "tel:+14165550142"

# (moment, plan, ticket type) -> the addresses its route links to, in order.
EXPECTED = {
    (SATURDAY_10PM, "premium", "critical"): [ON_CALL],
    (SATURDAY_10PM, "premium", "standard"): [TICKETS, PORTAL],
    (SATURDAY_10PM, "standard-plus", "critical"): [ON_CALL],
    (SATURDAY_10PM, "standard-plus", "standard"): [TICKETS, PORTAL],
    (TUESDAY_10AM, "premium", "critical"): [TICKETS, PORTAL, CALL],
    (TUESDAY_10AM, "premium", "standard"): [TICKETS, PORTAL, CALL],
    (TUESDAY_10AM, "standard-plus", "critical"): [TICKETS, PORTAL],
    (TUESDAY_10AM, "standard-plus", "standard"): [TICKETS, PORTAL],
}


@pytest.fixture
def visitor(chromium, request):
    """A page in a fresh context of the given device, in Tokyo time, collecting script errors."""
    device = request.param
    context = chromium.new_context(timezone_id="Asia/Tokyo", **device)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.js_errors = errors  # type: ignore[attr-defined]
    yield page
    context.close()


def address(href: str) -> str:
    """A link's address without its query (a mailto: link's subject and body)."""
    return href.split("?", 1)[0]


@pytest.mark.parametrize("visitor", [PHONE, DESKTOP], ids=["phone", "desktop"], indirect=True)
@pytest.mark.parametrize("moment", [SATURDAY_10PM, TUESDAY_10AM], ids=["sat-22h", "tue-10h"])
def test_each_client_reaches_the_right_link_in_two_clicks(visitor, demo_url, moment):
    page = visitor
    page.clock.set_fixed_time(moment)
    page.goto(demo_url)
    # Click 1: the persistent action in the header, visible on a phone as on a desktop.
    action = page.get_by_role("link", name="Contact support")
    assert action.is_visible()
    # On screen and big enough to tap (a squeezed header once left a 16 px sliver of it).
    where = action.bounding_box()
    assert where and where["width"] >= 24 and where["height"] >= 24
    assert where["x"] >= 0 and where["x"] + where["width"] <= page.viewport_size["width"]
    assert action.locator("svg").bounding_box()["width"] >= 16
    action.click()
    page.wait_for_selector("[data-kb-support-routes]:not([hidden])")
    assert urlsplit(page.url).path.endswith("/support/launch-a-ticket/")
    assert urlsplit(page.url).fragment == "contact-support"
    for plan in ("premium", "standard-plus"):
        for ticket in ("critical", "standard"):
            route = page.locator(f'[data-kb-route="{plan}:{ticket}"]')
            links = route.locator("a")
            hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
            assert [address(h) for h in hrefs] == EXPECTED[(moment, plan, ticket)], (plan, ticket)
            # Click 2 is on a link the client can see and reach.
            first = links.first
            first.scroll_into_view_if_needed()
            assert first.is_visible()
            box = first.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]
    # A critical e-mail carries the subject format and the checklist of support.yml.
    critical = page.locator('[data-kb-route="premium:critical"] a').first.get_attribute("href")
    query = parse_qs(urlsplit(critical).query)
    assert query["subject"] == ["CRITICAL - <your organization> - <what is down>"]
    assert "the impact on your operation" in query["body"][0]
    assert page.locator('[data-kb-route-plan="standard-plus"] a[href^="tel:"]').count() == 0
    assert page.js_errors == []


def test_the_critical_route_comes_first_and_stands_out(page, demo_url):
    page.clock.set_fixed_time(SATURDAY_10PM)
    page.goto(demo_url + "support/launch-a-ticket/")
    page.wait_for_selector("[data-kb-support-routes]:not([hidden])")
    items = page.locator('[data-kb-route-plan="premium"] li')
    assert items.first.get_attribute("data-kb-route") == "premium:critical"
    assert items.first.get_attribute("data-kb-route-kind") == "after-hours"
    text = items.first.inner_text()
    assert text.startswith("Critical ticket (after-hours critical email, answered by on-call")
    assert "E-mail: critical@example.com" in text


def test_without_scripts_every_route_is_a_plain_list(chromium, demo_url):
    context = chromium.new_context(
        java_script_enabled=False, viewport={"width": 390, "height": 844}
    )
    try:
        page = context.new_page()
        page.goto(demo_url)
        page.get_by_role("link", name="Contact support").click()
        assert not page.locator("[data-kb-ticket-form]").is_visible()
        assert not page.locator("[data-kb-support-routes]").is_visible()
        listing = page.locator("#contact-routes-by-plan + p + ul")
        text = listing.inner_text()
        assert "Premium" in text and "Standard Plus" in text
        premium, standard_plus = listing.locator(":scope > li").all()
        assert premium.locator('a[href="tel:+14165550142"]').count() == 2
        assert standard_plus.locator('a[href^="tel:"]').count() == 0
        assert standard_plus.locator(f'a[href="{ON_CALL}"]').count() == 1
    finally:
        context.close()


def test_the_ticket_form_answers_first_then_hands_over_the_route(page, demo_url):
    page.clock.set_fixed_time(SATURDAY_10PM)
    page.goto(demo_url + "support/launch-a-ticket/")
    form = page.locator("[data-kb-ticket-form]")
    form.wait_for(state="visible")
    step = page.locator("[data-kb-ticket-route-step]")
    assert not step.is_visible()  # no route before the client has said what is wrong
    page.locator("[data-kb-ticket-problem]").press_sequentially(
        "when can I call support on the telephone", delay=10
    )
    answer = page.locator("[data-kb-ticket-answer] a", has_text="telephone support")
    answer.first.wait_for(state="visible")
    assert "faq/#what-hours-is-telephone-support-available" in answer.first.get_attribute("href")
    step.wait_for(state="visible")
    # The answers come before the route on the page, too.
    before = page.evaluate(
        """() => {
            const a = document.querySelector('[data-kb-ticket-answer]');
            const r = document.querySelector('[data-kb-ticket-route-step]');
            return Boolean(a.compareDocumentPosition(r) & Node.DOCUMENT_POSITION_FOLLOWING);
        }"""
    )
    assert before
    page.select_option("[data-kb-ticket-plan]", "standard-plus")
    page.select_option("[data-kb-ticket-urgency]", label="Normal")
    links = page.locator("[data-kb-ticket-route-links] a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert [address(h) for h in hrefs] == [TICKETS, PORTAL]
    query = parse_qs(urlsplit(hrefs[0]).query)
    assert query["subject"] == ["when can I call support on the telephone"]
    body = query["body"][0]
    assert body.startswith("Problem: when can I call support on the telephone\nUrgency: Normal")
    assert "- record numbers, such as a permit, citation or user number;" in body
    assert (
        "answered on the next business day" in page.locator("[data-kb-ticket-route]").inner_text()
    )
    # The same problem, critical, from a Premium client on Saturday night: the on-call address.
    page.select_option("[data-kb-ticket-plan]", "premium")
    page.select_option("[data-kb-ticket-urgency]", label="Critical")
    href = page.locator("[data-kb-ticket-route-links] a").first.get_attribute("href")
    assert address(href) == ON_CALL
    subject = parse_qs(urlsplit(href).query)["subject"]
    assert subject == ["CRITICAL - <your organization> - when can I call support on the telephone"]
    assert page.js_errors == []


def test_the_ticket_form_shows_result_text_as_text(page, demo_url):
    """A query with markup is echoed as text: no element is made from what the client typed."""
    page.goto(demo_url + "support/launch-a-ticket/")
    page.locator("[data-kb-ticket-form]").wait_for(state="visible")
    page.locator("[data-kb-ticket-problem]").fill('<img src=x onerror="window.pwned=1"> zzqxv')
    page.locator("[data-kb-ticket-route-step]").wait_for(state="visible")
    assert page.locator("[data-kb-ticket-form] img").count() == 0
    assert page.evaluate("window.pwned") is None
    assert page.js_errors == []


def test_the_filled_form_and_the_routes_pass_axe_on_a_phone(chromium, demo_url):
    from axe_playwright_python.sync_playwright import Axe

    from tests.helpers.browser import axe_violations

    context = chromium.new_context(**PHONE)
    try:
        page = context.new_page()
        page.clock.set_fixed_time(TUESDAY_10AM)
        page.goto(demo_url + "support/launch-a-ticket/")
        page.locator("[data-kb-ticket-problem]").fill("officers cannot issue citations")
        page.locator("[data-kb-ticket-route-step]").wait_for(state="visible")
        page.select_option("[data-kb-ticket-plan]", "premium")
        page.select_option("[data-kb-ticket-urgency]", label="Critical")
        page.locator("[data-kb-ticket-route-links] a").first.wait_for(state="visible")
        assert axe_violations(Axe(), page) == []
    finally:
        context.close()
