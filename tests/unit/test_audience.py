"""Internal passages and links across the edition line (pure functions)."""

import pytest

from kb_builder.pages.audience import (
    Rendering,
    html_links,
    internal_attachments,
    internal_passages,
    links,
    links_into,
    mentions_any,
    published_internal,
    references,
    resolve,
    snippet_errors,
    snippet_includes,
    strip_internal_passages,
)

PAGE = """\
# Title

Public text.

!!! internal "How agents triage"
    Secret one.

    Secret two, [notes](../internal/notes.md).

Public again.

!!! note "Tip"
    Public tip.

    ??? internal
        Secret three, nested in a public admonition.

    Public tip, continued.

```markdown
!!! internal
    Documentation of the syntax, inside a fence: kept.
```

- list item

    ???+ internal "Open by default"
        Secret four.
"""


def test_internal_passages_are_found_at_every_depth_but_not_in_fences():
    assert internal_passages(PAGE) == [(4, 8), (14, 16), (26, 28)]


def test_stripping_keeps_line_numbers_and_public_text():
    stripped = strip_internal_passages(PAGE)
    assert len(stripped.splitlines()) == len(PAGE.splitlines())
    assert "Secret" not in stripped
    for kept in [
        "Public text.",
        "Public again.",
        "Public tip.",
        "Public tip, continued.",
        "Documentation of the syntax",
        "- list item",
    ]:
        assert kept in stripped


def test_links_with_lines_including_inside_admonitions():
    found = [(link.href, link.line) for link in links(PAGE)]
    assert ("../internal/notes.md", 7) in found


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("See [notes](../internal/notes.md).\n", [3]),
        ("See [notes](../internal/notes.md#step-2 'title').\n", [3]),
        ("See [notes](../internal/).\n", []),  # a folder's index, which is public here
        ("Line one\nand [two](../internal/notes.md)\n", [4]),
        ("!!! tip\n\n    See [notes](../internal/notes.md).\n", [5]),
        ("`[notes](../internal/notes.md)` is code\n", []),
        ("See [elsewhere](https://example.com/internal/notes.md).\n", []),
    ],
)
def test_public_links_into_internal_pages(markdown, expected):
    errors = links_into(markdown, "faq/index.md", "content/faq/index.md", 2, {"internal/notes.md"})
    assert [e.line for e in errors] == expected
    for e in errors:
        assert e.message.endswith(
            "an internal page, which the public edition does not have; remove the link, or put "
            "it inside an '!!! internal' passage"
        )


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ('<a href="x.md">x</a>\n', [("x.md", 0)]),
        ('Text\nmore <a href="x.md">x</a> inline\n', [("x.md", 1)]),
        ('<div>\n\n<img src="a.svg" alt="a">\n</div>\n', [("a.svg", 2)]),
        ('<img alt="a" srcset="a.svg 1x, b.svg 2x">\n', [("a.svg", 0), ("b.svg", 0)]),
        ('<link rel="stylesheet" href="s.css">\n', [("s.css", 0)]),
        ('<video poster="p.png"><source src="v.webm"></video>\n', [("p.png", 0), ("v.webm", 0)]),
        ('!!! note\n\n    <a href="n.md">n</a>\n', [("n.md", 2)]),
        ('`<a href="code.md">` is code\n', []),
        ('```html\n<a href="fenced.md">x</a>\n```\n', []),
    ],
)
def test_raw_html_addresses_with_their_lines(markdown, expected):
    assert [(link.href, link.line) for link in html_links(markdown)] == expected


def test_a_raw_html_link_to_an_internal_page_by_its_url_is_found():
    errors = links_into(
        '<a href="../internal/notes/">notes</a>\n',
        "faq/index.md",
        "content/faq/index.md",
        0,
        {"internal/notes.md"},
    )
    assert [e.line for e in errors] == [1]


def test_internal_attachments_fail_closed():
    dropped = internal_attachments(
        ["agents/roster.csv", "agents/sub/x.pdf", "media/a.svg", "media/b.svg", "top.txt"],
        {"index.md": "public", "agents/index.md": "internal", "agents/more.md": "internal"},
        {"index.md": {"media/a.svg"}},
        {"index.md": {"media/b.svg", "media/a.svg"}, "agents/index.md": {"top.txt"}},
    )
    assert dropped == {"agents/roster.csv", "agents/sub/x.pdf", "media/b.svg", "top.txt"}


@pytest.mark.parametrize(
    ("html", "found"),
    [
        ("<p>Internal users sign in here.</p>", None),
        ('<h2 id="internal-users">Internal users</h2>', None),
        ('<div class="admonition internal"><p class="admonition-title">X</p></div>', "<div"),
        ('<div class="admonition note"><p class="admonition-title">Internal</p></div>', "<div"),
        ('<details class="note"><summary>For internal use</summary></details>', "<details"),
        ('<p class="Internal-Note">x</p>', "<p"),
        ('<div class="&#105;nternal">x</div>', "<div"),
        ("<!-- internal: the rota -->", "<!--"),
    ],
)
def test_the_last_guard_finds_what_looks_internal_in_rendered_html(html, found):
    result = published_internal(html)
    assert (result is None) if found is None else result.startswith(found), result


# --- link targets as MkDocs reads them (issue 16, red team #15) ---------------------------


@pytest.mark.parametrize(
    ("href", "target"),
    [
        ("roster.csv", "wiki/roster.csv"),
        ("roster%2Ecsv", "wiki/roster.csv"),
        ("roster%2ecsv", "wiki/roster.csv"),
        ("./roster.csv", "wiki/roster.csv"),
        (".%2Froster.csv", "wiki/roster.csv"),
        ("roster.csv?v=2#top", "wiki/roster.csv"),
        ("%2e%2e/internal/roster.csv", "internal/roster.csv"),
        ("%2E%2e/wiki/./x/../roster.csv", "wiki/roster.csv"),
        ("/internal/roster.csv", "internal/roster.csv"),  # absolute: from the content folder
        ("my%20roster.csv", "wiki/my roster.csv"),
        ("https://example.com/roster.csv", None),
        ("//example.com/roster.csv", None),
        ("#top", None),
        ("?q=1", None),
    ],
)
def test_resolve_reads_a_link_as_mkdocs_does(href, target):
    assert resolve("wiki/secret.md", href) == target


def test_references_count_every_reading_of_a_link():
    """An internal page's references drop files: Markdown, raw HTML, entities, escapes."""
    markdown = (
        "[a](roster%2Ecsv) [b](<my roster.csv>) [c](roster&#46;txt) [d](x\\.pdf)\n\n"
        '<a href="..\\internal\\rota.svg">r</a> <img src="map&#46;png" alt="m">\n'
    )
    found = references("wiki/secret.md", markdown)
    for path in [
        "wiki/roster.csv",
        "wiki/my roster.csv",
        "wiki/roster.txt",
        "wiki/x.pdf",
        "internal/rota.svg",
        "wiki/map.png",
    ]:
        assert path in found, (path, found)


@pytest.mark.parametrize(
    "markdown",
    [
        "[r](roster%2Ecsv)",
        "[r](ROSTER%2ECSV)",
        "[r](roster&#46;csv)",
        "[r](<my roster.csv>)",
        '<a href="roster&#x2E;csv">r</a>',
    ],
)
def test_the_cheap_filter_lets_every_spelling_through(markdown):
    assert mentions_any(markdown, {"roster.csv", "my roster.csv"})


def test_the_cheap_filter_skips_pages_that_name_no_such_file():
    assert not mentions_any("[r](guide.md) and text", {"roster.csv"})


@pytest.mark.parametrize(
    "href",
    [
        "roster%2Ecsv",
        "ROSTER%2ECSV",
        "./roster.csv?x=1#f",
        "%2e%2e/wiki/roster.csv",
        "/wiki/roster.csv",
    ],
)
def test_public_links_to_a_left_out_file_in_any_spelling(href):
    errors = links_into(
        f"[r]({href})\n", "wiki/p.md", "content/wiki/p.md", 0, set(), {"wiki/roster.csv"}
    )
    assert [e.line for e in errors] == [1], href


@pytest.mark.parametrize(
    "href", ["%2e%2e/internal/notes.md", "..%2Finternal%2Fnotes%2Emd#x", "/internal/notes.md"]
)
def test_public_links_to_an_internal_page_in_any_spelling(href):
    errors = links_into(
        f"[n]({href})\n", "faq/index.md", "content/faq/index.md", 0, {"internal/notes.md"}
    )
    assert [e.line for e in errors] == [1], href


def test_internal_references_drop_a_file_in_any_case():
    dropped = internal_attachments(
        ["wiki/roster.csv", "wiki/open.csv"],
        {"wiki/a.md": "public", "wiki/secret.md": "internal"},
        {"wiki/a.md": {"wiki/open.csv"}},
        {"wiki/secret.md": {"wiki/Roster.CSV", "wiki/open.csv"}},
    )
    assert dropped == {"wiki/roster.csv"}


# --- pymdownx.snippets (red team #21) -----------------------------------------------------


@pytest.fixture
def snippet_site(tmp_path, monkeypatch):
    """A content folder with snippet files, and the rendering of a site that includes them
    (base_path relative to the working folder, as pymdownx.snippets reads it)."""
    content = tmp_path / "content"
    (content / "wiki").mkdir(parents=True)
    (content / "wiki" / "secret.md").write_text("---\naudience: internal\n---\nSECRET\n")
    (content / "wiki" / "part.txt").write_text("Public.\n\n!!! internal\n    SECRET\n")
    (content / "wiki" / "plain.txt").write_text('Public only.\n--8<-- "wiki/secret.md"\n')
    monkeypatch.chdir(tmp_path)
    rendering = Rendering(
        ("admonition", "pymdownx.snippets"), {"pymdownx.snippets": {"base_path": ["content"]}}
    )
    return content, rendering


def test_snippet_includes_follow_pymdownx_snippets(snippet_site):
    content, rendering = snippet_site
    markdown = (
        'Intro.\n--8<-- "wiki/part.txt:1:1"\n;--8<-- "wiki/secret.md"\n\n'
        "--8<--\nwiki/part.txt\n\n; wiki/secret.md\n--8<--\n"
        '    -8<- "wiki/plain.txt"\n--8<-- "../etc/passwd"\n--8<-- "nosuch.md"\n'
    )
    found = {
        (i.line, tuple(f.rsplit("/", 2)[-1] for f in i.files))
        for i in snippet_includes(markdown, rendering)
    }
    # The escaped line, the commented block path and paths outside base_path include nothing;
    # a nested include is read too.
    assert found == {
        (1, ("part.txt",)),
        (5, ("part.txt",)),
        (9, ("plain.txt", "secret.md")),
    }


def test_snippet_errors_refuse_what_the_public_edition_leaves_out(snippet_site):
    content, rendering = snippet_site
    markdown = '--8<-- "wiki/part.txt:1:1"\n--8<-- "wiki/part.txt"\n--8<-- "wiki/plain.txt"\n'

    def left_out(rel):
        return "an internal page" if rel == "wiki/secret.md" else None

    errors = snippet_errors(markdown, "content/p.md", 3, rendering, str(content), left_out)
    assert [(e.line, e.message.split(",")[0]) for e in errors] == [
        (5, "includes text with an internal passage or marker (or a near miss)"),
        (6, "includes 'wiki/secret.md'"),
    ]


def test_no_snippets_extension_no_includes(snippet_site):
    assert snippet_includes('--8<-- "wiki/secret.md"\n', Rendering()) == []
