"""Canaries: nothing internal reaches any byte the public edition publishes or indexes.

A unique token is planted in every way content can be internal: an internal page (title,
description, body), its attachments (a CSV roster, an SVG, a PDF) and files that only internal
content refers to (also by percent-encoded, ``./``, query and raw HTML links), passages of every
accepted marker spelling, an FAQ answer, change bodies, internal changes (released and
upcoming), a release summary, a training lesson, the support facts, and a pymdownx.snippets
include inside an internal passage. The demo site is built in both editions; then every
file of the public site is read, whatever its type (the walk discovers file types, so a new
kind of output is covered without naming it), compressed files decompressed by their magic
bytes (gzip, zlib, bzip2, xz, zip, nested), together with the public search index in .kb/
(searched, and its files read).
No token may appear there; every one must appear in the internal edition.

The routes the build must refuse instead (look-alike markers in pages, change bodies, release
summaries and lessons; snippet includes of internal pages, left-out files and internal text)
are planted one by one in a small site after a good build: the build fails at the writer's
line, and no byte of the site or of .kb/ holds the token.
"""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import zipfile
import zlib
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, copy_demo, run_kb
from tests.site.test_internal_markers import ACCEPTED, SECRET
from tests.unit.test_support_pages import CANARY as SUPPORT_CANARY
from tests.unit.test_support_pages import CANARY_PHONE, CANARY_PHONE_SHOWN, with_internal_items


def token(name: str) -> str:
    """One search term, whatever the analyser: lower-case letters then digits (no stemming)."""
    letters = "".join(c for c in name.lower() if c.isalpha())
    return f"zqk{letters}{sum(map(ord, name)) % 10_000:04d}"


PAGE = token("page")
TITLE = token("title")
DESCRIPTION = token("description")
ROSTER = token("roster")
SVG = token("svg")
PDF = token("pdf")
MAP = token("passageimage")
SHEET = token("sheet")
FAQ = token("faq")
CHANGE_PASSAGE = token("changepassage")
UPCOMING_PASSAGE = token("upcomingpassage")
RELEASED_CHANGE = token("releasedchange")
UPCOMING_CHANGE = token("upcomingchange")
SUMMARY = token("summary")
LESSON = token("lesson")
SUPPORT = token("support")
SNIPPET = token("snippet")
# Files in a public folder that only the internal runbook links to, each link spelt as MkDocs
# still resolves it (red team #15): they must be left out like any internal-only file.
ENCODED_LINKS = {
    "wiki/encoded-a.csv": "[a](../wiki/encoded-a%2Ecsv)",
    "wiki/encoded-b.csv": "[b](%2e%2e/wiki/encoded-b.csv)",
    "wiki/encoded-c.csv": "[c](..%2Fwiki%2F.%2Fencoded%2dc%2ecsv?v=2#top)",
    "wiki/encoded-d.csv": '<a href="../wiki/encoded&#45;d.csv">d</a>',
    "wiki/encoded-e.svg": '<img src="%2E%2E/wiki/encoded-e%2Esvg" alt="e">',
}
ENCODED = {path: token("encoded" + path) for path in ENCODED_LINKS}
PASSAGES = {name: token("passage" + name) for name, _ in ACCEPTED}
ATTACHMENTS = [ROSTER, SVG, PDF, MAP, SHEET, *ENCODED.values()]
CANARIES = [
    PAGE,
    TITLE,
    DESCRIPTION,
    *ATTACHMENTS,
    FAQ,
    CHANGE_PASSAGE,
    UPCOMING_PASSAGE,
    RELEASED_CHANGE,
    UPCOMING_CHANGE,
    SUMMARY,
    LESSON,
    SUPPORT,
    SNIPPET,
    *PASSAGES.values(),
]


def _guide() -> str:
    return (
        "---\ndescription: A public guide with internal passages.\n---\n# Canary guide\n\n"
        "Public guide text.\n\n"
        f"!!! internal\n    The map: ![map](agents-map.svg) {MAP}-ref\n"
    )


# One page per accepted spelling: a fence left open on one page must not swallow the next case.
PASSAGE_PAGES = {
    f"wiki/canary-{n}.md": f"# Canary {n}\n\nPublic text of case {n}.\n\n"
    + markdown.replace(SECRET, PASSAGES[name])
    for n, (name, markdown) in enumerate(ACCEPTED)
}


FILES: dict[str, str | bytes] = {
    "wiki/canary-guide.md": _guide(),
    **PASSAGE_PAGES,
    "wiki/agents-map.svg": f'<svg xmlns="http://www.w3.org/2000/svg"><text>{MAP}</text></svg>\n',
    "wiki/escalation-sheet.csv": f"name,phone\n{SHEET},555-0100\n",
    "internal/canary-runbook.md": f"""\
---
title: Runbook {TITLE}
description: Agents only {DESCRIPTION}
audience: internal
---
# Runbook {TITLE}

{PAGE} procedure. The [roster](roster.csv), the [handbook](handbook.pdf) and the
[escalation sheet](../wiki/escalation-sheet.csv).

<img src="org.svg" alt="Organisation chart">

Encoded links: """
    + " ".join(ENCODED_LINKS.values())
    + "\n",
    **{
        path: (
            f'<svg xmlns="http://www.w3.org/2000/svg"><text>{ENCODED[path]}</text></svg>\n'
            if path.endswith(".svg")
            else f"name\n{ENCODED[path]}\n"
        )
        for path in ENCODED_LINKS
    },
    # A public page includes public text, and (inside an internal passage) an internal file.
    "wiki/canary-snippets.md": (
        '# Canary snippets\n\n--8<-- "wiki/canary-snippet-public.txt"\n\n'
        '!!! internal\n    --8<-- "internal/canary-snippet.txt"\n'
    ),
    "wiki/canary-snippet-public.txt": "Public snippet text.\n",
    "internal/canary-snippet.txt": f"Agents only: {SNIPPET}.\n",
    "internal/roster.csv": f"name,shift\n{ROSTER},night\n",
    "internal/org.svg": f'<svg xmlns="http://www.w3.org/2000/svg"><text>{SVG}</text></svg>\n',
    "internal/handbook.pdf": b"%PDF-1.4\n% " + PDF.encode() + b"\n%%EOF\n",
    "faq/canary.md": f"""\
---
type: faq
---
# Canary questions

## Can agents see the rota?

Yes, in the agents' tools.

??? internal "How agents answer this"
    {FAQ}
""",
    "_data/changes/canary-public-passage-aaaa0001.yml": f"""\
title: Faster permit lookups
kind: improvement
release: "2026.09"
body: |
  Permit lookups are faster.

  !!! internal "For agents"
      {CHANGE_PASSAGE}
""",
    "_data/changes/canary-public-upcoming-aaaa0002.yml": f"""\
title: Clearer renewal emails
kind: improvement
body: |
  Renewal emails are clearer.

  ??? internal
      {UPCOMING_PASSAGE}
""",
    "_data/changes/canary-internal-released-aaaa0003.yml": f"""\
title: Support console {RELEASED_CHANGE}
kind: improvement
audience: internal
release: "2026.09"
body: Agents see {RELEASED_CHANGE}.
""",
    "_data/changes/canary-internal-upcoming-aaaa0004.yml": f"""\
title: Agent tool {UPCOMING_CHANGE}
kind: feature
audience: internal
body: Coming for agents {UPCOMING_CHANGE}.
""",
}


def _plant(project: Path) -> None:
    content = project / "content"
    for rel, text in FILES.items():
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    release = content / "_data" / "releases" / "2026.09.yml"
    data = yaml.safe_load(release.read_text(encoding="utf-8"))
    data["summary"] = f"{data['summary']}\n!!! internal\n    {SUMMARY}\n"
    release.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    training = content / "_data" / "training.yml"
    data = yaml.safe_load(training.read_text(encoding="utf-8"))
    lesson = dict(data["modules"][0]["lessons"][0])
    lesson.update(
        id="canary-lesson",
        title=f"Agents {LESSON}",
        objective=f"Follow the runbook {LESSON}.",
        page="internal/canary-runbook.md",
        audience="internal",
    )
    lesson.pop("prerequisite", None)
    data["modules"][0]["lessons"].append(lesson)
    training.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    support = content / "_data" / "support.yml"
    data = yaml.safe_load(support.read_text(encoding="utf-8"))
    with_internal_items(data)
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    support.write_text(text.replace(SUPPORT_CANARY, SUPPORT), encoding="utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    for after, new in [
        (
            "      - wiki/citations.md\n",
            "".join(
                f"      - {uri}\n"
                for uri in ["wiki/canary-guide.md", "wiki/canary-snippets.md", *PASSAGE_PAGES]
            ),
        ),
        ("      - internal/agent-notes.md\n", "      - internal/canary-runbook.md\n"),
        ("  - FAQ: faq/index.md\n", "  - Canary FAQ: faq/canary.md\n"),
        # Snippets from the content folder (the working folder is the project's).
        ("markdown_extensions:\n", "  - pymdownx.snippets:\n      base_path: [content]\n"),
    ]:
        assert after in text, after
        text = text.replace(after, after + new)
    config.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("canaries") / "project"
    copy_demo(project, schemas=True)
    _plant(project)
    for args in (("--edition", "public"), ("--edition", "internal"), ("--offline",)):
        result = run_kb("build", *args, cwd=project)
        assert result.exit_code == 0, result
    return project


def decompressed(data: bytes, depth: int = 0) -> list[bytes]:
    """`data` and, recursively, whatever it decompresses to (found by magic bytes)."""
    found = [data]
    if depth > 4 or len(data) < 4:
        return found
    inner: list[bytes] = []
    try:
        if data[:2] == b"\x1f\x8b":
            inner = [gzip.decompress(data)]
        elif data[:3] == b"BZh":
            inner = [bz2.decompress(data)]
        elif data[:6] == b"\xfd7zXZ\x00":
            inner = [lzma.decompress(data)]
        elif data[:4] == b"PK\x03\x04":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                inner = [archive.read(name) for name in archive.namelist()]
        elif data[0] == 0x78 and (data[0] * 256 + data[1]) % 31 == 0:
            inner = [zlib.decompress(data)]
    except (OSError, EOFError, ValueError, zlib.error, lzma.LZMAError, zipfile.BadZipFile):
        inner = []
    for part in inner:
        found += decompressed(part, depth + 1)
    return found


def every_file(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, by path, as its bytes and everything they decompress to."""
    return {
        path.relative_to(folder).as_posix(): b"\n".join(decompressed(path.read_bytes())).lower()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def leaks(files: dict[str, bytes]) -> dict[str, list[str]]:
    return {
        canary: [path for path, data in files.items() if canary.encode() in data]
        for canary in CANARIES
        if any(canary.encode() in data for data in files.values())
    }


def test_no_canary_in_any_byte_of_the_public_site(project):
    files = every_file(project / "site")
    assert leaks(files) == {}
    # The walk reached every kind of output (discovered, not listed by name).
    kinds = {Path(path).suffix for path in files}
    assert {".html", ".xml", ".ics", ".gz", ".js", ".css", ".svg"} <= kinds, kinds
    assert len(files) > 50
    # Compressed files were opened: the sitemap is read from inside its gzip.
    assert b"<urlset" in files["sitemap.xml.gz"]
    # The public guide is there, without its passages; the internal files are not.
    assert b"public guide text." in files["wiki/canary-guide/index.html"]
    assert b"public snippet text." in files["wiki/canary-snippets/index.html"]
    for n in range(len(PASSAGE_PAGES)):
        assert f"public text of case {n}.".encode() in files[f"wiki/canary-{n}/index.html"]
    for gone in [
        "internal/roster.csv",
        "internal/org.svg",
        "internal/handbook.pdf",
        "wiki/agents-map.svg",
        "wiki/escalation-sheet.csv",
        "internal/canary-snippet.txt",
        *ENCODED_LINKS,
    ]:
        assert gone not in files, gone


def test_no_canary_in_the_public_offline_copy(project):
    """The offline copy (site-offline/, for clients without internet) is published too."""
    files = every_file(project / "site-offline")
    assert len(files) > 50
    assert leaks(files) == {}


def test_every_canary_is_in_the_internal_edition(project):
    files = every_file(project / "site-internal")
    missing = [c for c in CANARIES if not any(c.encode() in data for data in files.values())]
    assert missing == []


def test_no_internal_contact_address_in_any_byte_of_either_public_copy(project):
    """The internal channel's e-mail and telephone number (tel: form, national form) stay in the
    agents' edition, where its routes list them; no byte of the public site or its offline copy
    holds them (the box's data, the ticket form's routes, the plain lists, placeholders)."""
    addresses = [f"{SUPPORT}@example.net", CANARY_PHONE[1:], CANARY_PHONE_SHOWN]
    for folder in ("site", "site-offline"):
        files = every_file(project / folder)
        for address in addresses:
            assert [p for p, data in files.items() if address.encode() in data] == [], address
    internal = every_file(project / "site-internal")
    for address in addresses:
        assert any(address.encode() in data for data in internal.values()), address


def test_no_canary_in_the_public_search_index_files(project):
    """The Whoosh index and related lists live in .kb/, outside the site: read every file."""
    kb = project / ".kb"
    public = {
        path: data
        for path, data in every_file(kb).items()
        if "internal" not in Path(path).parts[-1] and "internal" not in Path(path).parts[:-1]
    }
    assert any("public" in path for path in public), sorted(public)
    assert leaks(public) == {}
    internal = {path: data for path, data in every_file(kb).items() if path not in public}
    found = leaks(internal)
    assert PAGE in found and FAQ in found and PASSAGES["plain"] in found, sorted(found)


def test_the_tokens_are_what_the_scan_can_find():
    """Lower-case (the blobs are lower-cased), distinct, one search term each."""
    assert len(set(CANARIES)) == len(CANARIES)
    assert all(c.isalnum() and c == c.lower() for c in CANARIES)


# What the internal edition's index holds: page text, not front-matter descriptions or files.
SEARCHABLE = [c for c in CANARIES if c not in [*ATTACHMENTS, DESCRIPTION]]


@pytest.mark.parametrize("canary", CANARIES)
def test_search_finds_no_canary_in_public_and_each_in_internal(project, canary):
    public = run_kb("search", canary, "--json", "--limit", "50", cwd=project)
    assert public.exit_code == 0, public
    hits = json.loads(public.output)["hits"]
    assert all(canary not in json.dumps(hit).lower() for hit in hits), hits
    if canary in SEARCHABLE:
        internal = run_kb("search", canary, "--json", "--edition", "internal", cwd=project)
        assert internal.exit_code == 0, internal
        assert json.loads(internal.output)["total"] > 0, canary


# --- routes the build must refuse: nothing published, nothing indexed ---------------------

SNIPPETS_CONFIG = """\
site_name: Refused routes
site_description: Canaries of the routes a build refuses.
docs_dir: content
theme:
  name: material
  custom_dir: {theme}
  font: false
plugins:
  - kb
markdown_extensions:
  - admonition
  - pymdownx.details
  - pymdownx.snippets:
      base_path: [content]
validation:
  anchors: warn
  unrecognized_links: warn
"""
REPORTS = "# Reports\n\nPublic text.\n"
RELEASE = 'version: "2026.11"\nstatus: released\ndate: 2026-11-10\nrollout: [2026-11-10]\n'
TRAINING = (
    "title: Training\ndescription: The agenda.\nintro: Learn the basics.\nmodules:\n"
    "  - id: basics\n    title: Basics\n    lessons:\n      - id: one\n        title: One\n"
    "        minutes: 10\n        objective: Learn one.\n        page: wiki/reports.md\n"
)
BASE_SITE = {
    "index.md": "# Home\n\nWelcome.\n",
    "wiki/reports.md": REPORTS,
    "wiki/secret.md": "---\naudience: internal\n---\n# Secret\n\nThe [roster](roster.csv).\n",
    "wiki/roster.csv": "name\nnobody\n",
    "_data/releases/2026.11.yml": RELEASE,
    # A released release needs a change (an empty one is refused: issue 13's workflow checks).
    "_data/changes/reports-bbbb2222.yml": 'title: Reports\nkind: improvement\nrelease: "2026.11"\n',
}


def _route(name: str) -> tuple[dict[str, str], str]:
    """The files a route changes (its token in each), and where the build must refuse it."""
    tok = token("refused" + name)
    include = "content/wiki/reports.md:5"
    return {
        "cyrillic i": (
            {"wiki/reports.md": REPORTS + f'\n!!! \u0456nternal "For agents"\n    {tok}\n'},
            include,
        ),
        "full-width marks": (
            {"wiki/reports.md": REPORTS + f"\n\uff01\uff01\uff01 internal\n\n    {tok}\n"},
            include,
        ),
        "look-alike title": (
            {"wiki/reports.md": REPORTS + f'\n!!! note "\u0406nternal"\n    {tok}\n'},
            include,
        ),
        "mathematical letter": (
            {"wiki/reports.md": REPORTS + f"\n??? \U0001d422nternal\n    {tok}\n"},
            include,
        ),
        "change body": (
            {
                "_data/changes/faster-aaaa1111.yml": (
                    'title: Faster\nkind: improvement\nrelease: "2026.11"\n'
                    f"body: |\n  Faster.\n\n  !!! \u0456nternal\n      {tok}\n"
                )
            },
            "content/_data/changes/faster-aaaa1111.yml:7",
        ),
        "release summary": (
            {
                "_data/releases/2026.11.yml": RELEASE
                + f"summary: |\n  November.\n\n  ???+ \u0456nternal\n      {tok}\n"
            },
            "content/_data/releases/2026.11.yml:8",
        ),
        "training exercise": (
            {
                "_data/training.yml": TRAINING
                + f"        exercise: |\n          Try it.\n\n          !!! \u0456nternal\n"
                f"              {tok}\n"
            },
            "content/_data/training.yml:16",
        ),
        "snippet of an internal page": (
            {
                "wiki/secret.md": f"---\naudience: internal\n---\n# Secret\n\n{tok}\n",
                "wiki/reports.md": REPORTS + '\n--8<-- "wiki/secret.md"\n',
            },
            include,
        ),
        "snippet block of a left-out file": (
            {
                "wiki/roster.csv": f"name\n{tok}\n",
                "wiki/reports.md": REPORTS + "\n--8<--\nwiki/roster.csv\n--8<--\n",
            },
            "content/wiki/reports.md:6",
        ),
        "snippet line range with a passage": (
            {
                "wiki/part.txt": f"Public.\n\n!!! internal\n    {tok}\n",
                "wiki/reports.md": REPORTS + '\n--8<-- "wiki/part.txt:1:4"\n',
            },
            include,
        ),
        "nested snippet": (
            {
                "wiki/secret.md": f"---\naudience: internal\n---\n# Secret\n\n{tok}\n",
                "wiki/outer.txt": 'Outer.\n\n--8<-- "wiki/secret.md"\n',
                "wiki/reports.md": REPORTS + '\n--8<-- "wiki/outer.txt"\n',
            },
            include,
        ),
    }[name]


ROUTES = [
    "cyrillic i",
    "full-width marks",
    "look-alike title",
    "mathematical letter",
    "change body",
    "release summary",
    "training exercise",
    "snippet of an internal page",
    "snippet block of a left-out file",
    "snippet line range with a passage",
    "nested snippet",
]


@pytest.mark.parametrize("name", ROUTES)
def test_a_refused_route_publishes_and_indexes_nothing(tmp_path, name):
    """A good build first (so site/ and .kb/ exist), then the route: the build fails at the
    writer's line, kb check agrees, and no byte of site/ or .kb/ holds the route's token."""
    project = tmp_path / "project"
    for rel, text in BASE_SITE.items():
        path = project / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (project / "mkdocs.yml").write_text(SNIPPETS_CONFIG.format(theme=ROOT / "theme"))
    good = run_kb("build", cwd=project)
    assert good.exit_code == 0, good
    changes, where = _route(name)
    for rel, text in changes.items():
        (project / "content" / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / "content" / rel).write_text(text, encoding="utf-8")
    tok = token("refused" + name)
    failed = run_kb("build", cwd=project)
    assert failed.exit_code == 1, failed
    assert f"{where}: " in failed.output and "Traceback" not in failed.output, failed.output
    check = run_kb("check", cwd=project)
    assert check.exit_code == 1 and f"{where}: " in check.output, check.output
    published = {**every_file(project / "site"), **every_file(project / ".kb")}
    assert any(path.endswith("index.html") for path in published)
    assert [path for path, data in published.items() if tok.encode() in data] == []
