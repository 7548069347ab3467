"""Whole flows through real builds: a writer's release cycle, and internal support facts."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET

import yaml

from tests.conftest import ROOT, run_kb
from tests.sitecheck import parse
from tests.test_editions import every_byte
from tests.test_support_pages import CANARY, with_internal_items


def demo_project(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copytree(ROOT / "theme", project / "theme")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "schemas", project / "schemas")
    return project


def text(site, rel) -> str:
    return " ".join(parse(site / rel).css_first("article").text().split())


def test_a_change_goes_from_upcoming_to_its_release(tmp_path):
    project = demo_project(tmp_path)
    title = "Permit portal: pay by bank transfer"
    new = run_kb("new", "change", "--title", title, "--kind", "feature", cwd=project)
    assert new.exit_code == 0, new
    assert run_kb("build", cwd=project).exit_code == 0
    site = project / "site"
    assert title in text(site, "releases/upcoming/index.html")

    cut = run_kb("release", "cut", "2027.02", "--date", "2027-02-09", cwd=project)
    assert cut.exit_code == 0, cut
    assert run_kb("check", cwd=project).exit_code == 0
    assert run_kb("build", cwd=project).exit_code == 0
    assert title not in text(site, "releases/upcoming/index.html")
    assert title in text(site, "releases/2027.02/index.html")
    index = parse(site / "releases" / "index.html")
    assert any(a.attributes.get("href") == "2027.02/" for a in index.css("article a"))
    feed = ET.parse(site / "releases" / "feed.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    titles = [e.findtext(f"{atom}title") for e in feed.iter(f"{atom}entry")]
    assert any("2027.02" in t for t in titles)
    assert title in (site / "releases" / "feed.xml").read_text(encoding="utf-8")


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
