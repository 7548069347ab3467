"""Text stays text: a real site built with hostile strings in every writer field.

The demo is copied into tmp_path and every field a writer fills is given a string full of
markup: front-matter titles and descriptions, a title from a page's first heading, site and
navigation names in mkdocs.yml, a FAQ question, a change's title and body, a release's title
and summary, training titles and exercises, support plan names. Every published page (and the
feed) is parsed: no injected element or attribute exists, no link uses a refused scheme, and
the strings appear as text, exactly as written, wherever the site shows them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from lxml import etree
from selectolax.lexbor import LexborHTMLParser

from kb_builder.core.text import link_problem
from tests.conftest import ROOT, copy_demo, run_kb

MARK = "kbinj"
# What a careless or hostile writer might type: tags, an event handler, quotes, an ampersand,
# an attribute list, an entity written out, and a link with a refused scheme as plain text.
HOSTILE = (
    f"Why <select> loses focus & \"quotes\" 'too' <b>{MARK}</b> <img src=x onerror=alert(1)> "
    '{: onclick="alert(2)" } &lt;i&gt; [x](javascript:alert(3))'
)
DESCRIPTION = f'A "described" & <i>{MARK}</i> page </title><script>alert(4)</script>'
SITE_NAME = f'Help & <b>{MARK}</b> "Centre"'
SECTION = f"Wiki <em>{MARK}</em> & more"
QUESTION = 'Why does `<select>` lose focus & "why"?'
QUESTION_TEXT = 'Why does <select> lose focus & "why"?'
HEADING_PAGE = "wiki/heading-title.md"
# Raw HTML in a page's own heading is the writer's markup, rendered in that heading; the
# title made from it is text everywhere else.
HEADING = "Heading `<select>` & <b>kbhead</b>"
HEADING_TEXT = "Heading <select> & kbhead"
EXERCISE = f'Practise <img src=x onerror=alert(5)> and <b>{MARK}</b> {{: onclick="alert(6)" }}'
# Raw HTML that would run script, load a document or send visitors elsewhere (red-team #38-#41
# and their class): refused in a writer's page, shown as text when it comes from data.
HOSTILE_TAGS = [
    '<iframe srcdoc="&lt;script&gt;alert(9)&lt;/script&gt;"></iframe>',
    "<script>alert(10)</script>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(11)">',
    '<base href="https://evil.example/">',
    "<svg><script>alert(12)</script></svg>",
    '<object data="x.html"></object>',
    '<form action="https://evil.example/"><button>Go</button></form>',
    '<link rel="import" href="x.html">',
    "<style>body { display: none }</style>",
    '<div style="width: expression(alert(13))">x</div>',
    '<noscript><p title="</noscript><img src=x onerror=alert(14)>"></noscript>',
]
DATA_TAGS = " ".join(HOSTILE_TAGS)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _front_matter(path: Path, **values: str) -> None:
    text = path.read_text(encoding="utf-8")
    for key, value in values.items():
        text, n = re.subn(rf"(?m)^{key}: .*$", f"{key}: {json.dumps(value)}", text, count=1)
        assert n == 1, (path, key)
    path.write_text(text, encoding="utf-8")


def _edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _hostile_project(root: Path) -> Path:
    project = root / "project"
    copy_demo(project, config=None)
    content = project / "content"
    _front_matter(content / "wiki" / "permits.md", title=HOSTILE, description=DESCRIPTION)
    (content / HEADING_PAGE).write_text(f"# {HEADING}\n\nA page titled by its heading.\n")
    faq = content / "faq" / "index.md"
    faq.write_text(
        faq.read_text(encoding="utf-8")
        + f"\n## {QUESTION}\n\nBecause {MARK} & <b>focus</b> moves.\n",
        encoding="utf-8",
    )
    (content / "_data" / "changes" / "hostile-change-aaaa0009.yml").write_text(
        yaml.safe_dump(
            {
                "title": HOSTILE,
                "kind": "fix",
                "body": f"Raw <script>alert(7)</script> and <b>{MARK}</b> {{: onclick=x }}.\n"
                f"\nAlso {DATA_TAGS}\n",
            }
        ),
        encoding="utf-8",
    )

    def release(data: dict) -> None:
        data["title"] = HOSTILE
        data["summary"] = f"Summary with <img src=x onerror=alert(8)> and <b>{MARK}</b>."

    _edit_yaml(content / "_data" / "releases" / "2026.11.yml", release)

    def training(data: dict) -> None:
        module = data["modules"][0]
        module["title"] = HOSTILE
        lesson = module["lessons"][0]
        lesson["title"] = HOSTILE
        lesson["exercise"] = EXERCISE
        data["modules"][0]["lessons"][1]["exercise"] = f"Tags as text: {DATA_TAGS}"

    _edit_yaml(content / "_data" / "training.yml", training)

    def support(data: dict) -> None:
        data["plans"][0]["name"] = f'Premium <b>{MARK}</b> & "Gold"'

    _edit_yaml(content / "_data" / "support.yml", support)

    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("site_name: OPS-COM Help Centre", f"site_name: {json.dumps(SITE_NAME)}")
    config = config.replace("  - Wiki:\n", f"  - {json.dumps(SECTION)}:\n")
    config = config.replace(
        "      - wiki/citations.md\n", f"      - wiki/citations.md\n      - {HEADING_PAGE}\n"
    )
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    project = _hostile_project(root)
    site = root / "site"
    result = run_kb("build", "-d", str(site), cwd=project)
    assert result.exit_code == 0, result.output
    return site


def _pages(site: Path) -> dict[str, LexborHTMLParser]:
    return {
        p.relative_to(site).as_posix(): LexborHTMLParser(p.read_text(encoding="utf-8"))
        for p in sorted(site.rglob("*.html"))
    }


def _texts(tree: LexborHTMLParser, selector: str) -> list[str]:
    return [_flat(node.text()).removesuffix("¶").rstrip() for node in tree.css(selector)]


def test_no_page_has_an_injected_element_attribute_or_link(hostile_site):
    pages = _pages(hostile_site)
    assert len(pages) > 20
    for name, tree in pages.items():
        for node in tree.root.traverse(include_text=False):
            for attr, value in node.attributes.items():
                assert not attr.lower().startswith("on"), (name, node.tag, attr)
                if attr in {"href", "src", "action", "formaction"} and value:
                    assert link_problem(value) is None, (name, node.tag, value)
            assert node.tag != "select", name
            assert not (node.tag == "img" and node.attributes.get("src") == "x"), name
            assert not (node.tag in {"b", "i", "em"} and MARK in node.text()), (name, node.html)
        for script in tree.css("script"):
            assert "alert(" not in script.text(), (name, script.text()[:200])


def test_hostile_tags_from_data_are_text_on_every_page_and_in_the_feed(hostile_site):
    """A change body and a lesson's exercise carry every hostile tag: none is an element."""
    pages = _pages(hostile_site)
    shown = 0
    for name, tree in pages.items():
        if '<base href="https://evil.example/">' not in tree.text():
            continue  # a page the data does not reach (the search page has its own form)
        shown += 1
        # The theme's own markup (the search box, its scripts) is outside the content.
        content = [n for root in tree.css(".md-content") for n in root.traverse(False)]
        for node in content:
            assert node.tag not in {"iframe", "base", "object", "form", "noscript"}, name
            if node.tag == "meta":
                assert (
                    "http-equiv" not in node.attributes
                    or "refresh" not in (node.attributes.get("http-equiv") or "").lower()
                ), name
            if node.tag in {"style", "script"}:
                assert "alert(" not in node.text() and "display: none" not in node.text(), name
            assert "expression(" not in (node.attributes.get("style") or ""), name
    assert shown >= 2, "the tags should appear as text on the release and agenda pages"
    feed = (hostile_site / "releases" / "feed.xml").read_text(encoding="utf-8")
    for entry in LexborHTMLParser(feed).css("content"):
        html = LexborHTMLParser(entry.text())
        assert not html.css("iframe, script, meta, base, svg, object, form, link, style")


def test_hostile_raw_html_in_a_page_is_refused_at_its_line(tmp_path):
    """The same tags written into a page of the demo: kb check and kb build refuse each."""
    project = tmp_path / "project"
    copy_demo(project)
    page = project / "content" / "wiki" / "reports.md"
    text = page.read_text(encoding="utf-8").rstrip("\n") + "\n"
    first = text.count("\n") + 2
    text += "".join(f"\n{tag}\n" for tag in HOSTILE_TAGS)
    text += '\n<img alt="x" src="https:/\\evil.example/y.png">\n'
    text += '\n[s](index.md){ style="background:url(https://evil.example/x.png)" }\n'
    page.write_text(text, encoding="utf-8")
    check = run_kb("check", cwd=project)
    assert check.exit_code == 1 and "Traceback" not in check.output, check.output
    located = {
        int(line.split(":")[1])
        for line in check.output.splitlines()
        if line.startswith("content/wiki/reports.md:")
    }
    expected = {first + 2 * i for i in range(len(HOSTILE_TAGS) + 2)}
    assert expected <= located, (sorted(expected - located), check.output)
    site = tmp_path / "site"
    build = run_kb("build", "-d", str(site), cwd=project)
    assert build.exit_code == 1 and f"content/wiki/reports.md:{first}: " in build.output
    assert not site.exists()


def test_front_matter_title_and_description_are_text_in_the_head(hostile_site):
    tree = _pages(hostile_site)["wiki/permits/index.html"]
    assert _texts(tree, "title") == [_flat(f"{HOSTILE} - {SITE_NAME}")]
    (meta,) = tree.css('meta[name="description"]')
    assert meta.attributes["content"] == DESCRIPTION
    # The header shows the page's title and the site's name, as text.
    assert _flat(HOSTILE) in _texts(tree, ".md-header__topic .md-ellipsis")
    assert _flat(SITE_NAME) in _texts(tree, ".md-header__topic .md-ellipsis")


def test_titles_are_text_in_navigation_breadcrumbs_and_footer(hostile_site):
    pages = _pages(hostile_site)
    permits_nav = [
        name
        for name, tree in pages.items()
        if _flat(HOSTILE) in _texts(tree, ".md-nav__link .md-ellipsis")
    ]
    assert len(permits_nav) > 3, permits_nav
    footers = [
        name
        for name, tree in pages.items()
        if _flat(HOSTILE) in _texts(tree, ".md-footer__title .md-ellipsis")
    ]
    assert len(footers) == 2, footers  # the pages before and after it
    for name in footers:
        (link,) = [
            a
            for a in pages[name].css("a.md-footer__link")
            if _flat(HOSTILE) in _flat(a.attributes.get("aria-label") or "")
        ]
        assert _flat(link.attributes["aria-label"]).endswith(_flat(HOSTILE))
    related = [n for n, t in pages.items() if _flat(HOSTILE) in _texts(t, ".kb-related a")]
    assert related, "the page is in no related list"
    tree = pages["wiki/permits/index.html"]
    assert _flat(SECTION) in _texts(tree, ".md-path__link")  # breadcrumbs
    assert _flat(SECTION) in _texts(tree, ".md-tabs__link")  # tabs


def test_a_title_from_the_first_heading_is_text_everywhere(hostile_site):
    pages = _pages(hostile_site)
    tree = pages["wiki/heading-title/index.html"]
    assert _texts(tree, "title") == [_flat(f"{HEADING_TEXT} - {SITE_NAME}")]
    assert any(
        _flat(HEADING_TEXT) in _texts(t, ".md-nav__link .md-ellipsis") for t in pages.values()
    )
    for name, t in pages.items():
        bold = [b for b in t.css("b") if "kbhead" in b.text()]
        expected = 1 if name == "wiki/heading-title/index.html" else 0
        assert len(bold) == expected, name
        assert all(b.parent.tag == "h1" for b in bold)
    # Never escaped twice (no '&amp;lt;' shown as '&lt;').
    for t in pages.values():
        assert "&lt;select" not in " ".join(_texts(t, ".md-nav__link, .md-footer__title"))


def test_faq_question_is_text_in_the_page_and_in_json_ld(hostile_site):
    tree = _pages(hostile_site)["faq/index.html"]
    assert QUESTION_TEXT in _texts(tree, "h2")
    assert QUESTION_TEXT in _texts(tree, "#questions a")
    (script,) = tree.css('script[type="application/ld+json"]')
    data = json.loads(script.text())
    names = [q["name"] for q in data["mainEntity"]]
    assert QUESTION_TEXT in names


def test_generated_pages_show_data_as_text(hostile_site):
    pages = _pages(hostile_site)
    upcoming = pages["releases/upcoming/index.html"]
    assert _flat(HOSTILE) in _texts(upcoming, "li strong")
    assert f"Raw <script>alert(7)</script> and <b>{MARK}</b> {{: onclick=x }}." in _texts(
        upcoming, "li p"
    )
    release = pages["releases/2026.11/index.html"]
    assert any(_flat(HOSTILE) in text for text in _texts(release, "h1, h2, p, strong"))
    agenda = pages["training/agenda/index.html"]
    assert any(text.endswith(_flat(HOSTILE)) for text in _texts(agenda, "h3"))
    assert any(text.endswith(_flat(HOSTILE)) for text in _texts(agenda, "h2"))
    # The table of contents lists the module's heading as text.
    toc = _texts(agenda, ".md-nav--secondary .md-nav__link")
    assert any(text.endswith(_flat(HOSTILE)) for text in toc), toc
    assert any(_flat(EXERCISE) in text for text in _texts(agenda, "p"))
    support = pages["support/plans-and-hours/index.html"]
    plan = f'Premium <b>{MARK}</b> & "Gold"'
    assert any(plan in t for t in _texts(support, "th, td, li"))
    # Front matter made from data: the description names the plan as written, escaped once.
    (meta,) = support.css('meta[name="description"]')
    assert plan in meta.attributes["content"]
    # The lesson box on the page the lesson links to (theme/main.html).
    lesson_box = pages["wiki/preview-environment/index.html"]
    assert any(t.endswith(_flat(HOSTILE)) for t in _texts(lesson_box, ".kb-lesson-nav a"))


def test_the_feed_carries_titles_as_text(hostile_site):
    feed = etree.fromstring((hostile_site / "releases" / "feed.xml").read_bytes())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [t.text for t in feed.iterfind("a:entry/a:title", ns)]
    assert any(t and t.endswith(HOSTILE) for t in titles), titles
    for content in feed.iterfind("a:entry/a:content", ns):
        html = LexborHTMLParser(content.text or "")
        for node in html.root.traverse(include_text=False):
            assert not any(a.lower().startswith("on") for a in node.attributes), node.html
            assert node.tag not in {"img", "script"}, node.html


def test_a_z_listing_shows_titles_as_text(build_site):
    title = f'A <b>{MARK}</b> & "q" [x](javascript:alert(1)) {{: onclick=x }}'
    pages = {
        "index.md": "# Home\n",
        "many/index.md": "# Many\n",
        **{
            f"many/p{i}.md": f"---\ntitle: {json.dumps(title + str(i))}\n---\n\nText.\n"
            for i in range(4)
        },
    }
    config = (
        "site_name: Test\ndocs_dir: content\ntheme:\n  name: material\n"
        f"  custom_dir: {ROOT / 'theme'}\n  font: false\nplugins:\n  - kb:\n"
        "      nav_section_limit: 2\nmarkdown_extensions:\n  - attr_list\n  - toc\n"
    )
    result, site = build_site(pages, config)
    assert result.exit_code == 0, result.output
    tree = LexborHTMLParser((site / "many" / "index.html").read_text(encoding="utf-8"))
    links = [_flat(a.text()) for a in tree.css("article li a")]
    assert [t for t in links if t.startswith("A ")] == [_flat(title + str(i)) for i in range(4)]
    for node in tree.root.traverse(include_text=False):
        assert not any(a.startswith("on") for a in node.attributes)
        assert not (node.tag == "b" and MARK in node.text())


@pytest.mark.browser
def test_no_script_runs_in_a_real_browser(hostile_site, page):
    """Chromium opens the pages that show hostile strings: no dialog, no script error."""
    from tests.helpers.browser import serve_directory

    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    paths = [
        "wiki/permits/",
        "wiki/heading-title/",
        "faq/",
        "releases/upcoming/",
        "releases/2026.11/",
        "training/agenda/",
        "support/plans-and-hours/",
        "wiki/preview-environment/",
    ]
    with serve_directory(hostile_site) as url:
        for path in paths:
            page.goto(f"{url}/{path}", wait_until="load")
            # Fire the events an injected handler would hang on, on every element of the page.
            page.evaluate(
                """() => document.querySelectorAll("body *").forEach((node) =>
                  ["mouseover", "mouseenter", "focus", "load", "error"].forEach((type) =>
                    node.dispatchEvent(new Event(type))))"""
            )
            assert page.title() != ""
    assert dialogs == []
    assert page.js_errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "setting",
    [
        "nav:\n  - Home: index.md\n  - Evil: 'JavaScript:alert(1)'\n",
        "extra:\n  social:\n    - icon: fontawesome/brands/github\n"
        "      link: 'data:text/html,<script>alert(1)</script>'\n",
    ],
)
def test_links_in_mkdocs_yml_are_allow_listed_too(build_site, setting):
    from tests.conftest import MINIMAL_CONFIG

    config = MINIMAL_CONFIG.format(theme=ROOT / "theme") + setting
    line = config.splitlines().index(setting.splitlines()[-1]) + 1
    result, site = build_site({"index.md": "# Home\n"}, config)
    assert result.exit_code == 1 and result.exception is None, result
    assert f"mkdocs.yml:{line}: links to '" in result.output, result.output
    assert "http:, https:, mailto: or tel:" in result.output
    assert not site.exists()
