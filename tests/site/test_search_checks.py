"""Synonyms and search checks written by writers (kb_builder.indexing: synonyms, search_checks)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from kb_builder.indexing import search_checks, synonyms
from kb_builder.indexing.search_checks import expected_url, read_checks, run_search_checks
from kb_builder.indexing.synonyms import load_synonyms, read_synonyms
from tests.conftest import ROOT
from tests.site.test_search_documents import demo_index

DATA = ROOT / "content" / "_data"

# The seed's eight questions and the pages that answer them (FAQ answer or article).
SEED_ANSWERS = {
    "How do I launch a support ticket?": {
        "support/launch-a-ticket/",
        "faq/#how-do-i-launch-a-support-ticket",
    },
    "What after-hours support do you provide?": {
        "support/critical-tickets/",
        "faq/#what-after-hours-support-do-you-provide",
    },
    "How are upgrades delivered?": {
        "releases/",
        "releases/upcoming/",
        "faq/#how-are-upgrades-delivered",
    },
    "What provisions do you have for training?": {
        "training/",
        "training/agenda/",
        "wiki/preview-environment/",
        "faq/#what-provisions-do-you-have-for-training",
    },
    "How is your support team structured?": {
        "support/team/",
        "faq/#how-is-your-support-team-structured",
    },
    "Do you have online resources, self-help tools?": {
        "wiki/",
        "wiki/videos/",
        "faq/#do-you-have-online-resources-self-help-tools",
    },
    "What hours is telephone support available?": {
        "support/plans-and-hours/",
        "faq/#what-hours-is-telephone-support-available",
    },
    "How does your escalation process work?": {
        "support/escalation/",
        "support/escalation/#how-long-fixes-take",
        "faq/#how-does-your-escalation-process-work",
    },
}


def write(tmp_path: Path, name: str, text: str) -> Path:
    (tmp_path / name).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return tmp_path


def messages(errors) -> list[str]:
    return [str(e) for e in errors]


# The demo's own data ----------------------------------------------------------------------------


def test_the_demo_synonyms_and_checks_are_valid():
    assert synonyms.check(DATA) == []
    assert search_checks.check(DATA) == []


def test_the_demo_has_at_least_25_checks_covering_every_seed_question():
    checks, _ = read_checks(DATA)
    assert len(checks) >= 25
    for question, answers in SEED_ANSWERS.items():
        covering = [c.query for c in checks if c.expect in answers]
        assert len(covering) >= 2, f"no client wording checks {question!r}"


def test_every_demo_check_finds_its_page_in_the_top_3(demo_site, tmp_path_factory):
    index = demo_index(demo_site, tmp_path_factory)
    checks, _ = read_checks(DATA)
    errors = run_search_checks(index, checks, load_synonyms(DATA), edition="public")
    assert messages(errors) == []


# What a failing check says ---------------------------------------------------------------------


def test_a_failing_check_says_where_the_page_ranked(demo_site, tmp_path_factory, tmp_path):
    index = demo_index(demo_site, tmp_path_factory)
    write(
        tmp_path,
        "search-checks.yml",
        """
        checks:
          - query: telephone support
            expect: support/escalation/
          - query: phone hours
            expect: faq/index.md#what-hours-is-telephone-support-available
          - query: zzzqqq
            expect: support/team.md
          - query: telephone
            expect: support/critical-tickts/
          - query: agent notes sentry
            expect: internal/agent-notes/
            edition: internal
        """,
    )
    checks, errors = read_checks(tmp_path)
    assert errors == []
    found = messages(run_search_checks(index, checks, {"phone": "telephone"}, edition="public"))
    path = str(tmp_path / "search-checks.yml")
    assert len(found) == 3
    assert found[0].startswith(
        f"{path}:2: 'telephone support' should find support/escalation/ in the top 3; "
    )
    assert "it ranked " in found[0] or "it was not in the first" in found[0]
    assert "(top 3: faq/#what-hours-is-telephone-support-available" in found[0]
    assert found[1] == (
        f"{path}:6: 'zzzqqq' should find support/team/ in the top 3; the query found nothing "
        "(top 3: no results)"
    )
    assert found[2].startswith(
        f"{path}:8: 'support/critical-tickts/' is not a page of the public edition's search "
        "index (did you mean 'support/critical-tickets/'?)"
    )


def test_a_failing_check_reports_its_rank(tmp_path):
    from search.documents import Document
    from search.index import rebuild

    docs = [
        Document(id=f"p{i}", url=f"p{i}/", title=f"Ticket guide {i}", body="ticket " * (10 - i))
        for i in range(8)
    ]
    rebuild(tmp_path / "ix", docs)
    write(tmp_path, "search-checks.yml", "checks:\n  - query: ticket\n    expect: p6/\n")
    checks, _ = read_checks(tmp_path)
    (error,) = run_search_checks(tmp_path / "ix", checks)
    assert "'ticket' should find p6/ in the top 3; it ranked 7 (top 3: p0/, p1/, p2/)" in str(error)


@pytest.mark.parametrize(
    ("expect", "url"),
    [
        ("support/critical-tickets/", "support/critical-tickets/"),
        ("support/critical-tickets", "support/critical-tickets/"),
        ("/support/critical-tickets/", "support/critical-tickets/"),
        ("support/critical-tickets.md", "support/critical-tickets/"),
        ("faq/index.md#what-hours", "faq/#what-hours"),
        ("faq/#what-hours", "faq/#what-hours"),
        ("index.md", ""),
        ("wiki/index.md", "wiki/"),
        ("wiki/index.html", "wiki/"),
    ],
)
def test_expected_pages_may_be_urls_or_source_files(expect, url):
    assert expected_url(expect) == url


# Writers' mistakes, at their line ------------------------------------------------------------


def test_check_file_mistakes_are_reported_at_their_line(tmp_path):
    write(
        tmp_path,
        "search-checks.yml",
        """
        checks:
          - query: phone hours
            expcet: faq/
          - query: sandbox
            expect: wiki/preview-environment/
            kind: movie
          - query: Sandbox
            expect: wiki/
          - query: docs
            expect: https://example.com/
        """,
    )
    assert messages(search_checks.check(tmp_path)) == [
        f"{tmp_path}/search-checks.yml:2: 'checks item 1.expect' is missing; it is required",
        f"{tmp_path}/search-checks.yml:3: unknown search check key 'expcet' (did you mean "
        "'expect'?); valid keys are 'edition', 'expect', 'kind' or 'query'",
        f"{tmp_path}/search-checks.yml:6: 'checks item 2.kind' is 'movie', which is not valid; "
        "use 'faq', 'article', 'guide', 'release', 'lesson', 'video' or 'listing' (did you mean "
        "'video'?)",
        f"{tmp_path}/search-checks.yml:10: 'checks item 4.expect': 'https://example.com/' is not "
        "a page of this site; write its URL or source file, e.g. 'support/critical-tickets/' or "
        "'support/critical-tickets.md'",
    ]


def test_a_repeated_check_is_reported(tmp_path):
    write(
        tmp_path,
        "search-checks.yml",
        """
        checks:
          - query: sandbox
            expect: wiki/preview-environment/
          - query: "  SANDBOX "
            expect: wiki/
        """,
    )
    assert messages(search_checks.check(tmp_path)) == [
        f"{tmp_path}/search-checks.yml:4: the query 'SANDBOX' is already checked on line 2; "
        "remove one of the two"
    ]


def test_synonym_mistakes_are_reported_at_their_line(tmp_path):
    write(
        tmp_path,
        "synonyms.yml",
        """
        synonyms:
          sandbox: preview environment
          how do i: ticket
          phones: telephone
          phone: telephone
          telephone: Telephone
          test site: []
        """,
    )
    assert messages(synonyms.check(tmp_path)) == [
        f"{tmp_path}/synonyms.yml:3: 'how do i' has no word that search can match (short and "
        "common words such as 'how', 'do', 'is' are skipped); write the words clients type, "
        "e.g. 'sandbox'",
        f"{tmp_path}/synonyms.yml:5: 'phone' matches the same words as 'phones' (line 4); "
        "merge the two entries",
        f"{tmp_path}/synonyms.yml:6: 'telephone' maps to itself; map it to the words the help "
        "centre uses",
        f"{tmp_path}/synonyms.yml:7: 'test site' maps to an empty list; give at least one phrase "
        "of the help centre, e.g. 'preview environment'",
    ]


def test_synonym_values_must_be_phrases(tmp_path):
    write(tmp_path, "synonyms.yml", "synonyms:\n  sandbox: preview\n  number: 42\n  list: [a, 7]\n")
    assert messages(synonyms.check(tmp_path)) == [
        f"{tmp_path}/synonyms.yml:3: 'synonyms.number': give a phrase or a list of phrases, "
        "not '42'",
        f"{tmp_path}/synonyms.yml:4: 'synonyms.list item 2' must be text, not '7'",
    ]


def test_a_broken_synonyms_file_is_a_yaml_error_at_its_line(tmp_path):
    write(tmp_path, "synonyms.yml", "synonyms:\n  sandbox: preview\n  sandbox: test\n")
    (error,) = synonyms.check(tmp_path)
    assert str(error).startswith(f"{tmp_path}/synonyms.yml:3: duplicate key 'sandbox'")


def test_missing_files_mean_no_synonyms_and_no_checks(tmp_path):
    assert read_synonyms(tmp_path) == ({}, [])
    assert read_checks(tmp_path) == ([], [])
    assert load_synonyms(tmp_path) == {}
