"""Search records read from rendered pages (kb_builder.indexing.records), and shared helpers.

The helpers at the top turn a built site into search documents the way the MkDocs plugin does
from ``on_page_content``; the other search test modules import them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from kb_builder.families.releases.pages import repeats_others
from kb_builder.indexing.records import documents_from_page
from search.documents import Document
from search.index import rebuild
from tests.conftest import ROOT, run_kb

# What the plugin reads from front matter; here derived from the URL of the built page.
_KINDS = {
    "faq/": "faq",
    "releases/": "release",
    "releases/upcoming/": "release",
    "training/agenda/": "guide",
    "wiki/videos/getting-started-webinar/": "video",
    "wiki/videos/release-preview-webinar/": "video",
    # As the build says (kb_builder.build.rendering.search_kind): written pages are articles,
    # the glossary (an A-Z listing of terms) a listing, ranked below articles.
    "wiki/glossary/": "listing",
}


def page_title(html: str) -> str:
    """The title a page shows: its h1 (without the permalink), else its <title>."""
    tree = LexborHTMLParser(html)
    h1 = tree.css_first("article h1")
    if h1 is not None:
        for link in h1.css("a.headerlink"):
            link.decompose()
        return " ".join(h1.text(deep=True).split())
    title = tree.css_first("title")
    return title.text().split(" - ")[0].strip() if title is not None else ""


def site_documents(site: Path, *, audience: str = "public") -> list[Document]:
    """Every search record of a built site, page by page."""
    documents: list[Document] = []
    for path in sorted(site.rglob("index.html")):
        rel = path.parent.relative_to(site).as_posix()
        if rel.split("/")[0] in {"assets", "search"}:
            continue
        url = "" if rel == "." else f"{rel}/"
        # Pages the plugin keeps out of search (the pages by area copy the release pages).
        if repeats_others(f"{rel}.md"):
            continue
        html = path.read_text(encoding="utf-8")
        documents += documents_from_page(
            html,
            url=url,
            page_title=page_title(html),
            kind=_KINDS.get(url, "article"),
            audience=audience,
            section=url.split("/")[0],
            tags=[],
        )
    return documents


_DEMO_INDEXES: dict[Path, Path] = {}


def demo_index(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The public index of the built demo site (built once per test session; never modify)."""
    if site not in _DEMO_INDEXES:
        index_dir = tmp_path_factory.mktemp("demo-index") / "public"
        rebuild(index_dir, site_documents(site), edition="public")
        _DEMO_INDEXES[site] = index_dir
    return _DEMO_INDEXES[site]


# Tests ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_docs(demo_site) -> dict[str, Document]:
    return {d.id: d for d in site_documents(demo_site)}


def test_an_faq_page_gives_one_record_per_question_with_its_own_anchor(demo_docs):
    question = demo_docs["faq/#what-hours-is-telephone-support-available"]
    assert question.title == "What hours is telephone support available?"
    assert question.url == "faq/#what-hours-is-telephone-support-available"
    assert question.kind == "faq"
    assert question.page_title == "Customer Support FAQ"
    assert question.body.startswith("Telephone support is available to our Premium customers")
    # The answer stops at the back link: not a word of the next question.
    assert "Back to the questions" not in question.body
    assert "escalat" not in question.body.lower()
    faq_records = [d for d in demo_docs.values() if d.page_url == "faq/" and d.url != "faq/"]
    assert len(faq_records) == 8  # the seed's eight questions


def test_the_faq_page_record_holds_the_intro_and_the_questions_as_headings(demo_docs):
    page = demo_docs["faq/"]
    assert page.title == "Customer Support FAQ"
    assert page.body.startswith("Here are some of our customer support")
    assert "How do I launch a support ticket?" in page.headings
    # The generated list of questions (nav#questions) is navigation, not text.
    assert "How do I launch a support ticket?" not in page.body


def test_articles_give_one_record_per_section(demo_docs):
    section = demo_docs["support/critical-tickets/#after-hours"]
    assert section.title == "After hours"
    assert section.headings == ("How to launch a critical ticket",)
    assert "after-hours critical support address" in section.body
    assert section.kind == "article"
    page = demo_docs["support/critical-tickets/"]
    assert "After hours" in page.headings
    # The section's text is in its own record, not repeated in the page's.
    assert "after-hours critical support address" not in page.body


def test_permalinks_and_chrome_never_reach_the_text(demo_docs):
    for doc in demo_docs.values():
        assert "¶" not in doc.title + doc.body, doc.id
        assert "Link to this section" not in doc.body, doc.id
        assert "Back to the questions" not in doc.body, doc.id


def test_text_of_neighbouring_blocks_stays_apart():
    html = "<h1>T</h1><table><tr><td>Yes</td><td>No</td></tr></table><ul><li>a</li><li>b</li></ul>"
    (page,) = documents_from_page(
        html, url="x/", page_title="T", kind="article", audience="public", section="x", tags=[]
    )
    assert page.body == "Yes No a b"


def test_scripts_are_dropped_but_escaped_text_is_kept():
    html = (
        "<h1>T</h1><p>Type &lt;script&gt;alert(1)&lt;/script&gt; to test.</p>"
        "<script>var secret = 1;</script><style>p{}</style>"
    )
    (page,) = documents_from_page(
        html, url="x/", page_title="T", kind="article", audience="public", section="x", tags=[]
    )
    assert page.body == "Type <script>alert(1)</script> to test."
    assert "secret" not in page.body


def test_ids_and_hashes_are_stable_and_follow_the_content(demo_site):
    first = site_documents(demo_site)
    again = site_documents(demo_site)
    assert [(d.id, d.content_hash) for d in first] == [(d.id, d.content_hash) for d in again]
    assert len({d.id for d in first}) == len(first)
    doc = first[0]
    changed = Document(**{**doc.__dict__, "body": doc.body + " more", "content_hash": ""})
    assert changed.content_hash != doc.content_hash


def test_a_record_holding_an_internal_passage_is_internal_even_on_a_public_page():
    html = """
    <h1>Tickets</h1><p>Public intro.</p>
    <h2 id="triage">Triage</h2>
    <div class="admonition internal"><p class="admonition-title">For agents</p>
    <p>Page the escalation manager.</p></div>
    <h2 id="after">After</h2><p>Public text.</p>
    """
    docs = documents_from_page(
        html, url="t/", page_title="Tickets", kind="article", audience="public", section="t",
        tags=["support"],
    )  # fmt: skip
    audience = {d.id: d.audience for d in docs}
    assert audience == {"t/": "public", "t/#triage": "internal", "t/#after": "public"}


def test_lessons_of_the_training_agenda_are_lessons(demo_docs):
    lessons = [d for d in demo_docs.values() if d.kind == "lesson"]
    if not any(d.page_url == "training/agenda/" for d in lessons):
        pytest.skip("this build's agenda has no h3.kb-lesson headings")
    assert all(d.page_url == "training/agenda/" for d in lessons)


def test_empty_sections_are_headings_of_the_page_only():
    html = '<h1>R</h1><h2 id="past">Past releases</h2><h3 id="v1">1.0</h3><p>First.</p>'
    docs = documents_from_page(
        html, url="r/", page_title="R", kind="release", audience="public", section="r", tags=[]
    )
    assert [d.id for d in docs] == ["r/", "r/#v1"]
    assert docs[0].headings == ("Past releases", "1.0")
    assert docs[1].headings == ("R", "Past releases")


@pytest.fixture(scope="module")
def internal_site(tmp_path_factory) -> Path:
    """The demo's internal edition, built once for this module."""
    work = tmp_path_factory.mktemp("internal")
    project = work / "project"
    for name in ("content", "theme"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    result = run_kb("build", "--edition", "internal", "-d", str(work / "site"), cwd=project)
    assert result.exit_code == 0, result.output
    return work / "site"


def test_internal_text_never_reaches_a_public_index(internal_site, tmp_path):
    docs = [
        Document(**{**d.__dict__, "audience": "internal", "content_hash": ""})
        if d.page_url.startswith("internal/")
        else d
        for d in site_documents(internal_site)
    ]
    internal = [d for d in docs if d.audience == "internal"]
    # The agent notes page, and the public pages' "!!! internal" passages, are internal records.
    assert {d.page_url for d in internal} >= {"internal/agent-notes/", "faq/"}
    stats = rebuild(tmp_path / "public", docs, edition="public")
    assert stats.refused == len(internal)
    from search.query import search

    for secret in ("sentry", "after-hours-deferred", "escalation flag", "agent notes"):
        hits = search(tmp_path / "public", f'"{secret}"').hits
        assert hits == (), (secret, [h.url for h in hits])
    # The internal index keeps them.
    rebuild(tmp_path / "internal", docs, edition="internal")
    assert search(tmp_path / "internal", '"sentry"').hits
