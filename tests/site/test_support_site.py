"""Support facts through the whole build: one change in support.yml reaches every page."""

from tests.conftest import copy_demo, run_kb
from tests.helpers.sitecheck import html_files, parse


def build_demo(tmp_path, edit=None):
    project = tmp_path / "project"
    copy_demo(project)
    if edit:
        path = project / "content" / "_data" / "support.yml"
        text = path.read_text(encoding="utf-8")
        old, new = edit
        assert text.count(old) == 1
        path.write_text(text.replace(old, new), encoding="utf-8")
    result = run_kb("build", "-d", str(tmp_path / "site"), cwd=project)
    assert result.exit_code == 0, result
    return tmp_path / "site"


PAGES_STATING_HOURS = [
    "faq/index.html",
    "support/index.html",
    "support/team/index.html",
    "support/launch-a-ticket/index.html",
    "support/critical-tickets/index.html",
    "support/plans-and-hours/index.html",
]


def test_changing_the_hours_changes_every_page(tmp_path):
    site = build_demo(tmp_path, ('time: "09:00-17:00"', 'time: "08:00-18:00"'))
    for rel in PAGES_STATING_HOURS:
        text = parse(site / rel).css_first("article").text()
        assert "8 a.m. to 6 p.m." in " ".join(text.split()), rel
    for page in html_files(site):
        assert "9 a.m. to 5 p.m." not in page.read_text(encoding="utf-8"), page
    browser_index = sorted((site / "assets" / "kb-search").rglob("*.js"))
    assert browser_index
    for part in browser_index:
        assert "9 a.m. to 5 p.m." not in part.read_text(encoding="utf-8"), part


def test_the_four_guides_are_generated_and_linked(demo_site, demo_internal_site):
    for rel in [
        "support/launch-a-ticket/index.html",
        "support/critical-tickets/index.html",
        "support/plans-and-hours/index.html",
        "support/escalation/index.html",
    ]:
        # Where the page comes from is shown to agents only (clients see "Last updated on").
        note = parse(demo_internal_site / rel).css_first(".kb-freshness").text()
        assert "generated from _data/support.yml" in " ".join(note.split()), rel
        public = parse(demo_site / rel).css_first(".kb-freshness").text()
        assert " ".join(public.split()).startswith("Last updated on "), rel
    home = [a.attributes["href"] for a in parse(demo_site / "index.html").css("a[href]")]
    assert "support/launch-a-ticket/" in home and "support/critical-tickets/" in home
    faq = [a.attributes["href"] for a in parse(demo_site / "faq" / "index.html").css("article a")]
    assert "../support/launch-a-ticket/" in faq and "../support/escalation/" in faq


def test_escalation_steps_are_one_list_with_what_the_client_sees(demo_site):
    page = parse(demo_site / "support" / "escalation" / "index.html")
    article = page.css_first("article")
    steps = article.css("h2#the-escalation-steps ~ ol > li")
    assert len(steps) == 8
    assert "What you see: A message on your original ticket" in " ".join(steps[-1].text().split())
    # Stated once: no diagram, no table of the same steps, no script-drawn chart.
    assert article.css("figure.kb-flow, svg, table") == []
    assert " ".join(article.text().split()).count("Quality Assurance tests the fix") == 1
    assert page.css(".mermaid") == [] and "mermaid" not in page.html


def test_unknown_fact_in_a_page_is_an_error(tmp_path):
    project = tmp_path / "project"
    copy_demo(project)
    team = project / "content" / "support" / "team.md"
    team.write_text(
        team.read_text().replace(
            "{{ support.plans.premium.phone.hours }}", "{{ support.plans.premium.fone.hours }}"
        )
    )
    result = run_kb("build", cwd=project)
    assert result.exit_code == 1 and "Traceback" not in result.output
    line = next(n for n, text in enumerate(team.read_text().splitlines(), 1) if "fone" in text)
    assert f"content/support/team.md:{line}: " in result.output
    assert "(did you mean 'support.plans.premium.phone.hours'?)" in result.output
