"""Sentences made from support facts, shared by generated pages and placeholders.

A fact must read the same wherever it appears ("Monday to Friday, 9 a.m. to 5 p.m. Eastern
time"), so both the page templates and `kb_builder.families.support.facts` word it here.
"""

from __future__ import annotations

from collections.abc import Iterable

from kb_builder.families.support import hours
from kb_builder.families.support.model import Schedule, SupportFile


def join(words: Iterable[str], conjunction: str = "and") -> str:
    """``["a", "b", "c"]`` -> ``"a, b and c"``."""
    items = [str(w) for w in words]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def number(count: int) -> str:
    """``2`` -> ``"two"`` (words up to ten, as style guides ask), else digits."""
    return _NUMBERS[count] if 0 <= count < len(_NUMBERS) else str(count)


def lowfirst(text: str) -> str:
    """``"Status notification"`` -> ``"status notification"``; ``"QA review"`` stays."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def plural(name: str) -> str:
    """``"critical ticket"`` -> ``"critical tickets"`` (names of ticket types are nouns)."""
    return name if name.endswith("s") else name + "s"


def with_article(name: str) -> str:
    """``"critical ticket"`` -> ``"a critical ticket"``; ``"urgent ticket"`` -> ``"an ..."``."""
    return ("an " if name[:1].lower() in "aeiou" else "a ") + name


def upfirst(text: str) -> str:
    """Capitalise the first letter only (``"after-hours JIRA"`` keeps ``JIRA``)."""
    return text[:1].upper() + text[1:]


def schedule_days(schedule: Schedule) -> str:
    """``"Monday to Friday"``."""
    return hours.describe_days(schedule.weekdays)


def schedule_time(data: SupportFile, schedule: Schedule) -> str:
    """``"9 a.m. to 5 p.m. Eastern time"``, or ``"all day"``."""
    start, end = schedule.minutes
    text = hours.describe_time_range(start, end)
    return text if text == "all day" else f"{text} {data.zone_label}"


def schedule_hours(data: SupportFile, schedule: Schedule) -> str:
    """``"Monday to Friday, 9 a.m. to 5 p.m. Eastern time"``."""
    return f"{schedule_days(schedule)}, {schedule_time(data, schedule)}"


def time_zone_note(data: SupportFile) -> str:
    """Which clock the hours follow, e.g. "Eastern time is the time in Toronto: EST, or EDT ..."."""
    names = hours.zone_abbreviations(data.time_zone)
    city = hours.zone_city(data.time_zone)
    if city == data.time_zone:  # "UTC": no place to name
        return f"{upfirst(data.zone_label)} is {names[0]}."
    if len(names) == 2:
        return (
            f"{upfirst(data.zone_label)} is the time in {city}: {names[0]}, or {names[1]} while "
            "daylight saving time is in effect."
        )
    return f"{upfirst(data.zone_label)} is the time in {city} ({names[0]})."
