"""Search checks: questions clients ask and the page that must answer each in the top 3.

``content/_data/search-checks.yml``::

    checks:
      - query: my system is down at night
        expect: support/critical-tickets/          # a URL, or the page's source file
      - query: phone hours
        expect: faq/index.md#what-hours-is-telephone-support-available
        kind: faq                                  # optional: as if the client filtered
        edition: public                            # optional: only in this edition

A check passes when a result for the page (any of its sections, unless an anchor is given)
ranks in the top 3. A failure says where the page ranked and what ranked above it, so that a
writer can fix the page, its title or a synonym.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator

from kb_builder.core.editions import Audience
from kb_builder.core.errors import ContentError, did_you_mean
from kb_builder.core.model import StrictModel
from kb_builder.core.validation import validate
from kb_builder.core.yamlio import read_yaml_file
from search.documents import KINDS, page_url
from search.index import IndexMissing, open_index
from search.synonyms import Synonyms

CHECKS_FILE = "search-checks.yml"
TOP = 3

Kind = Literal[KINDS]  # type: ignore[valid-type]


class SearchCheckEntry(StrictModel):
    """One check as a writer writes it."""

    query: Annotated[str, Field(min_length=1, max_length=500)]
    expect: Annotated[str, Field(min_length=1)]
    kind: Kind | None = None
    edition: Audience | None = None

    @field_validator("expect")
    @classmethod
    def _site_page(cls, value: str) -> str:
        if "://" in value or value.startswith(("//", "mailto:")):
            raise ValueError(
                f"'{value}' is not a page of this site; write its URL or source file, e.g. "
                "'support/critical-tickets/' or 'support/critical-tickets.md'"
            )
        return value


class SearchChecksFile(StrictModel):
    """The search-checks file."""

    checks: list[SearchCheckEntry] = Field(default_factory=list)


@dataclass(frozen=True)
class SearchCheck:
    """A loaded check, with where it was written.

    Attributes:
        query: what the client types.
        expect: the site-relative URL that must rank in the top 3 (with an anchor: that exact
            section or question; without: any record of the page).
        kind: search only this kind of record (None: all).
        edition: run only against this edition's index (None: every edition).
        source: the checks file.
        line: the line of the check's ``query``.
    """

    query: str
    expect: str
    kind: str | None
    edition: str | None
    source: str
    line: int

    def matches(self, url: str) -> bool:
        """Whether a result at `url` answers this check."""
        if "#" in self.expect:
            return url == self.expect
        return page_url(url) == self.expect


def expected_url(expect: str) -> str:
    """A check's target as a site URL: ``faq/index.md#x`` -> ``faq/#x``, ``a/b.md`` -> ``a/b/``."""
    path, _, anchor = expect.strip().partition("#")
    path = path.strip().lstrip("/")
    if path.endswith(".md"):
        stem = path[: -len(".md")]
        if stem == "index":
            path = ""
        elif stem.endswith("/index"):
            path = stem[: -len("index")]
        else:
            path = stem + "/"
    elif path.endswith("index.html"):
        path = path[: -len("index.html")]
    elif path and not path.endswith("/"):
        path += "/"
    return f"{path}#{anchor}" if anchor else path


def checks_path(data_dir: str | Path) -> Path:
    """Where the search checks of a content directory's ``_data/`` live."""
    return Path(data_dir) / CHECKS_FILE


def read_checks(data_dir: str | Path) -> tuple[list[SearchCheck], list[ContentError]]:
    """Load the search checks of `data_dir` (``content/_data``) with every problem found.

    A missing file means no checks.
    """
    path = checks_path(data_dir)
    if not path.is_file():
        return [], []
    source = str(path)
    try:
        data, lines = read_yaml_file(path)
    except ContentError as e:
        return [], [e]
    # Only an empty file means no checks: "0", "false" or "[]" is a mistake to report.
    data = {} if data is None else data
    model, errors = validate(SearchChecksFile, data, source, lines, what="search check")
    if model is None:
        return [], errors
    checks: list[SearchCheck] = []
    seen: dict[tuple[str, str | None, str | None], int] = {}
    for i, entry in enumerate(model.checks):
        line = lines.line_of(("checks", i, "query"))
        key = (" ".join(entry.query.casefold().split()), entry.kind, entry.edition)
        if key in seen:
            errors.append(
                ContentError(
                    source,
                    line,
                    f"the query '{entry.query}' is already checked on line {seen[key]}; "
                    "remove one of the two",
                )
            )
            continue
        seen[key] = line
        checks.append(
            SearchCheck(
                entry.query, expected_url(entry.expect), entry.kind, entry.edition, source, line
            )
        )
    return checks, errors


def check(data_dir: str | Path) -> list[ContentError]:
    """Every problem in the search-checks file of `data_dir` (without running the checks)."""
    return read_checks(data_dir)[1]


def _describe(urls: Sequence[str]) -> str:
    return ", ".join(urls) if urls else "no results"


def run_search_checks(
    index_dir: str | Path,
    checks: Iterable[SearchCheck],
    synonyms: Synonyms | Mapping[str, str | Iterable[str]] | None = None,
    *,
    edition: str = "public",
) -> list[ContentError]:
    """Run `checks` against the index of one edition and report every answer not in the top 3.

    Args:
        index_dir: the edition's index (``.kb/index/<edition>/``).
        checks: loaded checks (see `read_checks`); those for another edition are skipped.
        synonyms: the synonyms queries run with (see `kb_builder.indexing.synonyms`).
        edition: the edition of `index_dir`.

    Returns:
        One `ContentError` at the check's line per failing check, saying where the expected
        page ranked and what the top 3 were.

    Raises:
        search.index.IndexMissing: when `index_dir` holds no index yet.
    """
    # Imported here: every build validates the checks file, few run the checks (Whoosh's
    # searching modules are a few MB of memory a build that never searches need not hold).
    from search.query import MAX_LIMIT, search_with

    rules = Synonyms.of(synonyms)
    errors: list[ContentError] = []
    with open_index(index_dir).searcher() as searcher:
        urls = {fields["url"] for fields in searcher.all_stored_fields()}
        pages = {page_url(u) for u in urls}
        for item in checks:
            if item.edition is not None and item.edition != edition:
                continue
            if item.expect not in (urls if "#" in item.expect else pages):
                choices = sorted(urls if "#" in item.expect else pages)
                errors.append(
                    ContentError(
                        item.source,
                        item.line,
                        f"'{item.expect}' is not a page of the {edition} edition's search "
                        f"index{did_you_mean(item.expect, choices)}; write the URL of a page "
                        "(or its source file) that exists",
                    )
                )
                continue
            results = search_with(
                searcher, item.query, kind=item.kind, limit=MAX_LIMIT, synonyms=rules
            )
            rank = next((h.rank for h in results.hits if item.matches(h.url)), None)
            if rank is not None and rank <= TOP:
                continue
            top = _describe([h.url for h in results.hits[:TOP]])
            if rank is not None:
                where = f"it ranked {rank}"
            elif results.hits:
                where = f"it was not in the first {len(results.hits)} results"
            else:
                where = "the query found nothing"
            errors.append(
                ContentError(
                    item.source,
                    item.line,
                    f"'{item.query}' should find {item.expect or '(home page)'} in the top "
                    f"{TOP}; {where} (top {TOP}: {top})",
                )
            )
    return errors


__all__ = [
    "IndexMissing",
    "SearchCheck",
    "check",
    "expected_url",
    "read_checks",
    "run_search_checks",
]
