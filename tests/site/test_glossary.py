"""The glossary family (_data/glossary.yml): the page, the tooltips, the synonyms, the editions.

Its bad inputs (each located at the YAML line, by kb check and kb build alike) are the
``glossary-*`` cases of tests/bad_inputs/; the canaries are in tests/site/test_glossary_canaries.py.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from kb_builder.core.project import DATA_DIR
from kb_builder.families import data as site_data
from kb_builder.families.glossary import loader
from kb_builder.families.glossary import pages as glossary_pages
from kb_builder.families.registry import family
from kb_builder.indexing.synonyms import site_synonyms
from tests.conftest import MINIMAL_CONFIG, ROOT, run_kb

GLOSSARY = family("glossary")

VALID = """\
terms:
  - term: Preview environment
    definition: A separate copy of OPS-COM for **testing** and training.
    client_words: [sandbox, test site]
    see: wiki/preview.md
  - term: Écran
    definition: A screen.
  - term: citation
    definition: The record that a vehicle broke a parking rule.
    client_words: [parking ticket]
  - term: Night desk
    audience: internal
    definition: The on-call agents who triage after-hours email.
    client_words: [on-call rota]
    see: internal/rota.md
  - term: Appeal
    definition: A request to cancel a citation.
"""
KNOWN = {"index.md", "wiki/preview.md", "internal/rota.md"}


def write(tmp_path: Path, text: str) -> Path:
    data = tmp_path / "_data"
    data.mkdir(parents=True, exist_ok=True)
    (data / "glossary.yml").write_text(textwrap.dedent(text), encoding="utf-8")
    return data


def load(tmp_path: Path, text: str = VALID) -> loader.Glossary:
    glossary, errors = loader.read(write(tmp_path, text), KNOWN)
    assert errors == [] and glossary is not None
    return glossary


def page_markdown(glossary: loader.Glossary, edition: str) -> str:
    (page,) = glossary_pages.pages(glossary, edition, {"wiki/preview.md": "The preview"})
    return page.markdown


def anchors(markdown: str) -> dict[str, str]:
    """Term heading -> its explicit anchor, as the page writes them."""
    return dict(re.findall(r"^## (.+?) \{ #(\S+) \.kb-glossary-term \}$", markdown, re.M))


# --- the model and the loader ---------------------------------------------------------------


def test_the_demo_glossary_is_valid_and_registered():
    content = ROOT / "content"
    written = {p.relative_to(content).as_posix() for p in content.rglob("*.md")}
    models, errors = site_data.read_all(content, written)
    assert errors == []
    glossary = models["glossary"]
    assert len(glossary.terms) >= 12
    assert {t.audience for t in glossary.terms} == {"public", "internal"}
    words = {t.term for t in glossary.terms}
    assert {"Permit", "Citation", "Preview environment", "Premium", "Standard Plus"} <= words
    assert glossary.file.page in site_data.generated_uris(content / DATA_DIR)
    # The demo's glossary page joins the Wiki section (the nav does not name it).
    assert glossary.file.page == "wiki/glossary.md"


def test_no_glossary_is_fine(tmp_path):
    assert not GLOSSARY.present(tmp_path)
    assert loader.read(tmp_path, KNOWN) == (None, [])


def test_links_are_checked_only_by_callers_that_know_the_pages(tmp_path):
    """Search synonyms read the glossary without the site's pages: they still get its words."""
    text = VALID.replace("see: wiki/preview.md", "see: wiki/nowhere.md")
    data = write(tmp_path, text)
    assert loader.read(data, KNOWN)[0] is None
    glossary, errors = loader.read(data, ())
    assert errors == [] and glossary is not None


def test_the_page_can_be_published_elsewhere_and_is_known_even_when_broken(tmp_path):
    data = write(tmp_path, "page: help/words.md\nterms: [oops]\n")
    assert GLOSSARY.generated_uris(data) == {"help/words.md"}
    data = write(tmp_path, "terms: {}\n")
    assert GLOSSARY.generated_uris(data) == {"glossary.md"}


# --- the page -------------------------------------------------------------------------------


def test_terms_are_listed_a_to_z_whatever_their_case_and_accents(tmp_path):
    headings = list(anchors(page_markdown(load(tmp_path), "internal")))
    assert headings == ["Appeal", "citation", "Écran", "Night desk", "Preview environment"]


def test_anchors_are_the_terms_slugs_and_do_not_change_when_terms_are_reordered(tmp_path):
    glossary = load(tmp_path)
    before = page_markdown(glossary, "internal")
    assert anchors(before) == {
        "Appeal": "appeal",
        "citation": "citation",
        "Écran": "écran",
        "Night desk": "night-desk",
        "Preview environment": "preview-environment",
    }
    # The same terms in the opposite order (and one term more): every anchor is kept.
    blocks = re.split(r"(?m)^(?=  - term: )", VALID.split("terms:\n", 1)[1])
    extra = "  - term: Zone\n    definition: An area of lots.\n"
    reordered = "terms:\n" + extra + "".join(reversed([b for b in blocks if b]))
    after = page_markdown(load(tmp_path / "other", reordered), "internal")
    assert {t: a for t, a in anchors(after).items() if t != "Zone"} == anchors(before)
    assert anchors(after)["Zone"] == "zone"


def test_a_reordered_file_gives_the_same_page(tmp_path):
    blocks = re.split(r"(?m)^(?=  - term: )", VALID.split("terms:\n", 1)[1])
    reordered = "terms:\n" + "".join(reversed([b for b in blocks if b]))
    for edition in ("public", "internal"):
        assert page_markdown(load(tmp_path / "a"), edition) == page_markdown(
            load(tmp_path / "b", reordered), edition
        )


def test_each_entry_has_its_definition_client_words_and_link(tmp_path):
    markdown = page_markdown(load(tmp_path), "public")
    entry = markdown[markdown.index("## Preview environment") :]
    assert "A separate copy of OPS-COM for **testing** and training." in entry
    assert "**Also called:** sandbox, test site" in entry
    assert "**Read more:** [The preview](<wiki/preview.md>)" in entry


def test_internal_terms_are_only_in_the_internal_edition(tmp_path):
    glossary = load(tmp_path)
    public, internal = page_markdown(glossary, "public"), page_markdown(glossary, "internal")
    for text in ("Night desk", "on-call", "after-hours email", "rota"):
        assert text not in public and text in internal
    night = internal[internal.index("## Night desk") :]
    assert '<span class="kb-badge">Internal</span>' in night.split("\n## ", 1)[0]


def test_a_public_term_linking_to_an_internal_page_is_refused_in_the_public_edition(tmp_path):
    text = VALID.replace("  - term: Night desk\n    audience: internal\n", "  - term: Night desk\n")
    glossary = load(tmp_path, text)
    internal_pages = frozenset({"internal/rota.md"})
    (error,) = glossary_pages.edition_errors(glossary, "public", internal_pages)
    assert error.line == 14 and "an internal page" in error.message
    assert glossary_pages.edition_errors(glossary, "internal", internal_pages) == []


# --- tooltips -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("definition", "tooltip"),
    [
        ("A **bold** and *em* [link](https://example.com) `code`.", "A bold and em link code."),
        (
            'Fast & <b>raw</b> {: onclick=alert(1) } "quoted"',
            'Fast & <b>raw</b> {: onclick=alert(1) } "quoted"',
        ),
        ("First sentence. Second sentence.", "First sentence."),
        ("Open 9 a.m. to 5 p.m. on weekdays. Closed later.", "Open 9 a.m. to 5 p.m. on weekdays."),
        ("- one\n- two", "one two"),
        ("Tab\there\u200band\x85there", "Tab here and there"),
    ],
)
def test_tooltips_are_one_line_of_plain_text(definition, tooltip):
    assert glossary_pages.plain_definition(definition) == tooltip


def test_long_definitions_are_cut_at_a_word():
    long = "word " * 100
    cut = glossary_pages.plain_definition(long)
    assert len(cut) <= glossary_pages.TOOLTIP_LENGTH and cut.endswith("word…")
    sentence = "A first sentence that is much too long " * 6 + ". The second."
    assert glossary_pages.plain_definition(sentence).endswith("…")


def test_only_the_terms_a_page_mentions_get_a_line(tmp_path):
    glossary = load(tmp_path)
    body = (
        "# Testing\n\nUse your Preview environment, or your preview\nenvironment.\n\n"
        "A citation, not `appeal` (code) nor appeals (another word).\n\n"
        "```\nNight desk\n```\n"
    )
    result = glossary_pages.with_abbreviations(glossary, body, "internal")
    # After a blank line, one line per spelling (the one split over two lines cannot match).
    assert result == body.rstrip("\n") + (
        "\n\n*[[Preview environment]]: A separate copy of OPS-COM for testing and training.\n"
        "*[[citation]]: The record that a vehicle broke a parking rule.\n"
    )
    assert glossary_pages.with_abbreviations(glossary, "# Nothing\n\nAt all.\n", "public") == (
        "# Nothing\n\nAt all.\n"
    )


def test_an_internal_term_gets_no_tooltip_in_the_public_edition(tmp_path):
    glossary = load(tmp_path)
    body = "# Hours\n\nThe night desk answers.\n"
    assert glossary_pages.abbreviations(glossary, body, "public") == []
    assert glossary_pages.abbreviations(glossary, body, "internal") == [
        ("night desk", "The on-call agents who triage after-hours email.")
    ]


def render(markdown_text: str, extensions=("kb_builder.families.glossary.tooltips",)) -> str:
    import markdown

    return markdown.markdown(markdown_text, extensions=list(extensions))


def test_the_tooltips_extension_marks_prose_only():
    html = render(
        "# The preview environment\n\n"
        "Your preview environment, not [preview environment](x.md), nor `preview environment`.\n\n"
        "- A preview environment in a list, **preview environment** in bold.\n\n"
        '*[[preview environment]]: A copy & "more" <b>.\n'
    )
    title = 'title="A copy &amp; &quot;more&quot; &lt;b&gt;."'
    assert html.count(f"<abbr {title}>preview environment</abbr>") == 3
    assert "<h1>The preview environment</h1>" in html
    assert '<a href="x.md">preview environment</a>' in html
    assert "<code>preview environment</code>" in html
    assert "*[[" not in html


def test_the_tooltips_extension_leaves_writers_abbreviations_to_abbr():
    text = "HTML and the sandbox.\n\n*[HTML]: Hypertext\n*[[sandbox]]: A test site\n"
    html = render(text, ("abbr", "kb_builder.families.glossary.tooltips"))
    assert '<abbr title="Hypertext">HTML</abbr>' in html
    assert '<abbr title="A test site">sandbox</abbr>' in html and "*[" not in html
    # Without this extension, abbr alone still removes the glossary's lines.
    assert "*[" not in render(text, ("abbr",))


# --- synonyms -------------------------------------------------------------------------------


def test_client_words_are_synonyms_of_their_term_in_their_edition(tmp_path):
    glossary = load(tmp_path)
    public = GLOSSARY.synonyms(glossary, "public")
    assert public == {
        "sandbox": ("Preview environment",),
        "test site": ("Preview environment",),
        "parking ticket": ("citation",),
    }
    internal = GLOSSARY.synonyms(glossary, "internal")
    assert internal == {**public, "on-call rota": ("Night desk",)}


def test_the_site_synonyms_take_the_glossary_and_the_writers_file_wins(tmp_path):
    data = write(tmp_path, VALID)
    (data / "synonyms.yml").write_text("synonyms:\n  sandbox: [preview environment, training]\n")
    public, errors = site_synonyms(data, "public")
    assert errors == []
    assert public["sandbox"] == ("preview environment", "training")
    assert public["parking ticket"] == ("citation",) and "on-call rota" not in public
    internal, _ = site_synonyms(data, "internal")
    assert internal["on-call rota"] == ("Night desk",)


# --- in a built site ------------------------------------------------------------------------


def _main(html: str) -> str:
    node = LexborHTMLParser(html).css_first("article")
    return node.html if node else ""


def test_the_demo_pages_show_tooltips_for_the_terms_they_mention(demo_site):
    html = (demo_site / "wiki" / "preview-environment" / "index.html").read_text()
    tree = LexborHTMLParser(html)
    titles = {node.text(): node.attributes.get("title") for node in tree.css("article abbr")}
    assert titles["preview environment"] == (
        "A separate copy of OPS-COM for your organization, with its own address and data, for "
        "testing and training."
    )
    assert '<abbr title="A separate copy of OPS-COM' in html
    assert ">preview environment</abbr>" in html
    # Headings keep their anchors; the abbreviation lines themselves are never shown.
    assert tree.css_first("h1").attributes["id"] == "the-preview-environment"
    assert "*[" not in html


def test_the_demo_glossary_page(demo_site, demo_internal_site):
    html = (demo_site / "wiki" / "glossary" / "index.html").read_text()
    tree = LexborHTMLParser(html)
    ids = [h.attributes["id"] for h in tree.css("article h2.kb-glossary-term")]
    assert ids == sorted(ids) and {"permit", "preview-environment", "standard-plus"} <= set(ids)
    assert "Also called:" in html and "parking decal" in html
    assert "night-desk" not in ids
    internal = LexborHTMLParser(
        (demo_internal_site / "wiki" / "glossary" / "index.html").read_text()
    )
    assert "night-desk" in [h.attributes["id"] for h in internal.css("h2.kb-glossary-term")]
    # The internal page that names the internal term shows its tooltip (internal edition only).
    notes = (demo_internal_site / "internal" / "agent-notes" / "index.html").read_text()
    assert '<abbr title="The rota of on-call agents' in notes and ">Night desk</abbr>" in notes
    # In the Wiki section's navigation.
    wiki = (demo_site / "wiki" / "index.html").read_text()
    assert 'href="glossary/"' in wiki


def test_the_public_demo_never_holds_the_internal_term(demo_site, demo_internal_site):
    glossary, _ = loader.read(ROOT / "content" / DATA_DIR, ())
    (night,) = [t for t in glossary.terms if t.audience == "internal"]
    secrets = [night.term, *night.client_words, glossary_pages.plain_definition(night.definition)]
    secrets = [s.lower().encode() for s in secrets]
    found = {
        path.relative_to(demo_site).as_posix()
        for path in demo_site.rglob("*")
        if path.is_file() and any(s in path.read_bytes().lower() for s in secrets)
    }
    assert found == set()
    internal = b"".join(p.read_bytes().lower() for p in demo_internal_site.rglob("*.html"))
    assert all(s in internal for s in secrets)


def _search(site: Path, query: str, edition: str = "public") -> list[str]:
    project = site.parent / "project"
    result = run_kb("search", query, "--json", "--edition", edition, "--limit", "10", cwd=project)
    assert result.exit_code == 0, result
    return [hit["url"] for hit in json.loads(result.output)["hits"]]


def test_a_client_word_alone_finds_the_terms_pages(demo_site):
    # "showstopper" is written nowhere but in the glossary: apart from the glossary's own
    # record of the term, only its synonym (critical issue) can find these pages.
    urls = _search(demo_site, "showstopper")
    assert urls, urls
    articles = [u for u in urls if not u.startswith("wiki/glossary/")][:3]
    for url in articles:
        text = (demo_site / url.split("#")[0] / "index.html").read_text().lower()
        assert "showstopper" not in text and "critical" in text, url
    assert any(u.startswith(("support/critical-tickets/", "faq/#what-after")) for u in urls[:3])


def test_the_glossary_is_a_result_for_its_words_never_before_the_article(demo_site):
    """One record per term, ranked as a listing (search.definition.KIND_BOOSTS): it answers
    questions about the words, and a client word still leads first to the article."""
    assert _search(demo_site, "glossary")[0] == "wiki/glossary/"
    assert _search(demo_site, "what is a hotfix")[0] == "wiki/glossary/#hotfix"
    assert _search(demo_site, "sandbox")[0].startswith("wiki/preview-environment/")
    assert _search(demo_site, "standard plus")[0].split("#")[0] != "wiki/glossary/"


def test_the_internal_terms_client_words_find_it_only_internally(demo_site, demo_internal_site):
    # The agents' notes name the Night desk; "on-call rota" leads there, internally.
    internal = _search(demo_internal_site, "rota", "internal")
    assert any(u.startswith("internal/agent-notes/") for u in internal), internal
    assert _search(demo_site, "rota") == []


def test_the_browser_index_has_the_public_client_words_only(demo_site, demo_internal_site):
    def manifest(site: Path) -> str:
        return (site / "assets" / "kb-search" / "manifest.js").read_text()

    public, internal = manifest(demo_site), manifest(demo_internal_site)
    assert '[["showstopp"],[["critical","issue"]]]' in public
    assert '"rota"' not in public and '"rota"' in internal
    index = (demo_site / "assets" / "kb-search").rglob("*")
    files = b"".join(p.read_bytes() for p in index if p.is_file())
    assert b"rota" not in files.lower()


def test_a_tooltip_escapes_what_the_definition_says(build_site):
    glossary = """\
    terms:
      - term: Preview environment
        definition: >-
          Fast & "quoted" <script>alert(1)</script> *em* [x](https://example.com)
          {: onclick=alert(2) }
    """
    result, site = build_site(
        {
            "index.md": "# Home\n\nYour preview environment.\n",
            "_data/glossary.yml": glossary,
        },
        MINIMAL_CONFIG.format(theme=ROOT / "theme"),
    )
    assert result.exit_code == 0, result
    html = (site / "index.html").read_text()
    tree = LexborHTMLParser(_main(html))
    (abbr,) = tree.css("abbr")
    assert abbr.text() == "preview environment"
    assert abbr.attributes["title"] == (
        'Fast & "quoted" <script>alert(1)</script> em x {: onclick=alert(2) }'
    )
    assert tree.css("script") == [] and "onclick" not in [
        a for node in tree.css("*") for a in node.attributes
    ]
    # The glossary page (glossary.md by default) shows the same text, escaped.
    page = LexborHTMLParser(_main((site / "glossary" / "index.html").read_text()))
    assert page.css("article script") == [] and "<script>alert(1)</script>" in page.text()


def test_a_term_may_point_at_a_page_a_later_family_generates(tmp_path):
    """The agenda is generated after the glossary; build and check both accept the link."""
    from tests.conftest import write_project

    training = """\
    modules:
      - id: basics
        title: Basics
        lessons:
          - id: one
            title: One
            minutes: 10
            objective: Learn one.
            page: index.md
    """
    glossary = """\
    terms:
      - term: Agenda
        definition: The self-guided training, lesson by lesson.
        see: training/agenda.md
    """
    pages = {"index.md": "# Home\n\nThe agenda.\n", "_data/training.yml": training}
    write_project(tmp_path, {**pages, "_data/glossary.yml": glossary})
    assert run_kb("check", cwd=tmp_path).exit_code == 0
    result = run_kb("build", cwd=tmp_path)
    assert result.exit_code == 0, result
    html = (tmp_path / "site" / "glossary" / "index.html").read_text()
    assert 'href="../training/agenda/"' in html
