"""Queries in clients' words against the demo help centre's real index (search.query)."""

from __future__ import annotations

import re

import pytest

from kb_builder.indexing.synonyms import load_synonyms
from search.documents import Document
from search.index import open_index, rebuild
from search.query import (
    MAX_LIMIT,
    MAX_QUERY_CHARS,
    PER_PAGE,
    Synonyms,
    _plan,
    search,
    suggest,
    tokenize,
)
from tests.conftest import ROOT
from tests.site.test_search_documents import demo_index

SYNONYMS = load_synonyms(ROOT / "content" / "_data")


@pytest.fixture(scope="module")
def index(demo_site, tmp_path_factory):
    return demo_index(demo_site, tmp_path_factory)


def urls(results, n: int = 3) -> list[str]:
    return [h.url for h in results.hits[:n]]


def pages(results, n: int = 3) -> list[str]:
    return [h.url.split("#")[0] for h in results.hits[:n]]


# Synonyms -----------------------------------------------------------------------------------


def test_a_client_word_finds_the_page_written_in_the_vendors_words(index):
    # No article says "sandbox" (the glossary's "Also called" does: this index has no synonyms).
    assert "wiki/preview-environment/" not in pages(search(index, "sandbox"), 10)
    results = search(index, "sandbox", synonyms=SYNONYMS)
    assert "wiki/preview-environment/" in pages(results)


def test_multi_word_client_phrases_match_whatever_the_small_words(index):
    synonyms = {"system is down": "critical outage", "at night": "after hours"}
    found = []
    for q in ("my system is down at night", "the systems were down at night"):
        results = search(index, q, synonyms=synonyms, limit=10)
        assert "support/critical-tickets/" in pages(results, 10), (q, urls(results))
        found.append(urls(results, 10))
    # The same rules matched both phrasings, so they give the same results.
    assert found[0] == found[1]
    # With the real synonyms (several phrases each), the critical-ticket guide is in the top 3.
    results = search(index, "my system is down at night", synonyms=SYNONYMS)
    assert "support/critical-tickets/" in pages(results), urls(results)


def test_synonyms_apply_at_query_time_without_a_reindex(index):
    assert search(index, "zorblax").total == 0
    results = search(index, "zorblax", synonyms={"zorblax": "telephone"})
    assert results.hits and "telephone" in results.hits[0].snippet_html.lower()


def test_the_telephone_faq_answer_ranks_first_for_phone_hours(index):
    results = search(index, "phone hours", synonyms=SYNONYMS)
    assert urls(results, 1) == ["faq/#what-hours-is-telephone-support-available"]


def test_compiled_synonyms_skip_phrases_of_small_words_only():
    rules = Synonyms({"how do i": "ticket", "sandbox": ["preview environment", "training"]})
    assert list(rules.rules) == [("sandbox",)]
    assert Synonyms.searchable_words("How do I?") == []
    assert Synonyms.of(rules) is rules


# Stemming and ranking -----------------------------------------------------------------------


@pytest.mark.parametrize("word", ["ticket", "tickets", "ticketing"])
def test_stemming_finds_every_form_of_a_word(index, word):
    results = search(index, word)
    assert "support/launch-a-ticket/" in pages(results), urls(results)


def test_a_title_match_outranks_a_body_match(index):
    results = search(index, "escalation")
    assert results.hits[0].title.lower().count("escalation") == 1


def test_kind_filters_results(index):
    results = search(index, "support", kind="faq", limit=MAX_LIMIT)
    assert results.hits and {h.kind for h in results.hits} == {"faq"}
    with pytest.raises(ValueError, match="unknown kind"):
        search(index, "support", kind="movie")


def test_one_page_shows_at_most_per_page_records(index):
    results = search(index, "preview environment", limit=MAX_LIMIT)
    per_page: dict[str, int] = {}
    for url in pages(results, MAX_LIMIT):
        per_page[url] = per_page.get(url, 0) + 1
    assert max(per_page.values()) <= PER_PAGE
    assert len(per_page) >= 3  # the other pages that mention the words are not hidden


def test_quoted_phrases_are_exact(tmp_path):
    rebuild(
        tmp_path,
        [
            Document(id="a", url="a/", title="Plans", body="Support hours are 9 to 5."),
            Document(id="b", url="b/", title="Team", body="Extra hours of email support."),
        ],
    )
    assert [h.url for h in search(tmp_path, "support hours").hits] == ["a/", "b/"]
    assert [h.url for h in search(tmp_path, '"support hours"').hits] == ["a/"]
    assert [h.url for h in search(tmp_path, '"hours support"').hits] == []


# Typos ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "meant", "page"),
    [
        ("telefone", "telephone", "faq/"),
        ("escalaton", "escalation", "support/escalation/"),
        ("escalaton process", "escalation process", "support/escalation/"),
    ],
)
def test_a_misspelt_query_is_corrected_from_the_index_vocabulary(index, typed, meant, page):
    results = search(index, typed)
    assert results.did_you_mean == meant
    assert results.corrected_query == meant
    assert page in pages(results), urls(results)


def test_a_correct_query_gets_no_suggestion(index):
    results = search(index, "telephone support")
    assert results.did_you_mean is None and results.corrected_query is None


def test_words_covered_by_a_synonym_are_never_corrected(index):
    results = search(index, "sandbox", synonyms={"sandbox": "preview environment"})
    assert results.did_you_mean is None


def test_the_fuzzy_fallback_widens_a_query_that_finds_little(tmp_path):
    docs = [
        Document(id="a", url="a/", title="Quarterly parking report", body="Parking totals."),
        Document(id="b", url="b/", title="Permits", body="Issuing permits."),
    ]
    rebuild(tmp_path, docs)
    # "reprot" is not a word of the index and has no close spelling within one letter, but
    # matches "report" within two edits.
    results = search(tmp_path, "quarterly reprot")
    assert urls(results) == ["a/"]


# Hostile input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "q",
    [
        "",
        "   ",
        '"(*:^~)',
        "AND OR NOT",
        '(((( "" ** :: ^^ ~~ ))))',
        "title:ticket AND body:[a TO z] OR NOT ~2 ^3",
        "\x00\x1b[31m",
        '"unclosed phrase',
        "*",
        "?",
    ],
)
def test_syntax_and_empty_queries_never_raise(index, q):
    results = search(index, q, synonyms=SYNONYMS)
    assert results.total >= 0
    assert all(h.rank >= 1 for h in results.hits)


def test_a_query_made_only_of_syntax_finds_nothing(index):
    assert search(index, '"(*:^~)').hits == ()
    assert search(index, "AND OR NOT").hits == ()
    assert search(index, "").hits == ()


def test_a_10000_character_query_is_capped(index):
    q = ("telephone support hours " * 500)[:10_000]
    results = search(index, q, synonyms=SYNONYMS)
    assert len(results.query) == MAX_QUERY_CHARS
    assert results.hits


def test_limits_are_capped(index):
    assert len(search(index, "support", limit=10_000).hits) <= MAX_LIMIT
    assert len(search(index, "support", limit=0).hits) == 1
    assert len(search(index, "support", limit=-5).hits) == 1


# Snippets ---------------------------------------------------------------------------------------


def test_snippets_mark_the_matched_words(index):
    hit = search(index, "telephone").hits[0]
    assert "<mark>" in hit.snippet_html
    assert re.sub(r"</?mark>", "", hit.snippet_html).count("<") == 0


def test_snippets_escape_everything_but_the_marks(tmp_path):
    body = 'Never paste <script>alert("x")</script> or <img src=x onerror=alert(1)> in a ticket.'
    rebuild(tmp_path, [Document(id="x", url="x/", title="Unsafe", body=body)])
    for q in ("script ticket", "unsafe", "img onerror"):
        for hit in search(tmp_path, q).hits:
            html = hit.snippet_html
            without_marks = re.sub(r"</?mark>", "", html)
            assert "<" not in without_marks and ">" not in without_marks, html
            assert "<script" not in html and "<img" not in html
            assert "&lt;" in html


# Suggestions ----------------------------------------------------------------------------------


def test_suggestions_complete_title_words_as_you_type(index):
    titles = [s["title"] for s in suggest(index, "telep")]
    assert "What hours is telephone support available?" in titles
    titles = [s["title"] for s in suggest(index, "crit tick")]
    assert "How to launch a critical ticket" in titles
    assert suggest(index, "") == []
    assert suggest(index, '"(*:^~)') == []


@pytest.mark.parametrize(
    "q", ["support team", "ticket", "preview environment", "critical after hours", "release"]
)
def test_collapsing_pages_never_hides_a_better_page(index, q):
    # Whoosh's own collapsing (search(collapse=...)) prunes the query with the score of the
    # N-th best record before records are collapsed away, which dropped whole pages from the
    # results. Reference: every match scored, then at most PER_PAGE per page, best first.
    with open_index(index).searcher() as searcher:
        query = _plan(tokenize(q), Synonyms()).query()
        everything = searcher.search(query, limit=None)
        reference, per_page = [], {}
        for hit in everything:
            per_page[hit["page"]] = per_page.get(hit["page"], 0) + 1
            if per_page[hit["page"]] <= PER_PAGE:
                reference.append(hit["url"])
    for limit in (1, 3, 5, 10, MAX_LIMIT):
        assert [h.url for h in search(index, q, limit=limit).hits] == reference[:limit]
