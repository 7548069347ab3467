"""Contact routes: for a plan and a ticket type, the addresses a client uses, and when.

A route is computed, never written: support.yml says which channels a plan has and on which
hours (``plans[].channels``), which channels a ticket type uses (``ticket_types[].channels``)
and which channel answers after hours (``after_hours``). From that:

- while a channel's hours are open, all its addresses serve (e-mail, portal, telephone);
- outside them, a ticket type served after hours goes to the after-hours channel, when the
  plan has after-hours cover;
- any other request may still be written (e-mail, portal), and is answered as
  ``after_hours.other_requests`` says; a telephone line is never offered while it is closed.

So a plan without the telephone channel is never offered a number. The same answers feed the
guides' plain lists (true with scripts off), the "open right now" box, the ticket form and the
``{{ support.... }}`` contact facts. `check_contact` reports, at the writer's line, a channel
no plan uses, a plan with no route for an urgent ticket type, and a channel clients are sent
to without an address while others have one.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any, Literal

from kb_builder.core.errors import ContentError
from kb_builder.core.text import MarkdownText, href
from kb_builder.core.text import markdown_literal as md
from kb_builder.core.yamlio import LineMap
from kb_builder.families.support import contact, wording
from kb_builder.families.support.model import Channel, Plan, SupportFile, TicketType
from kb_builder.families.support.references import where

LinkKind = Literal["email", "phone", "portal"]
KIND_NAMES: dict[str, str] = {"email": "e-mail", "phone": "telephone", "portal": "help desk"}
# Markdown of data fields used as plain text in a mailto body: emphasis and link syntax.
_MARKUP = re.compile(r"\*\*|__|`|\\(?=[^\w\s])")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


@dataclass(frozen=True)
class Link:
    """One address of a channel, as a link: kind, URL (mailto:/tel:/https:) and shown text."""

    kind: LinkKind
    url: str
    label: str

    def as_json(self) -> dict[str, str]:
        return {"kind": self.kind, "href": self.url, "label": self.label}


def links(channel: Channel) -> list[Link]:
    """The channel's addresses as links: e-mail, then telephone, then the portal."""
    out = []
    if channel.email:
        out.append(Link("email", contact.mailto(channel.email), channel.email))
    if channel.phone:
        out.append(Link("phone", contact.tel(channel.phone), contact.phone_label(channel.phone)))
    if channel.portal:
        out.append(Link("portal", channel.portal, contact.portal_label(channel.portal)))
    return out


def written(channel: Channel) -> list[Link]:
    """The addresses that take a written request at any hour (not the telephone)."""
    return [link for link in links(channel) if link.kind != "phone"]


def applies(ticket: TicketType, plan: Plan) -> bool:
    """Whether `plan` includes `ticket` (a ticket type without ``plans`` is in every plan)."""
    return ticket.plans is None or plan.id in ticket.plans


def plain(markdown: str) -> str:
    """A Markdown field as plain words for an e-mail body (``**x**`` -> x, links -> their text)."""
    text = html.unescape(str(markdown))
    text = _LINK.sub(r"\1", text)
    return " ".join(_MARKUP.sub("", text).split())


def subject_for(ticket: TicketType) -> str:
    """The subject line a route's e-mail starts with: the ticket type's format, if it has one."""
    return ticket.subject or ""


def body_for(ticket: TicketType) -> str:
    """An e-mail body that asks for what support.yml says a good ticket of `ticket` includes."""
    if not ticket.include:
        return ""
    lines = ["Please include:"] + [f"- {plain(item)}" for item in ticket.include]
    return "\n".join(lines) + "\n"


class Routes:
    """The contact routes of one edition's support facts (see the module's rules).

    Args:
        data: support facts whose references all resolve (validated, one edition's items).
    """

    def __init__(self, data: SupportFile):
        self.data = data
        self._channels = {c.id: c for c in data.channels}
        self._schedules = {s.id: s for s in data.schedules}

    @property
    def after_channel(self) -> Channel:
        """The channel that answers urgent tickets after hours."""
        return self._channels[self.data.after_hours.channel]

    def tickets(self, plan: Plan) -> list[TicketType]:
        """The ticket types `plan` includes, in the file's order."""
        return [t for t in self.data.ticket_types if applies(t, plan)]

    def is_urgent(self, ticket: TicketType) -> bool:
        return ticket.id in self.data.after_hours.ticket_types

    def after_hours(self, plan: Plan, ticket: TicketType) -> bool:
        """Whether `ticket` from `plan` goes to the after-hours channel outside hours."""
        after = self.data.after_hours
        return self.is_urgent(ticket) and (after.plans is None or plan.id in after.plans)

    def offers(self, plan: Plan, ticket: TicketType) -> list[tuple[Channel, str]]:
        """``(channel, schedule id)`` of the plan's channels that `ticket` may use."""
        return [
            (self._channels[o.channel], o.hours)
            for o in plan.channels
            if o.channel in ticket.channels
        ]

    # --- what the box's script needs -----------------------------------------------------

    def config(self) -> dict[str, Any]:
        """Routes as data for support-hours.js and support-ticket.js: no prose, no Markdown."""
        after = self.after_channel
        plans = []
        for plan in self.data.plans:
            plans.append(
                {
                    "id": plan.id,
                    "name": plan.name,
                    "tickets": [
                        {
                            "id": t.id,
                            "offers": [
                                {
                                    "name": c.name,
                                    "schedule": schedule,
                                    "links": [link.as_json() for link in links(c)],
                                }
                                for c, schedule in self.offers(plan, t)
                            ],
                            "afterHours": self.after_hours(plan, t),
                        }
                        for t in self.tickets(plan)
                    ],
                }
            )
        return {
            "plans": plans,
            "tickets": [
                {
                    "id": t.id,
                    "name": t.name,
                    "urgent": self.is_urgent(t),
                    "urgencies": list(t.urgencies),
                    "subject": subject_for(t),
                    "body": body_for(t),
                }
                for t in self.data.ticket_types
            ],
            "afterHours": {
                "name": after.name,
                "links": [link.as_json() for link in links(after)],
            },
            "otherRequests": self.data.after_hours.other_requests,
        }

    # --- the plain list (Markdown), true at any hour --------------------------------------

    def _links_md(self, found: list[Link]) -> str:
        return ", ".join(
            f"{md(KIND_NAMES[link.kind])} [{md(link.label)}]({href(link.url)})" for link in found
        )

    def _during(self, plan: Plan, ticket: TicketType) -> str:
        business = self.data.after_hours.outside
        parts = []
        for channel, schedule in self.offers(plan, ticket):
            found = self._links_md(links(channel)) or md(channel.name)
            if schedule != business:  # say when a channel keeps other hours
                found += f" ({md(wording.schedule_hours(self.data, self._schedules[schedule]))})"
            parts.append(found)
        return ", ".join(parts) or "no channel"

    def _outside(self, plan: Plan, ticket: TicketType) -> str:
        after = self.data.after_hours
        if self.after_hours(plan, ticket):
            channel = self.after_channel
            found = self._links_md(links(channel)) or md(channel.name)
            staff = {r.id: r for r in self.data.team}.get(after.staffed_by)
            return found + (f", answered by {md(staff.name)}" if staff else "")
        found = [link for c, _ in self.offers(plan, ticket) for link in written(c)]
        unique = list(dict.fromkeys(found))
        waits = md(after.other_requests)
        return f"{self._links_md(unique)} ({waits})" if unique else f"requests are {waits}"

    def plain_list(self) -> MarkdownText:
        """Every plan's routes for every ticket type it includes, during and outside hours."""
        business = self._schedules[self.data.after_hours.outside]
        hours = md(wording.schedule_hours(self.data, business))
        during = f"during {md(business.name)} ({hours})"
        closed = f"outside {md(business.name)}"
        lines = []
        for plan in self.data.plans:
            mark = " (Internal)" if plan.audience == "internal" else ""
            lines.append(f"- **{md(plan.name)}**{mark}")
            for t in self.tickets(plan):
                name = md(wording.upfirst(plural_name(t)))
                lines.append(f"    - {name}, {during}: {self._during(plan, t)}.")
                lines.append(f"    - {name}, {closed}: {self._outside(plan, t)}.")
        return MarkdownText("\n".join(lines))


def plural_name(ticket: TicketType) -> str:
    """``"critical tickets"``."""
    return wording.plural(ticket.name)


# --- checks (kb check and kb build) ---------------------------------------------------------


def check_contact(data: SupportFile, source: str, lines: LineMap) -> list[ContentError]:
    """Channels no plan uses, plans without a route for urgent tickets, routes without address.

    Runs once every reference resolves (`kb_builder.support.references`).
    """
    errors: list[ContentError] = []

    def error(loc: tuple[str | int, ...], message: str) -> None:
        errors.append(ContentError(source, lines.line_of(loc), message))

    after = data.after_hours
    used = {o.channel for p in data.plans for o in p.channels} | {after.channel}
    for i, channel in enumerate(data.channels):
        if channel.id not in used:
            error(
                ("channels", i, "id"),
                f"'{where(('channels', i, 'id'))}' is '{channel.id}', a channel no plan uses; "
                "add it to a plan's 'channels' (with its hours), make it the "
                "'after_hours.channel', or remove it",
            )

    routes = Routes(data)
    for i, plan in enumerate(data.plans):
        for ticket in data.ticket_types:
            if not routes.is_urgent(ticket) or not applies(ticket, plan):
                continue
            if routes.offers(plan, ticket):
                continue
            t = data.ticket_types.index(ticket)
            has = wording.join(f"'{o.channel}'" for o in plan.channels)
            wants = wording.join((f"'{c}'" for c in ticket.channels), "or")
            error(
                ("plans", i, "channels"),
                f"'{where(('plans', i))}' ({plan.name}) has no route for "
                f"{wording.plural(ticket.name)}: its channels ({has}) are not among "
                f"'{where(('ticket_types', t, 'channels'))}' ({wants}); add one of its channels "
                "there, or give the plan one of those",
            )

    addressed = [c for c in data.channels if c.has_address]
    if addressed:
        example = addressed[0].id
        for i, channel in enumerate(data.channels):
            if channel.id in used and not channel.has_address:
                error(
                    ("channels", i, "id"),
                    f"'{where(('channels', i))}' ({channel.name}) has no address, but clients "
                    f"are sent to it; give it 'email', 'phone' or 'portal' (as "
                    f"'{example}' has)",
                )
    return errors
