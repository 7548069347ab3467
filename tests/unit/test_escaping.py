"""The one escaper and the one link allow-list (kb_builder.core.text, .markdown, .templates)."""

from __future__ import annotations

import html as html_lib
import re

import jinja2
import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from selectolax.lexbor import LexborHTMLParser

from kb_builder.core.markdown import (
    ALLOWED_ELEMENTS,
    css_problem,
    css_urls,
    data_markdown_problem,
    markdown_html,
    page_problems,
    safe_markdown,
)
from kb_builder.core.templates import environment
from kb_builder.core.text import (
    MarkdownText,
    browser_url,
    code_span,
    html,
    is_allowed_link,
    link_problem,
    markdown_literal,
    url_scheme,
)
from tests.unit.test_releases_markup import EXTENSIONS, injected

# --- HTML ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Plain", "Plain"),
        ("Why <select> loses focus", "Why &lt;select&gt; loses focus"),
        (
            'A "quoted" & <b>bold</b> title',
            "A &#34;quoted&#34; &amp; &lt;b&gt;bold&lt;/b&gt; title",
        ),
        ("it's", "it&#39;s"),
        ("&lt;script&gt;", "&amp;lt;script&amp;gt;"),
    ],
)
def test_html_escapes_text_and_attributes(text, expected):
    assert html(text) == expected


def test_html_never_escapes_twice():
    once = html("a < b")
    assert html(once) == "a &lt; b"
    assert html(MarkdownText("x &#60; y")) == "x &#60; y"


# --- Markdown text ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Premium", "Premium"),
        ("<b>Gold</b> *plus*", "&#60;b&#62;Gold&#60;/b&#62; &#42;plus&#42;"),
        ("a_b [c](d) `e` | f", "a&#95;b &#91;c&#93;(d) &#96;e&#96; &#124; f"),
        ("AT&T ~x~", "AT&#38;T &#126;x&#126;"),
        ("1. first", "1&#46; first"),
        ("1.2 numbered", "1.2 numbered"),
        ("- item", "&#45; item"),
        ("-5 degrees", "-5 degrees"),
        ("# title {#id}", "&#35; title &#123;&#35;id&#125;"),
        ("x {: onclick=alert(1) }", "x &#123;: onclick&#61;alert(1) &#125;"),
        (':smile: 9:00 "q"', "&#58;smile: 9&#58;00 &#34;q&#34;"),
        ("two\nlines\tand  spaces", "two lines and spaces"),
        ("![i](javascript:x)", "&#33;&#91;i&#93;(javascript&#58;x)"),
    ],
)
def test_markdown_literal(text, expected):
    assert markdown_literal(text) == expected


def test_code_span():
    assert code_span("CRITICAL - <org>") == "`CRITICAL - <org>`"
    assert code_span("a `b` c") == "``a `b` c``"
    assert code_span("`x`") == "`` `x` ``"


def test_markdown_text_escapes_what_it_is_joined_with():
    joined = MarkdownText(", ").join(["*a*", MarkdownText("**b**")])
    assert joined == "&#42;a&#42;, **b**"
    assert MarkdownText("**x** ") + "[y](z)" == "**x** &#91;y&#93;(z)"
    # Spaces survive concatenation (indentation matters in Markdown); line breaks do not.
    assert "    " + MarkdownText("x") == "    x"
    assert MarkdownText("a") + "\n# b" == "a &#35; b"


LITERAL_FRAGMENTS = [
    "<b>",
    "</b>",
    "<script>alert(1)</script>",
    "&",
    "&amp;",
    "&#60;",
    "*",
    "_",
    "`",
    "[a](b)",
    "![i](j)",
    "{: onclick=x }",
    "{#id}",
    "|",
    "~",
    "^",
    "=",
    "$",
    "#",
    "1. ",
    "- ",
    "> ",
    ":smile:",
    "\\",
    '"',
    "'",
    " ",
    "x",
    "<https://a.b/>",
    "[^1]",
]


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(LITERAL_FRAGMENTS), min_size=1, max_size=12))
def test_literal_text_renders_as_exactly_its_characters(parts):
    text = " ".join("".join(parts).split())
    source = markdown_literal(text)
    for rendered in (
        markdown.markdown(source, extensions=EXTENSIONS),
        MarkdownIt("commonmark").render(source),
    ):
        assert injected(rendered) == []
        assert re.sub(r"</?p>", "", rendered).count("<") == 0, rendered
        assert html_lib.unescape(re.sub(r"</?p>", "", rendered)).strip() == text


# --- link schemes ----------------------------------------------------------------------------

ALLOWED = [
    "page.md",
    "../faq/index.md#how-do-i",
    "#anchor",
    "?q=permits",
    "//example.com/x",
    "https://example.com/a?b=c&d=e",
    "HTTP://EXAMPLE.COM",
    "mailto:support@example.com",
    "tel:+1-800-555-0100",
    "a.md#x:y",
    "folder/file:name.md",
    "javascript%3Aalert(1)",
]
REFUSED = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "JAVASCRIPT:alert(1)",
    " javascript:alert(1)",
    "\tjavascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "java\rscript:alert(1)",
    "java\x00script:alert(1)",
    "java\x01script:alert(1)",
    "\x1fjavascript:alert(1)",
    "java\u200bscript:alert(1)",
    "java\ufeffscript:alert(1)",
    "java\\script:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript:alert(1)",
    "&#X6a;avascript:alert(1)",
    "&#0000106;avascript:alert(1)",
    "&#106avascript:alert(1)",
    "javascript&colon;alert(1)",
    "javascript&#58;alert(1)",
    "java&Tab;script:alert(1)",
    "java&NewLine;script:alert(1)",
    "&amp;#106;avascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD4=",
    "DATA:image/svg+xml,<svg onload=alert(1)>",
    "vbscript:msgbox(1)",
    "VbScRiPt:msgbox(1)",
    "file:///etc/passwd",
    "ftp://example.com/",
    "livescript:x",
]


@pytest.mark.parametrize("url", ALLOWED)
def test_allowed_links(url):
    assert is_allowed_link(url), url
    assert link_problem(url) is None


@pytest.mark.parametrize("url", REFUSED)
def test_refused_links_however_disguised(url):
    problem = link_problem(url)
    assert problem is not None
    assert "relative address" in problem and "http:, https:, mailto: or tel:" in problem


def test_the_scheme_a_browser_would_read():
    assert url_scheme("Java&#x0A;Script:x") == "javascript"
    assert url_scheme("page.md") is None


# --- data Markdown ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "See [x](javascript:alert(1)).",
        "See [x]( javascript:alert(1) ).",
        "See [x](<javascript:alert(1)>).",
        'See [x](javascript:alert(1) "title").',
        "See [x][r].\n\n[r]: javascript:alert(1)",
        "See [r].\n\n[r]: <JaVaScRiPt:alert(1)>",
        "See <javascript:alert(1)>.",
        "See ![i](data:image/svg+xml;base64,PHN2Zz4=).",
        "See [x](&#106;avascript:alert(1)).",
        "!!! note\n    [x](vbscript:msgbox(1))",
    ],
)
def test_data_markdown_refuses_links_with_other_schemes(text):
    assert data_markdown_problem(text) is not None
    # Even if validation were skipped, no live link: the text is shown as text.
    rendered = markdown.markdown(safe_markdown(text), extensions=EXTENSIONS)
    assert "href=" not in rendered and "src=" not in rendered


def test_data_markdown_keeps_allowed_links_and_placeholders():
    text = "See [permits](../wiki/permits.md) and <https://example.com>, {{ support.plans.x }}."
    assert data_markdown_problem(text) is None
    assert safe_markdown(text, placeholders=True) == text
    assert "&#123;&#123;" in safe_markdown(text)


# --- page Markdown ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ("# T\n\n[x](javascript:alert(1))\n", 2, "'javascript:'"),
        ("Text [x][r].\n\n[r]: vbscript:x\n", 2, "'vbscript:'"),
        ("<javascript:alert(1)>\n", 0, "'javascript:'"),
        ('<a href="&#106;avascript:x">x</a>\n', 0, "'javascript:'"),
        ('<img src="data:image/png;base64,AAAA">\n', 0, "'data:'"),
        ('<a href="x" formaction="javascript:x">y</a>\n', 0, "'javascript:'"),
        ("[a](b.md){ href='javascript:x' }\n", 0, "'javascript:'"),
        ('Para\n{: onmouseover="x" }\n', 1, "'onmouseover'"),
        ("!!! note\n    [a](b.md){ .c ONCLICK=x }\n", 1, "'onclick'"),
        ("## Q { #q onfocus }\n", 0, "'onfocus'"),
        ('<p onclick="x">y</p>\n', 0, "'onclick'"),
        ("<div>\n<img src=x onerror=alert(1)>\n</div>\n", 1, "'onerror'"),
        ("<a/onclick=x>y</a>\n", 0, "'onclick'"),
        ("<x:y onclick=z>\n", 0, "'onclick'"),
    ],
)
def test_page_problems(body, line, words):
    problems = page_problems(body)
    assert [p[0] for p in problems] == [line], problems
    assert words in problems[0][1]


@pytest.mark.parametrize(
    "body",
    [
        "[ok](page.md) [mail](mailto:a@b.c) <https://example.com> [t](tel:123)\n",
        "`[x](javascript:alert(1))` in a code span\n",
        '```html\n<a href="javascript:x" onclick="y">fenced</a>\n```\n',
        "Text {: .class #id data-x=1 }\n",
        '<a href="../faq/" title="onclick=x">not a handler</a>\n',
        "A note: about colons, and javascript: as a word.\n",
        # Autolinks are links, not tags: their words are not attributes (a real tldr page).
        "Source: <https://github.com/onetrueawk/awk>, <https://h/onload> or <me@onclick.example>\n",
        "<https://x onclick=alert(1)>\n",
    ],
)
def test_pages_may_use_allowed_links_and_examples_in_code(body):
    assert page_problems(body) == []


# Raw HTML that runs script, loads a document or hijacks navigation, whatever the disguise:
# each is refused at its line, naming the element (or attribute) and what pages may use.
HOSTILE_HTML = [
    ("<script>alert(1)</script>\n", 0, "<script>"),
    ("Text\n\n<SCRIPT SRC=x.js></SCRIPT>\n", 2, "<script>"),
    ("<script\n>alert(1)</script>\n", 0, "<script>"),
    ("<script/x>alert(1)</script>\n", 0, "<script>"),
    ('<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>\n', 0, "<iframe>"),
    ('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">\n', 0, "<meta>"),
    ('<meta http-equiv="set-cookie" content="a=b">\n', 0, "<meta>"),
    ('<meta http-equiv=Content-Security-Policy content="default-src *">\n', 0, "<meta>"),
    ('<base href="https://evil.example/">\n', 0, "<base>"),
    ("<noscript><p>x</p></noscript>\n", 0, "<noscript>"),
    ('<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>\n', 0, "onerror"),
    ("<svg><script>alert(1)</script></svg>\n", 0, "<svg>"),
    ("<svg/onload=alert(1)>\n", 0, "<svg>"),
    ('<math><mtext><a href="javascript:alert(1)">x</a></mtext></math>\n', 0, "<math>"),
    ('<object data="x.swf"></object>\n', 0, "<object>"),
    ('<embed src="x.swf">\n', 0, "<embed>"),
    ('<form action="https://evil.example/"><input name=p></form>\n', 0, "<form>"),
    ('<button form="kb-search" formaction="https://evil.example/">Go</button>\n', 0, "<button>"),
    ('<link rel="import" href="x.html">\n', 0, "<link>"),
    ('<link rel="stylesheet" href="x.css">\n', 0, "<link>"),
    ('<link rel="preload" href="x.js" as="script">\n', 0, "<link>"),
    ("<style>body { display: none }</style>\n", 0, "<style>"),
    ("<template><script>alert(1)</script></template>\n", 0, "<template>"),
    ('<frameset onload="alert(1)"><frame src="x"></frameset>\n', 0, "<frameset>"),
    ('<body onload="alert(1)">\n', 0, "<body>"),
    ('<portal src="x.html"></portal>\n', 0, "<portal>"),
    ("<xmp><img src=x onerror=alert(1)></xmp>\n", 0, "<xmp>"),
    ("!!! note\n    <script>alert(1)</script>\n", 1, "<script>"),
    ("<div>\n\n<iframe src=x.html></iframe>\n\n</div>\n", 2, "<iframe>"),
    # A quoted '>' does not end a tag for a browser, nor does a table's cell lose attributes.
    ('<div title=">" onclick="alert(1)">x</div>\n', 0, "'onclick'"),
    ('<img title=">" src=x onerror=alert(1)//>\n', 0, "'onerror'"),
    ("<td onclick=alert(1)>x</td>\n", 0, "'onclick'"),
    # Read as Python-Markdown's inline pattern reads a tag (it ends at the first '<' or '>'),
    # the quoted <script> is a tag of its own: refused, as the most lenient reader would see it.
    ('Text <span title="<script>alert(1)</script>">x</span>\n', 0, "<script>"),
    # Styles that run script, however they are written, in raw HTML or an attribute list.
    ('<div style="width: expression(alert(1))">x</div>\n', 0, "'expression'"),
    ('<div style="width: \\65 xpression(alert(1))">x</div>\n', 0, "'expression'"),
    ('<div style="width: ex/**/pression(alert(1))">x</div>\n', 0, "'expression'"),
    ('<div style="-moz-binding: url(x.xml#xss)">x</div>\n', 0, "'-moz-binding'"),
    ('<p style="behavior: url(x.htc)">x</p>\n', 0, "'behavior'"),
    ('<p style="background: url(&#106;avascript:alert(1))">x</p>\n', 0, "'javascript'"),
    ("<p style=\"background: url('java\tscript:alert(1)')\">x</p>\n", 0, "'javascript'"),
    ('<p style="background-image: url(data:image/svg+xml,x)">x</p>\n', 0, "'data:'"),
    ('[s](r.md){ style="background: url(javascript:alert(1))" }\n', 0, "'javascript'"),
    ('Para\n{: style="x: expression(alert(1))" }\n', 1, "'expression'"),
    # Attributes the theme's scripts read would steer them from a writer's element.
    ('<div data-kb-api="https://evil.example/api">x</div>\n', 0, "'data-kb-api'"),
    ("<div data-kb-search-results>x</div>\n", 0, "'data-kb-search-results'"),
    ('[a](b.md){ data-md-component="search" }\n', 0, "'data-md-component'"),
]


@pytest.mark.parametrize(("body", "line", "words"), HOSTILE_HTML)
def test_raw_html_that_runs_script_or_hijacks_links_is_refused(body, line, words):
    problems = page_problems(body)
    assert problems and {p[0] for p in problems} == {line}, problems
    assert any(words in message for _, message in problems), problems
    for _, message in problems:
        # Each says what would be valid.
        assert any(
            hint in message for hint in ("pages may use", "a style may set", "remove it", "link to")
        ), message


@pytest.mark.parametrize(
    "body",
    [
        '<div class="grid cards" markdown>\n\n- One\n- Two\n\n</div>\n',
        "<details><summary>More</summary>\n\nHidden text.\n\n</details>\n",
        '<figure><img src="img/a.png" alt="A" width="200"><figcaption>A</figcaption></figure>\n',
        '<video controls src="clip.webm" poster="clip.png"><track src="c.vtt"></video>\n',
        "<table><tr><th>A</th><td colspan=2>B</td></tr></table>\n",
        '<abbr title="Application Programming Interface">API</abbr> <kbd>Ctrl</kbd>+<kbd>C</kbd>\n',
        '<span style="color: #c00; background: url(img/bg.png) no-repeat">red</span>\n',
        "[s](r.md){ style=\"color: red; background-image: url('img/a.png')\" }\n",
        # Not element names: inert in every browser (a real tldr page writes <dav.example.com>).
        "Connect to <dav.example.com> or <pulumi.com>, or a <my-widget></my-widget>.\n",
        '<div data-step="2" data-kind="tip">data- attributes of the writer\'s own</div>\n',
        '```html\n<script>alert(1)</script>\n<iframe srcdoc="x"></iframe>\n```\n',
        "Use `<meta http-equiv=refresh>` or `<base href>` in your own site.\n",
    ],
)
def test_layout_html_is_allowed(body):
    assert page_problems(body) == []


def test_the_allowed_elements_are_only_layout_text_and_media():
    refused = {"script", "iframe", "object", "embed", "meta", "base", "link", "style", "form"}
    assert not refused & ALLOWED_ELEMENTS
    assert {"svg", "math", "noscript", "template", "input", "button"}.isdisjoint(ALLOWED_ELEMENTS)


@pytest.mark.parametrize(
    ("css", "urls"),
    [
        ("background: url(a.png)", ["a.png"]),
        ("background: url( 'a.png' )", ["a.png"]),
        ('background: URL("//evil.example/b.png")', ["//evil.example/b.png"]),
        ("@import 'https://evil.example/x.css';", ["https://evil.example/x.css"]),
        ('@import url("x.css") screen;', ["x.css"]),
        (
            "background-image: image-set('a.png' 1x, \"https://evil.example/b.png\" 2x)",
            ["a.png", "https://evil.example/b.png"],
        ),
        ("background: -webkit-image-set(url(c.png) 1x)", ["c.png"]),
        ("background: u\\72l(https://evil.example/e.png)", ["https://evil.example/e.png"]),
        ("background: url(/*x*/https://evil.example/f.png)", ["https://evil.example/f.png"]),
        ("color: red", []),
    ],
)
def test_css_urls_are_read_in_every_form(css, urls):
    assert css_urls(css) == urls


def test_css_problem_allows_ordinary_styles():
    assert css_problem("color: red; margin: 0 auto; background: url(img/a.png)") is None
    assert "expression" in (css_problem("width:EXPRESSION(alert(1))") or "")


@pytest.mark.parametrize(
    ("url", "read"),
    [
        ("\\\\evil.example/x.png", "//evil.example/x.png"),
        ("https:/\\evil.example/y.png", "https://evil.example/y.png"),
        ("ht\ttps://evil.example/", "https://evil.example/"),
        ("https://evil\n.example/", "https://evil.example/"),
        ("  \x01//evil.example/", "//evil.example/"),
        ("/\\evil.example/", "//evil.example/"),
        ("&#92;&#92;evil.example/", "//evil.example/"),
        ("HtTpS://Evil.Example/", "HtTpS://Evil.Example/"),
        ("img/a.png", "img/a.png"),
    ],
)
def test_browser_url_reads_an_address_as_the_whatwg_parser_does(url, read):
    assert browser_url(url) == read


# Data strings (a change body, a lesson's text, a title) can carry the same raw HTML: they are
# text, so none of these elements or attributes is ever produced from them.
HOSTILE_DATA = [body.strip() for body, _, _ in HOSTILE_HTML]


@pytest.mark.parametrize("text", HOSTILE_DATA)
def test_data_strings_with_hostile_html_stay_text(text):
    for rendered in (
        markdown.markdown(safe_markdown(text), extensions=EXTENSIONS),
        markdown.markdown(markdown_literal(text), extensions=EXTENSIONS),
        markdown_html(text),
        str(html(text)),
    ):
        assert injected(rendered) == [], (text, rendered)
        # Nor a style: Markdown never writes one from text.
        nodes = LexborHTMLParser(rendered).root.traverse(include_text=False)
        assert not any("style" in node.attributes for node in nodes), rendered


# --- templates -------------------------------------------------------------------------------


def _template(source: str, name: str) -> jinja2.Template:
    env = environment("kb_builder.families.support")
    env.loader = jinja2.DictLoader({name: source})
    return env.get_template(name)


def test_markdown_templates_escape_every_value_unless_it_is_markdown():
    template = _template(
        "# {{ title }}\n{{ body | markdown }}\n[{{ title }}]({{ target | href }})\n"
        "{{ names | join(', ') }} {{ 'x' ~ title }}\n",
        "t.md.j2",
    )
    out = template.render(
        title="<b>A</b> *b* {: onclick=x}",
        body="Some *Markdown* <i>raw</i>",
        target="../a b.md#c",
        names=["[x](y)", MarkdownText("**z**")],
    )
    assert out.splitlines() == [
        "# &#60;b&#62;A&#60;/b&#62; &#42;b&#42; &#123;: onclick&#61;x&#125;",
        "Some *Markdown* &lt;i>raw&lt;/i>",
        "[&#60;b&#62;A&#60;/b&#62; &#42;b&#42; &#123;: onclick&#61;x&#125;](<../a%20b.md#c>)",
        "&#91;x&#93;(y), **z** x&#60;b&#62;A&#60;/b&#62; &#42;b&#42; &#123;: onclick&#61;x&#125;",
    ]


def test_html_templates_autoescape():
    out = _template('<p title="{{ t }}">{{ t }}</p>', "t.html.j2").render(t='"<b>&')
    assert out == '<p title="&#34;&lt;b&gt;&amp;">&#34;&lt;b&gt;&amp;</p>'


def test_templates_refuse_undefined_names_and_refused_links():
    with pytest.raises(jinja2.UndefinedError):
        _template("{{ missing }}", "u.md.j2").render()
    with pytest.raises(ValueError, match="javascript"):
        _template("[x]({{ u | href }})", "l.md.j2").render(u="javascript:alert(1)")
