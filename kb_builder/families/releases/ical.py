"""The rollout calendar (``releases/rollouts.ics``), made with the icalendar library.

One all-day event per rollout day or wave. UIDs are built from the version and the position of
the day or wave, so moving a date updates the event in subscribers' calendars instead of
adding another. Released rollouts stay in the file: a subscriber's event should not vanish on
the day the release ships.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from kb_builder.families.releases.urls import absolute, page_path
from kb_builder.families.releases.view import EditionView, ReleaseView

if TYPE_CHECKING:
    from icalendar import Event

FOLDER = "releases"
PRODID = "-//kb-builder//Release rollouts//EN"


def _text(value: str) -> str:
    """Calendar text: iCalendar has no markup, but some apps show descriptions as HTML.

    Angle brackets become look-alike guillemets, so a title such as ``<script>`` is shown as
    written-ish and never read as a tag; entity escapes would show as ``&lt;`` in the apps that
    treat the text as plain (most of them).
    """
    return value.replace("<", "\u2039").replace(">", "\u203a")


def _description(view: ReleaseView, site_url: str | None, who: str | None) -> str:
    release = view.release
    lines = []
    if release.title:
        lines.append(" ".join(release.title.split()))
    if who:
        lines.append(f"Who: {' '.join(who.split())}")
    if view.sections:
        lines.append("")
        for section in view.sections:
            lines.append(f"{section.kind.heading}:")
            for change in section.changes:
                mark = " (internal)" if change.audience == "internal" else ""
                lines.append(f"- {' '.join(change.title.split())}{mark}")
    if site_url:
        lines += ["", _page_url(view, site_url)]
    return _text("\n".join(lines).strip("\n"))


def _page_url(view: ReleaseView, site_url: str) -> str:
    if view.release.status == "released":
        return absolute(site_url, page_path(f"{FOLDER}/{view.release.version}.md"))
    return absolute(site_url, page_path(f"{FOLDER}/upcoming.md"))


def _event(
    view: ReleaseView, day: dt.date, uid: str, summary: str, who: str | None, **context
) -> Event:
    from icalendar import Event  # loaded by the builds that write a calendar (8 MB)

    site_url, stamp = context["site_url"], context["stamp"]
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    # All-day: DTSTART and DTEND as dates, DTEND being the day after (exclusive).
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", _text(" ".join(summary.split())))
    event.add("description", _description(view, site_url, who))
    # A rollout is information, not a meeting: it should not block anyone's time.
    event.add("transp", "TRANSPARENT")
    event.add("categories", ["Release rollout"])
    if site_url:
        event.add("url", _page_url(view, site_url))
    return event


def rollout_calendar(
    view: EditionView,
    site_url: str | None,
    *,
    now: dt.datetime | None = None,
    name: str = "Release rollouts",
    scope: str = "",
) -> bytes:
    """An iCalendar file of every rollout day and wave of the releases `view` shows.

    Args:
        view: one edition's view (internal changes already left out of the public one).
        site_url: the site's address: event URLs and the UIDs' domain.
        now: the DTSTAMP of every event (default: the current time, in UTC).
        name: the calendar's name.
        scope: for a calendar of part of the notes (an area), a part of every UID, so that a
            subscriber to two calendars gets two events, each with its own description.
    """
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    domain = urlsplit(site_url).hostname if site_url else None
    domain = domain or "kb-builder.invalid"
    from icalendar import Calendar  # loaded by the builds that write a calendar (8 MB)

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name = name + (" (internal edition)" if view.edition == "internal" else "")
    part = f"-{scope}" if scope else ""
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    events: list[tuple[dt.date, str, Event]] = []
    for release_view in [*view.released, *view.planned]:
        release = release_view.release
        base = f"Release {release.version}"
        context = {"site_url": site_url, "stamp": stamp}
        if release.waves:
            for n, wave in enumerate(release.waves, start=1):
                uid = f"release-{release.version}-wave-{n}{part}@{domain}"
                summary = f"{base} rollout: {wave.name}"
                events.append(
                    (
                        wave.date,
                        uid,
                        _event(release_view, wave.date, uid, summary, wave.who, **context),
                    )
                )
        else:
            for n, day in enumerate(release.rollout_days(), start=1):
                uid = f"release-{release.version}-rollout-{n}{part}@{domain}"
                summary = f"{base} rollout"
                events.append((day, uid, _event(release_view, day, uid, summary, None, **context)))
    for _, _, event in sorted(events, key=lambda e: (e[0], e[1])):
        cal.add_component(event)
    return cal.to_ical()
