"""Checks that span support.yml: unique ids, references that exist, audiences that agree.

pydantic checks each value on its own; a plan naming a channel that does not exist, two plans
with the same id or a public plan using an internal channel can only be seen with the whole
file. Every finding is a `ContentError` at the line of the offending value.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from kb_builder.core.errors import ContentError, did_you_mean, one_of
from kb_builder.core.yamlio import LineMap
from kb_builder.families.support.model import SupportFile

Loc = tuple[str | int, ...]

# Ids that would collide with other placeholder names (see kb_builder.families.support.facts):
# a channel called 'name' would make support.plans.<plan>.name ambiguous.
RESERVED_CHANNEL_IDS = frozenset({"name", "summary", "channels"})
RESERVED_TARGET_IDS = frozenset({"name", "definition", "urgencies", "channels", "question"})


def where(loc: Loc) -> str:
    """``("plans", 0, "id")`` -> ``"plans item 1.id"`` (as core.validation names fields)."""
    name = ""
    for part in loc:
        name += f" item {part + 1}" if isinstance(part, int) else (f".{part}" if name else part)
    return name or "(document)"


@dataclass
class _Checker:
    source: str
    lines: LineMap
    errors: list[ContentError] = field(default_factory=list)

    def error(self, loc: Loc, message: str) -> None:
        self.errors.append(ContentError(self.source, self.lines.line_of(loc), message))

    def unique(self, kind: str, items: Iterable[tuple[Loc, Any]]) -> dict[str, tuple[Loc, Any]]:
        """Index items by id, reporting every id given twice."""
        index: dict[str, tuple[Loc, Any]] = {}
        for loc, item in items:
            if item.id in index:
                first = index[item.id][0]
                self.error(
                    (*loc, "id"),
                    f"'{where((*loc, 'id'))}' is '{item.id}', already the id of {where(first)} "
                    f"(line {self.lines.line_of((*first, 'id'))}); give each {kind} its own id",
                )
            else:
                index[item.id] = (loc, item)
        return index

    def reference(
        self,
        loc: Loc,
        value: str,
        kind: str,
        index: dict[str, tuple[Loc, Any]],
        referrer: tuple[str, str],
    ) -> None:
        """Report `value` if it names no item of `index`, or an internal one from public text.

        Args:
            loc: where the reference is written.
            value: the id written.
            kind: what it should name ("plan", "channel", ...), for the message.
            index: the items it may name, by id.
            referrer: ``(name, audience)`` of the item that holds the reference; the audience
                is "public", "internal" or "always public" (parts of the file that cannot be
                marked internal).
        """
        if value not in index:
            self.error(
                loc,
                f"'{where(loc)}' is '{value}', which is not a {kind}"
                f"{did_you_mean(value, index)}; use {one_of(index)}",
            )
            return
        target = index[value][1]
        name, audience = referrer
        if audience != "internal" and target.audience == "internal":
            fix = (
                f"name a public {kind}"
                if audience == "always public"
                else f"mark {name} 'audience: internal' too, or name a public {kind}"
            )
            self.error(
                loc,
                f"'{where(loc)}' is '{value}', an internal {kind}, but {name} is {audience}; {fix}",
            )


def _enumerate(prefix: Loc, items: Sequence[Any]) -> list[tuple[Loc, Any]]:
    return [((*prefix, i), item) for i, item in enumerate(items)]


def _audience(*items: Any) -> str:
    """Internal if any item on the way down is internal."""
    return (
        "internal"
        if any(getattr(i, "audience", "public") == "internal" for i in items)
        else ("public")
    )


def check_references(data: SupportFile, source: str, lines: LineMap) -> list[ContentError]:
    """Every duplicate id, dangling reference and public-to-internal reference in `data`."""
    c = _Checker(source, lines)
    schedules = c.unique("schedule", _enumerate(("schedules",), data.schedules))
    channels = c.unique("channel", _enumerate(("channels",), data.channels))
    plans = c.unique("plan", _enumerate(("plans",), data.plans))
    types = c.unique("ticket type", _enumerate(("ticket_types",), data.ticket_types))
    team = c.unique("team role", _enumerate(("team",), data.team))
    c.unique("escalation step", _enumerate(("escalation", "steps"), data.escalation.steps))

    for loc, channel in channels.values():
        if channel.id in RESERVED_CHANNEL_IDS:
            c.error(
                (*loc, "id"),
                f"'{where((*loc, 'id'))}' is '{channel.id}', which is reserved for "
                f"'support.plans.<plan>.{channel.id}'; choose another id",
            )

    for i, plan in enumerate(data.plans):
        seen: dict[str, Loc] = {}
        for j, offer in enumerate(plan.channels):
            at = ("plans", i, "channels", j)
            referrer = (where(("plans", i)), _audience(plan, offer))
            c.reference((*at, "channel"), offer.channel, "channel", channels, referrer)
            c.reference((*at, "hours"), offer.hours, "schedule", schedules, referrer)
            if offer.channel in seen:
                c.error(
                    (*at, "channel"),
                    f"'{where((*at, 'channel'))}' is '{offer.channel}', which {where(('plans', i))}"
                    f" already lists (line {lines.line_of((*seen[offer.channel], 'channel'))}); "
                    "list each channel of a plan once",
                )
            seen.setdefault(offer.channel, at)

    for i, feature in enumerate(data.features):
        at = ("features", i, "plans")
        for plan_id in feature.plans:
            if plan_id not in plans:
                c.error(
                    (*at, plan_id),
                    f"'{where(at)}' names '{plan_id}', which is not a plan"
                    f"{did_you_mean(plan_id, plans)}; use {one_of(plans)}",
                )
        missing = [p for p in plans if p not in feature.plans]
        if missing:
            c.error(
                at,
                f"'{where(at)}' says nothing about {one_of(missing)}; give every plan a value, "
                "e.g. 'No'",
            )

    for i, ticket in enumerate(data.ticket_types):
        referrer = (where(("ticket_types", i)), _audience(ticket))
        for j, plan_id in enumerate(ticket.plans or []):
            c.reference(("ticket_types", i, "plans", j), plan_id, "plan", plans, referrer)
        for j, channel_id in enumerate(ticket.channels):
            at = ("ticket_types", i, "channels", j)
            c.reference(at, channel_id, "channel", channels, referrer)
        targets = c.unique("target", _enumerate(("ticket_types", i, "targets"), ticket.targets))
        for loc, target in targets.values():
            if target.id in RESERVED_TARGET_IDS:
                c.error(
                    (*loc, "id"),
                    f"'{where((*loc, 'id'))}' is '{target.id}', which is reserved for "
                    f"'support.tickets.{ticket.id}.{target.id}'; choose another id",
                )

    after = data.after_hours
    referrer = ("after_hours", "always public")
    c.reference(("after_hours", "outside"), after.outside, "schedule", schedules, referrer)
    c.reference(("after_hours", "channel"), after.channel, "channel", channels, referrer)
    c.reference(("after_hours", "staffed_by"), after.staffed_by, "team role", team, referrer)
    for j, type_id in enumerate(after.ticket_types):
        c.reference(("after_hours", "ticket_types", j), type_id, "ticket type", types, referrer)
    for j, plan_id in enumerate(after.plans or []):
        c.reference(("after_hours", "plans", j), plan_id, "plan", plans, referrer)

    return c.errors
