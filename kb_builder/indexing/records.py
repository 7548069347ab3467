"""Search records read from rendered pages: what a visitor reads is what the index holds.

Each page gives:

- one page-level record (the page title, its sub-headings and the text before the first
  section);
- on an FAQ page, one record per question (the question as title, its own URL with the anchor,
  the answer as body);
- on other pages, one record per section (an ``h2`` or ``h3`` with an id), so that a result can
  link straight to the part of a long page that answers.

Page chrome never reaches the index: permalinks (``a.headerlink``), scripts, navigation (the FAQ
list of questions, lesson navigation), forms and hidden elements are dropped first. The HTML is
either MkDocs' rendered page content (what a plugin receives in ``on_page_content``) or a
complete Material page, whose ``<article>`` is then used.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from kb_builder.pages import audience
from search.documents import Document

#: Never content: dropped before any text is read.
_CHROME = (
    "script, style, template, noscript, nav, button, form, input, select, textarea, progress, "
    "svg, [hidden], a.headerlink, p.kb-faq-back, .md-source-file, .md-content__button, "
    "label.kb-lesson-done"
)
#: Elements after which a space keeps words of neighbouring blocks apart ("Yes</td><td>No").
_BLOCKS = (
    "p, li, td, th, tr, div, h1, h2, h3, h4, h5, h6, br, dt, dd, blockquote, pre, summary, "
    "table, ul, ol, section, details, figcaption, hr"
)
# Internal passages are recognised by the one rule of `pages.audience` (which also refuses
# public HTML that merely looks internal); internal items (a lesson for agents) are badged
# "Internal". Both are present only in the internal edition.
_BADGE = ".kb-badge"
_SECTION_HEADINGS = ("h2", "h3")


@dataclass
class _Record:
    title: str
    anchor: str = ""
    kind: str = ""
    parent: str = ""  # the h2 above an h3
    nodes: list[LexborNode] = field(default_factory=list)


def _classes(node: LexborNode) -> set[str]:
    return set((node.attributes.get("class") or "").split())


def _text(nodes: Iterable[LexborNode]) -> str:
    return " ".join(" ".join(node.text(deep=True, separator="") for node in nodes).split())


def _is_internal_badge(node: LexborNode) -> bool:
    return node.text(deep=True).strip().casefold() == "internal"


def _has_internal(nodes: Iterable[LexborNode]) -> bool:
    for node in nodes:
        if node.tag == "-text":
            continue
        # Fail-closed: anything that looks internal marks the record internal.
        if any(audience.looks_internal(d) for d in node.traverse(include_text=False)):
            return True
        badges = node.css(_BADGE) + ([node] if "kb-badge" in _classes(node) else [])
        if any(_is_internal_badge(badge) for badge in badges):
            return True
    return False


def _content_root(tree: LexborHTMLParser) -> LexborNode:
    """The page content: Material's ``<article>`` in a whole page, else the body."""
    root = tree.css_first("article.md-content__inner") or tree.body or tree.root
    assert root is not None
    return root


def _split(root: LexborNode, page_kind: str) -> tuple[list[LexborNode], list[_Record]]:
    """Split the content into the page's own text and its sections or questions."""
    faq = root.css_first("h2.kb-faq-question[id]") is not None
    intro: list[LexborNode] = []
    records: list[_Record] = []
    current: _Record | None = None
    last_h2 = ""
    for node in root.iter(include_text=True):
        tag = node.tag
        anchor = (node.attributes.get("id") or "") if tag != "-text" else ""
        if tag == "h1":
            continue  # the page title, indexed as the page record's title
        is_question = faq and tag == "h2" and "kb-faq-question" in _classes(node) and anchor
        # On an FAQ page, headings inside an answer belong to the answer.
        in_answer = current is not None and current.kind == "faq" and tag != "h2"
        if is_question or (tag in _SECTION_HEADINGS and anchor and not in_answer):
            title = " ".join(node.text(deep=True, separator="").split())
            if tag == "h2":
                last_h2 = title
            kind = "faq" if is_question else page_kind
            if tag == "h3" and "kb-lesson" in _classes(node):
                kind = "lesson"
            current = _Record(title, anchor, kind, last_h2 if tag == "h3" else "")
            records.append(current)
        elif current is None:
            intro.append(node)
        else:
            current.nodes.append(node)
    return intro, records


def documents_from_page(
    html: str,
    *,
    url: str,
    page_title: str,
    kind: str,
    audience: str,
    section: str,
    tags: Sequence[str],
) -> list[Document]:
    """The search records of one rendered page.

    Args:
        html: the page's rendered content (or a whole page with Material's ``<article>``).
        url: the page's site-relative URL, as MkDocs gives it (``"support/critical-tickets/"``).
        page_title: the page title.
        kind: the page's kind (one of `search.documents.KINDS`); FAQ questions are ``faq`` and
            training lessons (``h3.kb-lesson``) are ``lesson`` whatever the page's kind.
        audience: the page's audience; a record that contains an internal passage or an item
            badged "Internal" is marked internal even on a public page (it can only be there in
            the internal edition).
        section: the top-level area of the site (first part of the URL, ``""`` for the home).
        tags: the page's tags.

    Returns:
        The page record first, then one record per question or section, in page order. Ids
        are the URLs with their anchors, so they stay the same from one build to the next.
    """
    tree = LexborHTMLParser(html)
    root = _content_root(tree)
    for node in root.css(_CHROME):
        node.decompose()
    for node in root.css(_BLOCKS):
        node.insert_after(" ")
    intro, records = _split(root, kind)
    common = {"section": section, "tags": tuple(tags), "page_title": page_title}

    def audience_of(nodes: Iterable[LexborNode]) -> str:
        return "internal" if audience == "internal" or _has_internal(nodes) else audience

    documents = [
        Document(
            id=url or "/",
            url=url,
            title=page_title,
            body=_text(intro),
            kind=kind,
            headings=tuple(r.title for r in records),
            audience=audience_of(intro),
            **common,
        )
    ]
    seen = {url}
    for record in records:
        body = _text(record.nodes)
        record_url = f"{url}#{record.anchor}"
        if record_url in seen or not (body or record.kind == "faq"):
            # An empty section ("Past releases" above its h3s) is already a heading of the
            # page record; a repeated id would make two records with one URL.
            continue
        seen.add(record_url)
        context = [page_title] + ([record.parent] if record.parent else [])
        documents.append(
            Document(
                id=record_url,
                url=record_url,
                title=record.title,
                body=body,
                kind=record.kind,
                headings=tuple(context),
                audience=audience_of(record.nodes),
                **common,
            )
        )
    return documents
