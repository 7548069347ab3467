"""The support facts of one edition, arranged the way the pages present them.

Templates ask questions ("which channels may a Premium client use for a critical ticket after
hours?"); the answers are computed here, in Python, so that every page answers them alike and
tests can check the logic without rendering.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kb_builder.core.text import MarkdownText
from kb_builder.core.text import markdown_literal as md
from kb_builder.families.support import blocks, wording
from kb_builder.families.support.hours import DAY_NAMES, describe_clock
from kb_builder.families.support.model import (
    Channel,
    Plan,
    PlanChannel,
    Role,
    Schedule,
    SupportFile,
    TicketType,
)

NOT_INCLUDED = "Not included in this plan"


def plain_text(markdown: str) -> str:
    """A Markdown field used as a plain label (a table's first column, a diagram's box).

    Fields arrive made safe (`kb_builder.core.markdown.safe_markdown` escaped ``& < {``);
    the label is their text as the writer wrote it, escaped again where it is placed.
    """
    return html.unescape(markdown) if isinstance(markdown, MarkdownText) else markdown


@dataclass(frozen=True)
class Offer:
    """A channel as a plan offers it, on a schedule."""

    channel: Channel
    schedule: Schedule
    item: PlanChannel

    @property
    def label(self) -> str:
        """The channel's name, with " (Internal)" if the channel or the offer is internal."""
        internal = blocks.is_internal(self.channel) or blocks.is_internal(self.item)
        return self.channel.name + (f" ({blocks.INTERNAL})" if internal else "")


@dataclass(frozen=True)
class Route:
    """How one plan reaches support for one ticket type (plain text, one table row)."""

    plan: Plan
    during: str
    outside: str


class SupportView:
    """Lookups and sentences over the support facts an edition shows.

    Args:
        data: the facts of one edition, already filtered (`kb_builder.families.support.editions`).
    """

    def __init__(self, data: SupportFile):
        self.data = data
        self.schedules = {s.id: s for s in data.schedules}
        self.channels = {c.id: c for c in data.channels}
        self.team = {r.id: r for r in data.team}
        after = data.after_hours
        self.after = after
        self.business: Schedule = self.schedules[after.outside]
        self.after_channel: Channel = self.channels[after.channel]
        self.staffed_by: Role = self.team[after.staffed_by]
        types = {t.id: t for t in data.ticket_types}
        self.urgent: list[TicketType] = [types[t] for t in after.ticket_types]
        self.first_channel: Channel = data.channels[0]

    # --- words ----------------------------------------------------------------------------

    def hours(self, schedule: Schedule) -> str:
        """``"Monday to Friday, 9 a.m. to 5 p.m. Eastern time"``."""
        return wording.schedule_hours(self.data, schedule)

    @property
    def zone_note(self) -> str:
        """Which clock the hours follow (``"Eastern time is the time in Toronto: EST, ..."``)."""
        return wording.time_zone_note(self.data)

    @property
    def urgent_names(self) -> str:
        """``"critical tickets"`` (the ticket types served after hours)."""
        return wording.join(wording.plural(t.name) for t in self.urgent)

    def is_urgent(self, ticket: TicketType) -> bool:
        return ticket.id in self.after.ticket_types

    def offers(self, plan: Plan, allowed: Iterable[str] | None = None) -> list[Offer]:
        """The plan's channels (those of `allowed` only, if given), with their schedules."""
        keep = set(allowed) if allowed is not None else None
        return [
            Offer(self.channels[o.channel], self.schedules[o.hours], o)
            for o in plan.channels
            if keep is None or o.channel in keep
        ]

    def _channel_names(self, offers: list[Offer], conjunction: str) -> str:
        """Channel names; one open other than business hours is followed by its hours."""
        names = [
            o.label
            if o.schedule.id == self.business.id
            else f"{o.label} ({self.hours(o.schedule)})"
            for o in offers
        ]
        return wording.join(names, conjunction)

    def covered_after_hours(self, plan: Plan, ticket: TicketType | None = None) -> bool:
        """Whether the after-hours route serves `plan` (for `ticket`, if given)."""
        in_plan = self.after.plans is None or plan.id in self.after.plans
        return in_plan and (ticket is None or self.is_urgent(ticket))

    def targets_text(self, ticket: TicketType) -> str:
        """``"triage within 15 minutes, status notification within 1 hour"``."""
        return ", ".join(
            f"{wording.lowfirst(t.name)} within {t.within}{blocks.suffix(t)}"
            for t in ticket.targets
        )

    def routes(self, ticket: TicketType) -> list[Route]:
        """For each plan, the channels to use for `ticket` during and outside business hours."""
        rows = []
        for plan in self.data.plans:
            if ticket.plans is not None and plan.id not in ticket.plans:
                rows.append(Route(plan, NOT_INCLUDED, NOT_INCLUDED))
                continue
            offers = self.offers(plan, ticket.channels)
            during = wording.upfirst(self._channel_names(offers, "or")) if offers else "None"
            if self.covered_after_hours(plan, ticket):
                outside = (
                    f"{wording.upfirst(self.after_channel.name)}, answered by "
                    f"{self.staffed_by.name}"
                )
            else:
                # Channels on other schedules may be open; otherwise the request waits.
                others = [o for o in offers if o.schedule.id != self.business.id]
                first = offers[0].label if offers else self.first_channel.name
                outside = wording.upfirst(
                    self._channel_names(others, "or")
                    if others
                    else f"{first}, {self.after.other_requests}"
                )
            rows.append(Route(plan, during, outside))
        return rows

    def plan_hours(self, plan: Plan) -> str:
        """A plan's channels and hours, then what happens outside them (plain text)."""
        groups: dict[str, list[Offer]] = {}
        for offer in self.offers(plan):
            groups.setdefault(offer.schedule.id, []).append(offer)
        parts = [
            f"{wording.join(o.label for o in offers)}, {self.hours(self.schedules[sid])}"
            for sid, offers in groups.items()
        ]
        text = wording.upfirst("; ".join(parts)) + "." if parts else "No channel."
        if self.covered_after_hours(plan):
            return (
                f"{text} Outside {self.business.name}: {self.after_channel.name} for "
                f"{self.urgent_names}; other requests are {self.after.other_requests}."
            )
        return f"{text} Outside {self.business.name}, requests are {self.after.other_requests}."

    # --- tables (Markdown) ------------------------------------------------------------------

    def routes_table(self, ticket: TicketType, *, outside: bool = True) -> MarkdownText:
        """Plan | during business hours | outside business hours, for one ticket type."""
        name = md(self.business.name)
        header = ["Plan", f"During {name}"] + ([f"Outside {name}"] if outside else [])
        rows = [
            [md(r.plan.name) + blocks.suffix(r.plan), md(r.during)]
            + ([md(r.outside)] if outside else [])
            for r in self.routes(ticket)
        ]
        return MarkdownText(blocks.table(header, rows))

    def comparison_table(self) -> MarkdownText:
        """Plans side by side: channels and hours, after hours, response targets, features."""
        plans = self.data.plans
        header = ["What you get"] + [md(p.name) + blocks.suffix(p) for p in plans]
        rows: list[list[str]] = []
        for c in self.data.channels:
            if c.id == self.after.channel:
                continue
            row = [md(wording.upfirst(c.name)) + blocks.suffix(c)]
            for plan in plans:
                offers = self.offers(plan, [c.id])
                yes = "Yes" + blocks.suffix(offers[0].item) if offers else ""
                row.append(f"{yes}, {md(self.hours(offers[0].schedule))}" if offers else "No")
            rows.append(row)
        after = (
            f"{wording.upfirst(self.after_channel.name)} for {self.urgent_names}, outside "
            f"{self.business.name}"
        )
        rows.append(
            [md(after)]
            + [
                f"Yes, answered by {md(self.staffed_by.name)}"
                if self.covered_after_hours(p)
                else "No"
                for p in plans
            ]
        )
        for t in self.data.ticket_types:
            if not t.targets:
                continue
            cell = md(wording.upfirst(self.targets_text(t)))
            rows.append(
                [md(f"{wording.upfirst(t.name)} response targets") + blocks.suffix(t)]
                + [cell if t.plans is None or p.id in t.plans else "Not included" for p in plans]
            )
        for f in self.data.features:
            values = [f.plans[p.id] for p in plans]
            rows.append(
                [md(f.name) + blocks.suffix(f)]
                + [("Yes" if v else "No") if isinstance(v, bool) else md(v) for v in values]
            )
        return MarkdownText(blocks.table(header, rows))

    # --- the "open right now" box -------------------------------------------------------------

    def hours_config(self) -> dict[str, Any]:
        """What support-hours.js needs: schedules in minutes and the names to show, no prose."""
        used = {o.hours for p in self.data.plans for o in p.channels} | {self.business.id}
        schedules = {}
        for sid in sorted(used):
            start, end = self.schedules[sid].minutes
            schedules[sid] = {
                "days": list(self.schedules[sid].weekdays),
                "open": start,
                "close": end,
                "openLabel": describe_clock(start),
                "closeLabel": describe_clock(end),
            }
        return {
            "timeZone": self.data.time_zone,
            "zoneLabel": self.data.zone_label,
            "dayNames": list(DAY_NAMES),
            "schedules": schedules,
            "business": self.business.id,
            "afterHours": {
                "channel": self.after_channel.name,
                "staffedBy": self.staffed_by.name,
                "ticketTypes": self.urgent_names,
                "otherRequests": self.after.other_requests,
            },
            "plans": [
                {
                    "id": plan.id,
                    "name": plan.name,
                    "afterHours": self.covered_after_hours(plan),
                    "channels": [
                        {"name": o.label, "schedule": o.schedule.id} for o in self.offers(plan)
                    ],
                }
                for plan in self.data.plans
            ],
        }
