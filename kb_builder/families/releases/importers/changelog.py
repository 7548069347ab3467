"""A Keep a Changelog file (``## [1.2.0] - 2024-06-14``, ``### Added``, one item per change)
-> notes and releases, read with markdown-it-py (the structure, with each item's lines).

Items are Markdown already: each keeps its text, checked by the site's loader when written.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

from markdown_it import MarkdownIt

from kb_builder.core.errors import ContentError, did_you_mean, display_path
from kb_builder.core.markdown import data_markdown_problem
from kb_builder.core.yamlio import decode_utf8
from kb_builder.families.releases.importers.rst import first_sentence
from kb_builder.families.releases.importers.writer import Note, ReleaseInfo, Report
from kb_builder.families.releases.model import _VERSION

SECTIONS = {
    "added": "feature",
    "changed": "improvement",
    "deprecated": "deprecation",
    # Removed features are announced where deprecations are: the kind clients watch for them.
    "removed": "deprecation",
    "fixed": "fix",
    "security": "security",
}
_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s?")


def _heading_version(inline) -> tuple[str, dt.date | None, str]:  # noqa: ANN001
    """(version, date, plain text) of a '## [version] - date' heading's inline token."""
    children = inline.children or []
    texts = [c.content for c in children if c.type in ("text", "code_inline")]
    plain = "".join(texts)
    link = [
        c.content
        for i, c in enumerate(children)
        if c.type == "text" and i and children[i - 1].type == "link_open"
    ]
    version = (link[0] if link else plain.split(" ")[0]).strip().strip("[]")
    found = _DATE.search(plain)
    date = None
    if found:
        try:
            date = dt.date.fromisoformat(found.group(1))
        except ValueError:
            date = None
    return version, date, plain


def _plain(inline) -> str:  # noqa: ANN001
    # A line break inside a paragraph is a space between its words.
    return "".join(
        " " if c.type in ("softbreak", "hardbreak") else c.content
        for c in (inline.children or [])
        if c.type in ("text", "code_inline", "softbreak", "hardbreak")
    )


def read(path: Path, report: Report) -> tuple[list[Note], list[ReleaseInfo]]:
    """Every entry of the changelog at `path`; problems are recorded in `report`, never raised."""
    source = display_path(path)
    report.files_in += 1
    try:
        text = decode_utf8(path.read_bytes(), source)
    except ContentError as e:
        report.notes_in += 1
        report.skipped.append(e)
        return [], []
    if not text.strip():
        report.notes_in += 1
        report.skip(source, 1, "is empty; a changelog has '## [1.0.0] - YYYY-MM-DD' headings")
        return [], []
    lines = text.split("\n")
    tokens = MarkdownIt("commonmark").parse(text)
    notes: list[Note] = []
    releases: dict[str, ReleaseInfo] = {}
    version: str | None = None
    upcoming = False
    no_release: str | None = None
    section: str | None = None
    section_line = 0
    versions_seen = 0
    seen: dict[tuple[str, str, str], int] = {}
    depth = 0
    for i, token in enumerate(tokens):
        heading = token.type == "heading_open" and token.tag in ("h2", "h3")
        words = _plain(tokens[i + 1]).strip() if heading else ""
        # '## Fixed' under a version is a section written one level too high (structlog has
        # one): a heading named like a section is a section, whatever its level.
        if heading and (token.tag == "h3" or words.lower() in SECTIONS):
            section = words
            section_line = token.map[0] + 1
        elif heading:
            versions_seen += 1
            version, date, plain = _heading_version(tokens[i + 1])
            upcoming = version.lower() == "unreleased"
            section = None
            line = token.map[0] + 1
            # Not counted as skipped itself: each entry under it is, with this reason.
            no_release = None
            if not upcoming:
                if not _VERSION.fullmatch(version) or ".." in version:
                    no_release = f"'## {plain}' (line {line}) names no version the site can use"
                elif date is None:
                    no_release = f"version {version} (line {line}) has no date (YYYY-MM-DD)"
                else:
                    releases.setdefault(version, ReleaseInfo(version, date))
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif token.type == "list_item_open" and depth == 1 and section is not None:
            report.notes_in += 1
            line = token.map[0] + 1
            kind = SECTIONS.get(section.lower())
            if kind is None:
                hint = did_you_mean(section, [s.capitalize() for s in SECTIONS])
                report.skip(
                    source,
                    line,
                    f"under '### {section}' (line {section_line}), which is not a Keep a "
                    f"Changelog section{hint} (Added, Changed, Deprecated, Removed, Fixed, "
                    "Security)",
                )
                continue
            if version is None or no_release:
                report.skip(
                    source,
                    line,
                    f"is not under a usable version: {no_release}"
                    if no_release
                    else "is not under a '## [version] - date' heading",
                )
                continue
            item_lines = lines[token.map[0] : token.map[1]]
            item_lines[0] = _MARKER.sub("", item_lines[0], count=1)
            body = item_lines[0].strip() + "\n" + textwrap.dedent("\n".join(item_lines[1:]))
            body = body.strip()
            # The site's own rule for data Markdown decides (markdown-it alone would read
            # '[x](javascript:...)' as text, where the site's renderer makes it a link).
            refused = data_markdown_problem(body)
            if refused:
                report.skip(source, line, refused)
                continue
            plain = " ".join(_plain(t) for t in _inline_tokens_blocks(tokens, i)).strip()
            title = first_sentence(plain) or first_sentence(body)
            # Named by what the entry says, not by its line: adding entries above it later
            # must not give it a new name (a second import would then duplicate it).
            repeat = seen.get((version, section, body), 0)
            seen[(version, section, body)] = repeat + 1
            notes.append(
                Note(
                    title=title,
                    kind=kind,
                    body="" if body == title else body,
                    source=source,
                    line=line,
                    key=f"changelog:{path.name}:{version}:{section}:{body}:{repeat}",
                    release=None if upcoming else version,
                    origin=f"version {version}, '### {section}'",
                )
            )
    if versions_seen == 0:
        report.notes_in += 1
        report.skip(source, 1, "has no version headings ('## [1.0.0] - YYYY-MM-DD')")
    return notes, list(releases.values())


def _item_tokens(tokens, start: int):  # noqa: ANN001, ANN202
    level = tokens[start].level
    for token in tokens[start + 1 :]:
        if token.type == "list_item_close" and token.level == level:
            return
        yield token


def _inline_tokens_blocks(tokens, start: int):  # noqa: ANN001, ANN202
    # The item's first paragraph: its title comes from there.
    for token in _item_tokens(tokens, start):
        if token.type == "inline":
            yield token
            return
