"""The spelling vocabulary beside the index (search.vocabulary): exact through re-indexes."""

from __future__ import annotations

import random

from search.documents import Document
from search.index import current_generation, open_index, rebuild, vocabulary_of
from search.query import search
from search.vocabulary import Vocabulary, words_of


def doc(i: int, body: str, *, audience: str = "public", title: str = "") -> Document:
    return Document(
        id=f"p{i}/",
        url=f"p{i}/",
        title=title or f"Page {i}",
        body=body,
        kind="article",
        section="wiki",
        audience=audience,
        headings=(f"Heading {i}",),
        tags=("billing",) if i % 2 else (),
    )


def levenshtein(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        above, row[0] = row[:], i
        for j, cb in enumerate(b, 1):
            row[j] = min(above[j] + 1, row[j - 1] + 1, above[j - 1] + (ca != cb))
    return row[-1]


def test_the_walk_finds_exactly_the_words_within_reach():
    rng = random.Random(3)
    counts = {
        "".join(rng.choice("abcdeé") for _ in range(rng.randint(1, 9))): 1 for _ in range(5000)
    }
    vocabulary = Vocabulary(counts)
    for _ in range(200):
        word = "".join(rng.choice("abcdeé") for _ in range(rng.randint(2, 9)))
        maxdist, prefix = rng.randint(0, 3), rng.randint(0, 2)
        expected = {
            w for w in counts if w.startswith(word[:prefix]) and levenshtein(word, w) <= maxdist
        }
        assert set(vocabulary.within(word, maxdist, prefix)) == expected, (word, maxdist, prefix)


def test_words_are_the_index_analyzers_words():
    from search.schema import WORDS

    text = "The Telephone v2.3 support, a b to example.com ÉTÉ hours_of_work"
    assert words_of(text) == {t.text for t in WORDS(text)}


def vocabulary(index_dir) -> dict[str, int]:
    with open_index(index_dir).searcher() as searcher:
        return dict(vocabulary_of(searcher).counts)


def test_incremental_rebuilds_keep_the_vocabulary_of_a_full_one(tmp_path):
    docs = [doc(i, f"Body {i} telephone escalation word{i % 7}") for i in range(40)]
    rebuild(tmp_path / "ix", docs, edition="public")
    # Change some, delete some, add some, and move one out of the edition.
    later = [d for d in docs if d.id not in {"p3/", "p4/"}]
    later[5] = doc(7, "Rewritten: zanzibarian quokka", title="Renamed page")
    later[6] = doc(8, "Now internal: secretword", audience="internal")
    later.append(doc(99, "A new page about invoices"))
    stats = rebuild(tmp_path / "ix", later, edition="public")
    assert not stats.full and stats.reindexed == 2 and stats.deleted == 3
    rebuild(tmp_path / "full", later, edition="public")
    assert vocabulary(tmp_path / "ix") == vocabulary(tmp_path / "full")
    words = vocabulary(tmp_path / "ix")
    assert words["telephone"] == 36 and words["zanzibarian"] == 1
    assert "secretword" not in words and words["word1"] == 5


def test_a_word_that_left_the_edition_is_never_offered_as_a_correction(tmp_path):
    public = [doc(i, "Ticket escalation and telephone support") for i in range(5)]
    secret = doc(9, "Kazooliferous procedures for staff")
    rebuild(tmp_path / "ix", [*public, secret], edition="public")
    assert search(tmp_path / "ix", "kazoolifreous").corrected_query == "kazooliferous"
    moved = Document(**{**secret.__dict__, "audience": "internal"})
    rebuild(tmp_path / "ix", [*public, moved], edition="public")
    results = search(tmp_path / "ix", "kazoolifreous")
    assert results.corrected_query is None and results.did_you_mean is None
    assert not results.hits


def test_a_generation_without_its_vocabulary_is_rebuilt_in_full(tmp_path):
    docs = [doc(i, "Telephone support") for i in range(3)]
    rebuild(tmp_path / "ix", docs, edition="public")
    (current_generation(tmp_path / "ix") / "vocabulary.json").unlink()
    stats = rebuild(tmp_path / "ix", docs, edition="public")
    assert stats.full and vocabulary(tmp_path / "ix")["telephone"] == 3
