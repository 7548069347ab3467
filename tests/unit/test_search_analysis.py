"""`search.analysis.analyse` gives exactly the tokens of the schema's Whoosh analyzers.

The Whoosh index, its spelling vocabulary and the browser's static index all take their terms
from `analyse`; if it drifted from `STEMMER` or `WORDS` by one token or one position, the two
search engines would rank on statistics that queries (parsed by Whoosh's chains) do not share.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search import analysis
from search.analysis import STEMMER, WORDS, analyse

TLDR = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "tldr-common"
CONTENT = Path(__file__).resolve().parents[2] / "content"


def _whoosh(text: str) -> tuple[list[tuple[str, int]], list[str]]:
    terms = [(t.text, t.pos) for t in STEMMER(text, positions=True)]
    return terms, [t.text for t in WORDS(text)]


def _ours(text: str) -> tuple[list[tuple[str, int]], list[str]]:
    result = analyse(text)
    return [(term, result.first + i) for i, term in enumerate(result.terms)], result.words


def test_the_fast_path_is_taken():
    # The equality tests below would pass through the fallback too; the point is the fast loop.
    assert analysis.FAST


@pytest.mark.parametrize(
    "text",
    [
        "",
        "the",
        "The ticket is open",  # a stop word first: the first term keeps position 1
        "a b c tickets TICKETS Ticketing",
        "v2.3 example.com e.g. end.",
        "wild*card **bold** *",
        "İstanbul ǅungla Straße ΣΊΣΥΦΟΣ ﬁle",
        "日本語のテキスト and\u00a0non-breaking\u2028lines",
        "under_score 3rd 10,000 x",
    ],
)
def test_same_tokens_as_whoosh_on_edge_cases(text):
    assert _ours(text) == _whoosh(text)


def test_same_tokens_as_whoosh_on_every_demo_page():
    pages = sorted(CONTENT.rglob("*.md"))
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert _ours(text) == _whoosh(text), page


@pytest.mark.skipif(not TLDR.is_dir(), reason="the tldr corpus is not in ../shared/corpora")
def test_same_tokens_as_whoosh_on_the_tldr_pages():
    pages = sorted(TLDR.rglob("*.md"))[::7]
    assert len(pages) > 300
    for page in pages:
        text = page.read_text(encoding="utf-8", errors="replace")
        assert _ours(text) == _whoosh(text), page


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80))
def test_same_tokens_as_whoosh_on_any_text(text):
    assert _ours(text) == _whoosh(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["the", "a", "Ticket", "x", "İ", "*", ".", "v2", " ", "\n"])))
def test_same_tokens_as_whoosh_on_words_and_stop_words(parts):
    text = "".join(parts)
    assert _ours(text) == _whoosh(text)


# --- snippets: the highlighter's tokens ------------------------------------------------------

_SNIPPET_OPTIONS = {"chars": True, "mode": "query", "removestops": False}


def _token_rows(tokens) -> list[tuple]:
    return [(t.text, t.startchar, t.endchar, t.stopped, t.boost) for t in tokens]


def _same_snippet_tokens(text: str) -> None:
    ours = _token_rows(analysis.snippet_tokens(text, **_SNIPPET_OPTIONS))
    assert ours == _token_rows(STEMMER(text, **_SNIPPET_OPTIONS))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "The ticket is open, and THE tickets are closed.",
        "a b c x İstanbul ǅungla Straße ΣΊΣΥΦΟΣ ﬁle 日本語",
        "v2.3 example.com wild*card under_score 10,000",
    ],
)
def test_snippet_tokens_are_whooshs_on_edge_cases(text):
    _same_snippet_tokens(text)


def test_snippet_tokens_are_whooshs_on_every_demo_page():
    for page in sorted(CONTENT.rglob("*.md")):
        _same_snippet_tokens(page.read_text(encoding="utf-8"))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80))
def test_snippet_tokens_are_whooshs_on_any_text(text):
    _same_snippet_tokens(text)


def test_other_options_go_through_the_stemmer():
    text = "The tickets"
    positions = {"positions": True}
    ours = [(t.text, t.pos) for t in analysis.snippet_tokens(text, **positions)]
    assert ours == [(t.text, t.pos) for t in STEMMER(text, **positions)]


def test_snippets_are_the_ones_whoosh_cuts():
    from whoosh import highlight

    from search.query import SNIPPET_CHARS, MarkFormatter

    pages = sorted(CONTENT.rglob("*.md"))
    words = [frozenset({"ticket", "critic"}), frozenset({"permit", "renew"}), frozenset({"the"})]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for terms in words:
            cut = [
                highlight.highlight(
                    text,
                    terms,
                    analyzer,
                    highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60),
                    MarkFormatter(),
                    top=2,
                )
                for analyzer in (analysis.snippet_tokens, STEMMER)
            ]
            assert cut[0] == cut[1], page
