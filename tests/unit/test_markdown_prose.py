"""`kb_builder.core.markdown.prose`: code blanked line for line, with or without a parse.

The page rules read a page's prose, its code removed. Most help pages have no code, so the
markdown-it parse that finds fences and indented blocks is skipped when nothing in the text
could be code; these tests hold the shortcut to the parse's answer.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kb_builder.core import markdown


def _parsed(text: str) -> tuple[str, ...]:
    """What `_without_code` gives through the parse, always."""
    flat = markdown._flatten(text)
    lines = flat.splitlines()
    for token in markdown.tokens(flat):
        if token.type in {"fence", "code_block"} and token.map:
            start, end = token.map
            first = lines[start] if token.type == "fence" else ""
            lines[start:end] = [first] + [""] * (end - start - 1)
    return tuple(markdown._CODE_SPAN.sub("", line) for line in lines)


PIECES = [
    "-",
    ">",
    " ",
    "  ",
    "    ",
    "     ",
    "\t",
    "`",
    "```",
    "~",
    "~~~",
    "1.",
    "\n",
    "\r\n",
    "\u2028",
    "a",
    "word",
    "[x](https://example.com/)",
    "<b>",
    "*",
    "#",
    "|",
]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=16))
def test_the_shortcut_gives_what_the_parse_gives(pieces):
    text = "".join(pieces)
    assert markdown._without_code.__wrapped__(text) == _parsed(text)


def test_code_that_needs_no_backtick_is_still_blanked():
    # An indented code block as a list item's first content, and a tilde fence.
    text = "-     <script>x</script>\n\n~~~\n[a](javascript:x)\n~~~\nprose\n"
    assert "script" not in markdown.prose(text)
    assert "javascript" not in markdown.prose(text)
    assert markdown.prose(text).endswith("prose")


def _inline(tokens) -> list[dict]:
    return [token.as_dict() for token in tokens if token.type == "inline"]


# The page rules parse a page's code-free lines with one final newline added (one parse for
# them and the link readers): they read inline tokens alone, which that newline never changes.
@settings(max_examples=800, deadline=None)
@given(
    st.lists(
        st.sampled_from([*PIECES, "[r]: <https://example.com/>", "![i](a.png)", "    x", "\n\n"]),
        max_size=16,
    )
)
def test_one_final_newline_changes_no_inline_token(pieces):
    text = "".join(pieces).rstrip("\n")
    assert _inline(markdown._md.parse(text + "\n")) == _inline(markdown._md.parse(text))


def test_the_page_rules_and_the_link_readers_share_one_parse():
    page = "# Title\n\nSee [the form](forms/a.md) and <https://example.com/>.\n"
    markdown.tokens.cache_clear()
    markdown.page_problems(page)
    markdown.tokens(markdown._flatten(page))  # what the link readers parse
    assert markdown.tokens.cache_info().misses == 1
