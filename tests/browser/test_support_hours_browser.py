"""The "open right now" box in a real Chromium, at chosen moments (Playwright's clock).

The harness is a static page made of the box the generator emits and the theme's script, so the
test needs no MkDocs build. Times are given with the vendor's UTC offset (Toronto: -05:00 in
winter, -04:00 in summer) and the browser runs in another time zone, to show that the script
converts the visitor's clock to the vendor's.
"""

from __future__ import annotations

import shutil

import pytest

from kb_builder.families.support import load
from kb_builder.families.support import pages as generator
from tests.conftest import ROOT
from tests.helpers.browser import serve_directory

pytestmark = pytest.mark.browser

TUESDAY_10AM = "2026-01-13T10:00:00-05:00"
TUESDAY_10PM = "2026-01-13T22:00:00-05:00"
SATURDAY_10AM = "2026-01-17T10:00:00-05:00"
FRIDAY_4_59PM_SUMMER = "2026-07-17T16:59:00-04:00"
FRIDAY_5PM_SUMMER = "2026-07-17T17:00:00-04:00"

OPEN_PREMIUM = (
    "Open now, until 5 p.m. Eastern time: use online support ticket (email) or telephone."
)
OPEN_STANDARD_PLUS = "Open now, until 5 p.m. Eastern time: use online support ticket (email)."
AFTER_HOURS = (
    "Closed now. For critical tickets: after-hours critical email, answered by on-call "
    "personnel. Other requests: online support ticket (email), answered on the next business "
    "day. Opens {} at 9 a.m. Eastern time."
)


@pytest.fixture(scope="module")
def harness(tmp_path_factory):
    """A static page with the public box and the script, served on 127.0.0.1."""
    root = tmp_path_factory.mktemp("hours")
    box = generator.hours_box(load(ROOT / "content" / "_data"), "public")
    (root / "index.html").write_text(
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Hours</title>'
        f"</head><body>\n{box}\n"
        '<script src="support-hours.js"></script>\n</body></html>\n',
        encoding="utf-8",
    )
    shutil.copy(ROOT / "theme" / generator.SCRIPT, root / "support-hours.js")
    with serve_directory(root) as url:
        yield url


def read_box(page) -> dict[str, str]:
    box = page.locator("[data-kb-support-hours]")
    return {
        "state": box.get_attribute("data-kb-support-state") or "",
        "now": page.locator("[data-kb-support-now]").inner_text(),
        "premium": page.locator('[data-kb-plan="premium"] [data-kb-plan-text]').inner_text(),
        "standard-plus": page.locator(
            '[data-kb-plan="standard-plus"] [data-kb-plan-text]'
        ).inner_text(),
    }


def visit(page, harness, moment: str) -> dict[str, str]:
    page.clock.set_fixed_time(moment)
    page.goto(harness)
    page.wait_for_selector("[data-kb-support-state]", state="attached")
    return read_box(page)


def test_open_on_tuesday_at_ten(page, harness):
    box = visit(page, harness, TUESDAY_10AM)
    assert box == {
        "state": "open",
        "now": "Support is open right now: it is Tuesday, 10 a.m. Eastern time.",
        "premium": OPEN_PREMIUM,
        "standard-plus": OPEN_STANDARD_PLUS,
    }
    assert page.locator("[data-kb-support-now]").is_visible()
    assert page.js_errors == []


def test_closed_on_tuesday_at_ten_pm_with_the_after_hours_route(page, harness):
    box = visit(page, harness, TUESDAY_10PM)
    assert box["state"] == "closed"
    assert box["now"] == "Support is closed right now: it is Tuesday, 10 p.m. Eastern time."
    assert box["premium"] == AFTER_HOURS.format("tomorrow")
    assert box["standard-plus"] == AFTER_HOURS.format("tomorrow")
    assert page.js_errors == []


def test_closed_on_saturday_until_monday(page, harness):
    box = visit(page, harness, SATURDAY_10AM)
    assert box["state"] == "closed"
    assert box["now"] == "Support is closed right now: it is Saturday, 10 a.m. Eastern time."
    assert box["premium"] == AFTER_HOURS.format("Monday")


def test_the_answer_changes_at_closing_time(page, harness):
    before = visit(page, harness, FRIDAY_4_59PM_SUMMER)
    assert before["state"] == "open"
    assert before["now"] == "Support is open right now: it is Friday, 4:59 p.m. Eastern time."
    box = visit(page, harness, FRIDAY_5PM_SUMMER)
    assert box["state"] == "closed"
    assert box["premium"] == AFTER_HOURS.format("Monday")


def test_a_visitor_in_tokyo_sees_toronto_hours(chromium, harness):
    """Tuesday 10:00 in Toronto (summer time) is Tuesday 23:00 in Tokyo: support is open."""
    context = chromium.new_context(timezone_id="Asia/Tokyo")
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        box = visit(page, harness, "2026-07-14T10:00:00-04:00")
        assert page.evaluate("new Date().getHours()") == 23
        assert box["state"] == "open"
        assert box["now"] == "Support is open right now: it is Tuesday, 10 a.m. Eastern time."
        assert box["premium"] == OPEN_PREMIUM
        assert errors == []
    finally:
        context.close()


def test_static_text_is_right_with_javascript_off(chromium, harness):
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(harness)
        assert (
            page.locator("[data-kb-support-hours]").get_attribute("data-kb-support-state") is None
        )
        assert not page.locator("[data-kb-support-now]").is_visible()
        premium = page.locator('[data-kb-plan="premium"]').inner_text()
        assert premium == (
            "Premium: Online support ticket (email) and telephone, Monday to Friday, 9 a.m. to "
            "5 p.m. Eastern time. Outside business hours: after-hours critical email for "
            "critical tickets; other requests are answered on the next business day."
        )
        standard = page.locator('[data-kb-plan="standard-plus"]').inner_text()
        assert "Online support ticket (email), Monday to Friday, 9 a.m. to 5 p.m." in standard
        assert "Open now" not in page.content() and "Closed now" not in page.content()
    finally:
        context.close()
