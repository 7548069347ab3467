"""The client question sets of benchmarks/devset/ stay usable: well-formed, and every answer is a
page of the built demo, so that the search-quality figures cannot silently rot when a page moves.

Nothing here runs a search engine (benchmarks/search_quality.py does, by hand). Failures about
the held-out set name the entry number and the URL, never the question: nobody tunes on it.
"""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import ROOT

SCRIPT = ROOT / "benchmarks" / "search_quality.py"


def _load_script():
    spec = importlib.util.spec_from_file_location("search_quality", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("search_quality", module)
    spec.loader.exec_module(module)
    return module


sq = _load_script()


def _normal(q: str) -> str:
    return " ".join(q.lower().split())


def test_dev_set_is_well_formed_and_mixed():
    questions = sq.read_questions(sq.SETS["dev"])
    assert len(questions) >= 170
    # Every kind of question is there often enough for its row of the table to mean something.
    tags = Counter(tag for q in questions for tag in q.tags)
    assert set(tags) == set(sq.TAGS)
    assert min(tags.values()) >= 10, tags


def test_heldout_set_is_well_formed_and_apart_from_the_dev_set():
    dev = sq.read_questions(sq.SETS["dev"])
    heldout = sq.read_questions(sq.SETS["heldout"])
    assert len(heldout) >= 60
    assert set(Counter(tag for q in heldout for tag in q.tags)) == set(sq.TAGS)
    shared = {_normal(q.q) for q in dev} & {_normal(q.q) for q in heldout}
    assert not shared, f"{len(shared)} held-out question(s) also in the dev set"


def test_fresh_set_is_well_formed_and_apart_from_the_other_sets():
    fresh = sq.read_questions(sq.SETS["fresh"])
    assert len(fresh) >= 120
    assert set(Counter(tag for q in fresh for tag in q.tags)) == set(sq.TAGS)
    others = {_normal(q.q) for name in ("dev", "heldout") for q in sq.read_questions(sq.SETS[name])}
    shared = {_normal(q.q) for q in fresh} & others
    assert not shared, f"{len(shared)} fresh question(s) also in another set"


def test_second_fresh_set_is_well_formed_and_apart_from_the_other_sets():
    fresh2 = sq.read_questions(sq.SETS["fresh2"])
    assert len(fresh2) >= 120
    assert set(Counter(tag for q in fresh2 for tag in q.tags)) == set(sq.TAGS)
    others = {
        _normal(q.q)
        for name in ("dev", "fresh", "heldout")
        for q in sq.read_questions(sq.SETS[name])
    }
    shared = {_normal(q.q) for q in fresh2} & others
    assert not shared, f"{len(shared)} fresh2 question(s) also in another set: {shared}"


def test_third_fresh_set_is_well_formed_and_apart_from_the_other_sets():
    fresh3 = sq.read_questions(sq.SETS["fresh3"])
    assert len(fresh3) >= 150
    assert set(Counter(tag for q in fresh3 for tag in q.tags)) == set(sq.TAGS)
    others = {
        _normal(q.q)
        for name in ("dev", "fresh", "fresh2", "heldout")
        for q in sq.read_questions(sq.SETS[name])
    }
    shared = {_normal(q.q) for q in fresh3} & others
    assert not shared, f"{len(shared)} fresh3 question(s) also in another set: {shared}"


@pytest.mark.parametrize("name", ["dev", "fresh", "fresh2", "fresh3", "heldout"])
def test_every_answer_is_a_page_of_the_built_demo(demo_site: Path, name: str):
    missing = [
        (number, answer) if name == "heldout" else (q.q, answer)
        for number, q in enumerate(sq.read_questions(sq.SETS[name]), 1)
        for answer in q.answers
        if not (demo_site / answer / "index.html").is_file()
    ]
    assert not missing, f"answers that are not pages of the demo ({name}): {missing}"


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ('{q: "x", answers: [faq/], tags: [nonsense]}', "tags must be"),
        ('{q: "x", answers: ["faq/#anchor"], tags: [short]}', "is not a page URL"),
        ('{q: "x", answers: [faq], tags: [short]}', "must end with '/'"),
        ('{q: "x", answers: [""], tags: [short]}', "is not a page URL"),
        ('{q: "x", answers: [], tags: [short]}', "non-empty list"),
        ('{q: "", answers: [faq/], tags: [short]}', "non-empty string"),
        ('{q: "x", answer: [faq/], tags: [short]}', "exactly the keys"),
    ],
)
def test_a_malformed_entry_is_named(tmp_path: Path, entry: str, problem: str):
    path = tmp_path / "set.yml"
    path.write_text(f'questions:\n- {{q: "fine", answers: [faq/], tags: [short]}}\n- {entry}\n')
    with pytest.raises(ValueError, match="entry 2") as raised:
        sq.read_questions(path)
    assert problem in str(raised.value)


def test_a_question_asked_twice_is_refused(tmp_path: Path):
    path = tmp_path / "set.yml"
    path.write_text(
        'questions:\n- {q: "Open a ticket", answers: [faq/], tags: [short]}\n'
        '- {q: "open a ticket", answers: [support/], tags: [short]}\n'
    )
    with pytest.raises(ValueError, match="asked twice"):
        sq.read_questions(path)


def test_results_are_scored_by_page():
    assert sq.page_of("/faq/#how-do-i") == "faq/"
    assert sq.page_of("wiki/permits/index.html?q=x") == "wiki/permits/"
    # Two records of one page count once, in the place of the first.
    pages = sq.ranked_pages(["faq/#a", "faq/#b", "support/", "wiki/#x"])
    assert pages == ["faq/", "support/", "wiki/"]
    ranks = [sq.first_hit(pages, answers) for answers in (["faq/"], ["wiki/"], ["training/"])]
    assert ranks == [1, 3, None]
    s = sq.score(ranks)
    assert (s.n, s.hit1, s.hit3) == (3, 1 / 3, 2 / 3)
    assert s.mrr == pytest.approx((1 + 1 / 3) / 3)
    a, b = sq.EngineRun("a", [["faq/", "x/", "y/"]]), sq.EngineRun("b", [["faq/", "y/", "z/"]])
    assert sq.agreement(a, b) == (1.0, pytest.approx(2 / 3))
