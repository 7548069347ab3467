"""Opening hours as writers type them, and as clients read them.

Writers type ``days: Mon-Fri`` and ``time: "09:00-17:00"``; pages say "Monday to Friday, 9 a.m.
to 5 p.m. Eastern time". Parsing and wording live together here so that both directions agree.
Each parser raises `ValueError` with a message saying what would be valid; the model turns it
into a ``path:line`` error.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import datetime
from functools import cache

from kb_builder.core.errors import did_you_mean, one_of

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DAY_ABBREVIATIONS = tuple(name[:3] for name in DAY_NAMES)
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
_DURATION = re.compile(r"^(\d+) (minute|hour|business day|day|week|month)(s?)$")


def parse_days(text: str) -> tuple[int, ...]:
    """``"Mon-Fri"`` or ``"Mon, Wed, Sat-Sun"`` -> ISO weekday numbers (Monday is 1), sorted.

    Raises:
        ValueError: for an unknown day or a range that runs backwards.
    """
    days: set[int] = set()
    for part in (p.strip() for p in text.split(",")):
        ends = [e.strip() for e in part.split("-")]
        if not part or len(ends) > 2:
            raise ValueError(
                f"is '{text}', which is not a list of days; write a range such as 'Mon-Fri' "
                "or days separated by commas, such as 'Mon, Wed, Fri'"
            )
        first, last = (_day(e, text) for e in (ends[0], ends[-1]))
        if last < first:
            raise ValueError(
                f"is '{text}', whose range '{part}' runs backwards; a range goes forward from "
                "Mon to Sun, e.g. 'Mon-Fri' (write 'Sat, Sun, Mon' for a weekend and a Monday)"
            )
        days.update(range(first, last + 1))
    return tuple(sorted(days))


def _day(word: str, text: str) -> int:
    for number, (abbreviation, name) in enumerate(
        zip(DAY_ABBREVIATIONS, DAY_NAMES, strict=True), 1
    ):
        if word.casefold() in (abbreviation.casefold(), name.casefold()):
            return number
    raise ValueError(
        f"is '{text}', in which '{word}' is not a day{did_you_mean(word, DAY_ABBREVIATIONS)}; "
        f"use {one_of(DAY_ABBREVIATIONS)}"
    )


def parse_time_range(text: str) -> tuple[int, int]:
    """``"09:00-17:00"`` -> minutes after midnight ``(540, 1020)``; ``24:00`` may end a range.

    Raises:
        ValueError: for anything else, including a range that ends before it starts.
    """
    ends = [e.strip() for e in text.split("-")]
    if len(ends) != 2 or not all(_TIME.match(e) for e in ends):
        raise ValueError(
            f"is '{text}', which is not a time range; write 'HH:MM-HH:MM' on a 24-hour clock, "
            "e.g. '09:00-17:00'"
        )
    start, end = (_minutes(e, text, is_end=i == 1) for i, e in enumerate(ends))
    if end <= start:
        raise ValueError(
            f"is '{text}', which ends before it starts; a range ends later on the same day, "
            "e.g. '09:00-17:00' (use '24:00' for midnight)"
        )
    return start, end


def _minutes(clock: str, text: str, *, is_end: bool) -> int:
    match = _TIME.match(clock)
    assert match  # checked by the caller
    hours, minutes = int(match.group(1)), int(match.group(2))
    if minutes > 59 or hours > 24 or (hours == 24 and (minutes or not is_end)):
        latest = "'23:59' (or '24:00' to end at midnight)" if is_end else "'23:59'"
        raise ValueError(
            f"is '{text}', in which '{clock}' is not a time of day; use '00:00' to {latest}"
        )
    return hours * 60 + minutes


def parse_duration(text: str) -> tuple[int, str]:
    """``"15 minutes"`` -> ``(15, "minute")``.

    Raises:
        ValueError: for anything but a whole number and a unit, singular for 1, else plural.
    """
    match = _DURATION.match(" ".join(text.split()))
    units = ("minutes", "hours", "days", "business days", "weeks", "months")
    if not match:
        raise ValueError(
            f"is '{text}', which is not a duration; write a whole number and a unit "
            f"({one_of(units)}), e.g. '15 minutes' or '1 hour'"
        )
    number, unit, plural = int(match.group(1)), match.group(2), match.group(3)
    if (number == 1) == bool(plural):
        right = f"{number} {unit}" + ("" if number == 1 else "s")
        raise ValueError(f"is '{text}'; write '{right}'")
    return number, unit


def describe_days(days: tuple[int, ...]) -> str:
    """ISO weekdays -> ``"Monday to Friday"``, ``"Monday, Wednesday and Friday"``, ...

    Seven days are ``"every day"``.
    """
    if len(days) == 7:
        return "every day"
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts: list[str] = []
    for run in runs:
        names = [DAY_NAMES[d - 1] for d in run]
        # Three days or more read as a range; two consecutive days as a pair.
        parts.extend([f"{names[0]} to {names[-1]}"] if len(run) > 2 else names)
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def describe_clock(minutes: int) -> str:
    """Minutes after midnight -> ``"9 a.m."``, ``"5:30 p.m."``, ``"noon"``, ``"midnight"``."""
    hours, rest = divmod(minutes, 60)
    if rest == 0 and hours in (0, 24):
        return "midnight"
    if rest == 0 and hours == 12:
        return "noon"
    suffix = "a.m." if hours < 12 else "p.m."
    hours = hours % 12 or 12
    return f"{hours}:{rest:02d} {suffix}" if rest else f"{hours} {suffix}"


def describe_time_range(start: int, end: int) -> str:
    """``(540, 1020)`` -> ``"9 a.m. to 5 p.m."``; the whole day -> ``"all day"``."""
    if (start, end) == (0, 24 * 60):
        return "all day"
    return f"{describe_clock(start)} to {describe_clock(end)}"


@cache
def known_time_zones() -> frozenset[str]:
    """Every IANA time zone name this machine knows (system tzdata or the tzdata package)."""
    return frozenset(zoneinfo.available_timezones())


def check_time_zone(name: str) -> str:
    """Return `name` if it is an IANA time zone named after a place (or UTC).

    Legacy names such as ``EST`` exist in the database but are a fixed offset with no daylight
    saving time: a vendor in Toronto who wrote ``EST`` would show the wrong hours all summer.

    Raises:
        ValueError: with a did-you-mean for unknown names.
    """
    zones = known_time_zones()
    if name not in zones:
        hint = did_you_mean(name, sorted(zones))
        raise ValueError(
            f"is '{name}', which is not a time zone{hint}; use an IANA name such as "
            "'America/Toronto' or 'Europe/Paris'"
        )
    if "/" not in name and name != "UTC":
        raise ValueError(
            f"is '{name}', a fixed offset that ignores daylight saving time; use the name of "
            "a place in that zone, such as 'America/Toronto' for Eastern time"
        )
    return name


def zone_city(name: str) -> str:
    """``"America/Toronto"`` -> ``"Toronto"``; ``".../Buenos_Aires"`` -> ``"Buenos Aires"``."""
    return name.rsplit("/", 1)[-1].replace("_", " ")


def zone_abbreviations(name: str, year: int = 2025) -> tuple[str, ...]:
    """The zone's abbreviations, standard time first: ``("EST", "EDT")``, or only one.

    A fixed year keeps generated pages identical from one build to the next.
    """
    zone = zoneinfo.ZoneInfo(name)
    moments = [datetime(year, month, 15, 12, tzinfo=zone) for month in (1, 7)]
    # Standard time first, wherever the zone's summer falls (January in Sydney).
    moments.sort(key=lambda moment: bool(moment.dst()))
    found: list[str] = []
    for moment in moments:
        abbreviation = moment.tzname() or ""
        if abbreviation and abbreviation not in found:
            found.append(abbreviation)
    return tuple(found)
