"""Classes of search misses found on the fresh development set, each pinned on a real index.

1. Time: a day no schedule covers, a day off, a night or a clock hour shares no word with the
   pages that answer it ("business hours: Monday to Friday"); the support facts say which
   days and hours are covered, so the synonyms are derived from them and follow them.
2. Plans: "upgrade to <plan>" is a plan change, not a software upgrade.
3. Releases: clients name a release by its month, the help centre by its version.
4. Word sense: "ticket" is a citation when it is issued, written or voided; "log" is "sign".
5. Outages described, not named ("the whole site won't load").

The questions were written for these tests in clients' words, not copied from any question set.
Whoosh and the browser engine read the same synonyms (`site_synonyms`), so pinning them here
pins both; tests/browser measures their agreement.
"""

from __future__ import annotations

import datetime as dt
import shutil
from types import SimpleNamespace

import pytest
import yaml

from kb_builder.indexing.synonyms import (
    derived_synonyms,
    release_synonyms,
    site_synonyms,
    support_synonyms,
)
from search.query import Synonyms, search
from tests.conftest import ROOT, copy_demo
from tests.site.test_search_documents import demo_index
from tests.unit.test_support_pages import CANARY as SUPPORT_CANARY
from tests.unit.test_support_pages import with_internal_items

DATA = ROOT / "content" / "_data"


@pytest.fixture(scope="module")
def index(demo_site, tmp_path_factory):
    return demo_index(demo_site, tmp_path_factory)


@pytest.fixture(scope="module")
def synonyms() -> Synonyms:
    found, errors = site_synonyms(DATA, "public")
    assert not errors
    return Synonyms(found)


def pages(results, n: int = 3) -> list[str]:
    return [h.url.split("#")[0] for h in results.hits[:n]]


# The derivation itself (plain data in, synonyms out) ---------------------------------------


def _schedule(days: tuple[int, ...], start: int, end: int, name: str = "business hours"):
    return SimpleNamespace(name=name, weekdays=days, minutes=(start * 60, end * 60))


def _support(*schedules, plans=("Premium",)):
    return SimpleNamespace(
        file=SimpleNamespace(
            schedules=list(schedules), plans=[SimpleNamespace(name=p) for p in plans]
        )
    )


def test_days_and_hours_follow_the_schedule():
    weekdays = support_synonyms(_support(_schedule((1, 2, 3, 4, 5), 9, 17)))
    assert weekdays["saturday"] == ("business hours", "after hours")
    assert weekdays["sundays"] == ("business hours", "after hours")
    assert "monday" not in weekdays  # the pages name the days they cover
    assert weekdays["10am"] == ("business hours",)
    assert weekdays["7pm"] == ("business hours", "after hours")
    assert weekdays["christmas"] == ("business hours", "after hours")
    # Open on Saturdays until 8 p.m.: Saturday is a business day, 7 p.m. a business hour.
    longer = support_synonyms(_support(_schedule((1, 2, 3, 4, 5, 6), 9, 20)))
    assert "saturday" not in longer
    assert longer["7pm"] == ("business hours",)
    assert longer["sunday"] == ("business hours", "after hours")


def test_no_schedule_no_time_synonyms():
    assert support_synonyms(_support()) == {}


def test_plan_moves_name_the_plans_of_the_data():
    found = support_synonyms(_support(_schedule((1, 2, 3, 4, 5), 9, 17), plans=("Gold",)))
    assert found["upgrade to Gold"] == ("changing your plan",)
    assert not any("Premium" in client for client in found)


def test_months_name_the_releases_of_that_month_newest_first():
    def release(version, day):
        return SimpleNamespace(release=SimpleNamespace(version=version, date=day))

    data = SimpleNamespace(
        releases=[
            release("2025.10", dt.date(2025, 10, 14)),
            release("2026.10", dt.date(2026, 10, 13)),
            release("2026.11", None),  # planned without a date yet: no month to name
        ]
    )
    found = release_synonyms(data)
    assert found["october"] == ("release 2026.10", "release 2025.10")
    assert found["october release"] == found["october"]
    assert "november" not in found


def test_the_writers_file_wins_over_what_the_data_implies(tmp_path):
    project = copy_demo(tmp_path / "project", config=None)
    data = project / "content" / "_data"
    text = (data / "synonyms.yml").read_text(encoding="utf-8")
    (data / "synonyms.yml").write_text(text + "  saturday: weekend rota\n", encoding="utf-8")
    found, errors = site_synonyms(data, "public")
    assert not errors
    assert found["saturday"] == ("weekend rota",)
    assert found["sunday"] == ("business hours", "after hours")


def test_internal_schedules_and_plans_never_name_a_public_synonym(tmp_path):
    # The public edition's synonyms are published in its static index (manifest.js): an
    # agents' rota on Saturdays or a pilot plan must not reach them, even as a phrase.
    project = copy_demo(tmp_path / "project", config=None)
    data_dir = project / "content" / "_data"
    support = data_dir / "support.yml"
    data = yaml.safe_load(support.read_text(encoding="utf-8"))
    with_internal_items(data)
    support.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    public, errors = site_synonyms(data_dir, "public")
    assert not errors
    shown = repr(public).lower()
    assert SUPPORT_CANARY.lower() not in shown
    assert "pilot" not in shown
    assert "rota" not in shown
    assert public["saturday"] == ("business hours", "after hours")
    internal, errors = site_synonyms(data_dir, "internal")
    assert not errors
    assert SUPPORT_CANARY.lower() in repr(internal).lower()  # the internal edition sees them


def test_derived_synonyms_without_the_families_data_are_empty():
    assert derived_synonyms({}) == {}


def test_the_demo_derives_from_its_own_data(tmp_path):
    # Hours moved to Monday-Saturday in support.yml: Saturday questions stop being "after hours".
    project = copy_demo(tmp_path / "project", config=None)
    support = project / "content" / "_data" / "support.yml"
    text = support.read_text(encoding="utf-8")
    assert "days: Mon-Fri" in text
    support.write_text(text.replace("days: Mon-Fri", "days: Mon-Sat", 1), encoding="utf-8")
    found, errors = site_synonyms(project / "content" / "_data", "public")
    assert not errors
    assert "saturday" not in found
    assert found["sunday"] == ("business hours", "after hours")
    shutil.rmtree(project)


# The classes on the demo's real index ----------------------------------------------------------


# Each question below missed its page before its class was fixed (checked against the synonyms
# of the commit before): they fail if the class regresses.
@pytest.mark.parametrize(
    ("q", "top", "answers"),
    [
        # 1. time: an hour outside the schedule leads to the hours and to after hours
        ("can I ring at 7pm", 1, {"support/plans-and-hours/", "support/critical-tickets/"}),
        # 2. plans
        ("upgrade to standard plus", 1, {"support/plans-and-hours/"}),
        ("switch to premium", 1, {"support/plans-and-hours/"}),
        # 4. word sense
        ("handwritten tickets from officers", 3, {"wiki/citations/"}),
        ("i got logged out", 3, {"wiki/signing-in/"}),
        ("what permissions does a clerk have", 1, {"wiki/users-and-roles/"}),
        # 5. outages described (the critical ticket page has the clients' words)
        ("the whole site won't load for anyone", 1, {"support/critical-tickets/"}),
        ("every page shows an error", 1, {"support/critical-tickets/"}),
    ],
)
def test_each_class_finds_its_page(index, synonyms, q, top, answers):
    got = pages(search(index, q, synonyms=synonyms), top)
    assert answers & set(got), (q, got)


def test_an_upgrade_of_the_software_is_still_a_release(index, synonyms):
    # The plan synonyms are phrases with a plan's name: "upgrade" alone keeps its meaning.
    got = pages(search(index, "how are upgrades rolled out", synonyms=synonyms))
    assert {"releases/", "faq/"} & set(got), got
    assert "support/plans-and-hours/" not in got[:1]


def test_a_support_ticket_is_still_a_support_ticket(index, synonyms):
    got = pages(search(index, "open a support ticket", synonyms=synonyms), 1)
    assert got == ["support/launch-a-ticket/"] or got == ["faq/"], got


def test_the_demo_synonyms_file_has_no_day_entries_the_data_gives():
    # Written by hand, they would win over the schedule (see the writer's-file test above).
    text = (DATA / "synonyms.yml").read_text(encoding="utf-8")
    for day in ("saturday:", "sunday:", "weekend:", "holiday:", "evening:"):
        assert f"\n  {day}" not in text, day


def test_glossary_of_the_demo_gives_no_clash_with_derived_synonyms():
    found, errors = site_synonyms(DATA, "public")
    assert not errors
    keys = [tuple(Synonyms.searchable_words(c)) for c in found]
    assert len(keys) == len(set(keys))
