"""Material's search box, fed the synonyms and FAQ boosts: unit tests and the demo's checks."""

from urllib.parse import urlsplit

import pytest

from kb_builder.browser_search import KEYWORDS_FIELD, enrich
from kb_builder.search_checks import read_checks
from tests.browser import serve_directory
from tests.conftest import ROOT


def test_enrich_adds_client_words_and_faq_boosts():
    index = {
        "config": {"fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}}},
        "docs": [
            {
                "location": "wiki/preview/",
                "title": "The preview environment",
                "text": "<p>Your preview environment is a copy.</p>",
            },
            {
                "location": "faq/#q",
                "title": "Can I test?",
                "text": "Yes, in the preview environment.",
            },
            {"location": "wiki/other/", "title": "Other", "text": "Nothing related."},
        ],
    }
    enrich(index, {"sandbox": ("preview environment",), "phone": ("telephone",)}, {"faq/#q"})
    assert KEYWORDS_FIELD in index["config"]["fields"]
    page, faq, other = index["docs"]
    # Title and text mentions: the page about it carries the client's word most.
    assert page[KEYWORDS_FIELD].split().count("sandbox") > faq[KEYWORDS_FIELD].split().count(
        "sandbox"
    )
    assert other[KEYWORDS_FIELD] == ""
    assert faq["boost"] > 1 and "boost" not in page


# Where Material's in-browser search (lunr) does not put the answer in its top 3 although
# `kb search` (Whoosh) does. Listed, not hidden: a change in this set fails the test.
KNOWN_DISAGREEMENTS = {
    # lunr has no typo tolerance; kb search corrects the spelling.
    "escalaton process": "misspelt",
    # The generated guides, which also answer the question, outrank the FAQ answer.
    "launch a support ticket": "guides rank first",
    "report a problem": "guides rank first",
    "site down on the weekend": "guides rank first",
    "who do i call on saturday": "guides rank first",
    "who answers my tickets": "guides rank first",
    "more training hours": "guides rank first",
    # Phrases whose words are all common across pages ("log in", "new", "portal").
    "nobody can log in": "common words",
    "when do we get the new permit portal": "common words",
}


def top_pages(page, query: str) -> list[str]:
    page.fill("input.md-search__input", query)
    page.press("input.md-search__input", "End")  # Material searches on keyup
    page.wait_for_timeout(500)
    try:
        page.locator(".md-search-result__item").first.wait_for(timeout=3000)
    except Exception:
        return []
    hrefs = page.evaluate(
        """() => [...document.querySelectorAll('.md-search-result__item')].slice(0, 3)
            .map(li => li.querySelector('a.md-search-result__link').getAttribute('href'))"""
    )
    return [
        urlsplit(h).path.strip("/").removeprefix(urlsplit(page.url).path.strip("/")).strip("/")
        for h in hrefs
    ]


@pytest.mark.browser
def test_search_box_answers_the_demo_checks(page, demo_site):
    checks, errors = read_checks(ROOT / "content" / "_data")
    assert errors == [] and len(checks) >= 25
    disagreements = {}
    with serve_directory(demo_site) as url:
        page.goto(url)
        for check in checks:
            if check.edition not in (None, "public"):
                continue
            want = urlsplit(check.expect).path.strip("/")
            found = top_pages(page, check.query)
            if want not in found:
                disagreements[check.query] = found
    assert set(disagreements) == set(KNOWN_DISAGREEMENTS), disagreements
    answered = len([c for c in checks if c.edition in (None, "public")]) - len(disagreements)
    assert answered >= 24
