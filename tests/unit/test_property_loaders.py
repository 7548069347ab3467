"""Random YAML at every loader: each answers with a model or path:line errors, never a crash."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb_builder.families.training import loader as training_loader
from kb_builder.families.training.model import TrainingFile
from kb_builder.indexing import search_checks, synonyms
from kb_builder.indexing.search_checks import SearchChecksFile
from kb_builder.indexing.synonyms import SynonymsFile
from kb_builder.pages.meta import PageMeta
from kb_builder.pages.page import analyse, analyse_file
from tests.helpers.located import assert_located, invalid_for

YAMLISH = st.text(
    alphabet=st.sampled_from(
        list("abc xyz-:_[]{}#&*!|>'\"%@`,?\n\t0123456789.\\~") + ["é", "\x00"]
    ),
    max_size=200,
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.dates(),
)
VALUES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "title",
                    "type",
                    "modules",
                    "lessons",
                    "id",
                    "minutes",
                    "page",
                    "synonyms",
                    "checks",
                    "query",
                    "expect",
                    "x",
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)
SLOW = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SLOW
@given(YAMLISH)
def test_front_matter_text(text):
    page = analyse(f"---\n{text}\n---\n# Page\n", "p.md")
    invalid = "---" not in text and invalid_for(text, PageMeta, empty_is_valid=True)
    assert_located(page.errors, text, line_offset=1, invalid=invalid)


@SLOW
@given(VALUES)
def test_front_matter_structures(value):
    text = yaml.safe_dump(value)
    page = analyse(f"---\n{text}---\n# Page\n", "p.md")
    invalid = invalid_for(text, PageMeta, empty_is_valid=True)
    assert_located(page.errors, text, line_offset=1, invalid=invalid)


@SLOW
@given(st.binary(max_size=200))
def test_page_bytes(raw):
    try:
        text, invalid = raw.decode("utf-8"), False
    except UnicodeDecodeError:
        text, invalid = raw.decode("utf-8", errors="replace"), True
    assert_located(analyse_file(raw, "p.md").errors, text, invalid=invalid)


def _write(tmp_path_factory, name: str, text: str):
    folder = tmp_path_factory.mktemp("data")
    (folder / name).write_text(text, encoding="utf-8", errors="surrogatepass")
    return folder


@SLOW
@given(st.one_of(YAMLISH, VALUES.map(yaml.safe_dump)))
def test_training(tmp_path_factory, text):
    folder = _write(tmp_path_factory, "training.yml", text)
    invalid = invalid_for(text, TrainingFile, empty_is_valid=False)
    assert_located(training_loader.check(folder, {"index.md"}), text, invalid=invalid)


@SLOW
@given(st.one_of(YAMLISH, VALUES.map(yaml.safe_dump)))
def test_synonyms(tmp_path_factory, text):
    folder = _write(tmp_path_factory, "synonyms.yml", text)
    invalid = invalid_for(text, SynonymsFile, empty_is_valid=True)
    assert_located(synonyms.check(folder), text, invalid=invalid)


@SLOW
@given(st.one_of(YAMLISH, VALUES.map(yaml.safe_dump)))
def test_search_checks(tmp_path_factory, text):
    folder = _write(tmp_path_factory, "search-checks.yml", text)
    invalid = invalid_for(text, SearchChecksFile, empty_is_valid=True)
    assert_located(search_checks.check(folder), text, invalid=invalid)
