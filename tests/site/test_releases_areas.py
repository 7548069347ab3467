"""Release notes by area: pages, Atom feeds and rollout calendars per area, public and stable.

Made from the demo data (and copies of it with internal changes); the site tests build the
demo project with the real `kb` command into tmp_path.
"""

from __future__ import annotations

import datetime as dt
import shutil

import feedparser
import icalendar
import pytest

from kb_builder.core.editions import EDITIONS
from kb_builder.families.releases import load
from kb_builder.families.releases.areas import areas
from kb_builder.families.releases.pages import area_assets, assets, pages
from tests.conftest import ROOT, copy_demo, run_kb
from tests.helpers.sitecheck import parse
from tests.site.test_editions import every_byte
from tests.unit.test_releases_pages import CANARY, demo_copy, with_internal_changes, write

DEMO = ROOT / "content" / "_data"
NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
SITE = "https://help.example.com/"


def by_uri(made) -> dict[str, bytes]:
    return {a.dest_uri: a.content for a in made}


def test_every_area_named_by_a_public_change_has_a_page_a_feed_and_a_calendar():
    data = load(DEMO)
    found = areas(data, "public")
    assert [a.slug for a in found] == [
        "citations",
        "mobile-app",
        "permit-portal",
        "permits",
        "reports",
        "sign-in",
        "users-and-roles",
        "vehicles",
    ]
    uris = {p.src_uri for p in pages(data, "public")}
    published = by_uri(area_assets(data, "public", SITE, now=NOW))
    for area in found:
        assert f"releases/area-{area.slug}.md" in uris
        assert f"releases/area-{area.slug}/feed.xml" in published
        assert f"releases/area-{area.slug}/rollouts.ics" in published
    # An area only internal changes name exists in the internal edition alone.
    assert "support-tooling" in {a.slug for a in areas(data, "internal")}


def test_names_that_differ_in_case_are_one_area(tmp_path):
    data_dir = write(
        demo_copy(tmp_path),
        {"changes/x.yml": "title: Mobile fix\nkind: fix\nmodules: [Mobile App]\n"},
    )
    found = areas(load(data_dir), "public")
    assert [a.name for a in found if a.slug == "mobile-app"] == ["Mobile app"]
    page = {p.src_uri: p.markdown for p in pages(load(data_dir), "public")}
    assert "Mobile fix" in page["releases/area-mobile-app.md"]


@pytest.mark.parametrize("site_url", [SITE, None])
def test_area_feeds_are_valid_and_hold_only_their_area(site_url):
    data = load(DEMO)
    published = by_uri(area_assets(data, "public", site_url, now=NOW))
    whole = feedparser.parse(by_uri(assets(data, "public", site_url, now=NOW))["releases/feed.xml"])
    whole_ids = {e.id for e in whole.entries}
    for area in areas(data, "public"):
        feed = feedparser.parse(published[f"releases/area-{area.slug}/feed.xml"])
        assert not feed.bozo, (area.slug, feed.bozo_exception)
        assert feed.feed.title == f"Release notes: {area.name}"
        ids = [e.id for e in feed.entries]
        assert len(ids) == len(set(ids)) and not set(ids) & whole_ids
        for entry in feed.entries:
            version = entry.title.split()[1].rstrip(":")
            shown = [c.change for c in data.changes_of(version) if c.change.audience == "public"]
            mine = [c.title for c in shown if area.name in c.modules]
            others = [c.title for c in shown if area.name not in c.modules]
            html = entry.content[0].value
            assert mine and all(t in html for t in mine), (area.slug, version)
            assert not [t for t in others if t in html], (area.slug, version)
        if site_url:
            assert feed.feed.links[1].href == f"{SITE}releases/area-{area.slug}/feed.xml"


def test_area_calendars_are_valid_with_their_own_uids():
    data = load(DEMO)
    published = by_uri(area_assets(data, "public", SITE, now=NOW))
    whole = icalendar.Calendar.from_ical(
        by_uri(assets(data, "public", SITE, now=NOW))["releases/rollouts.ics"]
    )
    whole_uids = {str(e["uid"]) for e in whole.walk("VEVENT")}
    permits = icalendar.Calendar.from_ical(published["releases/area-permits/rollouts.ics"])
    assert str(permits["x-wr-calname"]) == "Release rollouts: Permits"
    events = permits.walk("VEVENT")
    assert events and all(str(e["uid"]).endswith("-area-permits@help.example.com") for e in events)
    assert not {str(e["uid"]) for e in events} & whole_uids
    # Only releases with a Permits change: 2026.10 has none.
    assert "Release 2026.10 rollout" not in {str(e["summary"]) for e in events}
    assert any("guest permits for events" in str(e["description"]) for e in events)


def test_area_urls_and_content_stay_the_same_when_another_area_changes(tmp_path):
    before = by_uri(area_assets(load(DEMO), "public", SITE, now=NOW))
    data_dir = write(
        demo_copy(tmp_path),
        {"changes/y.yml": "title: Faster exports\nkind: improvement\nmodules: [Reports]\n"},
    )
    after = by_uri(area_assets(load(data_dir), "public", SITE, now=NOW))
    assert set(before) == set(after)
    changed = sorted(uri for uri in before if before[uri] != after[uri])
    # A waiting change: its area's calendar says so; its feed (releases only) is as it was.
    assert changed == ["releases/area-reports/rollouts.ics"]
    assert by_uri(area_assets(load(data_dir), "public", SITE, now=NOW)) == after


@pytest.mark.parametrize("edition", EDITIONS)
def test_internal_changes_reach_area_pages_only_in_the_internal_edition(tmp_path, edition):
    data = load(with_internal_changes(tmp_path))
    made = [p.markdown.encode() for p in pages(data, edition)]
    made += [a.content for a in area_assets(data, edition, SITE, now=NOW)]
    made += [a.dest_uri.encode() for a in area_assets(data, edition, None, now=NOW)]
    blob = b"\n".join(made)
    if edition == "public":
        assert CANARY.encode() not in blob and CANARY.lower().encode() not in blob
    else:
        assert CANARY.lower().encode() in blob  # its area's slug, in the internal edition


def test_the_built_public_site_never_carries_an_internal_change_or_area(tmp_path):
    project = tmp_path / "project"
    copy_demo(project)
    shutil.rmtree(project / "content" / "_data")
    shutil.copytree(DEMO, project / "content" / "_data")
    with_internal_changes_in(project / "content" / "_data")
    public = run_kb("build", cwd=project)
    assert public.exit_code == 0, public
    internal = run_kb("build", "--edition", "internal", cwd=project)
    assert internal.exit_code == 0, internal
    # Every byte, .gz decompressed, file names included.
    blob = every_byte(project / "site")
    assert CANARY.encode() not in blob and CANARY.lower().encode() not in blob
    inside = every_byte(project / "site-internal")
    assert CANARY.lower().encode() in inside
    # The Upcoming Release page links to every public area's page: a filter without scripts.
    upcoming = parse(project / "site" / "releases" / "upcoming" / "index.html")
    hrefs = {a.attributes.get("href") for a in upcoming.css("article a")}
    for area in areas(load(project / "content" / "_data"), "public"):
        assert f"../area-{area.slug}/" in hrefs
        page = project / "site" / "releases" / f"area-{area.slug}"
        assert (page / "index.html").is_file() and (page / "feed.xml").is_file()
        assert (page / "rollouts.ics").is_file()


def with_internal_changes_in(data_dir):
    """The internal changes of `with_internal_changes`, written into `data_dir`."""
    scratch = with_internal_changes(data_dir.parent / "scratch")
    for path in scratch.rglob("*.yml"):
        target = data_dir / path.relative_to(scratch)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
    shutil.rmtree(scratch)
