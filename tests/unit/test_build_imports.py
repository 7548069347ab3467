"""A build loads only the code it runs (docs/architecture.md, "A build imports only what it uses").

Every module a build imports and never runs is memory held through the whole build: before
these were lazy, a 1,000-page build held about 9 MB of them (issue 14). Each check runs in a
fresh interpreter, since this test process has imported everything already.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

# What a build of a site without support data, searches or reports must not load, and why.
NOT_FOR_A_BUILD = {
    "search.query": "the query stack: kb search, the API and kb check's search checks",
    "whoosh.searching": "searching an index: a build only writes one",
    "whoosh.highlight": "snippets of search results",
    "sqlite3": "kb report's and the API's insights store",
    "phonenumbers": "support.yml's telephone numbers",
    "email_validator": "support.yml's e-mail addresses",
}


def _loaded_after(code: str) -> set[str]:
    script = textwrap.dedent(code) + textwrap.dedent(
        """
        import json, sys
        print(json.dumps(sorted(sys.modules)))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.splitlines()[-1]))


@pytest.fixture(scope="module")
def build_modules(tmp_path_factory) -> set[str]:
    """The modules of a real `kb build` of a small site with no data files."""
    site = tmp_path_factory.mktemp("site")
    docs = site / "docs"
    (docs / "guides").mkdir(parents=True)
    (docs / "index.md").write_text("# Help\n\nStart with [a guide](guides/login.md).\n")
    (docs / "guides" / "login.md").write_text(
        "# Sign in\n\nOpen the `Sign in` page and type your e-mail address.\n"
    )
    (site / "mkdocs.yml").write_text(
        "site_name: Help\ndocs_dir: docs\n"
        "theme:\n  name: material\n  font: false\nplugins:\n  - kb\n"
    )
    return _loaded_after(
        f"""
        import sys
        from kb_builder.cli.main import main
        try:
            main(["build", "-q", "--no-strict", "-f", {str(site / "mkdocs.yml")!r},
                  "-d", {str(site / "site")!r}], standalone_mode=False)
        except SystemExit as e:
            assert not e.code, e.code
        """
    )


@pytest.mark.parametrize("module", sorted(NOT_FOR_A_BUILD))
def test_a_build_does_not_load(build_modules, module):
    assert "kb_builder.plugins.kb" in build_modules  # the build really ran
    assert module not in build_modules, f"{module} ({NOT_FOR_A_BUILD[module]})"


def test_each_verb_is_loaded_when_it_runs():
    loaded = _loaded_after("from kb_builder.cli.main import main")
    assert not {m for m in loaded if m.startswith("kb_builder.cli.") and m != "kb_builder.cli.main"}


def test_kb_search_still_loads_the_query_stack():
    # The lazy group must still find every verb (and `kb search` needs its engine).
    loaded = _loaded_after(
        """
        from kb_builder.cli.main import main
        assert main.get_command(None, "search") is not None
        assert sorted(main.list_commands(None)) == sorted(
            ["build", "check", "import", "new", "release", "report", "search", "serve"]
        )
        """
    )
    assert "search.query" in loaded


@pytest.mark.parametrize(("typed", "proposed"), [("bulid", "build"), ("serach", "search")])
def test_a_misspelt_verb_still_gets_a_proposal(typed, proposed):
    from click.testing import CliRunner

    from kb_builder.cli.main import main

    result = CliRunner().invoke(main, [typed])
    assert result.exit_code == 2
    assert f"No such command '{typed}'. Did you mean '{proposed}'?" in result.output
