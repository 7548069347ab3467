"""The glossary's tooltips as a Python-Markdown extension: ``<abbr title>`` on terms in prose.

Python-Markdown's ``abbr`` extension marks every mention of a term, headings and links
included: a page's title, the FAQ's question list and every link text that names a term get
the dotted underline, and tools that read a heading's text see it split in pieces. The glossary
wants a reminder where a term is read, not where it is a title or a way somewhere else, so its
definitions have their own syntax, read by this extension only::

    *[[preview environment]]: A separate copy of OPS-COM for testing and training.

It is the ``abbr`` syntax with doubled brackets, so that a site whose engine lacks this
extension but has ``abbr`` still removes the lines (``abbr`` reads the key
``[preview environment]``, which no text matches). Terms are marked in paragraphs, list
items, tables, admonitions, ...; never in headings, links, code, or an existing ``<abbr>``.
A writer's own ``*[HTML]: ...`` lines are left to the ``abbr`` extension.

Listed in ``markdown_extensions`` as ``kb_builder.families.glossary.tooltips`` (the family's
`markdown_extensions` adds it).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.blockparser import BlockParser
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

#: One definition line: ``*[[term]]: tooltip`` (the term has no bracket or backslash).
DEFINITION = re.compile(r"^\*\[\[(?P<term>[^\[\]\\\n]+)\]\]:[ \t]*(?P<title>[^\n]*\S)[ \t]*$", re.M)
# Where a tooltip would be a title's decoration, a link's rival or a change of code.
_SKIPPED = frozenset(
    {"h1", "h2", "h3", "h4", "h5", "h6", "a", "abbr", "code", "pre", "kbd", "script", "style"}
)


def definition_line(term: str, tooltip: str) -> str:
    """The line that gives `term` its tooltip (both one line of plain text)."""
    return f"*[[{term}]]: {tooltip}"


class _Definitions(BlockProcessor):
    """Removes the definition lines from the page, keeping what they say."""

    def __init__(self, parser: BlockParser, found: dict[str, str]):
        super().__init__(parser)
        self.found = found

    def test(self, parent: etree.Element, block: str) -> bool:
        return bool(DEFINITION.search(block))

    def run(self, parent: etree.Element, blocks: list[str]) -> bool:
        block = blocks.pop(0)
        match = DEFINITION.search(block)
        if match is None:  # pragma: no cover - test() said it matches
            blocks.insert(0, block)
            return False
        self.found.setdefault(match.group("term").strip(), match.group("title").strip())
        after, before = block[match.end() :].lstrip("\n"), block[: match.start()].rstrip("\n")
        if after.strip():
            blocks.insert(0, after)
        if before.strip():
            blocks.insert(0, before)
        return True


class _Tooltips(Treeprocessor):
    """Wraps each mention of a defined term in prose in ``<abbr title="...">``."""

    def __init__(self, md: Markdown, found: dict[str, str]):
        super().__init__(md)
        self.found = found
        self.pattern: re.Pattern[str] | None = None

    def run(self, root: etree.Element) -> None:
        if not self.found:
            return
        terms = sorted(self.found, key=len, reverse=True)
        self.pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, terms)) + r")(?!\w)")
        self._walk(root)

    def _wrap(self, text: str | None) -> tuple[str | None, list[etree.Element]]:
        """`text` split into the text before the first mention and the ``abbr`` elements (each
        with the text up to the next mention as its tail)."""
        if not text or isinstance(text, AtomicString) or self.pattern is None:
            return text, []
        matches = list(self.pattern.finditer(text))
        if not matches:
            return text, []
        elements = []
        for i, match in enumerate(matches):
            abbr = etree.Element("abbr", {"title": self.found[match.group(0)]})
            abbr.text = AtomicString(match.group(0))
            end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
            abbr.tail = text[match.end() : end]
            elements.append(abbr)
        return text[: matches[0].start()], elements

    def _walk(self, element: etree.Element) -> None:
        if element.tag in _SKIPPED:
            return
        children = list(element)
        for child in children:
            self._walk(child)
        element.text, rebuilt = self._wrap(element.text)
        for child in children:
            child.tail, after = self._wrap(child.tail)
            rebuilt += [child, *after]
        element[:] = rebuilt


class GlossaryTooltips(Extension):
    """``*[[term]]: tooltip`` lines -> ``<abbr title="tooltip">`` on the term in prose."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        self.found: dict[str, str] = {}
        md.registerExtension(self)
        # Before the abbr extension's block processor (16), which would read the lines too.
        md.parser.blockprocessors.register(_Definitions(md.parser, self.found), "kb_glossary", 17)
        # After inline Markdown (20), before the table of contents (5) and abbr (7).
        md.treeprocessors.register(_Tooltips(md, self.found), "kb_glossary_tooltips", 8)

    def reset(self) -> None:
        self.found.clear()


def makeExtension(**kwargs) -> GlossaryTooltips:  # noqa: N802 - Python-Markdown's entry point
    return GlossaryTooltips(**kwargs)
