"""The training agenda from data: validation, the generated page, lesson navigation, editions."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from kb_builder.checking.content import iter_markdown
from kb_builder.families.training import loader
from kb_builder.families.training import pages as generator
from tests.conftest import ROOT

KNOWN = {"wiki/a.md", "wiki/b.md", "internal/notes.md"}

VALID = """\
modules:
  - id: basics
    title: Basics
    lessons:
      - id: one
        title: One
        minutes: 10
        objective: Learn one.
        page: wiki/a.md
      - id: two
        title: Two
        minutes: 15
        objective: Learn two.
        page: wiki/b.md#part
        prerequisite: one
"""


def write(tmp_path: Path, text: str) -> Path:
    data = tmp_path / "_data"
    data.mkdir(exist_ok=True)
    (data / "training.yml").write_text(textwrap.dedent(text), encoding="utf-8")
    return data


def messages(tmp_path: Path, text: str) -> list[str]:
    data = write(tmp_path, text)
    return [str(e).replace(str(data) + "/", "") for e in loader.check(data, KNOWN)]


def test_valid_agenda(tmp_path):
    assert messages(tmp_path, VALID) == []
    training = loader.load(write(tmp_path, VALID), KNOWN)
    assert [lesson.id for _, lesson in training.lessons()] == ["one", "two"]


def test_no_agenda_is_fine(tmp_path):
    assert loader.check(tmp_path, KNOWN) == [] and loader.load(tmp_path, KNOWN) is None


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("page: wiki/b.md#part", "page: wiki/c.md"),
            "training.yml:14: lesson 'two' links to 'wiki/c.md', which is not a page of the "
            "site (did you mean 'wiki/b.md'?); give a path from the content folder, e.g. "
            "'wiki/permits.md'",
        ),
        (
            ("prerequisite: one", "prerequisite: onee"),
            "training.yml:15: lesson 'two' requires 'onee', which is not a lesson id "
            "(did you mean 'one'?)",
        ),
        (
            ("prerequisite: one", "prerequisite: two"),
            "training.yml:15: lesson 'two' is its own prerequisite",
        ),
        (
            ("minutes: 10", "minutes: -10"),
            "training.yml:7: 'modules item 1.lessons item 1.minutes' must be greater than 0, "
            "not '-10'",
        ),
        (
            ("        minutes: 15\n", ""),
            "training.yml:10: 'modules item 1.lessons item 2.minutes' is missing; it is required",
        ),
        (
            ("minutes: 10", "minutes: ten"),
            "training.yml:7: 'modules item 1.lessons item 1.minutes' must be a whole number, "
            "not 'ten'",
        ),
        (
            ("id: two", "id: one"),
            "training.yml:10: lesson id 'one' is already used on line 5; lesson ids must be "
            "unique (they key each visitor's saved progress)\n"
            "training.yml:15: lesson 'one' is its own prerequisite",
        ),
        (
            ("id: two", "id: Two Lessons"),
            "training.yml:10: 'modules item 1.lessons item 2.id' is 'Two Lessons', which is not "
            "valid; use lower-case words joined by hyphens, e.g. 'issuing-permits'",
        ),
        (
            (
                "        objective: Learn one.\n",
                "        objective: Learn one.\n        minutse: 3\n",
            ),
            "training.yml:9: unknown training key 'minutse' (did you mean 'minutes'?); valid keys "
            "are 'also', 'audience', 'check', 'exercise', 'id', 'level', 'minutes', 'objective', "
            "'page', 'prerequisite', 'roles', 'text' or 'title'",
        ),
    ],
)
def test_bad_agenda(tmp_path, change, expected):
    old, new = change
    assert old in VALID
    assert messages(tmp_path, VALID.replace(old, new)) == expected.split("\n")


def test_prerequisite_cycle(tmp_path):
    text = VALID.replace(
        "        page: wiki/a.md\n", "        page: wiki/a.md\n        prerequisite: two\n"
    )
    assert messages(tmp_path, text) == [
        "training.yml:10: prerequisites form a cycle (one -> two -> one); remove one of them"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "training.yml:1: the file is empty; list the agenda's modules"),
        (
            "- a\n- b\n",
            "training.yml:1: the file must be a mapping of 'key: value' lines, not a list",
        ),
        ("modules: []\n", "training.yml:1: 'modules' needs at least one item; it has none"),
        (
            # The stream ends after the last line: the line to fix is the one with the bracket.
            "modules:\n  - id: x\n    title: [\n",
            "training.yml:3: YAML syntax error: expected the "
            "node content, but found '<stream end>' (parsing a flow node on this line)",
        ),
    ],
)
def test_malformed_files(tmp_path, text, expected):
    assert messages(tmp_path, text) == [expected]


def test_non_utf8_file(tmp_path):
    data = tmp_path / "_data"
    data.mkdir()
    (data / "training.yml").write_bytes(b"modules:\n  - title: caf\xe9\n")
    (error,) = loader.check(data, KNOWN)
    assert str(error).endswith(
        "training.yml:2: not valid UTF-8 (byte 0xe9 at offset 23); save the file as UTF-8"
    )


# --- editions --------------------------------------------------------------------------------

WITH_INTERNAL = (
    VALID
    + """\
      - id: secret
        title: Agents only CANARY-LESSON-5c1d
        minutes: 5
        objective: Internal.
        page: internal/notes.md
        audience: internal
"""
)


def test_internal_lesson_only_in_the_internal_edition(tmp_path):
    training = loader.load(write(tmp_path, WITH_INTERNAL), KNOWN)
    (public,) = generator.pages(training, "public", {}, "Site")
    (internal,) = generator.pages(training, "internal", {}, "Site")
    assert "CANARY-LESSON-5c1d" not in public.markdown
    assert "CANARY-LESSON-5c1d" in internal.markdown
    assert '<span class="kb-badge">Internal</span>' in internal.markdown
    assert "internal/notes.md" not in generator.lesson_places(training, "public")
    assert generator.edition_errors(training, "public", {"internal/notes.md"}) == []


def test_public_lesson_cannot_send_clients_to_internal_pages(tmp_path):
    text = VALID.replace("page: wiki/a.md", "page: internal/notes.md")
    training = loader.load(write(tmp_path, text), KNOWN)
    (error,) = generator.edition_errors(training, "public", {"internal/notes.md"})
    assert error.line == 9
    assert error.message == (
        "public lesson 'one' links to 'internal/notes.md', an internal page; mark the lesson "
        "'audience: internal' or link a public page"
    )
    assert generator.edition_errors(training, "internal", {"internal/notes.md"}) == []


# --- the generated page and lesson navigation ------------------------------------------------


def test_titles_are_escaped(tmp_path):
    text = VALID.replace("title: One", 'title: "<script>alert(1)</script> *x*"')
    training = loader.load(write(tmp_path, text), KNOWN)
    (page,) = generator.pages(training, "public", {"wiki/a.md": "A & <b>"}, "Site")
    assert "<script>" not in page.markdown
    assert "&#60;script&#62;alert(1)&#60;/script&#62; &#42;x&#42;" in page.markdown
    assert "[A &#38; &#60;b&#62;](<../wiki/a.md>)" in page.markdown


def test_lesson_places(tmp_path):
    training = loader.load(write(tmp_path, VALID), KNOWN)
    places = generator.lesson_places(training, "public")
    assert places["wiki/a.md"].heading == "Lesson 1 of 2 in Module 1: Basics"
    assert places["wiki/a.md"].previous is None
    assert places["wiki/a.md"].next.id == "two"
    assert places["wiki/b.md"].lessons[0].anchor == "part"
    assert places["wiki/b.md"].previous.id == "one" and places["wiki/b.md"].next is None


def demo_training():
    content = ROOT / "content"
    known = {p.relative_to(content).as_posix() for p in iter_markdown(content)}
    known |= {
        "training/agenda.md",
        "support/launch-a-ticket.md",
        "support/critical-tickets.md",
        "releases/index.md",
        "releases/upcoming.md",
    }
    return loader.load(content / "_data", known)


def test_demo_agenda_is_realistic():
    training = demo_training()
    public = generator.visible_modules(training, "public")
    assert len(public) == 5
    lessons = [lesson for m in public for lesson in m.lessons]
    assert len(lessons) >= 15 and sum(lesson.minutes for lesson in lessons) == 370
    assert any(lesson.page == "wiki/preview-environment.md" for lesson in lessons)
    places = generator.lesson_places(training, "public")
    assert places["wiki/permits.md"].heading == "Lessons 1–5 of 5 in Module 3: Permits"


def test_demo_agenda_golden():
    (page,) = generator.pages(demo_training(), "public", {"wiki/a.md": "A"}, "OPS-COM Help Centre")
    golden = ROOT / "tests" / "golden" / "training" / "agenda.md"
    if os.environ.get("KB_UPDATE_GOLDEN"):
        golden.write_text(page.markdown, encoding="utf-8")
    assert page.markdown == golden.read_text(encoding="utf-8")
