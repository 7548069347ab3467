"""reStructuredText (reno notes, towncrier fragments) -> the site's Markdown, by docutils.

docutils parses the text into its document tree; `_Markdown` walks that tree and writes
Markdown in which every piece of text is escaped by `kb_builder.core.text.markdown_literal`,
so a note's raw HTML or Markdown-looking punctuation is shown as written, never interpreted.
Links are kept only when the site allows their scheme; a refused one is an `RstProblem`, so the
note is reported and skipped rather than published without it.

Sphinx's roles (``:doc:``, ``:ref:``, ``:oslo.config:option:``) and its ``code-block``
directive are common in release notes but unknown to plain docutils: roles show their text as
code, and ``code-block`` is read as docutils' ``code``.
"""

from __future__ import annotations

import io
import types
from dataclasses import dataclass

from docutils import nodes, utils
from docutils.core import publish_doctree
from docutils.parsers.rst import Parser, directives, roles, states
from docutils.parsers.rst.directives.body import CodeBlock

from kb_builder.core.text import code_span, href, link_problem, markdown_literal

# Admonition classes docutils knows -> the admonition type the site's Markdown renders.
_ADMONITIONS = {
    "note": "note",
    "hint": "tip",
    "tip": "tip",
    "important": "important",
    "warning": "warning",
    "caution": "warning",
    "attention": "warning",
    "danger": "danger",
    "error": "danger",
    "seealso": "note",
    "admonition": "note",
}


class RstProblem(Exception):
    """The text cannot become safe Markdown (a refused link, an unreadable construct).

    Attributes:
        line: the 1-based line of the text where the problem is, when docutils knows it.
    """

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def _sphinx_role(name, rawtext, text, lineno, inliner, options=None, content=None):  # noqa: ANN001, ANN202
    """Any role docutils does not know: its text as code (``<target>`` dropped, as Sphinx shows
    it), so ``:ref:`Cells <cells>``` reads "Cells", and nothing is lost or reported."""
    shown = utils.unescape(text)
    if shown.endswith(">") and " <" in shown:
        shown = shown[: shown.rindex(" <")]
    return [nodes.literal(rawtext, shown.lstrip("~!"))], []


def _interpreted(inliner, rawsource, text, role, lineno):  # noqa: ANN001, ANN202
    """docutils' Inliner.interpreted, with unknown roles read by `_sphinx_role`, not refused."""
    role_fn, _ = roles.role(role, inliner.language, lineno, inliner.reporter)
    if role_fn is None and role:
        return _sphinx_role(role, rawsource, text, lineno, inliner)
    return states.Inliner.interpreted(inliner, rawsource, text, role, lineno)


def _inliner() -> states.Inliner:
    # An instance attribute, not a subclass: Inliner builds its patterns from its own class
    # attributes (vars(type(self))), which a subclass would not have.
    inliner = states.Inliner()
    inliner.interpreted = types.MethodType(_interpreted, inliner)
    return inliner


# Sphinx's name for docutils' own code directive (registered once, in docutils' registry).
directives.register_directive("code-block", CodeBlock)
directives.register_directive("sourcecode", CodeBlock)

_SETTINGS = {
    "report_level": 5,  # problems come back as system_message nodes, never on stderr
    "halt_level": 5,
    "warning_stream": io.StringIO(),
    "file_insertion_enabled": False,  # `.. include::` must never read this machine's files
    # `.. raw::` is parsed so that `_block` can refuse it by name (disabled, docutils would
    # drop it with only a warning, and the note would lose text silently).
    "raw_enabled": True,
    "input_encoding": "unicode",
}


def _inline(node: nodes.Node) -> str:
    """Inline content of `node` as Markdown."""
    parts: list[str] = []
    for child in node.children:
        parts.append(_inline_node(child))
    return "".join(parts)


def _inline_node(node: nodes.Node) -> str:
    if isinstance(node, nodes.Text):
        # Line breaks inside a paragraph are spaces in both languages; one line reads better.
        flat = " ".join(str(node).split())
        if not flat:
            return " " if str(node) else ""
        # markdown_literal trims; the spaces around a text node separate it from its neighbours.
        lead = " " if str(node)[:1].isspace() else ""
        trail = " " if str(node)[-1:].isspace() else ""
        return lead + str(markdown_literal(flat)) + trail
    if isinstance(node, nodes.literal):
        return str(code_span(node.astext()))
    if isinstance(node, nodes.emphasis | nodes.title_reference):
        inner = _inline(node).strip()
        return f"*{inner}*" if inner else ""
    if isinstance(node, nodes.strong):
        inner = _inline(node).strip()
        return f"**{inner}**" if inner else ""
    if isinstance(node, nodes.reference):
        text = _inline(node).strip()
        url = node.get("refuri")
        if not url:
            return text  # an internal reference (`name`_): its text
        problem = link_problem(url)
        if problem:
            raise RstProblem(problem, node.line)
        return f"[{text or markdown_literal(url)}]({_destination(url)})"
    if isinstance(node, nodes.target | nodes.system_message | nodes.comment):
        return ""
    if isinstance(node, nodes.problematic):
        return str(markdown_literal(node.astext()))
    if isinstance(node, nodes.image):
        raise RstProblem("has an image, which a change's text cannot show; describe it in words")
    return _inline(node) if isinstance(node, nodes.Element) else str(markdown_literal(node))


def _destination(url: str) -> str:
    # Python-Markdown reads '<mailto:a@b>' inside a link as an e-mail autolink, so the angle
    # brackets of `href` are kept for addresses that need them (spaces, parentheses) only.
    if any(c.isspace() or c in "()<>" for c in url):
        return str(href(url))
    return url


def _indent(text: str, prefix: str, first: str | None = None) -> list[str]:
    out = []
    for i, line in enumerate(text.split("\n")):
        lead = first if (i == 0 and first is not None) else prefix
        out.append(lead + line if line else "")
    return out


def _blocks(node: nodes.Element) -> str:
    """Block children of `node` as Markdown blocks separated by blank lines."""
    blocks = [b for b in (_block(child) for child in node.children) if b]
    return "\n\n".join(blocks)


def _block(node: nodes.Node) -> str:
    if isinstance(node, nodes.paragraph):
        return _inline(node).strip()
    if isinstance(node, nodes.bullet_list | nodes.enumerated_list):
        ordered = isinstance(node, nodes.enumerated_list)
        items = []
        for i, item in enumerate(node.children, 1):
            marker = f"{i}. " if ordered else "- "
            # Python-Markdown nests by four spaces, whatever the marker's width.
            items.append("\n".join(_indent(_blocks(item), "    ", marker)))
        return "\n".join(items) if all("\n\n" not in i for i in items) else "\n\n".join(items)
    if isinstance(node, nodes.literal_block):
        text = node.astext()
        fence = "```"
        while fence in text:
            fence += "`"
        # '.. code-block:: ini' keeps its language (docutils puts it among the classes).
        language = next((c for c in node["classes"] if c != "code" and c.isalnum()), "text")
        return f"{fence}{language}\n{text}\n{fence}"
    if isinstance(node, nodes.block_quote):
        return "\n".join(f"> {line}" if line else ">" for line in _blocks(node).split("\n"))
    if isinstance(node, nodes.Admonition):
        kind = node.tagname
        if kind not in _ADMONITIONS:
            kind = next((c for c in node["classes"] if c in _ADMONITIONS), "admonition")
        body = [c for c in node.children if not isinstance(c, nodes.title)]
        titles = [c for c in node.children if isinstance(c, nodes.title)]
        holder = nodes.container("", *[c.deepcopy() for c in body])
        head = f"!!! {_ADMONITIONS.get(kind, 'note')}"
        if titles:
            # The title is text in double quotes: quotes in it are escaped by markdown_literal.
            head += f' "{_inline(titles[0]).strip()}"'
        return head + "\n" + "\n".join(_indent(_blocks(holder), "    "))
    if isinstance(node, nodes.definition_list):
        items = []
        for item in node.children:
            term = next((c for c in item.children if isinstance(c, nodes.term)), None)
            definition = next((c for c in item.children if isinstance(c, nodes.definition)), None)
            head = f"**{_inline(term).strip()}**" if term else ""
            body = _blocks(definition) if definition else ""
            items.append("\n".join(_indent(body, "    ", f"- {head}: " if head else "- ")))
        return "\n".join(items)
    if isinstance(node, nodes.field_list | nodes.option_list | nodes.line_block):
        return "\n\n".join(
            str(markdown_literal(" ".join(line.split()))) for line in node.astext().split("\n")
        )
    if isinstance(node, nodes.table):
        return _table(node)
    if isinstance(node, nodes.section | nodes.container | nodes.compound | nodes.topic):
        parts = []
        for child in node.children:
            if isinstance(child, nodes.title):
                parts.append(f"**{_inline(child).strip()}**")
            else:
                parts.append(_block(child))
        return "\n\n".join(p for p in parts if p)
    if isinstance(node, nodes.transition):
        return "---"
    if isinstance(node, nodes.system_message):
        # Warnings too: docutils warns when it drops something (a disabled include), and a
        # note that lost text must be reported, not published shorter.
        if node["level"] >= 2:
            text = node.children[0].astext() if node.children else "unreadable text"
            raise RstProblem(f"is not valid reStructuredText ({text})", node.get("line"))
        return ""
    if isinstance(node, nodes.target | nodes.comment | nodes.substitution_definition):
        return ""
    if isinstance(node, nodes.raw):
        raise RstProblem("has raw HTML ('.. raw::'), which a change's text never shows")
    if isinstance(node, nodes.Element):
        return _inline(node).strip()
    return str(markdown_literal(node.astext()))


def _table(node: nodes.table) -> str:
    rows = []
    for row in node.findall(nodes.row):
        cells = [" ".join(_blocks(entry).split()) for entry in row.children]
        rows.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    if not rows:
        return ""
    width = rows[0].count(" | ") + 1
    return "\n".join([rows[0], "| " + " | ".join(["---"] * width) + " |", *rows[1:]])


@dataclass(frozen=True)
class Converted:
    """One RST text as Markdown.

    Attributes:
        markdown: the whole text as Markdown.
        title: its first sentence as plain text, on one line (empty for an empty text).
    """

    markdown: str
    title: str


def first_sentence(text: str, limit: int = 120) -> str:
    """The first sentence of plain `text` on one line, cut at a word within `limit`."""
    flat = " ".join(text.split())
    for end in (". ", "? ", "! "):
        at = flat.find(end)
        if 0 < at < limit:
            flat = flat[: at + 1]
            break
    if len(flat) > limit:
        cut = flat[: limit - 1].rsplit(" ", 1)[0]
        flat = cut.rstrip(",;:") + "…"
    return flat


def rst_to_markdown(text: str) -> Converted:
    """Convert reStructuredText to the site's Markdown (every text escaped, links checked).

    Raises:
        RstProblem: a link whose scheme the site refuses, raw HTML, an image, or an error
            docutils reports (with the line in `text` when it knows it).
    """
    parser = Parser(inliner=_inliner())
    try:
        doctree = publish_doctree(text, parser=parser, settings_overrides=_SETTINGS)
    except Exception as e:  # noqa: BLE001 - a note is untrusted input; docutils' own bugs on
        # pathological text must be a reported note, never a traceback that stops the import.
        raise RstProblem(f"docutils could not read it ({type(e).__name__}: {e})") from None
    markdown = _blocks(doctree).strip()
    first = next(iter(doctree.findall(nodes.paragraph)), None)
    plain = first.astext() if first is not None else doctree.astext()
    return Converted(markdown=markdown, title=first_sentence(plain))
