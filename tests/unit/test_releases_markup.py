"""Data Markdown (bodies, summaries) in generated pages and feeds never carries raw HTML."""

from __future__ import annotations

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from kb_builder.core.markdown import markdown_html, safe_markdown

# The demo site's Markdown extensions (mkdocs.yml): the ones a body could use to smuggle markup.
EXTENSIONS = [
    "abbr",
    "admonition",
    "attr_list",
    "def_list",
    "footnotes",
    "md_in_html",
    "tables",
    "toc",
    "pymdownx.details",
    "pymdownx.emoji",
    "pymdownx.highlight",
    "pymdownx.inlinehilite",
    "pymdownx.superfences",
    "pymdownx.tabbed",
    "pymdownx.tasklist",
]
# What Markdown itself produces; anything else came from raw HTML.
MARKDOWN_TAGS = {
    "html",
    "head",
    "body",
    "p",
    "code",
    "pre",
    "span",
    "div",
    "ul",
    "ol",
    "li",
    "em",
    "strong",
    "a",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "br",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "sup",
    "abbr",
    "details",
    "summary",
    "label",
    "input",
    "img",
}


def render(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS)


def injected(html: str) -> list[str]:
    """Elements or attributes that Markdown alone could not have produced from text."""
    found = []
    for node in LexborHTMLParser(html).root.traverse():
        if node.tag.startswith("-"):
            continue
        if node.tag not in MARKDOWN_TAGS:
            found.append(node.tag)
        found += [a for a in node.attributes if a.lower().startswith("on")]
    return found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Plain *Markdown* [link](x.md).", "Plain *Markdown* [link](x.md)."),
        ("a <b>b</b> & c", "a &lt;b>b&lt;/b> &amp; c"),
        # Backtick runs that do not simply pair up: no code kept in the paragraph.
        ("keep `<b>` and ``a ` <i>``", "keep `&lt;b>` and ``a ` &lt;i>``"),
        ("keep `<b>` and ``<i>`` x", "keep `<b>` and ``<i>`` x"),
        ("[a](b){: onclick=alert(1) }", "[a](b)&#123;: onclick=alert(1) }"),
        ("```html\n<b>x</b>\n```\n", "```html\n<b>x</b>\n```\n"),
        ("<https://example.com/?a=1&b=2>", "<https://example.com/?a=1&amp;b=2>"),
        # Unsure cases are escaped: a visible '&lt;' in code, never a live tag.
        ("``<b>`<i>x</i>`", "``&lt;b>`&lt;i>x&lt;/i>`"),
        ("a `code\n<script>` b", "a `code\n&lt;script>` b"),
        ("```\n<b>unclosed\n", "```\n&lt;b>unclosed\n"),
        ("text\n```\n<b>x</b>\n```", "text\n```\n&lt;b>x&lt;/b>\n```"),
        ("- item\n\n  ```\n  <b>x</b>\n  ```\n", "- item\n\n  ```\n  &lt;b>x&lt;/b>\n  ```\n"),
        ("!!! note\n\n    <script>x</script>\n", "!!! note\n\n    &lt;script>x&lt;/script>\n"),
        ("<div>\n<script>x</script>\n</div>", "&lt;div>\n&lt;script>x&lt;/script>\n&lt;/div>"),
    ],
)
def test_safe_markdown(text, expected):
    assert safe_markdown(text) == expected


def test_markdown_html_rewrites_links_and_shows_html_as_text():
    html = markdown_html("See [permits](../wiki/permits.md) <b>now</b>", str.upper)
    assert html == '<p>See <a href="../WIKI/PERMITS.MD">permits</a> &lt;b&gt;now&lt;/b&gt;</p>\n'


FRAGMENTS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<b onmouseover=x>",
    "<div>",
    "</div>",
    "<!--",
    "-->",
    "<https://a.b/>",
    "`",
    "``",
    "```",
    "~~~",
    "\\",
    "&",
    "&amp;",
    "\n",
    "\n\n",
    "    ",
    "  ",
    "\t",
    "- ",
    "1. ",
    "> ",
    "# ",
    "* ",
    "x",
    "y z",
    "{: onclick=alert(1) }",
    "{ #id onclick=x }",
    "[a](b)",
    "![i](j)",
    "!!! note",
    "??? note",
    '=== "Tab"',
    "[^1]: ",
    "[^1]",
    "Term\n:   ",
    "| a | b |",
    "*",
    "_",
    "<",
    ">",
    "html",
    "<pre>",
    "</pre>",
    "<code>",
    "<div markdown>",
]


@settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=30))
def test_no_body_can_inject_html_into_a_page(parts):
    body = "".join(parts)
    html = render(safe_markdown(body))
    assert injected(html) == [], (body, html)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=30))
def test_no_body_can_inject_html_into_the_feed(parts):
    html = markdown_html("".join(parts))
    assert injected(html) == []
