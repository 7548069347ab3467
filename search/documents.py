"""The two types that cross the boundary of the search package: `Document` in, `Hit` out.

The site builder turns rendered pages into `Document`s and hands them to `search.index`;
queries return `Hit`s. Neither type knows anything about MkDocs, HTML parsing or Whoosh, so
the builder and the index can change independently.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields

#: What a document is, as a client would filter results ("only FAQ answers").
KINDS = ("faq", "article", "guide", "release", "lesson", "video", "listing")

#: Who may see a document. The public index never holds an internal one.
AUDIENCES = ("public", "internal")


def page_url(url: str) -> str:
    """The page part of `url`: ``"faq/#what-hours"`` -> ``"faq/"``."""
    return url.split("#", 1)[0]


@dataclass(frozen=True)
class Document:
    """One searchable record: a page, one section of a page, or one FAQ question.

    Attributes:
        id: stable identifier, unique within an index (the same record keeps it across builds).
        url: site-relative URL including the anchor, e.g. ``"faq/#what-hours-is-..."``.
        title: what a result shows first (the page title, the section heading or the question).
        body: plain text of the record (never HTML).
        kind: one of `KINDS`.
        headings: headings that give context (the page's sub-headings, or the page title of a
            section), ranked below the title and above the body.
        tags: the page's tags.
        section: the top-level area of the site (``"support"``, ``"wiki"``, ...).
        audience: ``"public"`` or ``"internal"``.
        page_title: the title of the page the record belongs to.
        content_hash: fingerprint of every indexed field; computed when left empty. The index
            re-indexes a record only when its hash changes.
    """

    id: str
    url: str
    title: str
    body: str
    kind: str = "article"
    headings: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    section: str = ""
    audience: str = "public"
    page_title: str = ""
    content_hash: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("a search document needs a non-empty id")
        if self.kind not in KINDS:
            raise ValueError(f"unknown document kind {self.kind!r}; use one of {KINDS}")
        if self.audience not in AUDIENCES:
            raise ValueError(f"unknown audience {self.audience!r}; use one of {AUDIENCES}")
        # Lists are accepted for convenience but stored as tuples so documents stay hashable.
        object.__setattr__(self, "headings", tuple(self.headings))
        object.__setattr__(self, "tags", tuple(self.tags))
        if not self.content_hash:
            object.__setattr__(self, "content_hash", self.compute_hash())

    def compute_hash(self) -> str:
        """A fingerprint of every field that reaches the index (not `content_hash` itself)."""
        # The fields' values are text and tuples of text: no copy (asdict) needed to dump them.
        data = {name: getattr(self, name) for name in _HASHED_FIELDS}
        raw = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.blake2b(raw.encode("utf-8"), digest_size=16).hexdigest()

    @property
    def page_url(self) -> str:
        """The URL of the page this record belongs to (without the anchor)."""
        return page_url(self.url)


#: What `Document.compute_hash` covers: every field but the hash itself.
_HASHED_FIELDS = tuple(f.name for f in fields(Document) if f.name != "content_hash")


@dataclass(frozen=True)
class Hit:
    """One search result.

    Attributes:
        url: site-relative URL including the anchor.
        title: the record's title.
        kind: one of `KINDS`.
        section: the top-level area of the site.
        snippet_html: an excerpt as HTML: every character of the text is escaped and the only
            elements are ``<mark>`` around matched words. Safe to insert into a page.
        score: relevance score (comparable only within one result list).
        rank: 1-based position in the result list.
        page_title: the title of the page the record belongs to.
    """

    url: str
    title: str
    kind: str
    section: str
    snippet_html: str
    score: float
    rank: int
    page_title: str = ""

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready mapping (what the API and ``kb search --json`` print)."""
        return asdict(self)
