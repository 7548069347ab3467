"""The generated support pages: golden files, one fact changed everywhere, editions kept apart."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from kb_builder.core.editions import EDITIONS
from kb_builder.core.markdown import theme_markup
from kb_builder.families.support import load
from kb_builder.families.support import pages as generator
from kb_builder.families.support.placeholders import resolve
from kb_builder.pages.page import analyse
from tests.conftest import ROOT

DATA = ROOT / "content" / "_data"
GOLDEN = ROOT / "tests" / "golden" / "support"
URIS = [
    "support/launch-a-ticket.md",
    "support/critical-tickets.md",
    "support/plans-and-hours.md",
    "support/escalation.md",
]
TICKET_PAGES = URIS[:3]


def data_copy(tmp_path: Path, edit=None, text_edit=None):
    """Load a copy of the demo support.yml, changed by `edit` (on the data) or `text_edit`."""
    folder = tmp_path / "_data"
    folder.mkdir(exist_ok=True)
    text = (DATA / "support.yml").read_text(encoding="utf-8")
    if text_edit:
        text = text_edit(text)
    if edit:
        data = yaml.safe_load(text)
        edit(data)
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    (folder / "support.yml").write_text(text, encoding="utf-8")
    return load(folder)


@pytest.fixture(scope="module")
def demo():
    return load(DATA)


@pytest.mark.parametrize("edition", EDITIONS)
def test_golden_pages(demo, edition):
    pages = generator.pages(demo, edition)
    assert [p.src_uri for p in pages] == URIS
    for page in pages:
        golden = GOLDEN / edition / Path(page.src_uri).name
        if os.environ.get("KB_UPDATE_GOLDEN"):
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_text(page.markdown, encoding="utf-8")
        assert page.markdown == golden.read_text(encoding="utf-8"), page.src_uri


@pytest.mark.parametrize("edition", EDITIONS)
def test_pages_are_valid_pages_with_title_description_and_h1(demo, edition):
    for page in generator.pages(demo, edition):
        # Read as the plugin reads generated pages: their HTML is the theme's, not a writer's.
        with theme_markup():
            analysed = analyse(page.markdown, page.src_uri)
        assert analysed.errors == []
        assert analysed.meta.title and analysed.meta.description
        assert f"\n# {analysed.meta.title}\n" in analysed.front.body
        assert page.edit_source == "_data/support.yml"
        assert "{{" not in page.markdown  # every placeholder of the data was resolved


def test_ticket_pages_carry_the_hours_box(demo):
    box = generator.hours_box(demo, "public")
    assert box.startswith(
        '<div class="admonition info kb-support-hours" id="contact-support" '
        'data-kb-support-hours="&#123;'
    )
    # No brace reaches the page: the page rules would read it as an attribute list.
    assert "{" not in box and "}" not in box
    assert "\n\n" not in box  # a blank line would end the HTML block in Markdown
    pages = {p.src_uri: p.markdown for p in generator.pages(demo, "public")}
    for uri in URIS:
        assert (box in pages[uri]) == (uri in TICKET_PAGES)


def test_escalation_states_each_step_once(demo):
    """One numbered list, with what the client sees at each step: no diagram or table
    repeating the same steps (issue 12)."""
    (page,) = [p for p in generator.pages(demo, "public") if p.src_uri.endswith("escalation.md")]
    steps = demo.file.escalation.steps
    for n, step in enumerate(steps, 1):
        assert f"{n}. **{step.summary}**" in page.markdown
        assert page.markdown.count(step.summary) == 1, step.summary
    seen = [step.you_see for step in steps if step.you_see]
    assert page.markdown.count("*What you see:*") == len(seen) > 0
    assert "kb-flow" not in page.markdown and "| Step |" not in page.markdown


def test_generated_pages_keep_every_fact_of_the_seed(demo):
    text = "\n".join(p.markdown for p in generator.pages(demo, "public"))
    for fact in [
        "Monday to Friday, 9 a.m. to 5 p.m. Eastern time",
        "EST, or EDT while daylight saving time is in effect",
        "system outages or issues that threaten immediate work stoppage",
        "Triage within 15 minutes",
        "Status notification within 1 hour",
        "estimated time to resolution",
        "on-call personnel",
        "JIRA is the system we use to track development work",
        "Help Desk conversation",
        "Quality Assurance",
        "original support ticket",
        "1 day to many months",
        "screen sharing",
        "Standard Plus",
        "Can be negotiated with your Sales Rep",
        "as quickly as possible with minimal impact on your organization",
    ]:
        assert fact in text, fact


HOURS_TEXT = "Monday to Friday, {} to {} Eastern time"
# Sentences of other pages that quote the hours (see content/_data/faq-placeholders.patch.md).
QUOTING = (
    "Telephone support is available to our {{ support.plans.premium.name }} customers "
    "{{ support.plans.premium.phone.hours }}. {{ support.plans.standard-plus.name }} clients "
    "have email support only {{ support.plans.standard-plus.email.hours }}.\n\n"
    "Business hours: {{ support.schedules.business-hours.hours }}.\n"
)


def test_changing_business_hours_changes_every_statement(tmp_path):
    """9:00-17:00 -> 8:00-18:00 once in support.yml: new hours everywhere, old ones nowhere."""
    changed = data_copy(
        tmp_path, text_edit=lambda t: t.replace('time: "09:00-17:00"', 'time: "08:00-18:00"', 1)
    )
    outputs = {p.src_uri: p.markdown for e in EDITIONS for p in generator.pages(changed, e)}
    outputs["quoted"] = resolve(QUOTING, "faq.md", 0, changed.facts, "public")
    for name, text in outputs.items():
        assert "9 a.m." not in text and "5 p.m." not in text, name
        assert "&#34;open&#34;: 540" not in text and "&#34;close&#34;: 1020" not in text, name
    for uri in TICKET_PAGES:
        page = outputs[uri]
        assert HOURS_TEXT.format("8 a.m.", "6 p.m.") in page, uri
        assert "&#34;open&#34;: 480" in page and "&#34;close&#34;: 1080" in page, uri
    assert outputs["quoted"].count(HOURS_TEXT.format("8 a.m.", "6 p.m.")) == 3


def test_changing_premium_phone_hours_alone(tmp_path):
    """Premium's telephone on its own 8:00-18:00 schedule; email keeps business hours."""

    def edit(data):
        data["schedules"].append(
            {"id": "phone-hours", "name": "phone hours", "days": "Mon-Fri", "time": "08:00-18:00"}
        )
        premium = next(p for p in data["plans"] if p["id"] == "premium")
        next(c for c in premium["channels"] if c["channel"] == "phone")["hours"] = "phone-hours"

    changed = data_copy(tmp_path, edit=edit)
    new, old = HOURS_TEXT.format("8 a.m.", "6 p.m."), HOURS_TEXT.format("9 a.m.", "5 p.m.")
    facts = changed.facts
    assert facts.get("support.plans.premium.phone.hours").value == new
    assert facts.get("support.plans.premium.email.hours").value == old
    assert facts.get("support.plans.standard-plus.email.hours").value == old
    pages = {p.src_uri: p.markdown for p in generator.pages(changed, "public")}
    plans = pages["support/plans-and-hours.md"]
    assert f"| Telephone | Yes, {new} | No |" in plans
    assert f"Online support ticket (email), {old}; telephone, {new}." in plans
    for uri in TICKET_PAGES:
        assert "telephone (" + new + ")" in pages[uri] or new in pages[uri], uri
    launch = pages["support/launch-a-ticket.md"]
    assert f"- **Premium**: telephone, {new}." in launch
    quoted = resolve(QUOTING, "faq.md", 0, facts, "public")
    assert f"customers {new}." in quoted and f"only {old}." in quoted


CANARY = "CANARY-7f3a"
# The internal channel's telephone number (E.164): neither form may reach the public edition.
CANARY_PHONE = "+14165550199"
CANARY_PHONE_SHOWN = "555-0199"


def with_internal_items(data):
    """Internal items everywhere an item may be, each carrying the canary."""
    internal = {"audience": "internal"}
    data["schedules"].append(
        {
            **internal,
            "id": "rota-hours",
            "name": f"{CANARY} rota",
            "days": "Sat-Sun",
            "time": "10:00-14:00",
        }
    )
    data["channels"].append(
        {
            **internal,
            "id": "escalation-line",
            "name": f"{CANARY} escalation line",
            "description": f"Internal escalation contact {CANARY}.",
            "email": f"{CANARY}@example.net",
            "phone": CANARY_PHONE,
        }
    )
    data["plans"][0]["channels"].append(
        {**internal, "channel": "escalation-line", "hours": "rota-hours"}
    )
    data["plans"].append(
        {
            **internal,
            "id": "pilot",
            "name": f"Pilot {CANARY}",
            "summary": f"{CANARY} plan.",
            "channels": [{"channel": "email", "hours": "business-hours"}],
        }
    )
    for feature in data["features"]:
        feature["plans"]["pilot"] = f"{CANARY} value"
    data["features"].append(
        {
            **internal,
            "name": f"{CANARY} feature",
            "plans": {"premium": "Yes", "standard-plus": "No", "pilot": "Yes"},
        }
    )
    data["ticket_types"].append(
        {
            **internal,
            "id": "internal-bug",
            "name": f"{CANARY} ticket",
            "definition": CANARY,
            "channels": ["email", "escalation-line"],
        }
    )
    data["ticket_types"][1]["targets"].append(
        {**internal, "id": "rota_callback", "name": f"{CANARY} callback", "within": "2 hours"}
    )
    data["team"].append(
        {**internal, "id": "rota", "name": f"on-call rota {CANARY}", "description": CANARY}
    )
    data["after_hours"]["notes"].append(
        {**internal, "title": "Rota", "text": f"Ask {{{{ support.team.rota.name }}}} {CANARY}."}
    )
    data["help_desk"]["steps"].append({**internal, "title": "Agents", "text": CANARY})
    data["escalation"]["steps"].insert(
        2, {**internal, "id": "page-lead", "summary": f"Page the lead {CANARY}.", "text": CANARY}
    )
    data["pages"]["plans-and-hours"]["sections"].append(
        {**internal, "title": "Internal pricing", "text": CANARY}
    )


def test_internal_items_never_reach_the_public_edition(tmp_path):
    data = data_copy(tmp_path, edit=with_internal_items)
    public = [p.markdown for p in generator.pages(data, "public")]
    public.append(generator.hours_box(data, "public"))
    for text in public:
        assert CANARY not in text
        assert "Internal" not in text and "!!! internal" not in text and "Sentry" not in text
        assert CANARY_PHONE[1:] not in text and CANARY_PHONE_SHOWN not in text
    internal = "\n".join(p.markdown for p in generator.pages(data, "internal"))
    # The internal channel's addresses are in the agents' lists of routes, as links.
    assert f"telephone [(416) {CANARY_PHONE_SHOWN}](<tel:{CANARY_PHONE}>)" in internal
    assert f"(<mailto:{CANARY}@example.net>)" in internal
    # Every canary item is there, and marked.
    assert internal.count(CANARY) >= 15
    for marked in [
        f"**Internal:** **Pilot {CANARY}**",
        f"| {CANARY} feature (Internal) |",
        f"### {CANARY} ticket (Internal)",
        f"**Internal:** **{CANARY} callback within 2 hours.**",
        f'!!! internal "Rota"\n    Ask on-call rota {CANARY} {CANARY}.',
        f"**Internal:** **Agents** {CANARY}",
        f"**Internal:** **Page the lead {CANARY}.** {CANARY}",  # an escalation step
        "## Internal pricing (Internal)",
        f"{CANARY} escalation line (Internal), Saturday and Sunday, 10 a.m. to 2 p.m.",
        f"{CANARY} callback within 2 hours (Internal)",
    ]:
        assert marked in internal, marked
    assert "Sentry" in internal


def test_demo_internal_notes_are_only_internal(demo):
    public = "\n".join(p.markdown for p in generator.pages(demo, "public"))
    internal = "\n".join(p.markdown for p in generator.pages(demo, "internal"))
    for text in ["Sentry", "agent-notes.md", "!!! internal"]:
        assert text not in public
        assert text in internal


def test_assets_are_none_and_the_script_exists(demo):
    assert generator.assets(demo, "public", "https://help.example.com/") == []
    assert (ROOT / "theme" / generator.SCRIPT).is_file()
    assert (ROOT / "theme" / generator.TICKET_SCRIPT).is_file()
    # The demo loads the form's script after the box's, whose window.kbSupport it uses.
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert config.index(generator.SCRIPT) < config.index(generator.TICKET_SCRIPT)


def test_pages_do_not_depend_on_the_data_folder_name(tmp_path):
    folder = tmp_path / "facts"
    shutil.copytree(DATA, folder, ignore=shutil.ignore_patterns("*", "!support.yml"))
    shutil.copy(DATA / "support.yml", folder / "support.yml")
    assert load(folder).edit_source == "facts/support.yml"
