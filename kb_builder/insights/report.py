"""What the recorded answers and searches say (``kb report``): where content is missing.

Four lists, for a date range:

- pages (and FAQ answers) with the worst helpful ratio, with the comments left on them;
- the searches that found nothing, most frequent first;
- the searches that found results nobody opened;
- the searches that only the ticket guides answered: every result opened from them was a guide
  on how to contact support (or, when none was opened, each of the first three results was):
  the site had no answer of its own, only the way to ask for one.

Searches are grouped by what was asked, ignoring case and spacing.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb_builder.families.support.pages import TICKET_GUIDES
from kb_builder.insights.store import Feedback, Search

# Generated support guides that tell a client how to open a ticket: a search answered by these
# alone found no answer in the site, only the way to ask for one.
_TICKET_SOURCES: tuple[str, ...] = TICKET_GUIDES

# The results a visitor reads before choosing or giving up: the project's quality measure is
# the answer in the first three (hit@3).
FIRST_RESULTS = 3
# Terminal output must not carry escape sequences or direction overrides from stored text.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")


def ticket_guide_pages(sources: Iterable[str] = _TICKET_SOURCES) -> frozenset[str]:
    """The URLs of the ticket guides, as directory URLs and as the offline copy's files."""
    urls = set()
    for source in sources:
        stem = source.removesuffix(".md")
        urls.update({f"{stem}/", f"{stem}.html"})
    return frozenset(urls)


@dataclass
class PageScore:
    """Feedback on one page or FAQ answer."""

    url: str
    helpful: int = 0
    not_helpful: int = 0
    title: str = ""
    comments: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        """The share of answers that said helpful (0 to 1)."""
        total = self.helpful + self.not_helpful
        return self.helpful / total if total else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "title": self.title,
            "helpful": self.helpful,
            "not_helpful": self.not_helpful,
            "ratio": round(self.ratio, 3),
            "comments": self.comments,
        }


@dataclass
class QueryCount:
    """One query as asked (its first spelling), how often, and what answered it."""

    query: str
    searches: int = 0
    results: int = 0
    opened: int = 0
    last: str = ""
    pages: list[str] = field(default_factory=list)
    opened_pages: set[str] = field(default_factory=set)

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "searches": self.searches,
            "results": self.results,
            "opened": self.opened,
            "last": self.last,
            "pages": self.pages,
            "opened_pages": sorted(self.opened_pages),
        }


def _page_of(url: str) -> str:
    return url.partition("#")[0]


def build_report(
    feedback: Sequence[Feedback],
    searches: Sequence[Search],
    *,
    edition: str,
    since: str | None = None,
    until: str | None = None,
    limit: int = 10,
    titles: dict[str, str] | None = None,
    ticket_pages: frozenset[str] | None = None,
) -> dict[str, Any]:
    """The report as JSON-ready data (``kb report --json`` prints exactly this)."""
    titles = titles or {}
    tickets = ticket_guide_pages() if ticket_pages is None else ticket_pages
    scores: dict[str, PageScore] = {}
    for answer in feedback:
        url = f"{answer.page}#{answer.anchor}" if answer.anchor else answer.page
        score = scores.setdefault(url, PageScore(url, title=titles.get(url, "")))
        if answer.helpful:
            score.helpful += 1
        else:
            score.not_helpful += 1
        if answer.comment:
            score.comments.append(
                {"at": answer.at, "helpful": answer.helpful, "comment": answer.comment}
            )
    for score in scores.values():
        score.comments.reverse()  # newest first
    worst = sorted(scores.values(), key=lambda s: (s.ratio, -s.not_helpful, s.url))

    queries: dict[str, QueryCount] = {}
    for s in searches:
        key = " ".join(s.query.split()).casefold()
        count = queries.setdefault(key, QueryCount(s.query))
        count.searches += 1
        count.results = max(count.results, s.results)
        count.opened += len(s.opened)
        count.opened_pages.update(_page_of(u) for u in s.opened)
        count.last = max(count.last, s.at)
        if s.pages and not count.pages:
            count.pages = list(dict.fromkeys(_page_of(u) for u in s.pages))

    def top(items: Iterable[QueryCount]) -> list[dict[str, Any]]:
        ordered = sorted(items, key=lambda q: (-q.searches, q.query.casefold()))
        return [q.to_dict() for q in ordered[:limit]]

    zero = top(q for q in queries.values() if q.results == 0)
    unopened = top(q for q in queries.values() if q.results > 0 and q.opened == 0)

    def ticket_only(q: QueryCount) -> bool:
        # What answered: the results visitors opened; when nobody opened any, the first
        # results (what a visitor reads before giving up).
        answered = q.opened_pages or set(q.pages[:FIRST_RESULTS])
        return q.results > 0 and bool(answered) and answered <= tickets

    ticket_only_searches = top(q for q in queries.values() if ticket_only(q))
    return {
        "edition": edition,
        "since": since,
        "until": until,
        "feedback": {
            "answers": len(feedback),
            "helpful": sum(1 for f in feedback if f.helpful),
            "not_helpful": sum(1 for f in feedback if not f.helpful),
        },
        "searches": len(searches),
        "worst_pages": [s.to_dict() for s in worst[:limit]],
        "zero_result_searches": zero,
        "unopened_searches": unopened,
        "ticket_only_searches": ticket_only_searches,
    }


def index_titles(index_dir: str | Path) -> dict[str, str]:
    """Record URL -> title (pages and questions) from an edition's index, {} without one."""
    from search.index import IndexMissing, open_index

    titles: dict[str, str] = {}
    with contextlib.suppress(IndexMissing, OSError, ValueError):
        index = open_index(index_dir)
        with index.searcher() as searcher:
            for stored in searcher.all_stored_fields():
                url = stored.get("url", "")
                titles[url] = stored.get("title") or stored.get("page_title") or ""
    return titles


# terminal ------------------------------------------------------------------------------------


def printable(text: Any, width: int | None = None) -> str:
    """Stored text made safe for a terminal: no control characters, one line, cut to `width`."""
    value = _UNPRINTABLE.sub("", " ".join(str(text).split()))
    if width is not None and len(value) > width:
        value = value[: max(1, width - 1)] + "…"
    return value


def _table(
    headers: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[int]
) -> list[str]:
    cells = [[printable(c, w) for c, w in zip(row, widths, strict=False)] for row in rows]
    sizes = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.ljust(sizes[i]) if i < len(values) - 1 else v for i, v in enumerate(values)
        ).rstrip()

    return [line(headers), line(["-" * s for s in sizes]), *(line(r) for r in cells)]


def format_report(report: dict[str, Any]) -> str:
    """The report as terminal tables."""
    span = []
    if report["since"]:
        span.append(f"from {report['since']}")
    if report["until"]:
        span.append(f"to {report['until']}")
    fb = report["feedback"]
    out = [
        f"Report of the {report['edition']} edition{(' ' + ' '.join(span)) if span else ''}: "
        f'{fb["answers"]} answers to "Was this helpful?" ({fb["helpful"]} yes, '
        f"{fb['not_helpful']} no), {report['searches']} searches.",
        "",
        "Pages with the worst helpful ratio",
    ]
    if report["worst_pages"]:
        rows = [
            [f"{p['ratio']:.0%}", p["helpful"], p["not_helpful"], p["url"], p["title"]]
            for p in report["worst_pages"]
        ]
        table = _table(["helpful", "yes", "no", "page", "title"], rows, [7, 5, 5, 60, 50])
        out += table[:2]
        for text, page in zip(table[2:], report["worst_pages"], strict=True):
            out.append(text)
            for c in page["comments"][:5]:
                mark = "yes" if c["helpful"] else "no"
                out.append(f"    {c['at'][:10]} ({mark}): {printable(c['comment'], 100)}")
            if len(page["comments"]) > 5:
                out.append(f"    ... and {len(page['comments']) - 5} more comments (--json)")
    else:
        out.append("  (no answers)")
    sections = [
        ("Searches that found nothing", "zero_result_searches", False),
        ("Searches whose results nobody opened", "unopened_searches", True),
        ("Searches answered only by the ticket guides", "ticket_only_searches", True),
    ]
    for title, key, with_results in sections:
        out += ["", title]
        items = report[key]
        if not items:
            out.append("  (none)")
            continue
        headers = ["times", "last", "query"] + (["results", "first pages"] if with_results else [])
        rows = [
            [q["searches"], q["last"][:10], q["query"]]
            + ([q["results"], ", ".join(q["pages"][:3])] if with_results else [])
            for q in items
        ]
        out += _table(headers, rows, [6, 10, 50, 7, 70])
    return "\n".join(out)
