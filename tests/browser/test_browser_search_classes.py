"""The browser engine follows the 2026-12-02 ranking rules exactly as `kb search` does:
overlapping synonym phrases (the best cover, the later phrase on a tie), pronouns skipped,
lessons and the glossary's records below the articles, plan comparisons. Both executors are
asked the same questions on the built demo and must give the same pages in the same order.
"""

from __future__ import annotations

import pytest

from kb_builder.indexing.synonyms import load_site_synonyms
from search.query import search
from tests.conftest import ROOT

QUESTIONS = [
    "new staff member",
    "which role for our new staff member",
    "can they share their screen with me",
    "she forgot her password",
    "set up a new user account for a colleague",
    "glossary",
    "meaning of hotfix",
    "sandbox",
    "standard plus versus premium",
    "what plan should we pick",
    "premium benefits",
]


def _pages(urls: list[str]) -> list[str]:
    out: list[str] = []
    for url in urls:
        page = url.split("#")[0]
        if page not in out:
            out.append(page)
    return out[:3]


@pytest.mark.browser
def test_the_browser_ranks_the_new_classes_like_kb_search(demo_site, demo_url, page):
    synonyms = load_site_synonyms(ROOT / "content" / "_data", "public")
    index_dir = demo_site.parent / "project" / ".kb" / "index" / "public"
    page.goto(demo_url + "wiki/permits/")
    page.evaluate("kbSearch.ready")
    differ = {}
    for q in QUESTIONS:
        browser = page.evaluate("q => kbSearch.query(q, {limit: 10})", q)
        mine = _pages([r["url"] for r in browser["results"]])
        theirs = _pages([h.url for h in search(index_dir, q, synonyms=synonyms).hits])
        if mine != theirs:
            differ[q] = (mine, theirs)
    assert not differ, differ
    assert not page.js_errors
