"""The classes of search mistakes of issue 11, each pinned on real indexes.

1. Spelling correction must not rewrite correct words: a word of general English, a short
   acronym or a term of the site's synonyms is not a typo because the help centre lacks it.
2. A synonym widens a question and never outweighs the client's other words.
3. Natural phrasing ("how do I ...", "is there a way to ...") must not bury ordinary articles:
   filler words do not count, title and heading matches of the content words do.

Plus the search definition itself (plain data, every constant documented), which the browser
executor exports as JSON. The client questions below were written for these tests in clients'
words, not copied from the pages, from `content/_data/search-checks.yml` or from the
development set.
"""

from __future__ import annotations

import ast
import json

import pytest
from whoosh.lang.porter import stem
from whoosh.query import Term

from kb_builder.indexing.synonyms import load_synonyms
from search import definition, spelling
from search.documents import Document
from search.index import open_index, rebuild, vocabulary_of
from search.query import BestOf, Synonyms, search, synonym_weight
from tests.conftest import ROOT
from tests.site.test_search_documents import demo_index

SYNONYMS = load_synonyms(ROOT / "content" / "_data")


@pytest.fixture(scope="module")
def index(demo_site, tmp_path_factory):
    return demo_index(demo_site, tmp_path_factory)


def pages(results, n: int = 3) -> list[str]:
    return [h.url.split("#")[0] for h in results.hits[:n]]


def in_vocabulary(index, word: str) -> bool:
    with open_index(index).searcher() as searcher:
        return vocabulary_of(searcher).frequency(word) > 0


# 1. Spelling ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "q",
    [
        "wont let me in",  # "wont" is English, not "want"
        "printer jammed",
        "lunchtime closing",
        "my favourite report",  # British spelling
        "parked on the kerb",
    ],
)
def test_general_english_words_missing_from_the_help_centre_are_not_respelt(index, q):
    unknown = [w for w in q.split() if len(w) >= 4 and not in_vocabulary(index, w)]
    assert unknown, "the question must have a word the help centre lacks, or it tests nothing"
    assert all(spelling.is_general_word(w) for w in unknown), unknown
    results = search(index, q, synonyms=SYNONYMS)
    assert results.corrected_query is None, results.corrected_query


@pytest.mark.parametrize("q", ["sso", "sso login", "pwd reset"])
def test_short_acronyms_are_not_respelt(index, q):
    assert not in_vocabulary(index, q.split()[0])
    results = search(index, q, synonyms=SYNONYMS)
    assert results.corrected_query is None
    assert results.did_you_mean is None


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("pasword reset", "password reset"),
        ("escalaton process", "escalation process"),
        ("critcal ticket", "critical ticket"),
        ("permti renewal", "permit renewal"),  # swapped letters
        ("citatoin appeal", "citation appeal"),
    ],
)
def test_real_typos_are_still_corrected(index, typed, meant):
    assert not spelling.is_general_word(typed.split()[0])
    results = search(index, typed, synonyms=SYNONYMS)
    assert results.corrected_query == meant
    assert results.hits


def test_words_of_the_sites_synonyms_are_never_respelt(tmp_path):
    rebuild(
        tmp_path,
        [
            Document(id="a", url="a/", title="Sign in", body="Sign in with your password."),
            Document(id="b", url="b/", title="Okto connector", body="Sync with Okto."),
        ],
    )
    # "okta" is neither English nor in this help centre, but it is one of the site's terms.
    assert not spelling.is_general_word("okta")
    plain = search(tmp_path, "okta")
    assert plain.corrected_query == "okto"
    results = search(tmp_path, "okta", synonyms={"okta login": "sign in"})
    assert results.corrected_query is None


def test_the_general_word_list_is_english_with_british_spellings_and_no_common_typos():
    words = spelling.general_words()
    assert len(words) > 50_000
    assert {"colour", "cheque", "organisation", "licence", "wont", "refund"} <= words
    assert not {"teh", "recieve", "pasword"} & words
    # Inflections the list lacks are vouched for by their base word.
    assert spelling.is_general_word("printers")
    assert not spelling.is_general_word("pasword")


def test_the_keyboard_aware_distance_prefers_slips_of_the_finger():
    # c and v are neighbours; c and p are not.
    assert spelling.distance("tivket", "ticket") < spelling.distance("tipket", "ticket")
    # Swapped neighbours are one slip, cheaper than two substitutions.
    assert spelling.distance("tikcet", "ticket") < 2
    assert spelling.distance("ticket", "ticket") == 0


def test_corrections_prefer_the_closest_word_then_the_most_frequent():
    # "plan" (1 edit) beats the far more frequent "plans" only when it is closer.
    assert spelling.best_correction("plam", {"plan": 2, "plans": 50}) == "plan"
    # Equally close: the more frequent wins.
    assert spelling.best_correction("tiket", {"ticket": 40, "tiler": 1}) == "ticket"
    # Too far for a short word: no correction at all.
    assert spelling.best_correction("abcd", {"wxyz": 100}) is None


# 2. Synonyms widen, never outweigh -----------------------------------------------------------


def _widening_index(tmp_path):
    rebuild(
        tmp_path,
        [
            Document(
                id="email",
                url="wiki/account/",
                title="Your account",
                body="Change the email address on your account from your profile.",
            ),
            Document(
                id="release",
                url="releases/",
                title="Release notes",
                body="Every release, with its fixes and features.",
            ),
            Document(
                id="ticket",
                url="support/ticket/",
                title="Launch a support ticket",
                body="Open a support ticket from the help desk.",
            ),
            Document(
                id="refund",
                url="wiki/permits/",
                title="Permits",
                body="Cancel a permit and refund the customer.",
            ),
        ],
    )
    return tmp_path


def test_a_synonym_of_one_word_does_not_outrank_the_clients_other_words(tmp_path):
    index = _widening_index(tmp_path)
    broad = {"update": "release", "request": "support ticket"}
    assert pages(search(index, "update my email address", synonyms=broad), 1) == ["wiki/account/"]
    assert pages(search(index, "request a refund for a permit", synonyms=broad), 1) == [
        "wiki/permits/"
    ]
    # The synonym still widens: alone, the word finds the page written in the vendor's words.
    assert pages(search(index, "update", synonyms=broad), 1) == ["releases/"]
    assert pages(search(index, "request", synonyms=broad), 1) == ["support/ticket/"]


def test_records_with_more_of_the_clients_words_rank_first(tmp_path):
    long_body = (
        "To reset a forgotten password in the mobile app, select Forgot. The phone and tablet "
        "app work alike, and many other words are written here so that this body is long, "
        "like a real section of an article."
    )
    rebuild(
        tmp_path,
        [
            # One of the words, in the title, the headings and the body: a strong match of one.
            Document(
                id="a",
                url="a/",
                title="Password",
                body="Password rules: a password needs twelve characters.",
                headings=("Password",),
            ),
            # Three of the four words, in a long body only.
            Document(id="b", url="b/", title="On your phone", body=long_body),
            Document(id="c", url="c/", title="Reports", body="Run a report."),
            Document(id="d", url="d/", title="Permits", body="Issue a permit."),
        ],
    )
    results = search(tmp_path, "how do i reset my password in the mobile app please")
    assert [h.url for h in results.hits] == ["b/", "a/"]


def test_a_multi_word_phrase_synonym_weighs_more_than_a_single_word_one():
    adjacency = 1 + definition.ADJACENT_BOOST
    # What a fully matched canonical phrase is worth, in units of one client word.
    phrase = synonym_weight(1, 2) * 2 * adjacency
    word = synonym_weight(1, 1)
    assert word < phrase < 1


def test_phrases_of_small_words_plus_one_word_match_on_all_their_words():
    rules = Synonyms({"what changed": "release notes", "log in": "sign in"})
    assert ("what", "chang") in rules.exact
    assert not rules.rules  # neither is keyed on its one meaningful word
    # "change a role" is not "what changed".
    from search.query import tokenize

    assert rules.spans(tokenize("change a role")) == []
    assert rules.spans(tokenize("what changed last month"))[0][1] == [("release", "notes")]


def test_the_best_of_several_options_scores_only_the_record_at_hand(tmp_path):
    # Whoosh's DisjunctionMax gave a record the score of another record; BestOf must not.
    rebuild(
        tmp_path,
        [
            Document(id="1", url="1/", title="one", body="apple"),
            Document(id="2", url="2/", title="two", body="banana banana banana zebra"),
            Document(id="3", url="3/", title="three", body="apple banana"),
        ],
    )
    apple_term, banana_term = Term("body", stem("apple")), Term("body", stem("banana"))
    with open_index(tmp_path).searcher() as searcher:
        apple = {h["id"]: h.score for h in searcher.search(apple_term)}
        banana = {h["id"]: h.score for h in searcher.search(banana_term)}
        best = {h["id"]: h.score for h in searcher.search(BestOf([apple_term, banana_term]))}
    assert best["1"] == pytest.approx(apple["1"])
    assert best["2"] == pytest.approx(banana["2"])
    assert best["3"] == pytest.approx(max(apple["3"], banana["3"]))


@pytest.mark.parametrize(
    ("q", "wrong"),
    [
        ("update my email address", "releases/"),
        ("request a refund for a permit", "support/launch-a-ticket/"),
        ("case sensitive password", "support/launch-a-ticket/"),
        ("mobile app crashed when printing", "support/critical-tickets/"),
        ("what is the price of a visitor permit", "support/plans-and-hours/"),
    ],
)
def test_broad_synonyms_no_longer_hijack_the_demo(index, q, wrong):
    results = search(index, q, synonyms=SYNONYMS)
    assert results.hits
    assert pages(results, 1) != [wrong], [h.url for h in results.hits[:3]]


# 3. Questions in clients' words on the demo -----------------------------------------------------

# (question, the pages that answer it, space-separated): whole questions with filler, on
# ordinary articles.
QUESTIONS = [
    ("how do i give a colleague access to the system", "wiki/users-and-roles/"),
    ("is there a way to make someone an administrator", "wiki/users-and-roles/"),
    ("what roles can a user have", "wiki/users-and-roles/"),
    ("how do i change what a user is allowed to do", "wiki/users-and-roles/"),
    ("please help me write up a parking ticket on my phone", "wiki/citations/"),
    ("how can a driver dispute a citation", "wiki/citations/"),
    ("is it possible to void a ticket i issued by accident", "wiki/citations/"),
    ("how do i take a payment for a fine", "wiki/citations/"),
    ("how do i renew lots of permits at once", "wiki/permits/"),
    ("can i put people on a waiting list for permits", "wiki/permits/"),
    ("how do i give a customer their money back for a permit", "wiki/permits/"),
    ("i need to set up a new kind of permit", "wiki/permits/"),
    ("how do i get a report emailed to me every week", "wiki/reports/"),
    ("can i download a report as a spreadsheet", "wiki/reports/"),
    ("my report is empty, what am i doing wrong", "wiki/reports/"),
    ("i forgot my password, how do i get a new one", "wiki/signing-in/"),
    ("how do i turn on the six digit code when logging in", "wiki/signing-in/"),
    (
        "is there somewhere to try things out without breaking live data",
        "wiki/preview-environment/",
    ),
    ("how do i get fresh data into the test system", "wiki/preview-environment/"),
    ("how do i contact support after hours", "support/critical-tickets/ support/plans-and-hours/"),
    ("what do i do if the whole system is down", "support/critical-tickets/"),
    ("how do i raise a ticket with the help desk", "support/launch-a-ticket/"),
    ("what should i include when i report a problem", "support/launch-a-ticket/"),
    ("what hours is the support line open", "faq/"),
    ("what happens when my bug gets escalated", "support/escalation/"),
    ("who is on the support team", "support/team/"),
    ("is there a training plan i can follow on my own", "training/agenda/"),
    ("what is coming in the next release", "releases/upcoming/"),
    ("where can i see what changed in past releases", "releases/"),
    ("is there a video that shows how to get started", "wiki/videos/getting-started-webinar/"),
]


def test_the_client_questions_are_not_the_sites_own_checks():
    checks = (ROOT / "content" / "_data" / "search-checks.yml").read_text(encoding="utf-8")
    assert not [q for q, _ in QUESTIONS if q in checks.lower()]


@pytest.mark.parametrize(("q", "answers"), QUESTIONS, ids=[q for q, _ in QUESTIONS])
def test_client_questions_find_their_page_in_the_top_3(index, q, answers):
    results = search(index, q, synonyms=SYNONYMS)
    assert set(answers.split()) & set(pages(results)), [h.url for h in results.hits[:3]]


def test_filler_words_do_not_change_the_answer(index):
    bare = search(index, "deactivate user", synonyms=SYNONYMS)
    for framing in (
        "how do i {}",
        "can you please tell me how to {}",
        "is there a way to {}",
        "i need to {} please",
    ):
        framed = search(index, framing.format("deactivate user"), synonyms=SYNONYMS)
        assert pages(framed, 1) == pages(bare, 1), framing


def test_the_home_page_does_not_outrank_the_pages_it_links_to(index):
    # The home page repeats a line about every page it links to.
    for q in ("system down day or night", "training", "frequently asked questions"):
        results = search(index, q, synonyms=SYNONYMS)
        assert results.hits and pages(results, 1) != [""], q


# The definition -------------------------------------------------------------------------------


def test_the_definition_is_plain_json_data():
    data = definition.as_dict()
    assert json.loads(json.dumps(data)) == data
    for name in ("FIELD_BOOSTS", "QUESTION_WORDS", "SYNONYM_WEIGHTS", "CORRECTION", "PER_PAGE"):
        assert name in data
    # A copy: an executor that edits it cannot change the definition.
    data["FIELD_BOOSTS"]["title"] = -1
    assert definition.FIELD_BOOSTS["title"] != -1


def test_every_constant_of_the_definition_says_why():
    source = (ROOT / "search" / "definition.py").read_text(encoding="utf-8")
    lines = source.splitlines()
    undocumented = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and all(
            isinstance(t, ast.Name) and t.id.isupper() for t in node.targets
        ):
            above = [ln.strip() for ln in lines[max(0, node.lineno - 12) : node.lineno - 1]]
            if not any(ln.startswith("#:") for ln in above):
                undocumented.append(node.targets[0].id)  # type: ignore[attr-defined]
    assert undocumented == []
