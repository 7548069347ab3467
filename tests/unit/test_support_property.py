"""Property tests: whatever a writer types, the result is the model or ContentErrors.

Never a traceback: random YAML, random changes to the demo file and random Markdown around
placeholders all end in a validated model (whose pages then generate), or in `ContentError`s.
"""

from __future__ import annotations

import copy

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb_builder.core.editions import EDITIONS
from kb_builder.core.errors import ContentError
from kb_builder.families.support import pages as generator
from kb_builder.families.support.facts import build_facts
from kb_builder.families.support.loader import SupportData, check_text
from kb_builder.families.support.model import SupportFile
from kb_builder.families.support.placeholders import find_errors, resolve
from tests.conftest import ROOT
from tests.helpers.located import assert_located, invalid_for

DEMO_TEXT = (ROOT / "content" / "_data" / "support.yml").read_text(encoding="utf-8")
DEMO = yaml.safe_load(DEMO_TEXT)
KEYS = sorted(
    {"id", "name", "days", "time", "plans", "channels", "hours", "channel", "audience"}
    | set(DEMO)
    | {k for v in DEMO.values() if isinstance(v, dict) for k in v}
)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.sampled_from(
        [
            "Mon-Fri",
            "09:00-17:00",
            "17:00-09:00",
            "America/Toronto",
            "premium",
            "email",
            "internal",
            "15 minutes",
            "{{ support.vendor }}",
            "{{ support.nope }}",
            "business-hours",
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), children, max_size=5
        ),
    ),
    max_leaves=25,
)


def outcome(text: str):
    """check_text never raises; a valid model also generates its pages in both editions.

    Every error stands on a line that holds it, and input that PyYAML or the model alone
    refuse always has at least one.
    """
    model, errors = check_text(text, "support.yml")
    assert all(isinstance(e, ContentError) for e in errors)
    assert (model is None) == bool(errors)
    assert_located(errors, text, invalid=invalid_for(text, SupportFile, empty_is_valid=False))
    if model is not None:
        data = SupportData(model, "support.yml", "_data/support.yml", build_facts(model))
        for edition in EDITIONS:
            assert len(generator.pages(data, edition)) == 4
    return model, errors


@FAST
@given(values)
def test_random_yaml_is_a_model_or_errors(value):
    outcome(yaml.safe_dump(value, allow_unicode=True))


@FAST
@given(st.text(max_size=200))
def test_random_text_is_a_model_or_errors(text):
    outcome(text)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, child in node.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(node, list):
        for i, child in enumerate(node):
            yield from _paths(child, (*prefix, i))


PATHS = [p for p in _paths(DEMO) if p]


@FAST
@given(st.sampled_from(PATHS), values, st.booleans())
def test_one_change_to_the_demo_file_is_a_model_or_errors(path, value, delete):
    data = copy.deepcopy(DEMO)
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    outcome(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


FACTS = build_facts(check_text(DEMO_TEXT, "support.yml")[0])
names = st.sampled_from(FACTS.names() + ["support.nope", "suport.vendor", "support.plans"])
pieces = st.one_of(
    st.text(alphabet="ab `*_#>-|[]()\n\t{}!:<\\", max_size=12),
    names.map(lambda n: "{{ " + n + " }}"),
    st.sampled_from(["```\n", "    ", "!!! note\n", "<div>\n", "\n\n", "1. ", "- "]),
)


@FAST
@given(st.lists(pieces, max_size=25).map("".join), st.sampled_from(EDITIONS))
def test_placeholders_resolve_or_raise_content_errors(markdown, edition):
    errors = find_errors(markdown, "p.md", 0, FACTS, edition)
    try:
        resolved = resolve(markdown, "p.md", 0, FACTS, edition)
    except ContentError as e:
        assert errors and e == errors[0]
    else:
        assert errors == []
        assert isinstance(resolved, str)
