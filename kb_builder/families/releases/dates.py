"""Dates as the release notes write them: "Tuesday, December 8, 2026".

The names are spelt out here rather than taken from the C library's locale, so that a build
gives the same pages on every machine.
"""

from __future__ import annotations

import datetime as dt

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(day: dt.date) -> str:
    """``2026-12-08`` -> ``Tuesday, December 8, 2026``."""
    return f"{_DAYS[day.weekday()]}, {_MONTHS[day.month - 1]} {day.day}, {day.year}"


def day_list(days: list[dt.date]) -> str:
    """Several days in one phrase: ``Tuesday, December 8, 2026 and Wednesday, ...``."""
    names = [long_date(d) for d in days]
    if len(names) <= 2:
        return " and ".join(names)
    return "; ".join(names[:-1]) + " and " + names[-1]
