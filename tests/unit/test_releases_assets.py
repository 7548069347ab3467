"""The Atom feed and the rollout calendar, read back by the libraries feed readers and calendar
apps are built on (feedparser, icalendar)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import feedparser
import icalendar
import pytest

from kb_builder.families.releases import load
from kb_builder.families.releases.pages import CALENDAR, FEED, assets
from tests.conftest import ROOT
from tests.unit.test_releases_pages import HOSTILE, assert_golden, hostile_data

DEMO = ROOT / "content" / "_data"
NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
SITE = "https://help.example.com/"


def demo_assets(site_url: str | None, edition: str = "public") -> tuple[bytes, bytes]:
    feed, calendar = assets(load(DEMO), edition, site_url, now=NOW)
    assert (feed.dest_uri, calendar.dest_uri) == (FEED, CALENDAR)
    return feed.content, calendar.content


def test_feed_matches_its_golden_file():
    assert_golden("public/feed.xml", demo_assets(None)[0].decode("utf-8"))


@pytest.mark.parametrize("site_url", [None, SITE])
def test_feed_is_accepted_by_a_feed_reader(site_url):
    parsed = feedparser.parse(demo_assets(site_url)[0])
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.title == "Release notes"
    assert [e.title for e in parsed.entries] == [
        "Release 2026.11",
        "Release 2026.10",
        "Release 2026.09",
    ]
    assert [e.published_parsed[:3] for e in parsed.entries] == [
        (2026, 11, 17),
        (2026, 10, 13),
        (2026, 9, 15),
    ]
    assert parsed.feed.updated_parsed[:3] == (2026, 11, 17)
    first = parsed.entries[0]
    assert "Citations: officers can attach up to six photos" in first.content[0].value
    if site_url:
        assert first.id == first.link == f"{SITE}releases/2026.11/"
        assert parsed.feed.id == f"{SITE}releases/"
        assert {link.rel: link.href for link in parsed.feed.links} == {
            "alternate": f"{SITE}releases/",
            "self": f"{SITE}releases/feed.xml",
        }
        # Links in bodies point at the published pages.
        assert f'href="{SITE}wiki/permits/"' in parsed.entries[2].content[0].value
    else:
        # No site address: stable tag: ids (RFC 4151) and links relative to the feed.
        assert first.id == "tag:kb-builder.invalid,2026:releases/2026.11"
        assert first.link == "2026.11/"
        assert 'href="../wiki/permits/"' in parsed.entries[2].content[0].value


def test_feed_ids_are_unique_and_stable():
    once, again = demo_assets(None)[0], demo_assets(None)[0]
    assert once == again
    ids = [e.id for e in feedparser.parse(once).entries]
    assert len(set(ids)) == len(ids)


def test_feed_escapes_titles(tmp_path):
    feed, _ = assets(load(hostile_data(tmp_path)), "public", None, now=NOW)
    assert b"<script>" not in feed.content
    parsed = feedparser.parse(feed.content)
    assert parsed.bozo == 0
    (entry,) = parsed.entries
    assert entry.title == f"Release 1.0: {HOSTILE}"
    # feedparser sanitizes content anyway; the feed itself must carry no live markup either.
    assert "&lt;script&gt;" in entry.content[0].value
    assert "<img" not in entry.content[0].value


def events(ics: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(ics).walk("VEVENT"))


@pytest.mark.parametrize("site_url", [None, SITE])
def test_calendar_is_accepted_by_a_calendar_app(site_url):
    ics = demo_assets(site_url)[1]
    calendar = icalendar.Calendar.from_ical(ics)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == "-//kb-builder//Release rollouts//EN"
    found = events(ics)
    days = [e.decoded("DTSTART") for e in found]
    assert days == sorted(days)
    # All-day events: dates, not datetimes, and each lasts one day.
    for event in found:
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert type(start) is dt.date and end - start == dt.timedelta(days=1)
        assert event.decoded("DTSTAMP") == NOW
    by_day = {e.decoded("DTSTART"): e for e in found}
    assert str(by_day[dt.date(2026, 12, 8)]["SUMMARY"]) == "Release 2026.12 rollout"
    wave_1 = by_day[dt.date(2027, 1, 19)]
    assert str(wave_1["SUMMARY"]) == "Release 2027.01 rollout: Wave 1"
    assert "Who: Pilot clients, who have agreed to try the portal first" in str(
        wave_1["DESCRIPTION"]
    )
    assert {dt.date(2027, 2, 16), dt.date(2027, 3, 16), dt.date(2026, 11, 17)} <= set(by_day)
    domain = "help.example.com" if site_url else "kb-builder.invalid"
    assert str(wave_1["UID"]) == f"release-2027.01-wave-1@{domain}"
    uids = [str(e["UID"]) for e in found]
    assert len(set(uids)) == len(uids)
    if site_url:
        assert str(wave_1["URL"]) == f"{SITE}releases/upcoming/"
        assert str(by_day[dt.date(2026, 11, 17)]["URL"]) == f"{SITE}releases/2026.11/"
    else:
        assert "URL" not in wave_1


def test_calendar_uids_survive_a_date_change(tmp_path):
    data_dir = tmp_path / "_data"
    (data_dir / "releases").mkdir(parents=True)
    path = data_dir / "releases" / "r.yml"
    text = "version: '3.0'\nstatus: planned\nrollout: [{day}]\n"
    uids = []
    for day in ("2027-05-04", "2027-05-11"):
        path.write_text(text.format(day=day), encoding="utf-8")
        (event,) = events(assets(load(data_dir), "public", None, now=NOW)[1].content)
        uids.append(str(event["UID"]))
    assert uids[0] == uids[1] == "release-3.0-rollout-1@kb-builder.invalid"


def test_calendar_text_is_never_markup(tmp_path):
    _, calendar = assets(load(hostile_data(tmp_path)), "public", None, now=NOW)
    assert b"<" not in calendar.content
    found = events(calendar.content)
    # One event per rollout: a title cannot add events or properties.
    assert len(found) == 2
    summaries = {str(e["SUMMARY"]) for e in found}
    assert 'Release 2.0 rollout: \u2039script\u203aalert(1)\u2039/script\u203a & "x"' in summaries


def test_calendar_dtstamp_defaults_to_now():
    (event, *_) = events(assets(load(DEMO), "public", None)[1].content)
    stamp = event.decoded("DTSTAMP")
    assert abs(dt.datetime.now(dt.UTC) - stamp) < dt.timedelta(minutes=5)


def test_no_releases_give_an_empty_feed_and_calendar(tmp_path):
    feed, calendar = assets(load(Path(tmp_path)), "public", None, now=NOW)
    parsed = feedparser.parse(feed.content)
    assert parsed.bozo == 0 and parsed.entries == []
    assert events(calendar.content) == []
