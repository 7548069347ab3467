"""The names writers use to quote support facts in any page: ``{{ support.... }}``.

The namespace (``<plan>``, ``<channel>``, ... are ids from support.yml), with demo values:

- ``support.vendor``: OPS-COM
- ``support.timezone``: Eastern time; ``support.timezone_id``: America/Toronto;
  ``support.timezone_abbreviations``: EST/EDT
- ``support.schedules.<schedule>.name``: business hours; ``.days``: Monday to Friday;
  ``.time``: 9 a.m. to 5 p.m. Eastern time; ``.hours``: Monday to Friday, 9 a.m. to 5 p.m.
  Eastern time
- ``support.channels.<channel>.name``: telephone; ``.email``, ``.phone``, ``.portal``: its
  addresses, quoted as links (``support@example.com`` as a mailto: link, ``(416) 555-0142`` as
  a tel: link, the portal as an https: link); write them outside a link's text
- ``support.plans.<plan>.name``: Premium; ``.channels``: online support ticket (email) and
  telephone
- ``support.plans.<plan>.<channel>.name``, ``.days``, ``.time``, ``.hours``: that channel in
  that plan, e.g. ``support.plans.premium.phone.hours``; ``.email``, ``.phone``, ``.portal``:
  its addresses (only for channels the plan has: a plan without the telephone has no number)
- ``support.tickets.<type>.name``: critical ticket; ``.definition``: system outages or ...;
  ``.urgencies``: Low, Normal or High; ``.question``: Is your system down?
- ``support.tickets.<type>.<target>``: 15 minutes (``support.tickets.critical.triage``),
  1 hour (``support.tickets.critical.status_update``)
- ``support.after_hours.hours``: outside Monday to Friday, 9 a.m. to 5 p.m. Eastern time;
  ``.channel``: after-hours critical email; ``.email``, ``.phone``, ``.portal``: that
  channel's addresses; ``.staffed_by``: on-call personnel;
  ``.ticket_types``: critical tickets; ``.other_requests``: answered on the next business day
- ``support.team.<role>.name``: front line agents; ``.description``
- ``support.escalation.duration``: 1 day to many months;
  ``support.escalation.steps.<step>.summary``: The escalation manager assesses it.

A fact is internal when any item it comes from is marked ``audience: internal``; naming it on a
page is an error in the public edition.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kb_builder.core.editions import Audience
from kb_builder.families.support import hours
from kb_builder.families.support.model import Channel, SupportFile
from kb_builder.families.support.routes import links
from kb_builder.families.support.wording import (
    join,
    plural,
    schedule_days,
    schedule_hours,
    schedule_time,
)

ROOT = "support"


@dataclass(frozen=True)
class Fact:
    """One quotable value: plain text, and who may read it.

    An address fact (e-mail, telephone, portal) also has a `link` (``mailto:``, ``tel:``,
    ``https:``): a page quoting it gets a link whose text is `value`.
    """

    value: str
    audience: Audience = "public"
    link: str | None = None


@dataclass
class Facts:
    """Every quotable support fact, by full name (``support.plans.premium.name``)."""

    values: dict[str, Fact] = field(default_factory=dict)

    def add(self, name: str, value: str, *internal_if: object, link: str | None = None) -> None:
        internal = any(getattr(i, "audience", "public") == "internal" for i in internal_if)
        self.values[f"{ROOT}.{name}"] = Fact(value, "internal" if internal else "public", link)

    def add_addresses(self, name: str, channel: Channel, *internal_if: object) -> None:
        """``<name>.email``, ``.phone``, ``.portal``: the channel's addresses, as links."""
        for link in links(channel):
            self.add(f"{name}.{link.kind}", link.label, channel, *internal_if, link=link.url)

    def get(self, name: str) -> Fact | None:
        """The fact called `name`, or None."""
        return self.values.get(name)

    def names(self) -> list[str]:
        """Every name, sorted."""
        return sorted(self.values)

    def children(self, prefix: str) -> list[str]:
        """The next name parts after `prefix` (``"support.plans"`` -> plan ids)."""
        start = prefix + "."
        return sorted(
            {n[len(start) :].split(".", 1)[0] for n in self.values if n.startswith(start)}
        )


def build_facts(data: SupportFile) -> Facts:
    """Every fact of `data` (both editions: each fact knows its audience)."""
    facts = Facts()
    facts.add("vendor", data.vendor)
    facts.add("timezone", data.zone_label)
    facts.add("timezone_id", data.time_zone)
    facts.add("timezone_abbreviations", "/".join(hours.zone_abbreviations(data.time_zone)))

    schedules = {s.id: s for s in data.schedules}
    channels = {c.id: c for c in data.channels}
    for s in data.schedules:
        facts.add(f"schedules.{s.id}.name", s.name, s)
        facts.add(f"schedules.{s.id}.days", schedule_days(s), s)
        facts.add(f"schedules.{s.id}.time", schedule_time(data, s), s)
        facts.add(f"schedules.{s.id}.hours", schedule_hours(data, s), s)
    for c in data.channels:
        facts.add(f"channels.{c.id}.name", c.name, c)
        facts.add_addresses(f"channels.{c.id}", c)

    for plan in data.plans:
        base = f"plans.{plan.id}"
        facts.add(f"{base}.name", plan.name, plan)
        public = [o for o in plan.channels if o.audience == "public" and o.channel in channels]
        facts.add(f"{base}.channels", join(channels[o.channel].name for o in public), plan)
        for offer in plan.channels:
            channel, schedule = channels.get(offer.channel), schedules.get(offer.hours)
            if channel is None or schedule is None:
                continue  # reported by kb_builder.families.support.references
            at = f"{base}.{offer.channel}"
            facts.add(f"{at}.name", channel.name, plan, offer, channel)
            facts.add(f"{at}.days", schedule_days(schedule), plan, offer, schedule)
            facts.add(f"{at}.time", schedule_time(data, schedule), plan, offer, schedule)
            facts.add(f"{at}.hours", schedule_hours(data, schedule), plan, offer, schedule)
            facts.add_addresses(at, channel, plan, offer)

    for ticket in data.ticket_types:
        base = f"tickets.{ticket.id}"
        facts.add(f"{base}.name", ticket.name, ticket)
        facts.add(f"{base}.definition", ticket.definition, ticket)
        if ticket.urgencies:
            facts.add(f"{base}.urgencies", join(ticket.urgencies, "or"), ticket)
        if ticket.question:
            facts.add(f"{base}.question", ticket.question, ticket)
        for target in ticket.targets:
            facts.add(f"{base}.{target.id}", target.within, ticket, target)

    after = data.after_hours
    types = {t.id: t for t in data.ticket_types}
    team = {r.id: r for r in data.team}
    if after.outside in schedules:
        facts.add("after_hours.hours", f"outside {schedule_hours(data, schedules[after.outside])}")
    if after.channel in channels:
        facts.add("after_hours.channel", channels[after.channel].name)
        facts.add_addresses("after_hours", channels[after.channel])
    if after.staffed_by in team:
        facts.add("after_hours.staffed_by", team[after.staffed_by].name)
    names = [plural(types[t].name) for t in after.ticket_types if t in types]
    facts.add("after_hours.ticket_types", join(names, "and"))
    facts.add("after_hours.other_requests", after.other_requests)

    for role in data.team:
        facts.add(f"team.{role.id}.name", role.name, role)
        facts.add(f"team.{role.id}.description", role.description, role)
    facts.add("escalation.duration", data.escalation.duration)
    for step in data.escalation.steps:
        facts.add(f"escalation.steps.{step.id}.summary", step.summary, step)
    return facts
