"""Days, times, durations and time zones: parsed from what writers type, worded for clients."""

from __future__ import annotations

import pytest

from kb_builder.families.support import hours, wording


@pytest.mark.parametrize(
    ("text", "days", "words"),
    [
        ("Mon-Fri", (1, 2, 3, 4, 5), "Monday to Friday"),
        ("mon-fri", (1, 2, 3, 4, 5), "Monday to Friday"),
        ("Mon, Wed, Fri", (1, 3, 5), "Monday, Wednesday and Friday"),
        ("Sat-Sun", (6, 7), "Saturday and Sunday"),
        ("Mon-Sun", (1, 2, 3, 4, 5, 6, 7), "every day"),
        ("Mon-Thu, Sat", (1, 2, 3, 4, 6), "Monday to Thursday and Saturday"),
        ("Tuesday", (2,), "Tuesday"),
    ],
)
def test_days(text, days, words):
    assert hours.parse_days(text) == days
    assert hours.describe_days(days) == words


@pytest.mark.parametrize(
    ("text", "minutes", "words"),
    [
        ("09:00-17:00", (540, 1020), "9 a.m. to 5 p.m."),
        ("9:00 - 17:00", (540, 1020), "9 a.m. to 5 p.m."),
        ("08:30-12:00", (510, 720), "8:30 a.m. to noon"),
        ("12:15-24:00", (735, 1440), "12:15 p.m. to midnight"),
        ("00:00-24:00", (0, 1440), "all day"),
    ],
)
def test_time_ranges(text, minutes, words):
    assert hours.parse_time_range(text) == minutes
    assert hours.describe_time_range(*minutes) == words


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("9-5", "is '9-5', which is not a time range"),
        ("25:00-17:00", "in which '25:00' is not a time of day"),
        ("09:60-17:00", "in which '09:60' is not a time of day"),
        ("24:00-24:00", "in which '24:00' is not a time of day"),
        ("17:00-09:00", "which ends before it starts"),
        ("09:00-09:00", "which ends before it starts"),
        ("09:00-17:00-18:00", "which is not a time range"),
    ],
)
def test_bad_time_ranges(text, message):
    with pytest.raises(ValueError, match=message):
        hours.parse_time_range(text)


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("15 minutes", (15, "minute")),
        ("1 hour", (1, "hour")),
        ("2 business days", (2, "business day")),
    ],
)
def test_durations(text, parsed):
    assert hours.parse_duration(text) == parsed


def test_time_zone_abbreviations_standard_time_first():
    assert hours.zone_abbreviations("America/Toronto") == ("EST", "EDT")
    assert hours.zone_abbreviations("Australia/Sydney") == ("AEST", "AEDT")
    assert hours.zone_abbreviations("Asia/Tokyo") == ("JST",)
    assert hours.zone_city("America/Argentina/Buenos_Aires") == "Buenos Aires"


def test_utc_is_accepted_and_legacy_names_are_not():
    assert hours.check_time_zone("UTC") == "UTC"
    with pytest.raises(ValueError, match="fixed offset"):
        hours.check_time_zone("EST5EDT")
    with pytest.raises(ValueError, match="did you mean 'Europe/Paris'"):
        hours.check_time_zone("europe/paris")


def test_wording_helpers():
    assert wording.join(["a"]) == "a"
    assert wording.join(["a", "b", "c"], "or") == "a, b or c"
    assert wording.with_article("urgent ticket") == "an urgent ticket"
    assert wording.upfirst("after-hours JIRA") == "After-hours JIRA"
    assert wording.lowfirst("QA review") == "QA review"
    assert wording.lowfirst("Triage") == "triage"
    assert wording.number(2) == "two" and wording.number(12) == "12"
