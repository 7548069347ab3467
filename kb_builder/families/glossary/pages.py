"""The glossary page, and the abbreviation lines that give a page's terms their tooltips."""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections.abc import Collection, Mapping
from functools import cache
from html.parser import HTMLParser

import jinja2

from kb_builder.core.editions import Edition
from kb_builder.core.errors import ContentError
from kb_builder.core.generated import GeneratedPage
from kb_builder.core.markdown import markdown_html, prose
from kb_builder.core.templates import environment
from kb_builder.families.glossary.loader import EDIT_SOURCE, Glossary, anchor
from kb_builder.families.glossary.model import Term
from kb_builder.families.glossary.tooltips import definition_line


@cache
def _environment() -> jinja2.Environment:
    # Every value is escaped as Markdown text unless a filter made it Markdown.
    return environment(__package__)


def _sort_key(term: str) -> tuple[str, str]:
    # Alphabetical as readers expect: accents and case do not decide the place of a term.
    bare = "".join(c for c in unicodedata.normalize("NFKD", term) if not unicodedata.combining(c))
    return (bare.casefold(), term)


def shown_terms(glossary: Glossary, edition: Edition) -> list[Term]:
    """The terms `edition` shows (internal ones only in the internal edition), A to Z."""
    terms = [t for t in glossary.terms if edition == "internal" or t.audience == "public"]
    return sorted(terms, key=lambda t: _sort_key(t.term))


def edition_errors(
    glossary: Glossary, edition: Edition, internal_pages: Collection[str]
) -> list[ContentError]:
    """Public terms that would send clients to an internal page."""
    if edition != "public":
        return []
    return [
        ContentError(
            glossary.source,
            glossary.line_of(i, "see"),
            f"the public term '{term.term}' links to '{term.see}', an internal page; mark the "
            "term 'audience: internal' or link a public page",
        )
        for i, term in enumerate(glossary.terms)
        if term.audience == "public"
        and term.see is not None
        and term.see.split("#", 1)[0] in internal_pages
    ]


def _link(target: str, from_uri: str) -> str:
    page, _, fragment = target.partition("#")
    rel = posixpath.relpath(page, posixpath.dirname(from_uri) or ".")
    return f"{rel}#{fragment}" if fragment else rel


def pages(
    glossary: Glossary, edition: Edition, page_titles: Mapping[str, str]
) -> list[GeneratedPage]:
    """The glossary page (``glossary.md`` unless the file says where)."""
    uri = glossary.file.page
    entries = [
        {
            "term": term,
            "anchor": anchor(term.term),
            "see": (
                (page_titles.get(term.see.split("#", 1)[0], term.see), _link(term.see, uri))
                if term.see
                else None
            ),
        }
        for term in shown_terms(glossary, edition)
    ]
    markdown = (
        _environment()
        .get_template("glossary.md.j2")
        .render(glossary=glossary.file, entries=entries, edition=edition)
    )
    return [GeneratedPage(uri, markdown, EDIT_SOURCE)]


# --- abbreviation tooltips -------------------------------------------------------------------

#: A tooltip is a reminder, not the article: its first sentence, or this many characters.
TOOLTIP_LENGTH = 160
# A sentence ends before a capital ("9 a.m. to 5 p.m." and "e.g. a permit" go on).
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'“‘(]?[A-Z])")
# What a definition line cannot take in a term ('*[[term]]: tooltip').
_NOT_IN_ABBR = re.compile(r"[\[\]\\]")


class _TextOf(HTMLParser):
    """The text of rendered HTML, character references decoded, blocks apart."""

    _BLOCKS = frozenset({"p", "li", "br", "div", "blockquote", "pre", "tr", "h1", "h2", "h3"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self._BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        self.handle_starttag(tag, [])


def plain_definition(definition: str, limit: int = TOOLTIP_LENGTH) -> str:
    """A definition as one line of plain text: no Markdown, no HTML, at most `limit` characters.

    The first sentence when it fits, else the words that fit, then an ellipsis. Control and
    format characters are dropped (a title attribute shows them as boxes, or not at all).
    """
    parser = _TextOf()
    parser.feed(markdown_html(definition))
    parser.close()
    text = "".join(c if unicodedata.category(c)[0] != "C" else " " for c in "".join(parser.parts))
    text = " ".join(text.split())
    first = _SENTENCE_END.split(text, maxsplit=1)[0]
    if len(first) <= limit and len(first) < len(text):
        return first
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-–—") + "…"


def _mentions(term: str, text: str) -> list[str]:
    """The spellings of `term` (as to case) that stand as whole words in `text`."""
    if _NOT_IN_ABBR.search(term):
        return []
    pattern = re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, term.split())) + r"(?!\w)", re.I)
    # The extension matches a term exactly: one spacing, each spelling its own line.
    return sorted({m.group(0) for m in pattern.finditer(text) if "\n" not in m.group(0)})


def abbreviations(glossary: Glossary, markdown: str, edition: Edition) -> list[tuple[str, str]]:
    """``(spelling, tooltip)`` for each term of `edition` that `markdown`'s prose mentions."""
    text = prose(markdown)
    found: dict[str, str] = {}
    for term in shown_terms(glossary, edition):
        tooltip = plain_definition(term.definition)
        if not tooltip:
            continue
        for spelling in _mentions(term.term, text):
            found.setdefault(spelling, tooltip)
    return sorted(found.items())


def with_abbreviations(glossary: Glossary, markdown: str, edition: Edition) -> str:
    """`markdown` with a definition line (``*[[term]]: tooltip``) per term its prose mentions.

    The lines come last, after a blank line, each a line of its own: the `tooltips`
    extension removes them and marks the term's mentions in prose with ``<abbr title>``.
    """
    lines = [
        definition_line(spelling, tooltip)
        for spelling, tooltip in abbreviations(glossary, markdown, edition)
    ]
    if not lines:
        return markdown
    return markdown.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n"
