"""Load and cross-check content/_data/glossary.yml.

pydantic checks each value (`model`); this module checks what spans the file: one entry per
term and one anchor per term, each client word leading to one term and never being a term,
links to pages that exist, and no internal passage (or near miss of one) in a definition,
each at the writer's line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from kb_builder.core.errors import ContentError, did_you_mean
from kb_builder.core.project import DATA_DIR
from kb_builder.core.slugs import slugify
from kb_builder.core.validation import read_data_file
from kb_builder.core.yamlio import LineMap, decode_utf8, read_yaml_file
from kb_builder.families.glossary.model import GlossaryFile, Term
from kb_builder.pages import audience

FILE_NAME = "glossary.yml"
EDIT_SOURCE = f"{DATA_DIR}/{FILE_NAME}"
DEFAULT_PAGE = GlossaryFile.model_fields["page"].default


def key(text: str) -> str:
    """What makes two words the same word: case, Unicode forms and spacing do not count."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def anchor(term: str) -> str:
    """The term's anchor on the glossary page: its slug, whatever the terms around it."""
    return slugify(term)


@dataclass(frozen=True)
class Glossary:
    """The validated glossary, with where each term is written (for later errors)."""

    file: GlossaryFile
    source: str
    lines: LineMap

    @property
    def terms(self) -> list[Term]:
        return list(self.file.terms)

    def line_of(self, index: int, field: str | None = None) -> int:
        return self.lines.line_of(("terms", index) + ((field,) if field else ()))


def _page_path(ref: str) -> str:
    return ref.split("#", 1)[0]


def _cross_check(glossary: Glossary, known_pages: Collection[str]) -> list[ContentError]:
    errors: list[ContentError] = []
    source = glossary.source

    def error(line: int, message: str) -> None:
        errors.append(ContentError(source, line, message))

    terms: dict[str, tuple[str, int]] = {}
    anchors: dict[str, tuple[str, int]] = {}
    for i, term in enumerate(glossary.terms):
        line = glossary.line_of(i, "term")
        first = terms.get(key(term.term))
        if first is not None:
            error(
                line,
                f"the term '{term.term}' is already defined on line {first[1]}"
                + (f" (as '{first[0]}')" if first[0] != term.term else "")
                + "; define each term once",
            )
            continue
        terms[key(term.term)] = (term.term, line)
        slug = anchor(term.term)
        if not slug:
            error(
                line,
                f"the term '{term.term}' has no letter or digit to make its anchor on the "
                "glossary page from; write it in words",
            )
        elif slug in anchors:
            other, other_line = anchors[slug]
            error(
                line,
                f"the term '{term.term}' has the same anchor (#{slug}) as '{other}' on line "
                f"{other_line}; merge the two terms or tell them apart in words",
            )
        else:
            anchors[slug] = (term.term, line)

    words: dict[str, tuple[str, str, int]] = {}
    for i, term in enumerate(glossary.terms):
        for k, word in enumerate(term.client_words):
            line = glossary.lines.line_of(("terms", i, "client_words", k))
            named = terms.get(key(word))
            if named is not None:
                itself = key(named[0]) == key(term.term)
                error(
                    line,
                    f"the client word '{word}' of '{term.term}' is "
                    + ("the term itself" if itself else f"the term '{named[0]}' (line {named[1]})")
                    + "; list only the other words clients use for it",
                )
                continue
            first = words.get(key(word))
            if first is not None:
                owner, _, first_line = first
                error(
                    line,
                    f"the client word '{word}' is already listed on line {first_line}"
                    + (
                        f" for '{owner}'; a client word leads to one term: keep it on one of them"
                        if key(owner) != key(term.term)
                        else "; list it once"
                    ),
                )
                continue
            words[key(word)] = (term.term, word, line)

    # kb check and the build pass every page; a caller that does not know the pages (search
    # synonyms) passes none, and the links are not its concern.
    if known_pages:
        for i, term in enumerate(glossary.terms):
            if term.see is not None and _page_path(term.see) not in known_pages:
                target = _page_path(term.see)
                error(
                    glossary.line_of(i, "see"),
                    f"the term '{term.term}' links to '{target}', which is not a page of the "
                    f"site{did_you_mean(target, known_pages)}; give a path from the content "
                    "folder, e.g. 'wiki/permits.md'",
                )
    errors += _marker_errors(glossary)
    return errors


# A key whose value is a literal block scalar ("definition: |", "definition: |-").
_LITERAL_BLOCK = re.compile(r":[ \t]*\|[-+0-9]*[ \t]*(?:#.*)?$")


def _marker_errors(glossary: Glossary) -> list[ContentError]:
    """Internal passages and near misses of the internal marker in definitions.

    A definition is shown whole (on the page, in a tooltip): it cannot hide a passage from
    clients, so a term with something for agents only is an internal term. The same rule as
    pages (`pages.audience.find_internal`), at the writer's line.
    """
    errors: list[ContentError] = []
    text_lines: list[str] | None = None
    for i, term in enumerate(glossary.terms):
        markup = audience.find_internal(term.definition)
        if not markup.problems and not markup.passages:
            continue
        line = glossary.line_of(i, "definition")
        if text_lines is None:
            try:
                raw = Path(glossary.source).read_bytes()
                text_lines = decode_utf8(raw, glossary.source).splitlines()
            except (ContentError, OSError):
                text_lines = []
        header = text_lines[line - 1] if 0 < line <= len(text_lines) else ""
        literal = bool(_LITERAL_BLOCK.search(header))

        for n, message in [(p.line, p.message) for p in markup.problems] + [
            (
                start,
                f"the definition of '{term.term}' holds an internal passage, but a definition "
                "is shown whole (on the glossary page and in tooltips); make the term "
                "'audience: internal', or move the passage to a page",
            )
            for start, _ in markup.passages
        ]:
            if literal:  # a literal block keeps the text's lines: the line itself
                errors.append(ContentError(glossary.source, line + n + 1, message))
            else:
                errors.append(
                    ContentError(
                        glossary.source, line, f"'definition', its line {n + 1}: {message}"
                    )
                )
    return errors


def _read(data_dir: Path) -> tuple[Glossary | None, list[ContentError]]:
    path = data_dir / FILE_NAME
    model, lines, errors = read_data_file(
        path, GlossaryFile, what="glossary", when_empty="list the glossary's terms"
    )
    if model is None:
        return None, errors
    return Glossary(model, str(path), lines), []


def read(
    data_dir: Path, known_pages: Collection[str]
) -> tuple[Glossary | None, list[ContentError]]:
    """The glossary (None when the site has none or it has problems) and its problems.

    Args:
        known_pages: every page of the site, for the terms' links; empty to skip that check.
    """
    glossary, errors = _read(data_dir)
    if glossary is not None:
        errors = _cross_check(glossary, known_pages)
    return (None if errors else glossary), errors


def page_uri(data_dir: Path) -> str:
    """Where the glossary is published, even when the file is broken (for link checks)."""
    glossary, _ = _read(data_dir)
    if glossary is not None:
        return glossary.file.page
    try:
        data, _ = read_yaml_file(data_dir / FILE_NAME)
    except ContentError:
        return DEFAULT_PAGE
    page = data.get("page") if isinstance(data, dict) else None
    return page if isinstance(page, str) and page.strip() else DEFAULT_PAGE
