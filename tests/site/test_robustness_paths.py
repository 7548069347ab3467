"""Paths and requests: nothing overwritten on another file system, nothing from elsewhere
published, nothing loaded from another host."""

from __future__ import annotations

import os
import unicodedata

import pytest

from kb_builder.core.project import read_settings
from kb_builder.pages import third_party, urls
from tests.conftest import MINIMAL_CONFIG, ROOT, run_kb, write_project

NFC = unicodedata.normalize("NFC", "café")
NFD = unicodedata.normalize("NFD", "café")


def source(uri: str) -> str:
    return f"content/{uri}"


@pytest.mark.parametrize(
    "uris, culprit",
    [
        (["Billing.md", "billing.md"], "content/billing.md"),
        ([f"{NFC}.md", f"{NFD}.md"], f"content/{NFC}.md"),  # decomposed sorts first
        (["FAQ.md", "faq/index.md"], "content/faq/index.md"),
        (["wiki/A.md", "wiki/a/index.md"], "content/wiki/a/index.md"),
    ],
)
def test_pages_published_at_one_place_on_a_case_insensitive_disk(uris, culprit):
    errors = urls.collisions(uris, source)
    assert [e.path for e in errors] == [culprit]
    assert "one would overwrite the other" in errors[0].message


@pytest.mark.parametrize(
    "uris, kind, culprit",
    [
        (["Guides/a.md", "guides/b.md"], "folder", "content/guides/b.md"),
        ([f"{NFC}/a.md", f"{NFD}/b.md"], "folder", f"content/{NFC}/a.md"),
        (["img/Logo.png", "img/logo.png"], "file", "content/img/logo.png"),
        (["_data/Training.yml", "_data/training.yml"], "file", "content/_data/training.yml"),
    ],
)
def test_files_and_folders_that_differ_only_in_spelling(uris, kind, culprit):
    errors = urls.spelling_collisions(uris, source)
    assert [e.path for e in errors] == [culprit]
    assert errors[0].message.startswith(f"the {kind} ")


def test_distinct_names_are_fine():
    uris = ["a.md", "b.md", "img/a.png", "img/b.png", f"{NFC}.md", "cafe.md", "A-b.md", "a-b/x.md"]
    assert urls.spelling_collisions(uris, source) == []
    assert urls.collisions([u for u in uris if u.endswith(".md")], source) == []


@pytest.mark.parametrize(
    "files, message",
    [
        ({"Billing.md": "# A\n", "billing.md": "# B\n"}, "differ only in upper/lower case"),
        ({f"wiki/{NFC}.md": "# A\n", f"wiki/{NFD}.md": "# B\n"}, "accents are encoded"),
        ({"Guides/a.md": "# A\n", "guides/b.md": "# B\n"}, "the folder 'guides'"),
        ({"img/Logo.png": b"a", "img/logo.png": b"b"}, "the file 'img/logo.png'"),
    ],
)
def test_build_and_check_refuse_spelling_collisions(tmp_path, files, message):
    cfg = write_project(tmp_path, {"index.md": "# Home\n", **files})
    for command in ("build", "check"):
        result = run_kb(command, "-f", str(cfg), cwd=tmp_path)
        assert result.exit_code == 1 and result.exception is None, (command, result)
        assert message in result.output, (command, result)
    assert not (tmp_path / "site").exists()


@pytest.fixture
def outside(tmp_path):
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "secret.md").write_text("# Secret\n\nroot:x:0:0\n")
    (folder / "roster.csv").write_text("name,phone\n")
    return folder


@pytest.mark.parametrize(
    "link, target",
    [
        ("passwd.md", "secret.md"),  # a page
        ("roster.csv", "roster.csv"),  # a file published beside the pages
        ("team", "."),  # a folder: everything in it
        ("_data/synonyms.yml", "secret.md"),  # a data file is read, so it is refused too
    ],
)
def test_a_symlink_out_of_the_project_is_refused(tmp_path, outside, link, target):
    root = tmp_path / "project"
    cfg = write_project(root, {"index.md": "# Home\n"})
    path = root / "content" / link
    path.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(outside / target, path)
    for command in ("build", "check"):
        result = run_kb(command, "-f", str(cfg), cwd=root)
        assert result.exit_code == 1 and result.exception is None, (command, result)
        assert "outside the project" in result.output, (command, result)
        assert f"content/{link}" in result.output
    assert not (root / "site").exists()


def test_a_symlink_inside_the_project_is_fine(tmp_path):
    cfg = write_project(tmp_path, {"index.md": "# Home\n"})
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "terms.md").write_text("# Terms\n")
    os.symlink(tmp_path / "shared" / "terms.md", tmp_path / "content" / "terms.md")
    result = run_kb("build", "-f", str(cfg), cwd=tmp_path)
    assert result.exit_code == 0, result
    assert (tmp_path / "site" / "terms" / "index.html").is_file()


# Third-party requests -----------------------------------------------------------------------

REQUESTS = [
    ('<script src="https://cdn.example.com/x.js"></script>', "<script src>"),
    ("<script src=//cdn.example.com/x.js></script>", "<script src>"),
    ('<link rel="stylesheet" href="https://cdn.example.com/s.css">', "<link href>"),
    ('<iframe src="https://maps.example.com/embed"></iframe>', "<iframe src>"),
    ('<img src="http://tracker.example.com/p.gif" alt="">', "<img src>"),
    ('<img src="a.png" srcset="a.png 1x, https://cdn.example.com/b.png 2x">', "<img srcset>"),
    ('<video poster="https://cdn.example.com/p.jpg" src="v.webm"></video>', "<video poster>"),
    ('<div style="background:url(https://cdn.example.com/bg.png)"></div>', "a style"),
    ("<style>@import 'https://cdn.example.com/x.css';</style>", "CSS"),
    ("![Logo](https://cdn.example.com/logo.png)", "the image"),
    ("<SCRIPT SRC='https://cdn.example.com/x.js'></SCRIPT>", "<script src>"),
]


@pytest.mark.parametrize("html, what", REQUESTS)
def test_resources_from_other_hosts_are_errors_at_their_line(html, what):
    body = f"# Page\n\nSome text.\n\n{html}\n"
    errors = third_party.page_errors(body, "content/page.md", line_offset=3)
    assert [(e.line, e.message.split(" loads ")[0]) for e in errors] == [(8, what)]
    assert "no request to any other host" in errors[0].message


def test_inside_an_admonition_is_not_code():
    body = '# Page\n\n!!! note\n    <script src="https://cdn.example.com/x.js"></script>\n'
    assert [e.line for e in third_party.page_errors(body, "p.md")] == [4]


@pytest.mark.parametrize(
    "body",
    [
        '```html\n<script src="https://cdn.example.com/x.js"></script>\n```\n',
        '~~~~\n<iframe src="https://maps.example.com"></iframe>\n~~~~\n',
        'Embed it with `<script src="https://cdn.example.com/x.js">`.\n',
        '<a href="https://example.com/">a link is not a request</a>\n',
        "[a link](https://example.com/) and ![local](img/a.png)\n",
        '<link rel="canonical" href="https://example.com/">\n',
        '<img src="/assets/logo.png" alt="">\n',
    ],
)
def test_code_links_and_local_files_are_fine(body):
    assert third_party.page_errors(body, "p.md") == []


@pytest.mark.parametrize(
    "addition, line_text, fragment",
    [
        ("extra_javascript:\n  - https://cdn.example.com/x.js\n", "  - https", "extra_javascript"),
        ("extra_css:\n  - //cdn.example.com/x.css\n", "  - //cdn", "extra_css"),
        (
            "extra_javascript:\n  - path: https://cdn.example.com/m.js\n    type: module\n",
            "  - path",
            "extra_javascript",
        ),
        ("extra:\n  analytics:\n    provider: google\n", "  analytics", "analytics"),
    ],
)
def test_mkdocs_yml_requests_are_errors_at_their_line(tmp_path, addition, line_text, fragment):
    cfg = write_project(tmp_path, {"index.md": "# Home\n"})
    cfg.write_text(cfg.read_text() + addition)
    errors = third_party.config_errors(read_settings(cfg))
    lines = cfg.read_text().splitlines()
    assert len(errors) == 1 and lines[errors[0].line - 1].startswith(line_text), errors
    assert fragment in errors[0].message


def test_material_fonts_from_google_are_an_error(tmp_path):
    config = MINIMAL_CONFIG.format(theme=ROOT / "theme").replace("  font: false\n", "")
    cfg = write_project(tmp_path, {"index.md": "# Home\n"}, config)
    errors = third_party.config_errors(read_settings(cfg))
    assert [e.line for e in errors] == [3] and "font: false" in errors[0].message


def test_theme_overrides_are_checked_at_their_line(tmp_path):
    theme = tmp_path / "overrides"
    (theme / "partials").mkdir(parents=True)
    (theme / "main.html").write_text(
        '{% extends "base.html" %}\n{# <script src="https://in.a.comment/x.js"> #}\n'
        '{% block scripts %}\n<script src="https://cdn.example.com/x.js"></script>\n'
        "{% endblock %}\n"
    )
    (theme / "extra.css").write_text(
        "body {\n  background: url('https://cdn.example.com/a.png');\n}\n"
    )
    errors = third_party.theme_errors(theme)
    assert [(os.path.basename(e.path), e.line) for e in errors] == [
        ("extra.css", 2),
        ("main.html", 4),
    ]


def test_the_project_theme_and_config_make_no_request_elsewhere():
    assert third_party.theme_errors(ROOT / "theme") == []
    assert third_party.config_errors(read_settings(ROOT / "mkdocs.yml")) == []


def test_build_refuses_a_third_party_script_even_without_strict(tmp_path):
    page = '# Page\n\nChat with us:\n\n<script src="https://chat.example.com/w.js"></script>\n'
    cfg = write_project(tmp_path, {"index.md": "# Home\n", "page.md": page})
    for args in (["build"], ["build", "--no-strict"], ["check"]):
        result = run_kb(*args, "-f", str(cfg), cwd=tmp_path)
        assert result.exit_code == 1 and result.exception is None, (args, result)
        # A <script> element is refused in itself as well (core.markdown): the build stops at
        # the first of the two errors on line 5, check lists both.
        assert "content/page.md:5: the HTML element <script> is not allowed" in result.output
        if args == ["check"]:
            assert "content/page.md:5: <script src> loads https://chat.example.com/w.js" in (
                result.output
            )


def test_a_third_party_image_in_a_change_body_is_reported_at_the_data_line(tmp_path):
    change = (
        "title: New logo\nkind: feature\nbody: |\n  Our new logo:\n\n"
        "  ![Logo](https://cdn.example.com/logo.png)\n"
    )
    cfg = write_project(tmp_path, {"index.md": "# Home\n", "_data/changes/logo.yml": change})
    for command in ("build", "check"):
        result = run_kb(command, "-f", str(cfg), cwd=tmp_path)
        assert result.exit_code == 1 and result.exception is None, (command, result)
        assert "content/_data/changes/logo.yml:6: <img src> loads https://cdn.example.com" in (
            result.output
        ), (command, result)


@pytest.mark.parametrize(
    "name", ["bad\x1b[31mname.md", "img/pic\x07.png", "fol\x00der"[:3] + "\x7f/x.md"]
)
def test_a_control_character_in_a_file_name_is_refused(tmp_path, name):
    cfg = write_project(tmp_path, {"index.md": "# Home\n", name: "# Page\n"})
    for command in ("build", "check"):
        result = run_kb(command, "-f", str(cfg), cwd=tmp_path)
        assert result.exit_code == 1 and result.exception is None, (command, result)
        assert "the path contains the control character U+" in result.output, (command, result)
        assert "\x1b" not in result.output and "\x07" not in result.output


TRAINING = """\
modules:
  - id: basics
    title: Basics
    lessons:
      - id: one
        title: One
        minutes: 10
        objective: Learn one.
        page: wiki/permits.md
"""


@pytest.mark.parametrize(
    "source, generated",
    [
        ("Search.md", "search/index.html"),
        ("Search/index.md", "search/index.html"),
        ("Training/agenda.md", "training/agenda/index.html"),
        ("training/Agenda.md", "training/agenda/index.html"),
    ],
)
def test_a_source_differing_from_a_generated_page_only_in_case_is_refused(
    tmp_path, source, generated
):
    """Collisions with a page made by kb (the search page, the training agenda, and the
    support guides and releases through the same path) are errors as between two sources."""
    pages = {
        "index.md": "# Home\n",
        "wiki/permits.md": "# Permits\n",
        source: "# Mine\n\nHello.\n",
    }
    if generated.startswith("training/"):
        pages["_data/training.yml"] = TRAINING
    cfg = write_project(tmp_path, pages)
    expected = f"content/{source}:1: would be published where kb generates the "
    for command in ("build", "check"):
        result = run_kb(command, "-f", str(cfg), cwd=tmp_path)
        assert result.exit_code == 1 and result.exception is None, (command, result)
        assert expected in result.output and f"({generated})" in result.output, result
    assert not (tmp_path / "site").exists()


def test_a_content_folder_outside_the_project_is_the_writers_choice(tmp_path, outside):
    """``docs_dir: ../docs`` (MkDocs allows it) is no symlink out: its pages build; a symlink
    inside it that leads out of both folders is still refused."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n\nWelcome.\n")
    root = tmp_path / "project"
    cfg = write_project(root, {})
    text = cfg.read_text(encoding="utf-8").replace("docs_dir: content", f"docs_dir: {docs}")
    cfg.write_text(text, encoding="utf-8")
    result = run_kb("build", "-f", str(cfg), cwd=root)
    assert result.exit_code == 0, result.output
    os.symlink(outside / "secret.md", docs / "passwd.md")
    result = run_kb("build", "-f", str(cfg), cwd=root)
    assert result.exit_code == 1 and "outside the project" in result.output, result.output
