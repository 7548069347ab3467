"""Freshness: owners, review dates, reviews due, and when generated pages' data changed."""

import re
from datetime import date

from kb_builder.pages.freshness import overdue
from kb_builder.pages.page import analyse
from tests.conftest import ROOT, run_kb, write_project
from tests.helpers.sitecheck import parse

REVIEWED = (
    "---\nowner: Billing team\nreviewed: 2026-01-10\nreview_by: 2026-07-10\n---\n# Invoices\n"
)


def test_overdue_pages_are_listed_at_their_line():
    pages = {
        "a.md": analyse(REVIEWED, "content/a.md"),
        "b.md": analyse("---\nreview_by: 2030-01-01\n---\n# B\n", "content/b.md"),
        "c.md": analyse("# No dates\n", "content/c.md"),
    }
    assert [str(e) for e in overdue(pages, date(2026, 8, 1))] == [
        "content/a.md:4: review was due on 2026-07-10 (owner: Billing team); check the page and "
        "move 'review_by' (and 'reviewed') forward"
    ]
    assert overdue(pages, date(2026, 7, 10)) == []  # due on the day itself is not yet late


def test_review_by_must_follow_reviewed():
    page = analyse("---\nreviewed: 2026-05-01\nreview_by: 2026-01-01\n---\n", "p.md")
    assert [str(e) for e in page.errors] == [
        "p.md:3: 'review_by': 2026-01-01 is before 'reviewed' (2026-05-01); the next review "
        "comes after the last"
    ]


def test_impossible_date_is_an_error_not_a_crash():
    page = analyse("---\nreviewed: 2026-13-01\n---\n", "p.md")
    assert [str(e) for e in page.errors] == [
        "p.md:2: '2026-13-01' is not a valid date (month must be in 1..12); write dates as "
        "YYYY-MM-DD"
    ]


def test_check_lists_reviews_due_without_failing(tmp_path):
    cfg = write_project(tmp_path, {"index.md": "# Home\n", "invoices.md": REVIEWED})
    result = run_kb("check", "-f", str(cfg), "--as-of", "2026-08-01", cwd=tmp_path)
    assert result.exit_code == 0, result
    assert (
        "content/invoices.md:4: review was due on 2026-07-10 (owner: Billing team); check the "
        "page and move 'review_by' (and 'reviewed') forward [review due]"
    ) in result.output
    assert "1 page review is due." in result.output
    strict = run_kb(
        "check", "-f", str(cfg), "--as-of", "2026-08-01", "--fail-on-overdue", cwd=tmp_path
    )
    assert strict.exit_code == 1
    early = run_kb(
        "check", "-f", str(cfg), "--as-of", "2026-07-01", "--fail-on-overdue", cwd=tmp_path
    )
    assert early.exit_code == 0 and "review due" not in early.output


def test_pages_show_their_review(build_site):
    result, site = build_site({"index.md": "# Home\n", "invoices.md": REVIEWED})
    assert result.exit_code == 0, result
    note = parse(site / "invoices" / "index.html").css_first(".kb-freshness").text()
    assert " ".join(note.split()) == "Last reviewed on 10 January 2026 by Billing team."


def test_demo_pages_show_freshness(demo_site, demo_internal_site):
    faq = parse(demo_site / "faq" / "index.html").css_first(".kb-freshness").text()
    assert " ".join(faq.split()) == "Last reviewed on 2 November 2026 by Support Team."
    # Clients see when a generated page changed; which data file it comes from is for agents.
    agenda = parse(demo_site / "training" / "agenda" / "index.html").css_first(".kb-freshness")
    text = " ".join(agenda.text().split())
    assert re.fullmatch(r"Last updated on \d{1,2} [A-Z][a-z]+ \d{4}\.", text), text
    agenda = parse(demo_internal_site / "training" / "agenda" / "index.html")
    text = " ".join(agenda.css_first(".kb-freshness").text().split())
    assert text.startswith(
        "This page is generated from _data/training.yml; its data last changed on "
    )


# A fixed day, not today: the demo's review dates are real ones that will pass, and a test
# must not start failing on a date (2027-02-17 did). Due reviews are `kb check`'s job in CI.
DEMO_AS_OF = "2026-12-01"


def test_demo_has_no_review_due_on_a_fixed_day():
    result = run_kb("check", "--fail-on-overdue", "--as-of", DEMO_AS_OF, cwd=ROOT)
    assert "[review due]" not in result.output, result


def test_a_later_day_lists_the_demo_reviews_then_due():
    """The same check does see reviews once their day has passed (so the one above can fail)."""
    result = run_kb("check", "--as-of", "2099-01-01", cwd=ROOT)
    assert "[review due]" in result.output, result
