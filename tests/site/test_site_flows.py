"""Whole flows through real builds: a writer's release cycle, and internal support facts."""

from __future__ import annotations

import feedparser
import icalendar
import yaml

from tests.conftest import copy_demo, run_kb
from tests.helpers.sitecheck import parse
from tests.site.test_editions import every_byte
from tests.unit.test_support_pages import CANARY, with_internal_items


def demo_project(tmp_path):
    project = tmp_path / "project"
    copy_demo(project, schemas=True)
    return project


def text(site, rel) -> str:
    return " ".join(parse(site / rel).css_first("article").text().split())


def section(site, rel, heading: str, next_heading: str | None = None) -> str:
    """The article text from `heading` to `next_heading` (or the end)."""
    whole = text(site, rel)
    start = whole.index(heading)
    end = whole.index(next_heading, start) if next_heading else len(whole)
    return whole[start:end]


def tree(folder) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def refused_at(project, line: str, site) -> None:
    """`kb check` and `kb build` both report `line`, and the published site is as it was."""
    before = tree(site)
    check = run_kb("check", cwd=project)
    assert check.exit_code == 1 and line in check.output.splitlines(), check
    build = run_kb("build", cwd=project)
    assert build.exit_code == 1 and line in build.output, build
    assert "Traceback" not in check.output + build.output
    assert tree(site) == before


def test_a_month_of_release_notes(tmp_path):
    project = demo_project(tmp_path)
    data = project / "content" / "_data"
    site = project / "site"
    title = "Permit portal: pay by bank transfer"
    new = run_kb(
        "new",
        "change",
        "--title",
        title,
        "--kind",
        "feature",
        "--module",
        "Payments",
        cwd=project,
    )
    assert new.exit_code == 0, new
    hidden = run_kb(
        "new",
        "change",
        "--title",
        "Agents: refund macro",
        "--kind",
        "fix",
        "--module",
        "Payments",
        "--audience",
        "internal",
        cwd=project,
    )
    assert hidden.exit_code == 0, hidden
    assert run_kb("build", cwd=project).exit_code == 0
    # Waiting changes are listed under the soonest planned release, and on their area's page.
    planned = section(site, "releases/upcoming/index.html", "Release 2026.12", "Release 2027.01")
    assert title in planned and "refund macro" not in planned
    assert title in section(site, "releases/area-payments/index.html", "Coming next", "Released")

    # Wrong steps: each refused, or reported at its line, and nothing published changes.
    content_before = tree(project / "content")
    site_before = tree(site)
    later = run_kb("release", "cut", "2027.02", "--date", "2027-02-09", cwd=project)
    assert later.exit_code == 1 and "Release 2026.12 is planned before 2027.02" in later.output
    dry = run_kb("release", "cut", "2026.12", "--dry-run", cwd=project)
    assert dry.exit_code == 0 and dry.output.startswith("Dry run: nothing is written.\n")
    assert f"  content/_data/{new.output.strip().removeprefix('content/_data/')}" in dry.output
    assert tree(project / "content") == content_before and tree(site) == site_before

    release_file = data / "releases" / "2026.12.yml"
    original = release_file.read_text(encoding="utf-8")
    release_file.write_text(original.replace("status: planned", "status: released"))
    refused_at(
        project,
        "content/_data/releases/2026.12.yml:3: 'status' is 'released', but no "
        "change in content/_data/changes/ has 'release: \"2026.12\"', so its page would "
        "say nothing; set 'status: planned' and run 'kb release cut 2026.12', which "
        "assigns the waiting changes and marks it released, or give its changes "
        "'release: \"2026.12\"'",
        site,
    )
    stub = original.replace(
        "summary: |\n", "summary: |\n  A sentence or two on what this release brings.\n"
    )
    release_file.write_text(stub, encoding="utf-8")
    refused_at(
        project,
        "content/_data/releases/2026.12.yml:8: 'summary' still has the "
        "template's text 'A sentence or two on what this release brings.', which would "
        "be published as it is; write what this release brings for clients, or delete "
        "'summary'",
        site,
    )
    release_file.write_text(original, encoding="utf-8")
    assert tree(project / "content") == content_before

    # Release day: the planned release takes the waiting changes and is marked released.
    cut = run_kb("release", "cut", "2026.12", cwd=project)
    assert cut.exit_code == 0, cut
    assert run_kb("check", cwd=project).exit_code == 0
    assert run_kb("build", cwd=project).exit_code == 0
    # Its own words, not the related articles the theme adds below them.
    upcoming = text(site, "releases/upcoming/index.html").split("Related articles")[0]
    assert title not in upcoming and "Release 2026.12" not in upcoming
    assert title in text(site, "releases/2026.12/index.html")
    index = parse(site / "releases" / "index.html")
    assert any(a.attributes.get("href") == "2026.12/" for a in index.css("article a"))
    parsed = feedparser.parse((site / "releases" / "feed.xml").read_bytes())
    assert not parsed.bozo
    [entry] = [e for e in parsed.entries if "2026.12" in e.title]
    assert title in entry.content[0].value and "refund macro" not in entry.content[0].value
    calendar = icalendar.Calendar.from_ical((site / "releases" / "rollouts.ics").read_bytes())
    [event] = [e for e in calendar.walk("VEVENT") if str(e["summary"]) == "Release 2026.12 rollout"]
    assert title in str(event["description"])
    area = text(site, "releases/area-payments/index.html")
    assert title in area[area.index("Released") :]
    area_feed = feedparser.parse((site / "releases/area-payments/feed.xml").read_bytes())
    assert [e.title for e in area_feed.entries] == ["Release 2026.12"]
    assert "refund macro" not in every_byte(site).decode("utf-8", "replace")


def test_internal_support_facts_never_reach_the_public_edition(tmp_path):
    project = demo_project(tmp_path)
    path = project / "content" / "_data" / "support.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    with_internal_items(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    public = run_kb("build", cwd=project)
    internal = run_kb("build", "--edition", "internal", cwd=project)
    assert public.exit_code == 0, public
    assert internal.exit_code == 0, internal
    assert CANARY.encode() not in every_byte(project / "site")
    assert CANARY.encode() in every_byte(project / "site-internal")
