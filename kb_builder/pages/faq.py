"""FAQ pages: a page with ``type: faq`` is a list of questions, each a ``##`` heading.

Writers only write questions and answers. The build adds, from that structure:
the linked list of questions at the top, a stable anchor per question (from its words, or an
explicit ``{#anchor}`` that survives rewording), a "back to the questions" link after each
answer, and schema.org ``FAQPage`` JSON-LD for the page head.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from kb_builder.core.errors import ContentError
from kb_builder.core.slugs import plain_text, slugify, split_heading_attrs

QUESTION_LIST_ID = "questions"
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_md = MarkdownIt("commonmark")


@dataclass(frozen=True)
class Question:
    """One question of a FAQ page.

    Attributes:
        text: the heading as written (inline Markdown, without an attribute list).
        anchor: the id of its heading, used in links to it.
        line: the heading's 1-based line in the file.
        start: index of the heading's first line in the body.
        end: index of the line after the heading.
        answer_end: index of the line after the answer.
    """

    text: str
    anchor: str
    line: int
    start: int
    end: int
    answer_end: int


def _normalise(question: str) -> str:
    return " ".join(plain_text(question).casefold().rstrip("?!.:; ").split())


def parse_questions(body: str, source: str, body_offset: int, type_line: int = 1):
    """Find the questions of a FAQ page body and every structural error.

    Args:
        body: the Markdown after the front matter.
        source: the file, for messages.
        body_offset: lines of the file before `body`.
        type_line: the line of ``type: faq``, where a page with no question is reported.

    Returns:
        ``(questions, errors)``; the page is usable only when `errors` is empty.
    """
    lines = body.splitlines(keepends=True)
    tokens = _md.parse(body)
    headings = [
        (i, tok)
        for i, tok in enumerate(tokens)
        if tok.type == "heading_open" and tok.tag == "h2" and tok.level == 0 and tok.map
    ]
    errors: list[ContentError] = []
    if not headings:
        errors.append(
            ContentError(
                source,
                type_line,
                "this FAQ page has no questions; write each question as a '## Question?' "
                "heading with its answer below it",
            )
        )
        return [], errors

    questions: list[Question] = []
    seen_text: dict[str, int] = {}
    seen_anchor: dict[str, int] = {QUESTION_LIST_ID: 0}
    for n, (i, tok) in enumerate(headings):
        start, end = tok.map
        answer_end = headings[n + 1][1].map[0] if n + 1 < len(headings) else len(lines)
        line = body_offset + start + 1
        text, explicit = split_heading_attrs(tokens[i + 1].content)
        anchor = explicit or slugify(text)
        key = _normalise(text)
        if not key or not slugify(text):
            errors.append(
                ContentError(
                    source,
                    line,
                    f"the question '{text}' has no words; write it as a question, e.g. "
                    "'## How do I reset my password?'",
                )
            )
            continue
        if key in seen_text:
            errors.append(
                ContentError(
                    source,
                    line,
                    f"duplicate question '{text}' (already asked on line {seen_text[key]}); "
                    "merge the two answers or reword one question",
                )
            )
            continue
        seen_text[key] = line
        if anchor in seen_anchor:
            first = seen_anchor[anchor]
            clash = f"the question on line {first}" if first else "the list of questions"
            errors.append(
                ContentError(
                    source,
                    line,
                    f"the question '{text}' would get the anchor '#{anchor}', already used by "
                    f"{clash}; give it its own, e.g. '## {text} {{#{anchor}-2}}'",
                )
            )
            continue
        seen_anchor[anchor] = line
        answer = _COMMENT.sub("", "".join(lines[end:answer_end])).strip()
        if not answer:
            errors.append(
                ContentError(
                    source,
                    line,
                    f"the question '{text}' has no answer; write the answer below its heading",
                )
            )
            continue
        questions.append(Question(text, anchor, line, start, end, answer_end))
    return questions, errors


def _link_text(question: str) -> str:
    return question.replace("[", r"\[").replace("]", r"\]")


def render_faq_markdown(body: str, questions: list[Question]) -> str:
    """Return the page body with the question list, anchored headings and back links added."""
    lines = body.splitlines(keepends=True)
    out: list[str] = lines[: questions[0].start]
    out.append(
        f'\n<nav class="kb-faq-questions" id="{QUESTION_LIST_ID}" '
        'aria-label="Questions on this page" markdown="1">\n\n'
    )
    out.extend(f"- [{_link_text(q.text)}](#{q.anchor})\n" for q in questions)
    out.append("\n</nav>\n\n")
    for q in questions:
        out.append(f"## {q.text} {{ #{q.anchor} .kb-faq-question }}\n\n")
        out.extend(lines[q.end : q.answer_end])
        out.append(
            f'\n\n<p class="kb-faq-back"><a href="#{QUESTION_LIST_ID}">'
            "Back to the questions</a></p>\n\n"
        )
    return "".join(out)


def faq_jsonld(html: str, questions: list[Question]) -> str:
    """schema.org ``FAQPage`` JSON-LD for a rendered FAQ page, safe to embed in ``<script>``.

    Each answer is the text between its question's heading and the back link.
    """
    tree = HTMLParser(html)
    entities = []
    for q in questions:
        heading = tree.css_first(f'h2[id="{q.anchor}"]')
        if heading is None:
            continue
        for link in heading.css("a.headerlink"):
            link.decompose()
        parts: list[str] = []
        node = heading.next
        while node is not None:
            if node.tag == "h2" or "kb-faq-back" in (node.attributes.get("class") or ""):
                break
            parts.append(node.text(separator=" ", strip=True))
            node = node.next
        answer = " ".join(" ".join(parts).split())
        entities.append(
            {
                "@type": "Question",
                "name": " ".join(heading.text(separator=" ", strip=True).split()),
                "acceptedAnswer": {"@type": "Answer", "text": answer},
            }
        )
    data = {"@context": "https://schema.org", "@type": "FAQPage", "mainEntity": entities}
    text = json.dumps(data, ensure_ascii=False, indent=None)
    # Inside <script>, '</script>' or '<!--' in an answer would end the block early.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
