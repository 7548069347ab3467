"""``kb search``: the last build's index from a terminal (kb_builder.indexing.service)."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from kb_builder.cli.search import format_results, search_command, snippet_text
from kb_builder.indexing.service import index_dir_for
from search.index import rebuild
from search.query import Results
from tests.conftest import ROOT
from tests.site.test_search_documents import site_documents


@pytest.fixture(scope="module")
def project(demo_site, tmp_path_factory):
    """A project folder whose last public build left its index in .kb/index/public/."""
    root = tmp_path_factory.mktemp("project")
    (root / "mkdocs.yml").write_text("site_name: Test\ndocs_dir: content\n", encoding="utf-8")
    shutil.copytree(ROOT / "content" / "_data", root / "content" / "_data")
    rebuild(
        index_dir_for(root / "mkdocs.yml", "public"), site_documents(demo_site), edition="public"
    )
    return root


def kb_search(*args: str):
    return CliRunner().invoke(search_command, list(args), catch_exceptions=False)


def test_results_are_readable_in_a_terminal(project):
    result = kb_search("phone hours", "-f", str(project / "mkdocs.yml"), "--limit", "3")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].endswith("showing 3:")
    assert lines[2] == (
        " 1. What hours is telephone support available? (Customer Support FAQ)  [faq]"
    )
    assert lines[3] == "    /faq/#what-hours-is-telephone-support-available"
    assert lines[4].startswith("    Telephone support is available to our Premium customers")
    assert "<mark>" not in result.output and "\x1b[" not in result.output  # not a terminal


def test_marks_become_bold_only_on_a_terminal():
    assert snippet_text("a <mark>b</mark> &amp; c", bold=False) == "a b & c"
    assert snippet_text("a <mark>b</mark>", bold=True) == "a \x1b[1mb\x1b[0m"
    # Control characters from page text never reach the terminal.
    assert snippet_text("x \x1b[2J<mark>y</mark>", bold=False) == "x [2Jy"


def test_json_output_for_scripts(project):
    result = kb_search("telefone", "-f", str(project / "mkdocs.yml"), "--json", "--kind", "faq")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["did_you_mean"] == "telephone" and data["corrected_query"] == "telephone"
    assert {h["kind"] for h in data["hits"]} == {"faq"}
    assert data["hits"][0]["url"] == "faq/#what-hours-is-telephone-support-available"


def test_synonyms_come_from_the_content_folder(project, monkeypatch):
    monkeypatch.chdir(project)  # -f defaults to mkdocs.yml in the working folder
    result = kb_search("sandbox", "--json", "--limit", "3")
    pages = [h["url"].split("#")[0] for h in json.loads(result.output)["hits"]]
    assert "wiki/preview-environment/" in pages


def test_no_index_yet_is_a_clear_message_and_exit_1(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: T\ndocs_dir: content\n", encoding="utf-8")
    result = CliRunner().invoke(search_command, ["ticket", "-f", str(tmp_path / "mkdocs.yml")])
    assert result.exit_code == 1
    assert "no search index yet; run kb build first" in result.output
    result = CliRunner().invoke(
        search_command, ["ticket", "-f", str(tmp_path / "mkdocs.yml"), "--edition", "internal"]
    )
    assert result.exit_code == 1 and ".kb/index/internal" in result.output


def test_bad_options_and_bad_synonyms(project, tmp_path):
    result = CliRunner().invoke(search_command, ["x", "--limit", "0"])
    assert result.exit_code == 2 and "0 is not in the range 1<=x<=50" in result.output
    result = CliRunner().invoke(search_command, ["x", "--kind", "movie"])
    assert result.exit_code == 2
    broken = tmp_path / "p"
    (broken / "content" / "_data").mkdir(parents=True)
    (broken / "mkdocs.yml").write_text("site_name: T\ndocs_dir: content\n", encoding="utf-8")
    (broken / "content" / "_data" / "synonyms.yml").write_text("synonyms: [", encoding="utf-8")
    result = CliRunner().invoke(search_command, ["x", "-f", str(broken / "mkdocs.yml")])
    assert result.exit_code == 2
    assert "synonyms.yml:1: YAML syntax error" in result.output
    assert "Traceback" not in result.output


def test_an_empty_or_syntax_only_query_says_no_results(project):
    for q in ("", '"(*:^~)'):
        result = kb_search(q, "-f", str(project / "mkdocs.yml"))
        assert result.exit_code == 0
        assert result.output.strip() == f'No results for "{q}".'


def test_corrections_are_announced():
    text = format_results(Results("telefone", (), 0, "telephone", "telephone"), color=False)
    assert text.splitlines()[0] == 'Showing results for "telephone".'
    text = format_results(Results("x", (), 0, "y", None), color=False)
    assert text.splitlines()[0] == 'Did you mean "y"?'
