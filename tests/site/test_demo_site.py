"""The demo site: built strictly from content/, every seed question and fact, no dead links."""

import re

import pytest

from tests.conftest import ROOT, SHARED
from tests.helpers.sitecheck import broken_links, html_files, jsonld, parse

SEED = next((SHARED / "seed").glob("*.txt")) if (SHARED / "seed").is_dir() else None


def seed_questions() -> list[str]:
    """The seed's question list: its '- [Question?](#)' lines."""
    if SEED is None:
        pytest.skip("shared/seed is not beside the repository")
    return re.findall(r"^- \[(.+?)\]\(#\)$", SEED.read_text(encoding="utf-8"), re.M)


def words(text: str) -> str:
    return " ".join(text.split())


def test_seed_has_eight_questions():
    assert len(seed_questions()) == 8


def test_every_seed_question_is_on_the_faq_with_a_working_anchor(demo_site):
    tree = parse(demo_site / "faq" / "index.html")
    listed = {a.text(strip=True): a.attributes["href"] for a in tree.css("nav#questions a")}
    for question in seed_questions():
        assert question in listed, question
        anchor = listed[question].removeprefix("#")
        heading = tree.css_first(f'h2[id="{anchor}"]')
        assert heading is not None and question in heading.text(), question


def test_faq_jsonld_carries_the_eight_questions(demo_site):
    (data,) = jsonld(demo_site / "faq" / "index.html")
    assert data["@type"] == "FAQPage"
    assert [q["name"] for q in data["mainEntity"]] == seed_questions()
    assert all(len(q["acceptedAnswer"]["text"]) > 80 for q in data["mainEntity"])


# Every fact and figure of the seed, as the FAQ states it.
SEED_FACTS = [
    "After-hours support is limited to critical issues",
    "system outages or issues that threaten immediate work stoppage",
    "provided by email and is staffed by on-call personnel",
    "triaged within 15 minutes",
    "within 1 hour for Critical issues",
    "estimated time to resolution",
    "assessed by our Project Management Team",
    "Release notes are always available on the Upcoming Release page",
    "monthly release of fixes and features",
    "The Upcoming Release page is updated as items are added",
    "only do rollouts on certain days",
    "may decide to stage the release to our clients",
    "one-on-one system training as per their contract",
    "Premium clients get extra training hours",
    "negotiated with your Sales Rep",
    "self-guided training agenda",
    "secured in the same manner as our production",
    "front line and escalation agents",
    "Premium support customers by telephone",
    "screen sharing",
    "articles, FAQs, videos and webinars",
    "Monday to Friday, 9 a.m. to 5 p.m. Eastern time (EST/EDT)",
    "Standard Plus support clients have email support only",
    "escalation manager",
    "enter the issue into JIRA",
    "linked through JIRA to the Help Desk conversation",
    "Quality Assurance team",
    "through the original support ticket",
    "from 1 day to many months",
]


@pytest.mark.parametrize("fact", SEED_FACTS)
def test_seed_fact_is_on_the_faq(demo_site, fact):
    text = words(parse(demo_site / "faq" / "index.html").css_first("article").text())
    assert fact.casefold() in text.casefold()


@pytest.mark.parametrize(
    ("page", "title"),
    [
        ("support/launch-a-ticket/index.html", "How to create an online support ticket"),
        ("support/critical-tickets/index.html", "How to launch a critical ticket"),
        ("releases/upcoming/index.html", "Upcoming Release"),
        ("training/agenda/index.html", "Self-guided training agenda"),
        ("wiki/preview-environment/index.html", "The preview environment"),
        ("wiki/index.html", "Public wiki"),
    ],
)
def test_seed_placeholders_became_real_pages(demo_site, page, title):
    tree = parse(demo_site / page)
    assert tree.css_first("h1").text(strip=True).startswith(title)
    assert len(words(tree.css_first("article").text())) > 800


def test_no_placeholder_links_and_no_broken_links(demo_site):
    for page in html_files(demo_site):
        assert 'href="#"' not in page.read_text(encoding="utf-8"), page
    assert broken_links(demo_site) == []


def test_home_page_is_search_first(demo_site):
    tree = parse(demo_site / "index.html")
    form = tree.css_first("form.kb-hero__search[role=search]")
    assert form is not None
    field = form.css_first("input[name=q]")
    assert field is not None and tree.css_first(f'label[for="{field.attributes["id"]}"]')
    cards = [a.attributes["href"] for a in tree.css(".grid.cards a")]
    for area in ["faq/", "support/launch-a-ticket/", "training/", "releases/upcoming/", "wiki/"]:
        assert area in cards, area
    asked = [a.attributes["href"] for a in tree.css("h2#most-asked-questions ~ ul a")]
    assert len(asked) == 8 and all(h.startswith("faq/#") for h in asked)


def test_internal_agent_notes_stay_out_of_the_public_build(demo_site):
    assert (ROOT / "content" / "internal" / "agent-notes.md").is_file()
    assert not (demo_site / "internal").exists()
    for path in demo_site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".json", ".xml", ".js", ".txt"}:
            assert b"Sentry" not in path.read_bytes(), path


def test_data_directory_is_never_published(demo_site):
    assert not (demo_site / "_data").exists()


def test_no_third_party_requests(demo_site):
    """No fonts, scripts or styles from other hosts (privacy; locked-down offices)."""
    for page in html_files(demo_site):
        tree = parse(page)
        for node in tree.css("script[src], link[href], img[src], iframe[src]"):
            url = node.attributes.get("src") or node.attributes.get("href") or ""
            assert not url.startswith(("http:", "https:", "//")), (page, url)
