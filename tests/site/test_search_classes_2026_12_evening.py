"""Classes of search misses fixed on the evening of 2026-12-02, pinned on the demo's real public
index (the one `kb build` wrote, with the synonyms the site applies).

1. Negations typed without an apostrophe ("cant", "wont", "doesnt") and filler ("keeps",
   "anymore", "stuff") are question words: the content words decide.
2. Whoosh's Porter stemmer leaves the doubled letter that "-ed"/"-ing" expose ("logged" ->
   "logg"); the query undoes it (``UNDOUBLE``), so "logging in" is the "log in" of the
   synonyms, and a plain word matches both terms.
3. British and American spellings are one word for a query (``SPELLING_VARIANTS``):
   "colour" / "color", "centre" / "center", "organisation" / "organization".
4. A training lesson weighs 0.1 of an article (``KIND_BOOSTS["lesson"]``, was 0.3).
5. "ticket" alone is widened with both its meanings (a support ticket, a citation).

The questions here were written for these tests, in clients' words; none is copied from the
development sets (benchmarks/devset/), which measure the same classes on other wording.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kb_builder.indexing.synonyms import load_site_synonyms
from search import definition
from search.query import Synonyms, alternatives, search, spellings, tokenize
from tests.conftest import ROOT

SITE_SYNONYMS = Synonyms(load_site_synonyms(ROOT / "content" / "_data", "public"))


@pytest.fixture(scope="module")
def index(demo_site: Path) -> Path:
    return demo_site.parent / "project" / ".kb" / "index" / "public"


def pages(index: Path, q: str, n: int = 3) -> list[str]:
    found: list[str] = []
    for hit in search(index, q, synonyms=SITE_SYNONYMS, limit=10).hits:
        page = hit.url.split("#")[0]
        if page not in found:
            found.append(page)
    return found[:n]


# 1. Negations and filler ----------------------------------------------------------------------


@pytest.mark.parametrize("word", ["cant", "wont", "won", "dont", "doesnt", "isnt", "keeps"])
def test_typed_negations_and_filler_are_question_words(word):
    assert word in definition.QUESTION_WORDS
    assert [t.term for t in tokenize(word)] == [""]


@pytest.mark.parametrize(
    ("negated", "plain"),
    [
        ("the report doesnt run", "the report run"),
        ("phone line wont connect", "phone line connect"),
        ("it keeps asking for a verification code", "asking for a verification code"),
    ],
)
def test_a_negation_or_filler_word_does_not_change_the_answer(index, negated, plain):
    assert pages(index, negated) == pages(index, plain)


# 2. The doubled letter of "-ed" / "-ing" ------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "term", "indexed"),
    [("logged", "log", "logg"), ("stopped", "stop", "stopp"), ("scanning", "scan", "scann")],
)
def test_a_doubled_letter_after_ed_or_ing_is_undone(word, term, indexed):
    (token,) = tokenize(word)
    assert token.term == term
    assert indexed in alternatives(token.word, token.term)


@pytest.mark.parametrize("word", ["staff", "add", "odd", "fill"])
def test_words_that_end_in_a_doubled_letter_keep_it(word):
    (token,) = tokenize(word)
    assert token.term == word


def test_a_synonym_phrase_matches_the_ed_and_ing_forms():
    rules = Synonyms({"log in": "sign in"})
    for q in ("logging in", "logged in", "log in"):
        assert rules.spans(tokenize(q)), q


@pytest.mark.parametrize("q", ["problems logging in", "i got logged in as someone else"])
def test_logging_in_finds_the_sign_in_article(index, q):
    assert pages(index, q)[0] == "wiki/signing-in/"


# 3. British and American spellings ------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "other"),
    [
        ("organisation", "organization"),
        ("organization", "organisation"),
        ("colour", "color"),
        ("color", "colour"),
        ("centre", "center"),
        ("analysed", "analyzed"),
        ("licence", "license"),
        ("catalogue", "catalog"),
        ("programme", "program"),
        ("instalment", "installment"),
    ],
)
def test_the_other_spelling_of_a_word(word, other):
    assert other in spellings(word)


@pytest.mark.parametrize("word", ["support", "ticket", "permit", "hour", "store"])
def test_a_word_without_another_spelling_has_none(word):
    assert spellings(word) == []


@pytest.mark.parametrize(
    ("british", "american"),
    [
        ("vehicle colour", "vehicle color"),
        ("organisation address for the app", "organization address for the app"),
        ("help centre articles", "help center articles"),
    ],
)
def test_both_spellings_give_the_same_answers(index, british, american):
    assert pages(index, british) == pages(index, american)


def test_the_spelling_the_demo_lacks_still_finds_the_page(index):
    # The demo writes "make, model and colour"; a client in the US types "color" (before, the
    # word matched nothing and a release note about vehicles came first).
    assert pages(index, "vehicle color")[0] == "wiki/permits/"


# 4. Lessons weigh 0.1 of the article they point to -----------------------------------------


def test_a_lesson_weighs_less_than_a_listing():
    assert definition.KIND_BOOSTS["lesson"] <= 0.1 < definition.KIND_BOOSTS["listing"] + 0.1


def test_the_article_comes_before_the_lesson_that_sums_it_up(index):
    # At 0.3 the "Understanding roles" lesson, a few lines dense with the article's words,
    # came first.
    assert pages(index, "permission levels")[0] == "wiki/users-and-roles/"


# 5. "ticket" is also a citation --------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "answer"),
    [
        ("ticket for parking in a staff lot", "wiki/citations/"),
        ("follow up on my ticket number", "support/launch-a-ticket/"),
    ],
)
def test_ticket_means_a_citation_or_a_support_ticket_by_the_other_words(index, q, answer):
    # The citations article says so: "Citations (also called tickets or violations)". The
    # rule widens "ticket" with both; the other words of the question decide.
    assert pages(index, q)[0] == answer
