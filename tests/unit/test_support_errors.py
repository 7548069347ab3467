"""support.yml: every mistake a writer can make is reported at its line, with what is valid."""

from __future__ import annotations

import pytest

from kb_builder.core.errors import ContentError
from kb_builder.families.support import check, load
from kb_builder.families.support.loader import check_text

# A small valid file; each case below changes one thing in it. Line numbers in the expected
# messages are lines of this text.
MINIMAL = """\
vendor: Acme
time_zone: America/Toronto
schedules:
  - id: business-hours
    name: business hours
    days: Mon-Fri
    time: "09:00-17:00"
channels:
  - id: email
    name: email
    description: Write to us.
  - id: phone
    name: telephone
    description: Call us.
  - id: night-email
    name: after-hours email
    description: Write to the on-call staff.
plans:
  - id: premium
    name: Premium
    summary: Everything.
    channels:
      - channel: email
        hours: business-hours
      - channel: phone
        hours: business-hours
  - id: standard-plus
    name: Standard Plus
    summary: Email only.
    channels:
      - channel: email
        hours: business-hours
ticket_types:
  - id: standard
    name: standard ticket
    definition: anything that is not critical
    channels: [email, phone]
  - id: critical
    name: critical ticket
    definition: outages
    plans: [premium, standard-plus]
    channels: [email, phone]
    targets:
      - id: triage
        name: Triage
        within: 15 minutes
after_hours:
  outside: business-hours
  ticket_types: [critical]
  channel: night-email
  staffed_by: on-call
  other_requests: answered on the next business day
team:
  - id: on-call
    name: on-call staff
    description: Answers critical email at night.
escalation:
  intro: Bugs go to development.
  duration: 1 day to many months
  steps:
    - id: confirm
      summary: We confirm the bug.
      text: An agent reproduces it.
help_desk:
  steps:
    - text: Sign in.
"""


def changed(old: str, new: str) -> str:
    """MINIMAL with `old` (which must occur exactly once) replaced by `new`."""
    assert MINIMAL.count(old) == 1, old
    return MINIMAL.replace(old, new)


def messages(text: str) -> list[str]:
    return [str(e) for e in check_text(text, "support.yml")[1]]


def test_minimal_file_is_valid():
    model, errors = check_text(MINIMAL, "support.yml")
    assert errors == []
    assert model is not None and model.plans[1].name == "Standard Plus"


TIME = 'time: "09:00-17:00"'
ROLE = "    description: Answers critical email at night."
CASES = [
    pytest.param(
        "plans: [premium, standard-plus]",
        "plans: [premum, standard-plus]",
        [
            "support.yml:41: 'ticket_types item 2.plans item 1' is 'premum', which is not a "
            "plan (did you mean 'premium'?); use 'premium' or 'standard-plus'"
        ],
        id="unknown plan in a ticket type",
    ),
    pytest.param(
        TIME,
        'time: "9-5"',
        [
            "support.yml:7: 'schedules item 1.time' is '9-5', which is not a time range; write "
            "'HH:MM-HH:MM' on a 24-hour clock, e.g. '09:00-17:00'"
        ],
        id="time range 9-5",
    ),
    pytest.param(
        TIME,
        'time: "25:00-17:00"',
        [
            "support.yml:7: 'schedules item 1.time' is '25:00-17:00', in which '25:00' is not a "
            "time of day; use '00:00' to '23:59'"
        ],
        id="hour 25",
    ),
    pytest.param(
        TIME,
        'time: "17:00-09:00"',
        [
            "support.yml:7: 'schedules item 1.time' is '17:00-09:00', which ends before it "
            "starts; a range ends later on the same day, e.g. '09:00-17:00' (use '24:00' for "
            "midnight)"
        ],
        id="range ends before it starts",
    ),
    pytest.param(
        TIME,
        'time: "09:00-24:30"',
        [
            "support.yml:7: 'schedules item 1.time' is '09:00-24:30', in which '24:30' is not a "
            "time of day; use '00:00' to '23:59' (or '24:00' to end at midnight)"
        ],
        id="past midnight",
    ),
    pytest.param(
        TIME,
        "time: 9:00",
        [
            "support.yml:7: 'schedules item 1.time' is 540, a number: YAML reads an unquoted "
            'time such as 09:00 as minutes; write the range in quotes, e.g. "09:00-17:00"'
        ],
        id="unquoted time read as base-60 number",
    ),
    pytest.param(
        "days: Mon-Fri",
        "days: Mon-Fry",
        [
            "support.yml:6: 'schedules item 1.days' is 'Mon-Fry', in which 'Fry' is not a day "
            "(did you mean 'Fri'?); use 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat' or 'Sun'"
        ],
        id="unknown day",
    ),
    pytest.param(
        "days: Mon-Fri",
        "days: Fri-Mon",
        [
            "support.yml:6: 'schedules item 1.days' is 'Fri-Mon', whose range 'Fri-Mon' runs "
            "backwards; a range goes forward from Mon to Sun, e.g. 'Mon-Fri' (write "
            "'Sat, Sun, Mon' for a weekend and a Monday)"
        ],
        id="day range backwards",
    ),
    pytest.param(
        "time_zone: America/Toronto",
        "time_zone: America/Torronto",
        [
            "support.yml:2: 'time_zone' is 'America/Torronto', which is not a time zone (did "
            "you mean 'America/Toronto'?); use an IANA name such as 'America/Toronto' or "
            "'Europe/Paris'"
        ],
        id="unknown time zone",
    ),
    pytest.param(
        "time_zone: America/Toronto",
        "time_zone: EST",
        [
            "support.yml:2: 'time_zone' is 'EST', a fixed offset that ignores daylight saving "
            "time; use the name of a place in that zone, such as 'America/Toronto' for "
            "Eastern time"
        ],
        id="EST is no place",
    ),
    pytest.param(
        "    definition: outages\n",
        "",
        ["support.yml:38: 'ticket_types item 2.definition' is missing; it is required"],
        id="ticket type without definition",
    ),
    pytest.param(
        "    definition: outages",
        '    definition: ""',
        ["support.yml:40: 'ticket_types item 2.definition' is empty; write some text"],
        id="empty definition",
    ),
    pytest.param(
        "vendor: Acme",
        "vendor: Acme\nplan: x",
        [
            "support.yml:2: unknown support key 'plan' (did you mean 'plans'?); valid keys are "
            "'after_hours', 'channels', 'escalation', 'features', 'help_desk', 'pages', "
            "'plans', 'schedules', 'team', 'ticket_types', 'time_zone', 'time_zone_label' or "
            "'vendor'"
        ],
        id="unknown top-level key",
    ),
    pytest.param(
        "        within: 15 minutes",
        "        within: 15 minutes\n        whithin: 1 hour",
        [
            "support.yml:47: unknown support key 'whithin' (did you mean 'within'?); valid keys "
            "are 'audience', 'id', 'name', 'text' or 'within'"
        ],
        id="unknown nested key",
    ),
    pytest.param(
        "    channels: [email, phone]\n  - id: critical",
        "    channels: email\n  - id: critical",
        [
            "support.yml:37: 'ticket_types item 1.channels' must be a list (one '- item' per "
            "line), not 'email'"
        ],
        id="text instead of a list",
    ),
    pytest.param(
        "    name: Premium",
        "    name: 42",
        ["support.yml:20: 'plans item 1.name' must be text, not '42'"],
        id="number instead of text",
    ),
    pytest.param(
        "    name: Premium",
        "    name: [Premium]",
        ["support.yml:20: 'plans item 1.name' must be text, not a list"],
        id="list instead of text",
    ),
    pytest.param(
        "within: 15 minutes",
        "within: 15 mins",
        [
            "support.yml:46: 'ticket_types item 2.targets item 1.within' is '15 mins', which is "
            "not a duration; write a whole number and a unit ('minutes', 'hours', 'days', "
            "'business days', 'weeks' or 'months'), e.g. '15 minutes' or '1 hour'"
        ],
        id="malformed duration",
    ),
    pytest.param(
        "within: 15 minutes",
        "within: 1 hours",
        [
            "support.yml:46: 'ticket_types item 2.targets item 1.within' is '1 hours'; "
            "write '1 hour'"
        ],
        id="singular duration",
    ),
    pytest.param(
        "  - id: standard-plus",
        "  - id: premium",
        [
            "support.yml:27: 'plans item 2.id' is 'premium', already the id of plans item 1 "
            "(line 19); give each plan its own id",
            # The reference to the plan that is no longer there is reported too.
            "support.yml:41: 'ticket_types item 2.plans item 2' is 'standard-plus', which is "
            "not a plan; use 'premium'",
        ],
        id="duplicate plan id",
    ),
    pytest.param(
        "  - id: standard-plus",
        "  - id: Standard Plus",
        [
            "support.yml:27: 'plans item 2.id' is 'Standard Plus', which is not an id; use "
            "lower-case letters, digits and single hyphens or underscores, starting with a "
            "letter, e.g. 'standard-plus'"
        ],
        id="malformed id",
    ),
    pytest.param(
        "      - channel: phone",
        "      - channel: phnoe",
        [
            "support.yml:25: 'plans item 1.channels item 2.channel' is 'phnoe', which is not a "
            "channel (did you mean 'phone'?); use 'email', 'phone' or 'night-email'"
        ],
        id="unknown channel in a plan",
    ),
    pytest.param(
        "      - channel: phone\n        hours: business-hours",
        "      - channel: phone\n        hours: office-hours",
        [
            "support.yml:26: 'plans item 1.channels item 2.hours' is 'office-hours', which is "
            "not a schedule (did you mean 'business-hours'?); use 'business-hours'"
        ],
        id="unknown schedule",
    ),
    pytest.param(
        "      - channel: phone\n        hours: business-hours",
        "      - channel: email\n        hours: business-hours",
        [
            "support.yml:25: 'plans item 1.channels item 2.channel' is 'email', which plans "
            "item 1 already lists (line 23); list each channel of a plan once"
        ],
        id="channel listed twice in a plan",
    ),
    pytest.param(
        "  staffed_by: on-call",
        "  staffed_by: oncall",
        [
            "support.yml:51: 'after_hours.staffed_by' is 'oncall', which is not a team role "
            "(did you mean 'on-call'?); use 'on-call'"
        ],
        id="unknown team role",
    ),
    pytest.param(
        "  - id: night-email\n",
        "  - id: night-email\n    audience: internal\n",
        [
            "support.yml:51: 'after_hours.channel' is 'night-email', an internal channel, but "
            "after_hours is always public; name a public channel"
        ],
        id="public part names an internal channel",
    ),
    pytest.param(
        "  - id: phone\n    name: telephone",
        "  - id: phone\n    audience: internal\n    name: telephone",
        [
            "support.yml:26: 'plans item 1.channels item 2.channel' is 'phone', an internal "
            "channel, but plans item 1 is public; mark plans item 1 'audience: internal' too, "
            "or name a public channel",
            "support.yml:38: 'ticket_types item 1.channels item 2' is 'phone', an internal "
            "channel, but ticket_types item 1 is public; mark ticket_types item 1 "
            "'audience: internal' too, or name a public channel",
            "support.yml:43: 'ticket_types item 2.channels item 2' is 'phone', an internal "
            "channel, but ticket_types item 2 is public; mark ticket_types item 2 "
            "'audience: internal' too, or name a public channel",
        ],
        id="public plan uses an internal channel",
    ),
    pytest.param(
        "      - id: triage",
        "      - id: definition",
        [
            "support.yml:44: 'ticket_types item 2.targets item 1.id' is 'definition', which is "
            "reserved for 'support.tickets.critical.definition'; choose another id"
        ],
        id="target id clashes with a fact name",
    ),
    pytest.param(
        "    description: Write to us.",
        '    description: "Write to us {{ support.plans.premium.phone.hour }}."',
        [
            "support.yml:11: unknown support fact '{{ support.plans.premium.phone.hour }}' (did "
            "you mean 'support.plans.premium.phone.hours'?); after "
            "'support.plans.premium.phone.' use 'days', 'hours', 'name' or 'time'"
        ],
        id="unknown placeholder in a Markdown field",
    ),
    pytest.param(
        "    name: Premium",
        '    name: "Premium {{ support.vendor }}"',
        [
            "support.yml:20: 'plans item 1.name' is plain text, shown as written, so "
            "'{{ support.vendor }}' would not be replaced; write the value itself (placeholders "
            "work in Markdown fields: summaries, descriptions, steps, notes)"
        ],
        id="placeholder in a plain-text field",
    ),
    pytest.param(
        ROLE,
        ROLE + "\n  - id: rota\n    audience: internal\n    name: on-call rota\n"
        "    description: Weekly turns.",
        [],
        id="internal team role is fine",
    ),
    pytest.param(
        "    - text: Sign in.",
        "    - text: Ask {{ support.team.rota.name }}.\nteam_note: x",
        [
            "support.yml:67: unknown support key 'team_note' (did you mean 'team'?); valid keys "
            "are 'after_hours', 'channels', 'escalation', 'features', 'help_desk', 'pages', "
            "'plans', 'schedules', 'team', 'ticket_types', 'time_zone', 'time_zone_label' or "
            "'vendor'"
        ],
        id="placeholders are checked only once values are valid",
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), CASES)
def test_support_file_errors(old, new, expected):
    assert messages(changed(old, new)) == expected


def test_internal_fact_in_public_text_is_an_error():
    text = changed(
        ROLE,
        ROLE + "\n  - id: rota\n    audience: internal\n    name: on-call rota\n"
        "    description: Weekly turns.",
    )
    public = text.replace("    - text: Sign in.", "    - text: Ask {{ support.team.rota.name }}.")
    assert messages(public) == [
        "support.yml:70: '{{ support.team.rota.name }}' is an internal support fact (audience: "
        "internal in support.yml) and cannot appear in the public edition; remove it, or mark "
        "the page 'audience: internal'"
    ]
    internal = text.replace(
        "    - text: Sign in.",
        "    - audience: internal\n      text: Ask {{ support.team.rota.name }}.",
    )
    assert messages(internal) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "",
            "support.yml:1: the file is empty; describe the support facts here, starting with "
            "'vendor:', 'time_zone:', 'schedules:', 'channels:', 'plans:', 'ticket_types:', "
            "'after_hours:', 'escalation:' and 'help_desk:'",
        ),
        (
            "# only a comment\n",
            "support.yml:1: the file is empty; describe the support facts here, starting with "
            "'vendor:', 'time_zone:', 'schedules:', 'channels:', 'plans:', 'ticket_types:', "
            "'after_hours:', 'escalation:' and 'help_desk:'",
        ),
        (
            "- premium\n- standard-plus\n",
            "support.yml:1: the file holds a list; it must be a mapping of 'key: value' lines, "
            "starting with 'vendor: <your company>'",
        ),
        (
            "OPS-COM\n",
            "support.yml:1: the file holds the single value 'OPS-COM'; it must be a mapping of "
            "'key: value' lines, starting with 'vendor: <your company>'",
        ),
        (
            "vendor: Acme\nvendor: Other\n",
            "support.yml:2: duplicate key 'vendor' (first given on line 1); keep one of them",
        ),
        (
            "vendor: [Acme\n",
            "support.yml:1: YAML syntax error: expected ',' or ']', but got '<stream end>' "
            "(parsing a flow sequence on this line)",
        ),
    ],
    ids=["empty", "comment only", "list", "scalar", "duplicate key", "syntax"],
)
def test_file_level_errors(text, expected):
    assert messages(text) == [expected]


def test_control_characters_are_errors_not_tracebacks():
    # The wording is kb_builder.core.yamlio's; what matters here is the line and no traceback.
    (found,) = messages("vendor: Acme\nplans:\x1f\n")
    assert found.startswith("support.yml:2: ") and "U+001F" in found


def test_every_error_is_listed_at_once():
    text = changed(TIME, 'time: "9-5"')
    text = text.replace("time_zone: America/Toronto", "time_zone: Europe/Pariss")
    text = text.replace("    name: Premium", "    name: 42")
    found = messages(text)
    assert [e.split(":")[1] for e in found] == ["2", "7", "20"]


def write(tmp_path, content: bytes | str):
    data = tmp_path / "_data"
    data.mkdir()
    target = data / "support.yml"
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")
    return data


def test_non_utf8_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = write(tmp_path, MINIMAL.encode("utf-8").replace(b"Acme", b"Acm\xe9"))
    expected = (
        "_data/support.yml:1: not valid UTF-8 (byte 0xe9 at offset 11); save the file as UTF-8"
    )
    assert [str(e) for e in check(data)] == [expected]
    with pytest.raises(ContentError) as e:
        load(data)
    assert str(e.value) == expected


def test_missing_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "_data").mkdir()
    assert [str(e) for e in check(tmp_path / "_data")] == [
        "_data/support.yml: does not exist; the support pages are generated from it (see "
        "kb_builder/families/support/model.py for what it holds)"
    ]


def test_load_raises_the_first_error_and_check_lists_all(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    bad = changed(TIME, 'time: "17:00-09:00"').replace("    name: Premium", "    name: 42")
    data = write(tmp_path, bad)
    assert [e.line for e in check(data)] == [7, 20]
    with pytest.raises(ContentError) as e:
        load(data)
    assert e.value.line == 7


def test_load_valid_file(tmp_path):
    data = write(tmp_path, MINIMAL)
    loaded = load(data)
    assert loaded.edit_source == "_data/support.yml"
    assert loaded.facts.get("support.plans.premium.phone.hours").value == (
        "Monday to Friday, 9 a.m. to 5 p.m. Toronto time"
    )
