"""Canaries of the glossary: an internal term reaches no byte the public edition publishes.

Two internal terms are planted in a copy of the demo. One carries a unique token in its term,
its definition and its client words, and is mentioned on an internal page and in an internal
passage of a public page; the other is an ordinary phrase ("night shift") mentioned in public
prose, with a token in its definition, so that a public tooltip would carry it. Both editions
and the offline copy are built; every file of the public site and of its search index in .kb/
is read (as tests/site/test_canaries.py reads them: compressed files opened) and no token may be
there, while every token is in the internal edition. A route the build must refuse (a near
miss of the internal marker in a public definition) leaves nothing either.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import MINIMAL_CONFIG, ROOT, copy_demo, run_kb
from tests.site.test_canaries import every_file, token

TERM = token("glossaryterm")
DEFINITION = token("glossarydefinition")
WORD = token("glossaryword")
PHRASE_WORD = token("glossaryphraseword")
SHIFT_DEFINITION = token("glossaryshiftdefinition")
SHIFT_WORD = token("glossaryshiftword")
CANARIES = [TERM, DEFINITION, WORD, PHRASE_WORD, SHIFT_DEFINITION, SHIFT_WORD]

TERMS = f"""
  - term: Rota {TERM}
    audience: internal
    definition: >-
      Agents only: the {DEFINITION} list of who answers after-hours critical email.
    client_words: [{WORD}, {PHRASE_WORD} roster]
    see: internal/agent-notes.md

  - term: Night shift
    audience: internal
    definition: The agents on call tonight, named in {SHIFT_DEFINITION}.
    client_words: [{SHIFT_WORD}]
"""


def _plant(project: Path) -> None:
    content = project / "content"
    glossary = content / "_data" / "glossary.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + TERMS, encoding="utf-8")
    notes = content / "internal" / "agent-notes.md"
    notes.write_text(
        notes.read_text(encoding="utf-8")
        + f"\nAsk the Rota {TERM} before you call. The night shift answers critical email.\n",
        encoding="utf-8",
    )
    citations = content / "wiki" / "citations.md"
    citations.write_text(
        citations.read_text(encoding="utf-8")
        + "\nAfter hours, the night shift answers critical email only.\n\n"
        f"!!! internal\n    Check the Rota {TERM} first.\n",
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("glossary-canaries") / "project"
    copy_demo(project)
    _plant(project)
    for args in (("--edition", "public"), ("--edition", "internal"), ("--offline",)):
        result = run_kb("build", *args, cwd=project)
        assert result.exit_code == 0, result
    return project


def leaks(files: dict[str, bytes]) -> dict[str, list[str]]:
    return {
        canary: sorted(path for path, data in files.items() if canary.encode() in data)
        for canary in CANARIES
        if any(canary.encode() in data for data in files.values())
    }


def test_no_glossary_canary_in_any_byte_of_the_public_site(project):
    files = every_file(project / "site")
    assert leaks(files) == {}
    # The planted public mention is there, without a tooltip (its term is internal); the
    # glossary page is there, without the internal terms.
    citations = files["wiki/citations/index.html"]
    assert b"the night shift answers critical email only." in citations
    assert b"<abbr title" in citations and b">night shift</abbr>" not in citations
    assert b'id="permit"' in files["wiki/glossary/index.html"]
    assert any(path.startswith("assets/kb-search/") for path in files)


def test_no_glossary_canary_in_the_public_offline_copy(project):
    files = every_file(project / "site-offline")
    assert len(files) > 50
    assert leaks(files) == {}


def test_no_glossary_canary_in_the_public_search_index_files(project):
    public = {
        path: data
        for path, data in every_file(project / ".kb").items()
        if not any("internal" in part for part in Path(path).parts)
    }
    assert any("public" in path for path in public), sorted(public)
    assert leaks(public) == {}


def test_every_glossary_canary_is_in_the_internal_edition(project):
    files = every_file(project / "site-internal")
    assert sorted(leaks(files)) == sorted(CANARIES)
    # The internal edition's tooltips: on the internal page and in the public page's passage.
    notes = files["internal/agent-notes/index.html"]
    assert f">rota {TERM}</abbr>".encode() in notes
    assert SHIFT_DEFINITION.encode() in files["wiki/citations/index.html"]
    manifest = files["assets/kb-search/manifest.js"]
    assert WORD.encode() in manifest and SHIFT_WORD.encode() in manifest


# What internal search finds: the term in the agents' page, and (as synonyms) the client
# words of both terms (and the internal glossary's records, in the internal edition only).
SEARCHABLE = [TERM, WORD, SHIFT_WORD]


@pytest.mark.parametrize("canary", CANARIES)
def test_search_finds_no_glossary_canary_in_public(project, canary):
    public = run_kb("search", canary, "--json", "--limit", "50", cwd=project)
    assert public.exit_code == 0, public
    hits = json.loads(public.output)["hits"]
    assert all(canary not in json.dumps(hit).lower() for hit in hits), hits
    if canary in SEARCHABLE:
        internal = run_kb("search", canary, "--json", "--edition", "internal", cwd=project)
        assert internal.exit_code == 0, internal
        assert json.loads(internal.output)["total"] > 0, canary


def test_a_client_word_of_an_internal_term_is_a_synonym_only_internally(project):
    """The public page mentions the night shift: a public synonym would lead there."""
    for edition, found in (("public", False), ("internal", True)):
        result = run_kb("search", SHIFT_WORD, "--json", "--edition", edition, cwd=project)
        urls = [hit["url"] for hit in json.loads(result.output)["hits"]]
        assert any(u.startswith("wiki/citations/") for u in urls) is found, urls


def test_a_refused_definition_publishes_nothing(tmp_path):
    """A near miss of the internal marker in a public definition stops the build at its line,
    and the previous site and index keep nothing of it."""
    secret = token("glossaryrefused")
    project = tmp_path / "project"
    (project / "content" / "_data").mkdir(parents=True)
    (project / "mkdocs.yml").write_text(MINIMAL_CONFIG.format(theme=ROOT / "theme"))
    (project / "content" / "index.md").write_text("# Home\n\nAsk about escalation.\n")
    glossary = project / "content" / "_data" / "glossary.yml"
    glossary.write_text("terms:\n  - term: Escalation\n    definition: Handing a bug on.\n")
    assert run_kb("build", cwd=project).exit_code == 0
    glossary.write_text(
        "terms:\n  - term: Escalation\n    definition: |\n      Handing a bug on.\n\n"
        f"      !!! Internal\n          {secret}\n"
    )
    result = run_kb("build", cwd=project)
    assert result.exit_code == 1
    assert "content/_data/glossary.yml:6: '!!! Internal' is not an internal passage marker" in (
        result.output
    )
    files = {**every_file(project / "site"), **every_file(project / ".kb")}
    assert not [path for path, data in files.items() if secret.encode() in data]
