"""No request to any other host, however the address is written (kb_builder.pages.third_party).

Browsers read an address through the WHATWG URL parser: a backslash is a slash, tabs and
newlines inside vanish, leading spaces and controls are trimmed, the scheme's case does not
matter. Each such disguise of a resource on another host is an error at its line, in every
place a page can name one (Markdown images, attribute lists, raw HTML, styles); the search
API in mkdocs.yml, the one request a site's owner may send elsewhere, must be http(s) or a
path, with a sensible timeout.
"""

from __future__ import annotations

import pytest

from kb_builder.core.project import read_settings
from kb_builder.pages import third_party
from tests.conftest import MINIMAL_CONFIG, ROOT, run_kb, write_project

DISGUISED = [
    # Red-team #45 and #46: a backslash is a slash to a browser.
    '<img alt="a" src="\\\\evil.example/x.png">',
    '<img alt="b" src="https:/\\evil.example/y.png">',
    '<img alt="c" src="/\\evil.example/z.png">',
    '<img alt="d" src="ht\ttps://evil.example/t.png">',
    '<img alt="e" src="https://evil.example/&#10;n.png">',
    '<img alt="f" src="&#1;//evil.example/c0.png">',
    '<img alt="g" src="  //evil.example/sp.png">',
    '<img alt="h" src="HtTpS://evil.example/case.png">',
    '<img alt="i" src="&#92;&#92;evil.example/ref.png">',
    '<img alt="j" src="https:evil.example/noslash.png">',
    "![k](\\\\evil.example/md.png)",
    "![l](HTTPS://evil.example/md.png)",
    "![m](<//evil.example/angle.png>)",
    # Red-team #44: url() in an attribute list's style, as in raw HTML's.
    '[s](page.md){ style="background:url(https://evil.example/x.png)" }',
    "[s](page.md){ style=\"background:url('\\\\\\\\evil.example/q.png')\" }",
    '![n](a.png){ src="https://evil.example/swapped.png" }',
    "<div style=\"background: image-set('https://evil.example/1x.png' 1x)\">x</div>",
    '<div style="background: u\\72l(//evil.example/esc.png)">x</div>',
    "<style>@import '\\\\\\\\evil.example/x.css';</style>",
    '<table background="https://evil.example/bg.png"><tr><td>x</td></tr></table>',
    '<a href="page.md" ping="https://tracker.example/p">a followed link pings</a>',
    '<image src="https://evil.example/image.png">',
    '<video src="x.webm"><source src="https:/\\evil.example/v.webm"></video>',
]


@pytest.mark.parametrize("html", DISGUISED)
def test_disguised_addresses_on_other_hosts_are_errors_at_their_line(html):
    body = f"# Page\n\nSome text.\n\n{html}\n"
    errors = third_party.page_errors(body, "content/page.md", line_offset=3)
    assert [e.line for e in errors] == [8], errors
    assert "evil.example" in errors[0].message or "tracker.example" in errors[0].message
    assert "no request to any other host" in errors[0].message


def test_an_image_by_reference_is_found_at_its_use():
    body = "# Page\n\nSee ![logo][l].\n\n[l]: https://evil.example/logo.png\n"
    errors = third_party.page_errors(body, "p.md")
    assert [e.line for e in errors] == [3] and "evil.example/logo.png" in errors[0].message


@pytest.mark.parametrize(
    "body",
    [
        '<img src="img\\\\a.png" alt="a relative path with a backslash">\n',
        '<div style="background: url(img/bg.png)">x</div>\n',
        "[s](page.md){ style=\"background: url('img/bg.png')\" }\n",
        '<a href="https://example.com/">a link</a> [and](https://example.com/)\n',
        "`![code](https://evil.example/x.png)` and `<img src=//evil.example/y.png>`\n",
        "Some text about <dav.example.com>.\n",
    ],
)
def test_local_files_links_and_code_are_fine(body):
    assert third_party.page_errors(body, "p.md") == []


@pytest.mark.parametrize(
    "url, other",
    [
        ("\\\\evil.example/x", True),
        ("https:/\\evil.example/", True),
        ("\x00\x1f https://evil.example/", True),
        ("wss://evil.example/", True),
        ("img/a.png", False),
        ("/assets/a.png", False),
        ("#top", False),
        ("data:image/png;base64,AAAA", False),
    ],
)
def test_is_other_host(url, other):
    assert third_party.is_other_host(url) is other


def test_theme_css_and_templates_are_read_the_same_way(tmp_path):
    theme = tmp_path / "overrides"
    theme.mkdir()
    (theme / "extra.css").write_text(
        "a { color: red; }\nbody {\n"
        "  background: image-set('https://cdn.example.com/a.png' 1x);\n}\n"
    )
    (theme / "main.html").write_text(
        '{% extends "base.html" %}\n<img src="\\\\cdn.example.com/x">\n'
    )
    errors = third_party.theme_errors(theme)
    assert sorted((e.path.rsplit("/", 1)[-1], e.line) for e in errors) == [
        ("extra.css", 3),
        ("main.html", 2),
    ]


# --- the search API in mkdocs.yml (red-team #66) ----------------------------------------------


@pytest.mark.parametrize(
    "extra, key",
    [
        ('  kb_search_api: "javascript:alert(1)"\n', "kb_search_api"),
        ('  kb_search_api: " JaVa\\tScript:alert(1)"\n', "kb_search_api"),
        ('  kb_search_api: "data:text/html,x"\n', "kb_search_api"),
        ('  kb_search_api: "mailto:a@b.example"\n', "kb_search_api"),
        ('  kb_search_api: ""\n', "kb_search_api"),
        ("  kb_search_api: [a]\n", "kb_search_api"),
        ("  kb_search_api_timeout_ms: -5\n", "kb_search_api_timeout_ms"),
        ("  kb_search_api_timeout_ms: 0\n", "kb_search_api_timeout_ms"),
        ("  kb_search_api_timeout_ms: 600000\n", "kb_search_api_timeout_ms"),
        ("  kb_search_api_timeout_ms: 2.5\n", "kb_search_api_timeout_ms"),
        ("  kb_search_api_timeout_ms: yes\n", "kb_search_api_timeout_ms"),
        ('  kb_search_api_timeout_ms: "250"\n', "kb_search_api_timeout_ms"),
    ],
)
def test_a_bad_search_api_setting_is_an_error_at_its_line(tmp_path, extra, key):
    config = MINIMAL_CONFIG.format(theme=ROOT / "theme") + "extra:\n" + extra
    cfg = write_project(tmp_path, {"index.md": "# Home\n"}, config)
    line = config.splitlines().index(extra.rstrip("\n")) + 1
    errors = third_party.config_errors(read_settings(cfg))
    assert [(e.line, f"'extra.{key}'" in e.message) for e in errors] == [(line, True)], errors
    result = run_kb("check", cwd=tmp_path)
    assert result.exit_code == 1 and f"mkdocs.yml:{line}: 'extra.{key}' is " in result.output


@pytest.mark.parametrize(
    "extra",
    [
        "  kb_search_api: https://help.example.com/api/search\n  kb_search_api_timeout_ms: 250\n",
        "  kb_search_api: http://127.0.0.1:8000/api/search\n",
        "  kb_search_api: /api/search\n  kb_search_api_timeout_ms: 10000\n",
        "  kb_search_api: //search.example.com/api\n",
    ],
)
def test_a_search_api_on_this_or_another_host_is_allowed(tmp_path, extra):
    """Another host is the owner's deliberate choice (README), so it is not an error."""
    config = MINIMAL_CONFIG.format(theme=ROOT / "theme") + "extra:\n" + extra
    cfg = write_project(tmp_path, {"index.md": "# Home\n"}, config)
    assert third_party.config_errors(read_settings(cfg)) == []
