"""yamlio: every value's line is kept, and every YAML mistake is a path:line error."""

import pytest

from kb_builder.core.errors import ContentError
from kb_builder.core.yamlio import decode_utf8, load_yaml, split_front_matter


def test_lines_of_keys_and_items():
    data, lines = load_yaml("a: 1\nb:\n  - x\n  - y: 2\n    z: 3\n", "f.yml")
    assert data == {"a": 1, "b": ["x", {"y": 2, "z": 3}]}
    assert lines.line_of(("a",)) == 1
    assert lines.line_of(("b", 1, "z")) == 5
    # An unknown path falls back to its closest known ancestor.
    assert lines.line_of(("b", 1, "missing")) == 4


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: 1\na: 2\n", "f.yml:2: duplicate key 'a' (first given on line 1); keep one of them"),
        (
            "title: [x\n",
            "f.yml:1: YAML syntax error: expected ',' or ']', but got '<stream end>' "
            "(parsing a flow sequence on this line)",
        ),
        ("a: b: c\n", "f.yml:1: YAML syntax error: mapping values are not allowed here"),
        (
            "a: !!python/name:os.system\n",
            "f.yml:1: 'a' has the tag '!!python/name:os.system', which would run Python code "
            "when the file is read; remove it",
        ),
        ("? [a, b]\n: 1\n", "f.yml:1: a key must be a plain word or string, not a list or mapping"),
        (
            "a: 1\nb: \x01x\n",
            "f.yml:2: contains the control character U+0001, which YAML does not "
            "allow; delete it (it is often pasted in by accident)",
        ),
        (
            "title: !!bool maybe\n",
            "f.yml:1: 'title' is 'maybe', which cannot be read as bool; remove the '!!bool' tag "
            "or correct the value",
        ),
        (
            "n: !!int x\n",
            "f.yml:1: 'n' is 'x', which cannot be read as int; remove the '!!int' tag or correct "
            "the value",
        ),
        (
            "d: 2026-02-30\n",
            "f.yml:1: '2026-02-30' is not a valid date (day is out of range for "
            "month); write dates as YYYY-MM-DD",
        ),
    ],
)
def test_yaml_mistakes_have_a_line(text, message):
    with pytest.raises(ContentError) as e:
        load_yaml(text, "f.yml")
    assert str(e.value) == message


def test_alias_bomb_is_refused():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 8):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        bomb += f"{cur}: &{cur} [{', '.join(['*' + prev] * 10)}]\n"
    with pytest.raises(ContentError, match="more than 200,000 values"):
        load_yaml(bomb, "f.yml")


def test_front_matter_lines_are_file_lines():
    fm = split_front_matter("---\ntitle: T\ntype: faq\n---\n# T\n", "p.md")
    assert fm.data == {"title": "T", "type": "faq"}
    assert fm.lines.line_of(("type",)) == 3
    assert fm.body == "# T\n"
    assert fm.body_offset == 4


def test_no_front_matter():
    fm = split_front_matter("# Just a page\n", "p.md")
    assert (fm.data, fm.body, fm.body_offset) == ({}, "# Just a page\n", 0)


def test_unclosed_front_matter():
    with pytest.raises(
        ContentError, match=r"p.md:1: front matter opened with '---' is never closed"
    ):
        split_front_matter("---\ntitle: T\n# T\n", "p.md")


def test_bad_utf8_is_reported_at_its_line():
    with pytest.raises(ContentError) as e:
        decode_utf8(b"one\ntwo \xff\n", "p.md")
    assert str(e.value) == "p.md:2: not valid UTF-8 (byte 0xff at offset 8); save the file as UTF-8"


def test_bom_is_dropped():
    assert decode_utf8("\ufeff# T".encode(), "p.md") == "# T"


@pytest.mark.parametrize("brk", ["\r", "\x85", "\u2028", "\u2029"], ids=["CR", "NEL", "LS", "PS"])
def test_lines_count_newlines_only_as_editors_and_messages_do(brk):
    # PyYAML also breaks lines at these; the file's lines (and every message) count "\n".
    text = f'title: "a{brk}b"\nitems:\n  - one\nbad: [unclosed\n'
    with pytest.raises(ContentError) as caught:
        load_yaml(text, "x.yml")
    assert caught.value.line == 4
    data, lines = load_yaml(f'title: "a{brk}b"\nitems:\n  - one\n', "x.yml")
    assert lines.line_of(("items", 0)) == 3
