"""Support facts quoted in ordinary pages: ``{{ support.plans.premium.phone.hours }}``.

A writer states a fact by naming it; the build puts in the value from support.yml, so a page
never disagrees with the data. Only prose is touched: code spans, code blocks and raw HTML are
left byte for byte as written (command-line pages are full of ``{{path/to/file}}``), and so is
a placeholder written with a backslash, ``\\{{ support.vendor }}``. Other ``{{ ... }}`` (other
plugins' syntax) are left alone too, unless their first word looks like a misspelt "support".

Where prose is decided by markdown-it-py's tokens: each candidate is replaced by a neutral
marker, the text is parsed, and a candidate counts only if its marker comes back inside a text
token. Indented blocks under ``!!!``/``???``/``===`` (admonitions, details, tabs) are prose to
Python-Markdown but code to CommonMark, so they are parsed again on their own, dedented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

from kb_builder.core.editions import Edition
from kb_builder.core.errors import ContentError, did_you_mean, one_of
from kb_builder.core.text import href, markdown_literal
from kb_builder.families.support.facts import ROOT, Facts

PLACEHOLDER = re.compile(r"\{\{[ \t]*([A-Za-z_][\w-]*(?:\.[\w-]+)+)[ \t]*\}\}")
# Openers of pymdown-extensions containers whose indented body is Markdown.
_CONTAINER = re.compile(r"^( *)(?:!!!|\?\?\?\+?|===)[ \t]")
_md = MarkdownIt("commonmark")


@dataclass(frozen=True)
class Placeholder:
    """A placeholder found in prose.

    Attributes:
        line: 0-based line in the text.
        start: column of the first ``{``.
        end: column after the last ``}``.
        name: the dotted name, e.g. ``support.vendor``.
    """

    line: int
    start: int
    end: int
    name: str


def is_candidate(name: str) -> bool:
    root = name.split(".", 1)[0]
    return root == ROOT or bool(did_you_mean(root, [ROOT]))


def _escaped(line: str, column: int) -> bool:
    backslashes = len(line[:column]) - len(line[:column].rstrip("\\"))
    return backslashes % 2 == 1


def _marker_chars(text: str) -> tuple[str, str]:
    """Two private-use characters that do not occur in `text` (Markdown treats them as letters)."""
    free = (chr(c) for c in range(0xE000, 0xF8FF) if chr(c) not in text)
    return next(free), next(free)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def find_placeholders(markdown: str) -> list[Placeholder]:
    """Every placeholder in the prose of `markdown` (not in code, raw HTML or escaped)."""
    return _in_prose(markdown.splitlines(keepends=True))


def _in_prose(lines: list[str]) -> list[Placeholder]:
    candidates = [
        Placeholder(i, m.start(), m.end(), m.group(1))
        for i, line in enumerate(lines)
        for m in PLACEHOLDER.finditer(line)
        if is_candidate(m.group(1)) and not _escaped(line, m.start())
    ]
    if not candidates:
        return []
    open_mark, close_mark = _marker_chars("".join(lines))
    masked = list(lines)
    for k, c in reversed(list(enumerate(candidates))):
        line = masked[c.line]
        masked[c.line] = line[: c.start] + f"{open_mark}{k}{close_mark}" + line[c.end :]
    marker = re.compile(f"{open_mark}(\\d+){close_mark}")

    found: set[int] = set()
    nested: list[Placeholder] = []
    tokens = _md.parse("".join(masked))
    verbatim = {
        n
        for t in tokens
        if t.type in ("fence", "code_block", "html_block") and t.map
        for n in range(*t.map)
    }
    for token in tokens:
        if token.type == "inline":
            for child in _walk(token.children or []):
                if child.type == "text":
                    found.update(int(k) for k in marker.findall(child.content))
        elif token.type == "code_block" and token.map:
            nested.extend(_container_body(lines, token.map, verbatim))
    return sorted([candidates[k] for k in found] + nested, key=lambda p: (p.line, p.start))


def _walk(tokens: list[Token]):
    for token in tokens:
        yield token
        yield from _walk(token.children or [])


def _container_body(lines: list[str], span: list[int], verbatim: set[int]) -> list[Placeholder]:
    """Placeholders of an indented block that is the body of an admonition, details or tab."""
    first, last = span
    width = min((_indent(lines[n]) for n in range(first, last) if lines[n].strip()), default=0)
    n = first - 1
    while n >= 0 and (not lines[n].strip() or _indent(lines[n]) >= width):
        n -= 1
    opener = _CONTAINER.match(lines[n]) if n >= 0 and n not in verbatim else None
    if not opener or len(opener.group(1)) + 4 != width:
        return []  # a real indented code block
    body = [line[min(width, _indent(line)) :] for line in lines[first:last]]
    return [
        Placeholder(p.line + first, p.start + width, p.end + width, p.name) for p in _in_prose(body)
    ]


def _problem(name: str, facts: Facts, edition: Edition) -> str | None:
    """What is wrong with naming `name` in `edition`, or None."""
    fact = facts.get(name)
    if fact is not None:
        if fact.audience == "internal" and edition == "public":
            return (
                f"'{{{{ {name} }}}}' is an internal support fact (audience: internal in "
                "support.yml) and cannot appear in the public edition; remove it, or mark the "
                "page 'audience: internal'"
            )
        return None
    parts = name.split(".")
    if parts[0] != ROOT:
        return (
            f"unknown placeholder '{{{{ {name} }}}}' (did you mean "
            f"'{ROOT}.{'.'.join(parts[1:])}'?); support facts start with '{ROOT}.'"
        )
    hint = did_you_mean(name, facts.names())
    children = facts.children(name)
    if children:
        return (
            f"'{{{{ {name} }}}}' names a group of support facts, not one fact; add one of "
            f"{one_of(children)}, e.g. '{{{{ {name}.{children[0]} }}}}'"
        )
    # Name what may follow the longest part of the name that exists.
    known = ROOT
    for part in parts[1:]:
        if not facts.children(f"{known}.{part}"):
            break
        known = f"{known}.{part}"
    return (
        f"unknown support fact '{{{{ {name} }}}}'{hint}; after '{known}.' use "
        f"{one_of(facts.children(known))}"
    )


def find_errors(
    markdown: str, source: str, body_offset: int, facts: Facts, edition: Edition
) -> list[ContentError]:
    """Every unknown or forbidden placeholder in `markdown` (for `kb check`).

    Args:
        markdown: a page body (or any Markdown).
        source: the file, for messages.
        body_offset: lines of the file before `markdown` (its front matter).
        facts: the support facts (`kb_builder.families.support.facts.build_facts`).
        edition: ``"public"`` forbids internal facts.
    """
    errors = []
    for p in find_placeholders(markdown):
        problem = _problem(p.name, facts, edition)
        if problem:
            errors.append(ContentError(source, body_offset + p.line + 1, problem))
    return errors


def resolve(markdown: str, source: str, body_offset: int, facts: Facts, edition: Edition) -> str:
    """`markdown` with every placeholder in prose replaced by its fact, escaped as literal text.

    An address fact becomes a link to its address (`Fact.link`), its text escaped the same way.

    Text without placeholders in prose is returned unchanged, byte for byte.

    Raises:
        ContentError: the first unknown or forbidden placeholder, at its line.
    """
    found = find_placeholders(markdown)
    if not found:
        return markdown
    for p in found:
        problem = _problem(p.name, facts, edition)
        if problem:
            raise ContentError(source, body_offset + p.line + 1, problem)
    lines = markdown.splitlines(keepends=True)
    for p in reversed(found):  # right to left, so earlier columns stay valid
        fact = facts.get(p.name)
        assert fact is not None
        line = lines[p.line]
        text = markdown_literal(fact.value)
        if fact.link:  # an address: a link (mailto:, tel:, https:, checked by href)
            text = f"[{text}]({href(fact.link)})"
        lines[p.line] = line[: p.start] + text + line[p.end :]
    return "".join(lines)
