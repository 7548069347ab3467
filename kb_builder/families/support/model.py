"""What a writer puts in content/_data/support.yml: every support fact, written once.

Plain-text fields (`Text`) are facts: pages and placeholders show them exactly as written.
`Markdown` fields are prose: they may use Markdown, links and ``{{ support.... }}``
placeholders. Every item of a list may carry ``audience: internal``: it then appears only in
the internal edition, marked "Internal".

Cross-references (a plan's channel, a ticket type's plans, ...) are checked in
`kb_builder.families.support.references`, which needs the whole file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from kb_builder.core.editions import Audience
from kb_builder.core.markdown import checked_data_markdown
from kb_builder.core.model import StrictModel
from kb_builder.families.support import contact, hours

# The error type kb_builder.core.validation words as "'<field>' <message>".
_INVALID = "kb_invalid"
ID_PATTERN = r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$"


def _checked(check: Callable[[str], object]) -> Callable[[Any], Any]:
    """Wrap a `ValueError`-raising check into a pydantic error worded by its message."""

    def run(value: Any) -> Any:
        try:
            check(value)
        except ValueError as e:
            raise PydanticCustomError(_INVALID, str(e)) from None
        return value

    return run


def _checked_value(check: Callable[[str], str]) -> Callable[[Any], Any]:
    """Like `_checked`, keeping the value the check returns (a normalised address)."""

    def run(value: Any) -> Any:
        try:
            return check(value)
        except ValueError as e:
            raise PydanticCustomError(_INVALID, str(e)) from None

    return run


def _text(value: str) -> str:
    text = " ".join(value.split())
    if not text:
        raise PydanticCustomError(_INVALID, "is empty; write some text")
    return text


def _markdown(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError(_INVALID, "is empty; write some text")
    return value.strip()


def _identifier(value: str) -> str:
    if not re.fullmatch(ID_PATTERN, value):
        raise PydanticCustomError(
            _INVALID,
            "is '{value}', which is not an id; use lower-case letters, digits and single "
            "hyphens or underscores, starting with a letter, e.g. 'standard-plus'",
            {"value": value},
        )
    return value


def _not_a_number(value: Any) -> Any:
    # YAML reads an unquoted 09:00 as the number 540 (base 60): say so, not "must be text".
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise PydanticCustomError(
            _INVALID,
            "is {value}, a number: YAML reads an unquoted time such as 09:00 as minutes; "
            'write the range in quotes, e.g. "09:00-17:00"',
            {"value": value},
        )
    return value


Text = Annotated[
    str,
    AfterValidator(_text),
    WithJsonSchema({"type": "string", "minLength": 1, "description": "Plain text, shown as is"}),
]


class _MarkdownField:
    """Marks `Markdown` fields, whose placeholders `kb_builder.families.support.loader` checks."""


MARKDOWN_FIELD = _MarkdownField()
Markdown = Annotated[
    str,
    AfterValidator(_markdown),
    AfterValidator(checked_data_markdown),
    MARKDOWN_FIELD,
    WithJsonSchema(
        {"type": "string", "minLength": 1, "description": "Markdown; may use placeholders"}
    ),
]
Id = Annotated[
    str,
    AfterValidator(_identifier),
    WithJsonSchema({"type": "string", "pattern": ID_PATTERN}),
]
Days = Annotated[
    str,
    AfterValidator(_checked(hours.parse_days)),
    WithJsonSchema({"type": "string", "examples": ["Mon-Fri", "Mon, Wed, Fri"]}),
]
TimeRange = Annotated[
    str,
    BeforeValidator(_not_a_number),
    AfterValidator(_checked(hours.parse_time_range)),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{1,2}:\d{2}\s*-\s*\d{1,2}:\d{2}$",
            "examples": ["09:00-17:00"],
        }
    ),
]
Duration = Annotated[
    str,
    AfterValidator(_checked(hours.parse_duration)),
    WithJsonSchema({"type": "string", "examples": ["15 minutes", "1 hour", "2 business days"]}),
]
Email = Annotated[
    str,
    AfterValidator(_checked_value(contact.check_email)),
    WithJsonSchema({"type": "string", "format": "email", "examples": [contact.EXAMPLE_EMAIL]}),
]
Phone = Annotated[
    str,
    BeforeValidator(_checked(contact.not_a_number)),
    AfterValidator(_checked_value(contact.check_phone)),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": contact.E164.pattern,
            "description": "E.164: '+', country code, number, no spaces; shown nationally",
            "examples": [contact.EXAMPLE_PHONE],
        }
    ),
]
PortalUrl = Annotated[
    str,
    AfterValidator(_checked_value(contact.check_portal)),
    WithJsonSchema(
        {"type": "string", "pattern": "^https://", "examples": [contact.EXAMPLE_PORTAL]}
    ),
]
TimeZone = Annotated[
    str,
    AfterValidator(_checked(hours.check_time_zone)),
    WithJsonSchema({"type": "string", "examples": ["America/Toronto"]}),
]


class Item(StrictModel):
    """Anything in a list: public unless marked ``audience: internal``."""

    audience: Audience = "public"


class Step(Item):
    """One step of a procedure: an optional bold lead-in, then Markdown."""

    title: Text | None = None
    text: Markdown | None = None
    choices: list[Markdown] = Field(default_factory=list)


class Note(Item):
    """An admonition (note, tip, warning) shown on a page."""

    kind: Literal["note", "tip", "info", "warning"] = "note"
    title: Text
    text: Markdown


class Section(Item):
    """A titled piece of prose added to a generated page."""

    title: Text
    text: Markdown


class Schedule(Item):
    """Weekly opening hours in the vendor's time zone, e.g. business hours."""

    id: Id
    name: Text = Field(description="How a sentence names it, e.g. 'business hours'")
    days: Days
    time: TimeRange

    @property
    def weekdays(self) -> tuple[int, ...]:
        """ISO weekday numbers (Monday is 1)."""
        return hours.parse_days(self.days)

    @property
    def minutes(self) -> tuple[int, int]:
        """Opening and closing time, in minutes after midnight."""
        return hours.parse_time_range(self.time)


class Channel(Item):
    """A way to reach support: an online ticket, the telephone, the after-hours email."""

    id: Id
    name: Text = Field(description="How a sentence names it, e.g. 'telephone'")
    description: Markdown
    when: Section | None = Field(
        default=None,
        description="When to use it rather than a ticket (a section of launch-a-ticket)",
    )
    # Where clients reach it: pages link to these as mailto:, tel: and https: links. Which
    # plans, hours and ticket types a channel serves is said where it is used (plans[].channels,
    # ticket_types[].channels, after_hours.channel), once.
    email: Email | None = Field(default=None, description="E-mail address, e.g. support@...")
    phone: Phone | None = Field(default=None, description="Telephone number in E.164")
    portal: PortalUrl | None = Field(
        default=None, description="The help-desk portal's https:// address"
    )

    @property
    def has_address(self) -> bool:
        """Whether the channel gives clients an address to use (e-mail, telephone, portal)."""
        return bool(self.email or self.phone or self.portal)


class PlanChannel(Item):
    """A channel a plan includes, and the hours it is staffed."""

    channel: Id
    hours: Id = Field(description="A schedule id")


class Plan(Item):
    """A support plan the vendor sells."""

    id: Id
    name: Text
    summary: Markdown
    channels: list[PlanChannel] = Field(min_length=1)


class Feature(Item):
    """A row of the plan comparison table that is not a channel."""

    name: Text
    plans: dict[str, bool | Text] = Field(
        description="Plan id -> what the plan offers ('Yes', 'No' or a few words)"
    )


class Target(Item):
    """A response target, e.g. triage within 15 minutes."""

    id: Id
    name: Text = Field(description="e.g. 'Triage'")
    within: Duration
    text: Markdown | None = None


class TicketType(Item):
    """A kind of ticket (standard, critical, ...): what it is for and how to launch it."""

    id: Id
    name: Text = Field(description="How a sentence names it, e.g. 'critical ticket'")
    definition: Text = Field(description="What counts as this kind of ticket")
    summary: Markdown | None = None
    question: Text | None = Field(
        default=None, description="What a client asks to recognise it, e.g. 'Is your system down?'"
    )
    urgencies: list[Text] = Field(default_factory=list, description="Help desk urgency values")
    plans: list[Id] | None = Field(default=None, description="Plan ids (default: every plan)")
    channels: list[Id] = Field(min_length=1, description="Channels to use during their hours")
    examples: list[Markdown] = Field(default_factory=list)
    not_examples: list[Markdown] = Field(default_factory=list)
    when_unsure: Markdown | None = None
    during_hours: list[Step] = Field(default_factory=list)
    subject: Text | None = Field(default=None, description="Subject line format for emails")
    subject_example: Text | None = None
    include: list[Markdown] = Field(default_factory=list, description="What to include")
    targets: list[Target] = Field(default_factory=list)
    next_steps: list[Step] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)


class AfterHours(StrictModel):
    """What happens outside a schedule: which tickets, which channel, who answers."""

    outside: Id = Field(description="The schedule whose closed hours are 'after hours'")
    ticket_types: list[Id] = Field(min_length=1)
    channel: Id
    staffed_by: Id = Field(description="A team role id")
    plans: list[Id] | None = Field(default=None, description="Plan ids (default: every plan)")
    other_requests: Text = Field(description="What happens to other requests, e.g. 'answered ...'")
    steps: list[Step] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)


class Role(Item):
    """A role in (or around) the support team."""

    id: Id
    name: Text = Field(description="How a sentence names them, e.g. 'front line agents'")
    description: Text


class EscalationStep(Item):
    """One step of the path from a confirmed bug to a fix."""

    id: Id
    summary: Text = Field(description="A short sentence; also the diagram's label")
    text: Markdown
    you_see: Markdown | None = Field(default=None, description="What the client sees")
    notes: list[Note] = Field(default_factory=list)


class Escalation(StrictModel):
    """How a bug moves from a ticket to a fix."""

    intro: Markdown
    duration: Text = Field(description="How long fixes take, e.g. '1 day to many months'")
    steps: list[EscalationStep] = Field(min_length=1)
    afterwards: Markdown | None = None
    timing: list[Markdown] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)


class HelpDesk(StrictModel):
    """How to launch a ticket in the help desk."""

    before_you_start: list[Markdown] = Field(default_factory=list)
    steps: list[Step] = Field(min_length=1)


class PageExtras(StrictModel):
    """Prose added at the end of a generated page."""

    sections: list[Section] = Field(default_factory=list)
    see_also: list[Markdown] = Field(default_factory=list)


class Pages(StrictModel):
    """Extra prose for each generated page, keyed by the page's file name."""

    launch_a_ticket: PageExtras = Field(default_factory=PageExtras, alias="launch-a-ticket")
    critical_tickets: PageExtras = Field(default_factory=PageExtras, alias="critical-tickets")
    plans_and_hours: PageExtras = Field(default_factory=PageExtras, alias="plans-and-hours")
    escalation: PageExtras = Field(default_factory=PageExtras, alias="escalation")


class SupportFile(StrictModel):
    """content/_data/support.yml."""

    vendor: Text
    time_zone: TimeZone = Field(description="IANA name of the vendor's time zone")
    time_zone_label: Text | None = Field(
        default=None, description="How pages name it, e.g. 'Eastern time' (default: '<city> time')"
    )
    schedules: list[Schedule] = Field(min_length=1)
    channels: list[Channel] = Field(min_length=1)
    plans: list[Plan] = Field(min_length=1)
    features: list[Feature] = Field(default_factory=list)
    ticket_types: list[TicketType] = Field(min_length=1)
    after_hours: AfterHours
    team: list[Role] = Field(default_factory=list)
    escalation: Escalation
    help_desk: HelpDesk
    pages: Pages = Field(default_factory=Pages)

    @property
    def zone_label(self) -> str:
        """How pages name the time zone: the label given, else ``"Toronto time"``."""
        return self.time_zone_label or f"{hours.zone_city(self.time_zone)} time"


# JSON Schemas for writers' editors: file stem -> root model (registered by the lead).
SCHEMA_MODELS: dict[str, type[StrictModel]] = {"support": SupportFile}
