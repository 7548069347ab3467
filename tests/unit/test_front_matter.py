"""Front matter: every mistake a writer can make is reported at its line, with what is valid."""

import pytest

from kb_builder.pages.page import analyse, analyse_file


def errors(text: str) -> list[str]:
    return [str(e) for e in analyse(text, "content/p.md").errors]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "---\ntitle: T\ntype: faqs\n---\n# T\n",
            [
                "content/p.md:3: 'type' is 'faqs', which is not valid; use 'article', 'faq' or "
                "'video' (did you mean 'faq'?)"
            ],
        ),
        (
            "---\naudiense: internal\n---\n# T\n",
            [
                "content/p.md:2: unknown front-matter key 'audiense' (did you mean 'audience'?); "
                "valid keys are 'audience', 'description', 'hero', 'hide', 'icon', 'owner', "
                "'review_by', 'reviewed', 'search', 'status', 'tags', 'template', 'title', 'type' "
                "or 'video'"
            ],
        ),
        (
            "---\naudience: secret\n---\n",
            [
                "content/p.md:2: 'audience' is 'secret', which is not valid; use 'public' or "
                "'internal'"
            ],
        ),
        (
            "---\ntags: billing\n---\n",
            ["content/p.md:2: 'tags' must be a list (one '- item' per line), not 'billing'"],
        ),
        (
            "---\ntitle:\n  - a\n---\n",
            ["content/p.md:2: 'title' must be text, not a list"],
        ),
        (
            "---\nhide: [navigation, nav]\n---\n",
            [
                "content/p.md:2: 'hide item 2' is 'nav', which is not valid; use 'navigation', "
                "'toc', 'footer', 'path', 'tags' or 'feedback' (did you mean 'navigation'?)"
            ],
        ),
        (
            "---\nhero:\n  subtitle: x\n---\n",
            ["content/p.md:2: 'hero.title' is missing; it is required"],
        ),
        (
            "---\n- title\n---\n",
            [
                "content/p.md:2: front matter must be 'key: value' lines (a mapping), e.g. "
                "'title: My page'"
            ],
        ),
        (
            "---\ntitle: a\ntitle: b\n---\n",
            ["content/p.md:3: duplicate key 'title' (first given on line 2); keep one of them"],
        ),
    ],
)
def test_front_matter_errors(text, expected):
    assert errors(text) == expected


def test_every_error_of_a_page_is_reported_at_once():
    found = errors("---\ntype: faqs\naudience: nobody\ncolour: red\n---\n")
    assert [e.split(":")[1] for e in found] == ["2", "3", "4"]


def test_valid_front_matter():
    page = analyse("---\ntitle: T\ntype: faq\ntags: [a]\n---\n# T\n\n## Q?\n\nA.\n", "p.md")
    assert page.errors == []
    assert page.meta.type == "faq" and page.meta.tags == ["a"]


def test_empty_front_matter_is_fine():
    assert analyse("---\n---\n# T\n", "p.md").errors == []


def test_binary_file_is_reported_not_raised():
    page = analyse_file(b"\x89PNG\r\n\x1a\n\x00\xff", "content/p.md")
    assert [str(e) for e in page.errors] == [
        "content/p.md:1: not valid UTF-8 (byte 0x89 at offset 0); save the file as UTF-8"
    ]
