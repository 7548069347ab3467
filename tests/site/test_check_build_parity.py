"""`kb check` and `kb build` agree: whatever a strict build refuses, the check reports first.

For every case of tests/bad_inputs/ (found at run time, so cases others add are covered too),
the same copied project is checked and then built, in both editions, with the real `kb`
command. The check must fail whenever a build fails; every problem a build reports must be
among the check's, word for word; every message names a writer's file (under content/, or
mkdocs.yml) with a line; nothing is a traceback; and a failed build leaves the previous site
as it was. Odd but valid data values are the other half: they must build, and show as text.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from tests.conftest import MINIMAL_CONFIG, ROOT, run_kb, write_project
from tests.site.test_bad_inputs import CORPUS, project

CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir() and (p / "content").is_dir())
EDITIONS = ("public", "internal")
# A located message as kb prints it: a file of the writer's, a line, what is wrong. A problem
# with a file as a whole (its name collides with another's) names the file alone.
LOCATED = re.compile(r"^(?P<path>content/\S.*?|mkdocs\.yml)(?::(?P<line>[1-9]\d*))?: \S")
PREVIOUS = "<!doctype html><title>Previous site</title><p>Kept while a build fails.</p>\n"


def _check_problems(output: str) -> list[str]:
    """The problems `kb check` printed: every line but its summary and notes."""
    notes = re.compile(r"^(\d+ problems? found in |\d+ pages? .* due\.|Search checks not run )")
    return [
        line
        for line in output.splitlines()
        if line.strip()
        and not notes.match(line)
        and not line.endswith(("[review due]", "[site_url]"))
    ]


def _build_problems(output: str) -> list[str]:
    """What `kb build` refused: its ERROR and WARNING lines, and the lines its failure lists."""
    found = []
    for raw in output.splitlines():
        line = raw.strip()
        for prefix in ("ERROR: ", "WARNING: ", "Build failed: "):
            if line.startswith(prefix):
                found.append(line.removeprefix(prefix))
        if raw.startswith("  ") and LOCATED.match(line):
            found.append(line)
    return [line.removesuffix(" The previous site, if any, is unchanged.") for line in found]


def _tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_every_bad_input_is_a_case():
    assert len(CASES) >= 70  # the 50 founding cases, 22 of issue 16's parity class, others'


@pytest.mark.parametrize("case", CASES)
def test_check_reports_everything_the_build_refuses(tmp_path, case):
    root = project(tmp_path / "project", case)
    check = run_kb("check", cwd=root)
    assert check.exception is None and "Traceback" not in check.output, check
    assert check.exit_code == 1, check
    reported = _check_problems(check.output)
    assert reported, check
    for line in reported:
        assert LOCATED.match(line), f"not at a writer's file and line: {line}"

    failed = []
    for edition in EDITIONS:
        site = tmp_path / f"site-{edition}"
        site.mkdir()
        (site / "index.html").write_text(PREVIOUS, encoding="utf-8")
        # What a previous kb build leaves (the engine replaces only folders it wrote).
        marker = {"generator": "kb-builder", "edition": edition, "offline": False}
        (site / ".kb-build").write_text(json.dumps(marker), encoding="utf-8")
        before = _tree(site)
        build = run_kb("build", "--edition", edition, "-d", str(site), cwd=root)
        assert build.exception is None and "Traceback" not in build.output, build
        assert _tree(site) == before or build.exit_code == 0, f"{edition} build changed the site"
        if build.exit_code == 0:
            continue
        failed.append(edition)
        leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(f".{site.name}.")]
        assert leftovers == [], f"the failed {edition} build left {leftovers}"
        refused = [
            line for line in _build_problems(build.output) if line != "stopped at the error above."
        ]
        refused = [line for line in refused if not line.startswith("strict mode refuses ")]
        assert refused, f"the {edition} build failed without saying why:\n{build.output}"
        assert "Aborted with" not in build.output, build  # MkDocs' count, never the reason
        for line in refused:
            assert LOCATED.match(line), f"{edition} build: not at a writer's line: {line}"
            assert line in reported, f"{edition} build reports what check does not: {line}"
    assert failed, f"kb check fails but both editions build:\n{check.output}"


def _lesson_site(tmp_path: Path, value: str) -> Path:
    """A site whose agenda texts (titles, objective, description) and change title are `value`."""
    quoted = value.replace("\\", "\\\\").replace('"', '\\"')
    training = f"""\
title: "{quoted}"
description: "{quoted}"
modules:
  - id: basics
    title: "{quoted}"
    lessons:
      - id: one
        title: "{quoted}"
        minutes: 10
        objective: "{quoted}"
        page: guide.md
"""
    write_project(
        tmp_path,
        {
            "index.md": "# Home\n\nWelcome.\n",
            "guide.md": "# Guide\n\nText.\n",
            "_data/training.yml": training,
            "_data/changes/odd-value-aaaa0001.yml": f'title: "{quoted}"\nkind: fix\n',
        },
        MINIMAL_CONFIG.format(theme=ROOT / "theme"),
    )
    return tmp_path


ODD_VALUES = {
    "colon-space": "Training: the basics",
    "hash": "C# and #hashtags ##",
    "three-dashes": "---",
    "braces": "{{ support.plans }} and {% raw %}",
    "attribute-list": "Title {: #custom .class onclick=alert(1) }",
    "pipe": "Users | roles | permits",
    "backticks": "Use `kb check` first",
    "leading-dash": "- not a list item",
    "yaml-ish": "yes: no, null ~ [1, 2] {a: b}",
    "markdown-link": "[click](javascript:alert(1)) *bold* _em_",
    "html": "<b>bold</b> & <script>x</script>",
    "emoji": "Start here 🚀✅",
    "rtl": "مرحبا بكم في التدريب",
    "long": "word " * 400,
}


@pytest.mark.parametrize("name", sorted(ODD_VALUES))
def test_odd_but_valid_data_builds_and_shows_as_text(tmp_path, name):
    value = ODD_VALUES[name].strip()
    root = _lesson_site(tmp_path / "project", value)
    check = run_kb("check", cwd=root)
    assert check.exit_code == 0 and "Traceback" not in check.output, check
    site = tmp_path / "site"
    build = run_kb("build", "-d", str(site), cwd=root)
    assert build.exit_code == 0 and "Traceback" not in build.output, build
    html = (site / "training" / "agenda" / "index.html").read_text(encoding="utf-8")
    tree = LexborHTMLParser(html)
    text = " ".join(tree.css_first("article").text(separator=" ").split())
    wanted = " ".join(value.split())
    assert tree.css_first("article h1").text(strip=True).removesuffix("¶") == wanted
    assert text.count(wanted) >= 3  # heading, module, lesson and objective, as written
    # As text, never as markup: no element or attribute came from the value.
    assert tree.css("article script") == [] and tree.css("article [onclick]") == []
    assert tree.css("article a[href^='javascript']") == []
    upcoming = LexborHTMLParser(
        (site / "releases" / "upcoming" / "index.html").read_text(encoding="utf-8")
    )
    assert wanted in " ".join(upcoming.css_first("article").text(separator=" ").split())
    assert upcoming.css("article script") == [] and upcoming.css("article [onclick]") == []
    shutil.rmtree(site)


def test_a_warning_of_a_kind_never_seen_is_kept_whole_at_the_file_it_names(tmp_path):
    from kb_builder.checking.warnings import Locator

    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "guide.md").write_text("# Guide\n", encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n", encoding="utf-8")
    locator = Locator(tmp_path / "content", config)
    [named] = locator.locate("Doc file 'guide.md' has a problem of a new kind.")
    assert (named.path, named.line) == (str(tmp_path / "content" / "guide.md"), 1)
    assert named.message == "Doc file 'guide.md' has a problem of a new kind."
    [anywhere] = locator.locate("The theme could not do something.")
    assert (anywhere.path, anywhere.line) == (str(config), 1)


def test_a_generated_line_of_template_text_belongs_to_the_data_item_above(tmp_path):
    from kb_builder.checking.source_lines import locate

    data = tmp_path / "_data"
    data.mkdir()
    (data / "training.yml").write_text(
        "modules:\n"
        "  - id: permits\n"
        "    title: Permits and passes\n"
        "  - id: reports\n"
        "    title: Reports and exports\n",
        encoding="utf-8",
    )
    generated = (
        "# Agenda\n\n## Module 1: Permits and passes\n\n2 lessons · 45 min\n\n"
        "## Module 2: Reports and exports\n\n3 lessons · 1 h\n"
    )
    assert locate(tmp_path, "_data/training.yml", generated, 5).line == 3
    assert locate(tmp_path, "_data/training.yml", generated, 9).line == 5
    assert locate(tmp_path, "_data/training.yml", generated, 7).line == 5
    found = locate(tmp_path, "_data/training.yml", generated, 9, ["reports"])
    assert (found.line, found.matched) == (4, "reports")
