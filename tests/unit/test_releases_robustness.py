"""Whatever is in a release or change file, the loaders give a model or `path:line` errors.

Real reno notes (a different shape: sections of reStructuredText) and random YAML-ish text must
never raise anything else.
"""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb_builder.families.releases.loader import parse_change, parse_release
from kb_builder.families.releases.model import Change, Release
from tests.conftest import SHARED

RENO = SHARED / "corpora" / "reno-nova-sample" / "notes"
LOCATED = re.compile(r"^[^\n]+:\d+: \S")


def assert_model_or_located_errors(result, model, source):
    found, errors = result
    assert (found is None) == bool(errors)
    if found is not None:
        assert isinstance(found, model)
    for error in errors:
        assert error.path == source
        assert error.line >= 1
        assert LOCATED.match(str(error)), str(error)


@pytest.mark.skipif(not RENO.is_dir(), reason="the reno corpus is not in ../shared/corpora")
def test_every_reno_note_gives_a_change_or_located_errors():
    notes = sorted(RENO.rglob("*.yaml"))
    assert len(notes) == 300
    messages = []
    for note in notes:
        source = str(note)
        result = parse_change(note.read_bytes(), source)
        assert_model_or_located_errors(result, Change, source)
        messages += [e.message for e in result[1]]
    # reno's sections are not change keys: each is named with what would be valid.
    assert any(m.startswith("unknown change key 'features'") for m in messages)
    assert any("'title' is missing" in m for m in messages)


@pytest.mark.skipif(not RENO.is_dir(), reason="the reno corpus is not in ../shared/corpora")
def test_reno_notes_as_releases_too():
    for note in sorted(RENO.rglob("*.yaml")):
        assert_model_or_located_errors(
            parse_release(note.read_bytes(), str(note)), Release, str(note)
        )


def test_reno_manifest_is_readable():
    manifest = RENO.parent / "manifest.json"
    if not manifest.is_file():
        pytest.skip("the reno corpus is not in ../shared/corpora")
    assert json.loads(manifest.read_text(encoding="utf-8"))


KEYS = [
    "title",
    "kind",
    "body",
    "release",
    "version",
    "status",
    "date",
    "rollout",
    "waves",
    "name",
    "who",
    "tracker",
    "modules",
    "audience",
    "summary",
    "features",
    "x",
]
SCALARS = [
    "fix",
    "feature",
    "planned",
    "released",
    "2026.10",
    "'2026.10'",
    "2026-12-08",
    "2026-13-01",
    "../x",
    "~",
    "",
    "[]",
    "{}",
    "OPS-12",
    "!!int x",
    "!!timestamp y",
    "!!bool maybe",
    "&a x",
    "*a",
    "|",
    ">-",
    "'unclosed",
    '"\\x"',
    "- item",
    ": x",
    "!!binary ab",
    "!!python/none",
    "1e400",
    "0x1F",
    ".inf",
    "\t",
    "é",
    "\ufeff",
]


@st.composite
def yamlish(draw) -> str:
    """Text that looks like a data file: keys, values, lists, indentation, and noise."""
    lines = []
    for _ in range(draw(st.integers(0, 12))):
        indent = " " * draw(st.sampled_from([0, 0, 0, 2, 4, 1]))
        kind = draw(st.integers(0, 4))
        if kind == 0:
            line = f"{draw(st.sampled_from(KEYS))}: {draw(st.sampled_from(SCALARS))}"
        elif kind == 1:
            line = f"- {draw(st.sampled_from(SCALARS))}"
        elif kind == 2:
            line = f"- {draw(st.sampled_from(KEYS))}: {draw(st.sampled_from(SCALARS))}"
        elif kind == 3:
            line = draw(st.sampled_from(KEYS)) + ":"
        else:
            line = draw(st.text(max_size=12))
        lines.append(indent + line)
    return "\n".join(lines)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(yamlish())
def test_random_yamlish_text_never_raises(text):
    raw = text.encode("utf-8", "surrogatepass")
    assert_model_or_located_errors(parse_change(raw, "c.yml"), Change, "c.yml")
    assert_model_or_located_errors(parse_release(raw, "r.yml"), Release, "r.yml")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_never_raise(raw):
    assert_model_or_located_errors(parse_change(raw, "c.yml"), Change, "c.yml")
    assert_model_or_located_errors(parse_release(raw, "r.yml"), Release, "r.yml")
