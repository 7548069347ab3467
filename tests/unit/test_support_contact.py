"""Contact addresses and routes in support.yml: the checks, the links, the routes per plan."""

from __future__ import annotations

import pytest

from kb_builder.families.support import contact, load
from kb_builder.families.support import pages as generator
from kb_builder.families.support.editions import for_edition
from kb_builder.families.support.loader import check_text
from kb_builder.families.support.placeholders import resolve
from kb_builder.families.support.routes import Routes, body_for, links
from tests.conftest import ROOT
from tests.unit.test_support_errors import MINIMAL, changed


def messages(text: str) -> list[str]:
    return [str(e) for e in check_text(text, "support.yml")[1]]


WITH_ADDRESSES = (
    MINIMAL.replace(
        "    description: Write to us.\n",
        "    description: Write to us.\n    email: help@example.com\n"
        "    portal: https://desk.example.com/\n",
    )
    .replace(
        "    description: Call us.\n", '    description: Call us.\n    phone: "+12025550142"\n'
    )
    .replace(
        "    description: Write to the on-call staff.\n",
        "    description: Write to the on-call staff.\n    email: night@example.net\n",
    )
)


def test_addresses_are_kept_normalised():
    model, errors = check_text(WITH_ADDRESSES.replace("help@example.com", "help@EXAMPLE.com"), "s")
    assert errors == []
    assert model.channels[0].email == "help@example.com"  # the domain in lower case
    assert model.channels[1].phone == "+12025550142"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("+12025550142", "(202) 555-0142"),
        ("+14165550142", "(416) 555-0142"),
        ("+442079460958", "020 7946 0958"),
    ],
)
def test_numbers_are_shown_in_their_national_format(value, expected):
    assert contact.check_phone(value) == value
    assert contact.phone_label(value) == expected


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("202-555-0142", "not a telephone number in E.164 form"),
        ("+1 202 555 0142", "write '+12025550142'"),
        ("+1202", "no telephone numbering plan allows"),
        ("+0123456789", "not a telephone number in E.164 form"),
        ("tel:+12025550142", "not a telephone number in E.164 form"),
    ],
)
def test_bad_numbers(value, fragment):
    with pytest.raises(ValueError, match="E.164|numbering plan") as caught:
        contact.check_phone(value)
    assert fragment in str(caught.value)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("support", "not an e-mail address"),
        ("Support <support@example.com>", "write the address alone"),
        ("mailto:support@example.com", "without 'mailto:'"),
        ("a@b", "not an e-mail address"),
        ("x@example.test", "special-use or reserved"),
        ("a b@example.com", "no spaces"),
    ],
)
def test_bad_email_addresses(value, fragment):
    with pytest.raises(ValueError) as caught:
        contact.check_email(value)
    assert fragment in str(caught.value)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("http://desk.example.com/", "not an https:// address"),
        ("javascript:alert(1)", "refuses 'javascript:' links"),
        ("JaVa\tScRiPt:alert(1)", "refuses 'javascript:' links"),
        ("desk.example.com", "not an https:// address"),
        ("//desk.example.com/", "not an https:// address"),
        ("https://user:secret@desk.example.com/", "no user name"),
        ("https:///path", "with a host name"),
        ("https://desk.example.com/\t", "https://"),
    ],
)
def test_bad_portals(value, fragment):
    if value.endswith("\t"):
        # Trailing white space is YAML's to trim; a tab inside the address is not.
        value = "https://desk.\texample.com/"
    with pytest.raises(ValueError) as caught:
        contact.check_portal(value)
    assert fragment in str(caught.value)


def test_mailto_is_percent_encoded():
    url = contact.mailto("a@example.com", "CRITICAL - x & y", "line 1\nline 2?")
    assert (
        url == "mailto:a@example.com?subject=CRITICAL%20-%20x%20%26%20y&body=line%201%0Aline%202%3F"
    )


def test_a_channel_no_plan_uses():
    text = WITH_ADDRESSES.replace(
        "plans:\n",
        '  - id: fax\n    name: fax\n    description: Fax us.\n    phone: "+12025550143"\nplans:\n',
        1,
    )
    assert messages(text) == [
        "support.yml:22: 'channels item 4.id' is 'fax', a channel no plan uses; add it to a "
        "plan's 'channels' (with its hours), make it the 'after_hours.channel', or remove it"
    ]


def test_a_plan_without_a_route_for_critical_tickets():
    text = WITH_ADDRESSES.replace(
        "    plans: [premium, standard-plus]\n    channels: [email, phone]\n",
        "    plans: [premium, standard-plus]\n    channels: [phone]\n",
    )
    assert messages(text) == [
        "support.yml:34: 'plans item 2' (Standard Plus) has no route for critical tickets: its "
        "channels ('email') are not among 'ticket_types item 2.channels' ('phone'); add one of "
        "its channels there, or give the plan one of those"
    ]


def test_a_plan_outside_the_critical_ticket_needs_no_route():
    text = WITH_ADDRESSES.replace(
        "    plans: [premium, standard-plus]\n    channels: [email, phone]\n",
        "    plans: [premium]\n    channels: [phone]\n",
    )
    assert messages(text) == []


def test_once_one_channel_has_an_address_every_channel_clients_use_needs_one():
    text = WITH_ADDRESSES.replace('    phone: "+12025550142"\n', "")
    assert messages(text) == [
        "support.yml:14: 'channels item 2' (telephone) has no address, but clients are sent to "
        "it; give it 'email', 'phone' or 'portal' (as 'email' has)"
    ]
    # A file without any address (the help desk says where to write) is still valid.
    assert messages(MINIMAL) == []


def test_unknown_names_in_the_after_hours_route_get_a_did_you_mean():
    text = changed("  staffed_by: on-call\n", "  staffed_by: on-call\n  plans: [premum]\n")
    assert messages(text) == [
        "support.yml:52: 'after_hours.plans item 1' is 'premum', which is not a plan (did you "
        "mean 'premium'?); use 'premium' or 'standard-plus'"
    ]


# --- routes -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo():
    return load(ROOT / "content" / "_data")


def test_standard_plus_is_never_offered_a_telephone_number(demo):
    routes = Routes(for_edition(demo.file, "public"))
    config = routes.config()
    (standard_plus,) = [p for p in config["plans"] if p["id"] == "standard-plus"]
    kinds = {
        link["kind"] for t in standard_plus["tickets"] for o in t["offers"] for link in o["links"]
    }
    assert kinds == {"email", "portal"}
    premium = [p for p in config["plans"] if p["id"] == "premium"][0]
    kinds = {link["kind"] for t in premium["tickets"] for o in t["offers"] for link in o["links"]}
    assert kinds == {"email", "portal", "phone"}
    # Both plans have the after-hours route for critical tickets, and only for those.
    for plan in config["plans"]:
        assert {t["id"]: t["afterHours"] for t in plan["tickets"]} == {
            "standard": False,
            "critical": True,
        }
    assert config["afterHours"]["links"] == [
        {"kind": "email", "href": "mailto:critical@example.com", "label": "critical@example.com"}
    ]


def test_the_plain_list_states_every_route_with_links(demo):
    text = Routes(for_edition(demo.file, "public")).plain_list()
    premium, standard_plus = text.split("- **Standard Plus**")
    assert "telephone [(416) 555-0142](<tel:+14165550142>)" in premium
    assert "tel:" not in standard_plus
    assert standard_plus.count("e-mail [critical@example.com](<mailto:critical@example.com>)") == 1
    assert "Standard tickets, outside business hours: e-mail [support@example.com]" in standard_plus
    assert "(answered on the next business day)" in standard_plus


def test_the_body_asks_for_what_a_good_ticket_includes(demo):
    critical = [t for t in demo.file.ticket_types if t.id == "critical"][0]
    body = body_for(critical)
    assert body.startswith("Please include:\n- what is not working, and since when")
    assert '- the impact on your operation, for example "officers cannot issue citations"' in body
    assert "**" not in body and "&quot;" not in body


def test_address_placeholders_become_links(demo):
    text = resolve(
        "Write to {{ support.after_hours.email }} or call {{ support.plans.premium.phone.phone }}.",
        "p.md",
        0,
        demo.facts,
        "public",
    )
    assert text == (
        "Write to [critical@example.com](<mailto:critical@example.com>) or call "
        "[(416) 555-0142](<tel:+14165550142>)."
    )


def test_a_plan_without_the_channel_has_no_address_to_quote(demo):
    assert demo.facts.get("support.plans.premium.phone.phone") is not None
    assert demo.facts.get("support.plans.standard-plus.phone.phone") is None


def test_the_box_data_carries_the_routes_without_braces(demo):
    box = generator.hours_box(demo, "public")
    assert "mailto:critical@example.com" in box and "tel:+14165550142" in box
    assert "{" not in box


def test_links_order_and_labels(demo):
    channels = {c.id: c for c in demo.file.channels}
    assert [(link.kind, link.label) for link in links(channels["email"])] == [
        ("email", "support@example.com"),
        ("portal", "help.example.com"),
    ]
    assert [(link.url, link.label) for link in links(channels["phone"])] == [
        ("tel:+14165550142", "(416) 555-0142")
    ]


def test_an_address_with_query_characters_stays_one_address():
    assert contact.check_email("a&b?c@example.com") == "a&b?c@example.com"
    assert contact.mailto("a&b?c@example.com", "x") == "mailto:a%26b%3Fc@example.com?subject=x"
