"""The internal marker is fail-closed: every near miss is recognised or an error at its line.

A careless writer's spellings of ``!!! internal`` (case, spaces, other admonition types, other
block syntaxes, raw HTML, quotes, list items, unclosed and indented fences, tabs, CRLF, a BOM)
must each be either an internal passage, removed from the public edition, or a ``path:line``
error naming the valid spelling. Never published. And the two editions must agree: what the
internal edition badges as internal is exactly what the public edition leaves out.
"""

from __future__ import annotations

import pytest

from kb_builder.pages.audience import (
    MARKERS,
    find_internal,
    published_internal,
    render,
    skeleton,
    strip_internal_passages,
)
from kb_builder.pages.page import analyse
from tests.conftest import run_kb, write_project
from tests.helpers.sitecheck import parse

SECRET = "SECRET-5d1c"

# (name, Markdown, 1-based line of the expected error or None, part of the message)
NEAR_MISSES = [
    ("capital", f"Intro.\n\n!!! Internal\n    {SECRET}\n", 3, "write '!!! internal'"),
    ("all caps", f"!!! INTERNAL\n    {SECRET}\n", 1, "write '!!! internal'"),
    ("no space", f"!!!internal\n    {SECRET}\n", 1, "write '!!! internal'"),
    ("two spaces", f"!!!  internal\n    {SECRET}\n", 1, "write '!!! internal'"),
    ("tab after !!!", f"!!!\tinternal\n    {SECRET}\n", 1, "'!!!\\tinternal'"),
    ("no-break space", f"!!!\u00a0internal\n    {SECRET}\n", 1, "'!!!\\u00a0internal'"),
    ("two marks", f"!! internal\n    {SECRET}\n", 1, "write '!!! internal'"),
    ("four marks", f"!!!! internal\n    {SECRET}\n", 1, "write '!!! internal'"),
    ("class after type", f"!!! warning internal\n    {SECRET}\n", 1, "write '!!! internal'"),
    ("class before type", f"!!! internal warning\n    {SECRET}\n", 1, "write '!!! internal'"),
    ("titled Internal", f'!!! note "Internal"\n    {SECRET}\n', 1, "write '!!! internal'"),
    (
        "titled for agents",
        f'!!! warning "Internal: agents"\n    {SECRET}\n',
        1,
        "write '!!! internal \"Internal: agents\"'",
    ),
    ("hyphenated", f"!!! internal-note\n    {SECRET}\n", 1, "write '!!! internal'"),
    ("single-quoted title", f"!!! internal 'Agents'\n    {SECRET}\n", 1, '"Agents"'),
    ("details no space", f"???+internal\n    {SECRET}\n", 1, "write '???+ internal'"),
    ("details capital", f"??? Internal\n    {SECRET}\n", 1, "write '??? internal'"),
    ("details two marks", f"?? internal\n    {SECRET}\n", 1, "write '??? internal'"),
    ("blocks syntax", f"/// internal\n{SECRET}\n///\n", 1, "write '!!! internal'"),
    ("blocks admonition", f"/// admonition | Internal\n{SECRET}\n///\n", 1, "'!!! internal'"),
    ("fenced div", f"::: internal\n{SECRET}\n:::\n", 1, "write '!!! internal'"),
    ("content tab", f'=== "Internal"\n\n    {SECRET}\n', 1, "write '!!! internal'"),
    ("blockquote", f"> !!! internal\n>     {SECRET}\n", 1, "inside a quote"),
    ("nested blockquote", f"> > !!! internal\n> >     {SECRET}\n", 1, "inside a quote"),
    ("list item line", f"- !!! internal\n      {SECRET}\n", 1, "list item's own line"),
    ("numbered item line", f"1. !!! internal\n       {SECRET}\n", 1, "list item's own line"),
    ("div", f'<div class="internal" markdown>\n{SECRET}\n</div>\n', 1, "raw HTML"),
    ("details tag", f"<details class=internal>\n{SECRET}\n</details>\n", 1, "raw HTML"),
    ("class list", f'<div class="note Internal">{SECRET}</div>\n', 1, "raw HTML"),
    ("inline span", f'Text <span class="internal">{SECRET}</span>.\n', 1, "raw HTML"),
    ("id", f'<div id="internal-notes">{SECRET}</div>\n', 1, "raw HTML"),
    ("audience attribute", f'<section data-audience="internal">{SECRET}</section>\n', 1, "raw"),
    ("attribute list", f"{SECRET}\n{{ .internal }}\n", 2, "attribute list"),
    ("heading attribute", f"## Agents {{ .internal }}\n\n{SECRET}\n", 1, "attribute list"),
    ("comment", f"<!-- internal: {SECRET} -->\n", 1, "HTML comment"),
    ("front matter in body", f"audience: internal\n\n{SECRET}\n", 1, "front matter"),
    ("indented two", f"  !!! internal\n      {SECRET}\n", 1, "not read as an internal passage"),
    (
        "indented into code",
        f"Intro.\n\n    !!! internal\n        {SECRET}\n",
        3,
        "not read as an internal passage",
    ),
    (
        "entity in class",
        f'<div class="&#105;nternal">{SECRET}</div>\n',
        1,
        "looks internal",
    ),
    ("inside a later line", f"Intro.\n\nMore.\n\n!!!Internal\n    {SECRET}\n", 5, "'!!!Internal'"),
    ("CRLF capital", f"Intro.\r\n\r\n!!! Internal\r\n    {SECRET}\r\n", 3, "'!!! internal'"),
    ("BOM before marker", f"Intro.\n\n\ufeff!!! internal\n    {SECRET}\n", 3, "\\ufeff"),
    ("details minus", f"???- internal\n    {SECRET}\n", 1, "write '??? internal'"),
    ("quoted class", f'!!! "internal"\n    {SECRET}\n', 1, "write '!!! internal'"),
    # Found by the rendering, where no line looks like a marker on its own.
    ("tag over two lines", f'Intro.\n\n<div\n  class="internal">\n{SECRET}\n</div>\n', 4, "looks"),
    ("in a footnote", f"Text[^1].\n\n[^1]: !!! internal\n    {SECRET}\n", 3, "looks internal"),
    ("in a definition", f"Term\n:   !!! internal\n        {SECRET}\n", 2, "looks internal"),
    ("in a raw HTML block", f"<div>\n!!! internal\n    {SECRET}\n</div>\n", 2, "not read as"),
    # Look-alike characters (issue 16, red team #1-#3): Python-Markdown's \w takes any letter,
    # so each of these renders as an admonition whose class merely looks like "internal".
    ("cyrillic i", f'!!! \u0456nternal "For agents"\n    {SECRET}\n', 1, "not plain ASCII"),
    ("cyrillic e details", f"??? int\u0435rnal\n    {SECRET}\n", 1, "not plain ASCII"),
    ("greek iota open", f"???+ \u03b9nternal\n    {SECRET}\n", 1, "'???+ internal'"),
    ("full-width letter", f"!!! \uff49nternal\n    {SECRET}\n", 1, "U+FF49"),
    ("mathematical bold i", f"!!! \U0001d422nternal\n    {SECRET}\n", 1, "not plain ASCII"),
    ("accented i", f"!!! \u00ednternal\n    {SECRET}\n", 1, "not plain ASCII"),
    ("combining mark", f"!!! i\u0301nternal\n    {SECRET}\n", 1, "U+0301"),
    ("dotless i", f"!!! \u0131nternal\n    {SECRET}\n", 1, "passage: '!!! internal'"),
    ("look-alike class", f"!!! note \u0456nternal\n    {SECRET}\n", 1, "not plain ASCII"),
    ("any non-ascii type", f"!!! \u6ce8\u610f\n    {SECRET}\n", 1, "not plain ASCII"),
    ("full-width marks", f"\uff01\uff01\uff01 internal\n    {SECRET}\n", 1, "look-alike"),
    (
        "full-width marks, code body",
        f"Intro.\n\n\uff01\uff01\uff01 internal\n\n    {SECRET}\n",
        3,
        "write '!!! internal'",
    ),
    ("full-width question marks", f"\uff1f\uff1f\uff1f internal\n    {SECRET}\n", 1, "'??? "),
    ("soft hyphen in the word", f"!!! inter\u00adnal\n    {SECRET}\n", 1, "U+00AD"),
    ("zero-width space", f"!!! inter\u200bnal\n    {SECRET}\n", 1, "look-alike"),
    ("zero-width after", f"!!! internal\u200b\n    {SECRET}\n", 1, "\\u200b"),
    ("look-alike title", f'!!! note "\u0406nternal"\n    {SECRET}\n', 1, "look-alike"),
    ("look-alike tab title", f'=== "\u0406nternal"\n\n    {SECRET}\n', 1, "look-alike"),
    ("look-alike blocks", f"/// \u0456nternal\n{SECRET}\n///\n", 1, "look-alike"),
    ("look-alike div", f'<div class="\u0456nternal">{SECRET}</div>\n', 1, "look-alike"),
    ("look-alike attr list", f"{SECRET}\n{{ .\u0456nternal }}\n", 2, "look-alike"),
    ("look-alike comment", f"<!-- \u0456nternal: {SECRET} -->\n", 1, "look-alike"),
    ("look-alike in a quote", f"> !!! \u0456nternal\n>     {SECRET}\n", 1, "not plain"),
]

# (name, Markdown): each an internal passage holding SECRET, removed from the public edition.
ACCEPTED = [
    ("plain", f"!!! internal\n    {SECRET}\n"),
    ("titled", f'!!! internal "For agents"\n    {SECRET}\n'),
    ("collapsible", f"??? internal\n    {SECRET}\n"),
    ("open collapsible", f'???+ internal "Open"\n    {SECRET}\n'),
    ("after a paragraph line", f"Intro.\n!!! internal\n    {SECRET}\n"),
    ("nested in a note", f"!!! note\n    Public.\n\n    !!! internal\n        {SECRET}\n"),
    ("in a list item", f"- item\n\n    !!! internal\n        {SECRET}\n"),
    ("tab-indented body", f"!!! internal\n\t{SECRET}\n"),
    ("CRLF", f"!!! internal\r\n    {SECRET}\r\n"),
    ("trailing spaces", f"!!! internal   \n    {SECRET}\n"),
    ("after an unclosed fence", f"```\ncode\n\n!!! internal\n    {SECRET}\n"),
    ("after a fence closed too far in", f"```\n!!! internal\n    {SECRET}\n  ```\n"),
    ("in a content tab", f'=== "Tab"\n\n    !!! internal\n        {SECRET}\n'),
    ("in a numbered item", f"1. Step\n\n    !!! internal\n        {SECRET}\n"),
    ("in a markdown div", f"<div markdown>\n!!! internal\n    {SECRET}\n</div>\n"),
    (
        "after an HTML block",
        f"<table>\n<tr><td>x</td></tr>\n</table>\n!!! internal\n    {SECRET}\n",
    ),
    ("non-ASCII title", f'!!! internal "Pour l\u2019\u00e9quipe \u2013 support"\n    {SECRET}\n'),
    ("non-ASCII body", f"!!! internal\n    {SECRET} caf\u00e9 \u0456\n"),
]

# Markers that are only text, by both readings: shown as written, never an error.
TEXT = [
    ("backtick fence", "```markdown\n!!! internal\n    example\n```\n"),
    ("tilde fence", "~~~\n!!! Internal\n    example\n~~~\n"),
    ("fence in an admonition", "!!! note\n    ```\n    !!! internal\n        x\n    ```\n"),
    ("code span", "Write `!!! internal` above the passage.\n"),
    ("code span of HTML", 'Not `<div class="internal">`.\n'),
    ("prose", "Internal users sign in with single sign-on; internal links are checked.\n"),
    ("heading", "## Internal and external users\n\nText.\n"),
    ("anchor", '<a id="internal-users"></a>\n\n## Internal users\n\nText.\n'),
    # Text in other scripts is ordinary; only admonition types must be plain ASCII.
    (
        "accented prose",
        "Caf\u00e9 cr\u00e8me, na\u00efve r\u00e9sum\u00e9 \u2014 \u201cquoted\u201d.\n",
    ),
    ("cyrillic prose", "\u0406\u043d\u0444\u043e\u0440\u043c\u0430\u0446\u0456\u044f.\n"),
    ("non-ASCII admonition title", '!!! note "Caf\u00e9 \u2013 \u00e9quipe"\n    Text.\n'),
    ("full-width other marks", "\uff01\uff01\uff01 note\n\nText.\n"),
]


@pytest.mark.parametrize(
    ("markdown", "line", "message"),
    [case[1:] for case in NEAR_MISSES],
    ids=[case[0] for case in NEAR_MISSES],
)
def test_near_misses_are_errors_at_their_line(markdown, line, message):
    found = find_internal(markdown)
    assert [p.line + 1 for p in found.problems] == [line], found
    assert message in found.problems[0].message
    # Through a page, both editions refuse it, at the line of the writer's file.
    text = f"---\ntitle: T\n---\n{markdown}"
    for edition in ("public", "internal"):
        page = analyse(text, "content/x.md", edition)
        assert [str(e).split(": ", 1)[0] for e in page.errors] == [f"content/x.md:{line + 3}"]


@pytest.mark.parametrize(
    "markdown", [case[1] for case in ACCEPTED], ids=[case[0] for case in ACCEPTED]
)
def test_accepted_markers_are_passages_removed_in_public(markdown):
    found = find_internal(markdown)
    assert found.problems == (), found
    assert len(found.passages) == 1
    public = strip_internal_passages(markdown)
    assert SECRET not in public
    assert len(public.splitlines()) == len(markdown.splitlines())


@pytest.mark.parametrize("markdown", [case[1] for case in TEXT], ids=[case[0] for case in TEXT])
def test_markers_in_code_and_prose_are_text(markdown):
    found = find_internal(markdown)
    assert found.passages == () and found.problems == ()
    assert strip_internal_passages(markdown) == markdown


def test_a_near_miss_inside_an_internal_passage_leaks_nothing_and_is_allowed():
    markdown = f'!!! internal\n    !!! note "Internal detail"\n        {SECRET}\n'
    assert find_internal(markdown).problems == ()
    assert SECRET not in strip_internal_passages(markdown)


def test_the_documented_markers_are_the_recognised_ones():
    for marker in MARKERS:
        assert find_internal(f"{marker}\n    {SECRET}\n").passages == ((0, 2),)


@pytest.mark.parametrize(
    ("front", "fragment"),
    [
        ("audience: Internal", "audience"),
        ("audience: INTERNAL", "audience"),
        ("audience: [internal]", "audience"),
        ("audience: agents", "audience"),
        ("audience:", "audience"),
        ("Audience: internal", "Audience"),
        ("internal: true", "internal"),
        ("audiance: internal", "audiance"),
        ("tags: [Internal]", "audience: internal"),
        ("tags: [billing, internal-only]", "audience: internal"),
    ],
)
def test_front_matter_audience_is_exact_or_an_error(front, fragment):
    """Never public by default: a value that is not exactly public or internal is an error."""
    page = analyse(f"---\ntitle: T\n{front}\n---\n# T\n", "content/x.md", "public")
    assert page.errors, front
    assert str(page.errors[0]).startswith("content/x.md:3: "), page.errors
    assert fragment in str(page.errors[0])


# --- real builds: both editions agree, and the build names the writer's file ----------------


ACCEPTED_PAGES = {
    "index.md": "# Home\n\nPublic home.\n",
    **{
        f"accepted-{n}.md": f"# Page {n}\n\nPublic text {n}.\n\n"
        + markdown.replace(SECRET, f"{SECRET}-{n}")
        for n, (_, markdown) in enumerate(ACCEPTED)
    },
}


@pytest.fixture(scope="module")
def both_editions(tmp_path_factory):
    root = tmp_path_factory.mktemp("markers")
    config = """\
site_name: Markers
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
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
"""
    from tests.conftest import ROOT

    cfg = write_project(root, ACCEPTED_PAGES, config.format(theme=ROOT / "theme"))
    for edition in ("public", "internal"):
        result = run_kb("build", "-f", str(cfg), "--edition", edition, cwd=root)
        assert result.exit_code == 0, result
    return root / "site", root / "site-internal"


@pytest.mark.parametrize("n", range(len(ACCEPTED)), ids=[case[0] for case in ACCEPTED])
def test_the_editions_agree_on_what_is_internal(both_editions, n):
    public, internal = both_editions
    secret = f"{SECRET}-{n}"
    page = f"accepted-{n}/index.html"
    internal_page = parse(internal / page)
    badged = internal_page.css(".admonition.internal, details.internal")
    # The internal edition badges exactly one passage, and the secret is inside it...
    assert len([b for b in badged if secret in b.text()]) >= 1
    article = internal_page.css_first("article").text()
    outside = article
    for node in badged:
        outside = outside.replace(node.text(), "")
    assert secret not in outside
    # ... and the public edition has the page without it.
    public_html = (public / page).read_text(encoding="utf-8")
    assert f"Public text {n}." in public_html
    assert secret not in public_html
    assert parse(public / page).css(".admonition.internal, details.internal") == []


BUILD_CASES = [
    ("capital", "!!! Internal\n    {s}\n", 5, "'!!! Internal' is not an internal passage marker"),
    ("blockquote", "> !!! internal\n>     {s}\n", 5, "inside a quote"),
    ("raw html", '<div class="internal" markdown>\n{s}\n</div>\n', 5, "raw HTML"),
    ("indented", "    !!! internal\n        {s}\n", 5, "not read as an internal passage"),
]


@pytest.mark.parametrize(
    ("markdown", "line", "message"),
    [c[1:] for c in BUILD_CASES],
    ids=[c[0] for c in BUILD_CASES],
)
def test_build_and_check_refuse_a_near_miss_at_the_writers_line(tmp_path, markdown, line, message):
    pages = {
        "index.md": "# Home\n",
        "guide.md": "# Guide\n\nIntro.\n\n" + markdown.format(s=SECRET),
    }
    cfg = write_project(tmp_path, pages)
    for args in (("build",), ("build", "--edition", "internal"), ("check",)):
        result = run_kb(*args, "-f", str(cfg), cwd=tmp_path)
        assert result.exit_code == 1, (args, result)
        assert f"content/guide.md:{line}: " in result.output, (args, result.output)
        assert message in result.output
        assert "Traceback" not in result.output
    assert not (tmp_path / "site").exists()


def test_a_near_miss_in_a_change_body_names_the_change_file(tmp_path):
    pages = {
        "index.md": "# Home\n",
        "_data/releases/2026.11.yml": (
            'version: "2026.11"\nstatus: released\ndate: 2026-11-10\nrollout: [2026-11-10]\n'
        ),
        "_data/changes/tool-aaaa1111.yml": (
            'title: Faster search\nkind: improvement\nrelease: "2026.11"\n'
            f"body: |\n  Faster.\n\n  !!! Internal\n      {SECRET}\n"
        ),
    }
    cfg = write_project(tmp_path, pages)
    for edition in ("public", "internal"):
        result = run_kb("build", "-f", str(cfg), "--edition", edition, cwd=tmp_path)
        assert result.exit_code == 1, result
        assert (
            "content/_data/changes/tool-aaaa1111.yml:7: '!!! Internal' is "
            "not an internal passage marker; write '!!! internal'"
        ) in result.output, result.output


def test_the_sites_own_rendering_decides_what_is_code(tmp_path):
    """Without superfences a fence inside an admonition is not code: the marker in it counts.

    With the demo's extensions the same lines are code, and text. The build checks against the
    site's own extensions, so both editions follow what MkDocs will render.
    """
    guide = f"# Guide\n\nIntro.\n\n!!! note\n    ```\n    !!! internal\n        {SECRET}\n    ```\n"
    cfg = write_project(tmp_path, {"index.md": "# Home\n", "guide.md": guide})  # no superfences
    for edition in ("public", "internal"):
        result = run_kb("build", "-f", str(cfg), "--edition", edition, cwd=tmp_path)
        assert result.exit_code == 0, result
    assert SECRET not in (tmp_path / "site" / "guide" / "index.html").read_text(encoding="utf-8")
    internal = parse(tmp_path / "site-internal" / "guide" / "index.html")
    assert SECRET in internal.css_first(".admonition.internal").text()
    assert find_internal(guide.split("\n", 4)[4]).passages == ()  # the demo's reading: code


def test_feed_and_calendar_leave_out_passages_of_bodies_and_summaries(tmp_path):
    """The feed renders bodies itself: it must get them from the same rule as the pages."""
    from kb_builder.families import releases
    from kb_builder.families.releases import pages as release_pages

    data_dir = tmp_path / "_data"
    (data_dir / "releases").mkdir(parents=True)
    (data_dir / "changes").mkdir()
    (data_dir / "releases" / "2026.11.yml").write_text(
        'version: "2026.11"\nstatus: released\ndate: 2026-11-10\nrollout: [2026-11-10]\n'
        f"summary: |\n  The November release.\n\n  ???+ internal\n      {SECRET}-summary\n"
    )
    (data_dir / "changes" / "x-aaaa1111.yml").write_text(
        'title: Faster\nkind: improvement\nrelease: "2026.11"\n'
        f"body: |\n  Faster.\n\n  !!! internal\n      {SECRET}-body\n"
    )
    data = releases.load(data_dir)
    public = {a.dest_uri: a.content for a in release_pages.assets(data, "public", None)}
    internal = {a.dest_uri: a.content for a in release_pages.assets(data, "internal", None)}
    assert b"Faster." in public["releases/feed.xml"]
    assert b"The November release." in public["releases/feed.xml"]
    for content in public.values():
        assert SECRET.encode() not in content
    assert f"{SECRET}-body".encode() in internal["releases/feed.xml"]
    assert f"{SECRET}-summary".encode() in internal["releases/feed.xml"]
    for page in release_pages.pages(data, "public"):
        assert SECRET not in page.markdown


def test_a_near_miss_in_a_quoted_summary_names_the_field_and_its_line(tmp_path):
    """A quoted or folded scalar does not keep the text's lines: the field's line, and which."""
    pages = {
        "index.md": "# Home\n",
        "_data/releases/2026.11.yml": (
            'version: "2026.11"\nstatus: released\ndate: 2026-11-10\nrollout: [2026-11-10]\n'
            f'summary: "November.\\n\\n!!! warning internal\\n    {SECRET}\\n"\n'
        ),
        # A released release needs a change, or the build stops at that first.
        "_data/changes/faster-aaaa0001.yml": (
            'title: Faster\nkind: improvement\nrelease: "2026.11"\n'
        ),
    }
    cfg = write_project(tmp_path, pages)
    result = run_kb("build", "-f", str(cfg), cwd=tmp_path)
    assert result.exit_code == 1, result
    assert (
        "content/_data/releases/2026.11.yml:5: 'summary', its line 3: '!!! warning internal' is "
        "not an internal passage marker"
    ) in result.output, result.output


# --- look-alike characters: the line scan, the rendering, and the last guard --------------


@pytest.mark.parametrize(
    ("written", "plain"),
    [
        ("\u0456nternal", "internal"),  # Cyrillic
        ("\u03b9\u03bd\u03c4\u03b5rnal", "ivterna" + "l"),  # Greek: nu reads as v
        ("\uff49\uff4e\uff54\uff45\uff52\uff4e\uff41\uff4c", "internal"),  # full-width
        ("\U0001d422nternal", "internal"),  # mathematical
        ("inter\u00adnal", "internal"),  # soft hyphen
        ("i\u0301nternal", "internal"),  # combining acute
        ("\uff01\uff01\uff01", "!!!"),
        ("plain ASCII stays", "plain ASCII stays"),
    ],
)
def test_skeleton_reads_text_as_it_looks(written, plain):
    assert skeleton(written) == plain


@pytest.mark.parametrize(
    "html",
    [
        '<div class="admonition \u0456nternal"><p class="admonition-title">T</p></div>',
        '<details class="\u6ce8\u610f"><summary>T</summary></details>',
        '<div class="admonition note"><p class="admonition-title">\u0406nternal</p></div>',
        '<p class="int\u0435rnal">x</p>',
        "<!-- \u0456nternal -->",
    ],
)
def test_the_last_guard_refuses_look_alike_and_non_ascii_admonitions(html):
    """The plugin's check of every rendered public page (`published_internal`)."""
    assert published_internal(html) is not None


def test_the_last_guard_accepts_ordinary_non_ascii_text():
    html = render('!!! note "Caf\u00e9"\n    Cr\u00e8me \u0456 \u2014 ok.\n')
    assert "admonition note" in html
    assert published_internal(html) is None


def test_the_rendering_would_publish_each_look_alike_as_an_admonition():
    """Why the line scan must refuse them: Python-Markdown renders the passage as a block
    whose class only looks internal, so the public edition would otherwise keep it."""
    html = render(f"!!! \u0456nternal\n    {SECRET}\n")
    assert "admonition \u0456nternal" in html and SECRET in html
    assert find_internal(f"!!! \u0456nternal\n    {SECRET}\n").problems


def test_a_look_alike_marker_in_a_change_body_names_the_change_file(tmp_path):
    """Change bodies go through the same rule: the error is at the YAML line, both editions."""
    pages = {
        "index.md": "# Home\n",
        "_data/releases/2026.11.yml": (
            'version: "2026.11"\nstatus: released\ndate: 2026-11-10\nrollout: [2026-11-10]\n'
        ),
        "_data/changes/tool-aaaa1111.yml": (
            'title: Faster search\nkind: improvement\nrelease: "2026.11"\n'
            f'body: |\n  Faster.\n\n  !!! \u0456nternal "For agents"\n      {SECRET}\n'
        ),
    }
    cfg = write_project(tmp_path, pages)
    for edition in ("public", "internal"):
        result = run_kb("build", "-f", str(cfg), "--edition", edition, cwd=tmp_path)
        assert result.exit_code == 1, result
        assert (
            "content/_data/changes/tool-aaaa1111.yml:7: '!!! \u0456nternal \"For agents\"' is an "
            "admonition whose type or class is not plain ASCII"
        ) in result.output, result.output
    assert not (tmp_path / "site").exists()
