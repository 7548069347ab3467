"""Public and internal editions from one set of sources: internal content never leaks.

Unique canary strings are planted in every kind of internal content; every byte of every file of
the public edition is read (compressed files decompressed) and none may appear, while the
internal edition must carry them all.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT, copy_demo, run_kb, write_project
from tests.helpers.sitecheck import broken_links, parse
from tests.site.test_canaries import decompressed

CANARY_PAGE = "CANARY-PAGE-7f3a"
CANARY_TITLE = "CANARY-TITLE-19bd"
CANARY_PASSAGE = "CANARY-PASSAGE-c41e"
CANARY_NESTED = "CANARY-NESTED-88d0"
CANARY_FAQ = "CANARY-FAQ-2b67"
CANARY_HOME = "CANARY-HOME-e5a2"
CANARY_CHANGE = "CANARY-CHANGE-0b9e"
CANARY_RELEASED_CHANGE = "CANARY-RELEASED-71aa"
CANARY_LESSON = "CANARY-LESSON-d3f4"
CANARIES = [
    CANARY_PAGE,
    CANARY_TITLE,
    CANARY_PASSAGE,
    CANARY_NESTED,
    CANARY_FAQ,
    CANARY_HOME,
    CANARY_CHANGE,
    CANARY_RELEASED_CHANGE,
    CANARY_LESSON,
]

PAGES = {
    "index.md": f"""\
        # Home

        Welcome. [FAQ](faq.md)

        !!! internal "Agents"
            {CANARY_HOME}: see the [runbook](agents/runbook.md).
        """,
    "faq.md": f"""\
        ---
        type: faq
        ---
        # FAQ

        ## Is there phone support?

        Yes, for Premium clients.

        ??? internal "How agents answer this"
            {CANARY_FAQ}
        """,
    "guide.md": f"""\
        # Guide

        Public guide text.

        !!! internal
            {CANARY_PASSAGE}

        !!! tip "Public tip"
            A public tip.

            !!! internal
                {CANARY_NESTED}
        """,
    "agents/runbook.md": f"""\
        ---
        title: {CANARY_TITLE}
        audience: internal
        description: {CANARY_PAGE} in the description too
        ---
        # {CANARY_TITLE}

        {CANARY_PAGE} procedure.
        """,
    "_data/releases/2026.11.yml": """\
        version: "2026.11"
        status: released
        date: 2026-11-10
        rollout: [2026-11-10]
        summary: The November release.
        """,
    "_data/releases/2026.12.yml": """\
        version: "2026.12"
        status: planned
        date: 2026-12-08
        rollout: [2026-12-08]
        summary: The December release.
        """,
    "_data/changes/public-fix-aaaa1111.yml": """\
        title: Faster permit search
        kind: improvement
        release: "2026.11"
        body: Permit search is faster.
        """,
    "_data/changes/internal-tool-bbbb2222.yml": f"""\
        title: Support console {CANARY_RELEASED_CHANGE}
        kind: improvement
        audience: internal
        release: "2026.11"
        tracker: [OPS-9999]
        body: Agents see {CANARY_RELEASED_CHANGE} in the sidebar.
        """,
    "_data/changes/internal-upcoming-cccc3333.yml": f"""\
        title: Upcoming agent tool {CANARY_CHANGE}
        kind: feature
        audience: internal
        body: Coming for agents only {CANARY_CHANGE}.
        """,
    "_data/training.yml": f"""\
        modules:
          - id: basics
            title: Basics
            lessons:
              - id: guide
                title: Read the guide
                minutes: 10
                objective: Know the guide.
                page: guide.md
              - id: runbook
                title: Agents {CANARY_LESSON}
                minutes: 5
                objective: Follow the runbook {CANARY_LESSON}.
                page: agents/runbook.md
                audience: internal
        """,
}


def every_byte(site: Path) -> bytes:
    """All files of a site, compressed ones decompressed, as one blob."""
    blob = []
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        # Compressed files are opened by their magic bytes, whatever their name.
        data = b"\n".join(decompressed(path.read_bytes()))
        blob.append(path.relative_to(site).as_posix().encode() + b"\n" + data)
    return b"\n".join(blob)


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    root = tmp_path_factory.mktemp("editions")
    config = """\
site_name: Editions
site_url: https://help.example.com/
docs_dir: content
theme:
  name: material
  custom_dir: {theme}
  font: false
plugins:
  - search
  - kb
markdown_extensions:
  - admonition
  - pymdownx.details
nav:
  - index.md
  - faq.md
  - guide.md
  - Releases:
      - releases/index.md
      - releases/upcoming.md
  - training/agenda.md
  - Agents:
      - agents/runbook.md
""".format(theme=ROOT / "theme")
    cfg = write_project(root, PAGES, config)
    public = run_kb("build", "-f", str(cfg), cwd=root)
    internal = run_kb("build", "-f", str(cfg), "--edition", "internal", cwd=root)
    assert public.exit_code == 0, public
    assert internal.exit_code == 0, internal
    return root / "site", root / "site-internal"


def test_no_canary_in_the_public_search_index(editions):
    """The Whoosh index lives outside the site (.kb/index/<edition>/): search it for each."""
    import json

    public, _ = editions
    root = public.parent
    for canary in CANARIES:
        found = run_kb("search", canary, "--json", "--limit", "50", cwd=root)
        assert found.exit_code == 0, found
        hits = json.loads(found.output)["hits"]
        assert all(canary not in json.dumps(hit) for hit in hits), (canary, hits)
    internal_hits = [
        json.loads(run_kb("search", c, "--json", "--edition", "internal", cwd=root).output)["total"]
        for c in CANARIES
    ]
    assert all(total > 0 for total in internal_hits), dict(
        zip(CANARIES, internal_hits, strict=True)
    )


def test_no_canary_anywhere_in_the_public_edition(editions):
    public, _ = editions
    blob = every_byte(public)
    for part in [
        b"sitemap.xml.gz",
        b"search_index.json",
        b"404.html",
        b"releases/feed.xml",
        b"releases/rollouts.ics",
        b"releases/2026.11/index.html",
        b"training/agenda",
    ]:
        assert part in blob, part
    for canary in CANARIES:
        assert canary.encode() not in blob, canary
    assert not (public / "agents").exists()


def test_every_canary_in_the_internal_edition(editions):
    _, internal = editions
    blob = every_byte(internal)
    for canary in CANARIES:
        assert canary.encode() in blob, canary


def test_public_pages_keep_their_public_text(editions):
    public, _ = editions
    guide = parse(public / "guide" / "index.html").css_first("article").text()
    assert "Public guide text." in guide and "A public tip." in guide
    faq = parse(public / "faq" / "index.html")
    assert faq.css_first("h2#is-there-phone-support") is not None
    assert broken_links(public) == []


def test_public_navigation_has_no_agents_section(editions):
    public, internal = editions
    assert "Agents" not in parse(public / "index.html").css_first("nav.md-nav--primary").text()
    assert "Agents" in parse(internal / "index.html").css_first("nav.md-nav--primary").text()


def test_internal_edition_badges_what_is_internal(editions):
    _, internal = editions
    runbook = parse(internal / "agents" / "runbook" / "index.html")
    assert runbook.css_first(".kb-page-badge .kb-badge").text() == "Internal"
    guide = parse(internal / "guide" / "index.html")
    assert len(guide.css(".admonition.internal")) == 2
    faq = parse(internal / "faq" / "index.html")
    assert faq.css_first("details.internal") is not None
    banner = parse(internal / "index.html").css_first(".md-banner .kb-edition-banner")
    assert banner is not None and "Internal edition" in banner.text()
    robots = parse(internal / "index.html").css_first('meta[name="robots"]')
    assert robots.attributes["content"] == "noindex, nofollow"
    assert broken_links(internal) == []


def test_public_link_to_an_internal_page_is_an_error(tmp_path):
    pages = dict(PAGES)
    pages["guide.md"] = "# Guide\n\nIntro.\n\nAsk the [runbook](agents/runbook.md).\n"
    cfg = write_project(tmp_path, pages)
    result = run_kb("build", "-f", str(cfg), cwd=tmp_path)
    assert result.exit_code == 1
    assert (
        "content/guide.md:5: links to 'agents/runbook.md', an internal page, which the public "
        "edition does not have; remove the link, or put it inside an '!!! internal' passage"
    ) in result.output
    assert "Traceback" not in result.output
    # The internal edition has the page: the same link is fine there.
    ok = run_kb("build", "-f", str(cfg), "--edition", "internal", "--no-strict", cwd=tmp_path)
    assert ok.exit_code == 0, ok
    # kb check reports it too.
    check = run_kb("check", "-f", str(cfg), cwd=tmp_path)
    assert check.exit_code == 1
    assert "content/guide.md:5: links to 'agents/runbook.md'" in check.output


def test_faq_answer_that_is_wholly_internal_is_empty_in_public(tmp_path):
    pages = {
        "index.md": "# Home\n",
        "faq.md": "---\ntype: faq\n---\n# FAQ\n\n## Who is on call?\n\n!!! internal\n    Rota.\n",
    }
    cfg = write_project(tmp_path, pages)
    result = run_kb("build", "-f", str(cfg), cwd=tmp_path)
    assert result.exit_code == 1
    assert (
        "content/faq.md:6: the question 'Who is on call?' has no answer; write the answer below "
        "its heading"
    ) in result.output


def test_demo_public_edition_has_no_trace_of_sentry(demo_site):
    """The agent notes' subject (Sentry) is in no byte of the public site, and no public record.

    Lower-case "sentry" is also an English word, which the browser search's general spelling
    list rightly holds; what the site's own pages say is checked through its search index.
    """
    blob = every_byte(demo_site)
    assert b"Sentry" not in blob and b"SENTRY" not in blob
    import json

    found = run_kb("search", "sentry", "--json", "--limit", "50", cwd=demo_site.parent / "project")
    assert found.exit_code == 0, found
    # The search may still answer with near words (typo tolerance): none may say "sentry".
    assert "sentry" not in json.dumps(json.loads(found.output)["hits"]).lower()


def test_demo_internal_edition_shows_the_agent_notes(tmp_path):

    project = tmp_path / "p"
    copy_demo(project)
    result = run_kb("build", "--edition", "internal", cwd=project)
    assert result.exit_code == 0, result
    site = project / "site-internal"
    notes = parse(site / "internal" / "agent-notes" / "index.html")
    assert notes.css_first(".kb-page-badge .kb-badge").text() == "Internal"
    assert "never link a Sentry issue directly to a client's ticket" in notes.text()
    faq = parse(site / "faq" / "index.html")
    assert "after-hours-deferred" in faq.css_first(".admonition.internal").text()
    assert broken_links(site) == []


# --- files beside internal pages, and raw HTML links across the line --------------------------


ATTACHMENT_PAGES = {
    "index.md": "# Home\n\nSee the [guide](guide.md).\n",
    "guide.md": (
        "# Guide\n\nPublic text. ![diagram](media/shared.svg)\n\n"
        "!!! internal\n    Agents: ![rota](media/rota.svg) and [sheet](media/sheet.csv).\n"
    ),
    "media/shared.svg": '<svg xmlns="http://www.w3.org/2000/svg"><text>shared</text></svg>\n',
    "media/rota.svg": '<svg xmlns="http://www.w3.org/2000/svg"><text>rota</text></svg>\n',
    "media/sheet.csv": "a,b\n",
    "media/unreferenced.txt": "published: nothing refers to it and its folder has no pages\n",
    "agents/index.md": "---\naudience: internal\n---\n# Agents\n\n[Roster](roster.csv)\n",
    "agents/roster.csv": "name,phone\n",
    "agents/files/chart.pdf": b"%PDF-1.4\n%%EOF\n",
    "agents/linked-from-internal.png": b"\x89PNG\r\n",
    # Files that only internal data items (an internal change, a passage in a public change's
    # body) refer to are internal too.
    "media/console.png": b"\x89PNG\r\n",
    "media/passage.png": b"\x89PNG\r\n",
    "_data/releases/2026.11.yml": (
        'version: "2026.11"\nstatus: released\ndate: 2026-11-10\nrollout: [2026-11-10]\n'
    ),
    "_data/changes/console-aaaa1111.yml": (
        'title: Agent console\nkind: feature\naudience: internal\nrelease: "2026.11"\n'
        "body: See ![the console](../media/console.png).\n"
    ),
    "_data/changes/search-bbbb2222.yml": (
        'title: Faster search\nkind: improvement\nrelease: "2026.11"\nbody: |\n  Faster.\n\n'
        "  !!! internal\n      ![tool](../media/passage.png)\n"
    ),
}


def test_files_beside_internal_pages_are_left_out_of_the_public_edition(tmp_path):
    cfg = write_project(tmp_path, ATTACHMENT_PAGES)
    for edition in ("public", "internal"):
        result = run_kb("build", "-f", str(cfg), "--edition", edition, cwd=tmp_path)
        assert result.exit_code == 0, result
    public, internal = tmp_path / "site", tmp_path / "site-internal"
    published = {p.relative_to(public).as_posix() for p in public.rglob("*") if p.is_file()}
    # In a folder whose pages are all internal (subfolders too), or referred to only from an
    # internal passage: internal.
    for gone in [
        "agents/roster.csv",
        "agents/files/chart.pdf",
        "agents/linked-from-internal.png",
        "media/rota.svg",
        "media/sheet.csv",
        "media/console.png",
        "media/passage.png",
    ]:
        assert gone not in published, gone
        assert (internal / gone).is_file(), gone
    # Referred to by public text, or by nothing outside a folder of internal pages: public.
    assert {"media/shared.svg", "media/unreferenced.txt"} <= published


@pytest.mark.parametrize(
    ("html", "target"),
    [
        ('<a href="agents/runbook.md">runbook</a>', "agents/runbook.md"),
        ("<a href='agents/runbook/'>runbook</a>", "agents/runbook/"),
        ('Text <a class="x" href="agents/runbook.md#step-2">step</a> inline.', "agents/runbook"),
        ('<img src="agents/chart.svg" alt="chart">', "agents/chart.svg"),
        ('<img alt="c" srcset="media/a.svg 1x, agents/chart.svg 2x">', "agents/chart.svg"),
        # (<link> is refused as an element in pages: core.markdown.ALLOWED_ELEMENTS.)
        ('<video poster="agents/chart.svg" src="media/a.svg"></video>', "agents/chart.svg"),
        ('<p>Download the <a href="agents/roster.csv">roster</a>.</p>', "agents/roster.csv"),
    ],
)
def test_raw_html_links_into_the_internal_edition_are_errors(tmp_path, html, target):
    pages = {
        "index.md": "# Home\n",
        "guide.md": f"# Guide\n\nIntro.\n\n{html}\n",
        "media/a.svg": '<svg xmlns="http://www.w3.org/2000/svg"></svg>\n',
        "agents/runbook.md": "---\naudience: internal\n---\n# Runbook\n\n## Step 2\n",
        "agents/chart.svg": '<svg xmlns="http://www.w3.org/2000/svg"></svg>\n',
        "agents/roster.csv": "a,b\n",
    }
    cfg = write_project(tmp_path, pages)
    for command in ("build", "check"):
        result = run_kb(command, "-f", str(cfg), cwd=tmp_path)
        assert result.exit_code == 1, result
        assert f"content/guide.md:5: links to '{target}" in result.output, result.output
        assert "; remove the link, or put it inside an '!!! internal' passage" in result.output
        assert "Traceback" not in result.output
    # Inside an internal passage, the same link is fine.
    pages["guide.md"] = f"# Guide\n\nIntro.\n\n!!! internal\n    {html}\n"
    cfg = write_project(tmp_path, pages)
    result = run_kb("build", "-f", str(cfg), "--no-strict", cwd=tmp_path)
    assert result.exit_code == 0, result
