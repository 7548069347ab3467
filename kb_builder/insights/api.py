"""The write side of ``kb serve --api``: feedback and search events, as WSGI middleware.

Routes (POST only; JSON object or form fields; at most `intake.MAX_BODY_BYTES`)::

    POST /api/feedback       page, helpful (yes/no), comment (optional, <= 500 characters)
                             -> 201 {"recorded": "feedback"}
    POST /api/search-event   query, opened (optional): a search a visitor made, and the
                             result opened from it -> 201 {"recorded": "search", "search": token}
                             search (a token from above), opened: a result opened later
                             -> 201 {"recorded": "open"}

The result count and result pages of a search are computed here, with the server's own
index, never taken from the browser. Refusals are JSON ``{"error": reason}``: 400 for a bad
request (the reason says what would be valid), 403 for a request from another site, 405 for a
method other than POST, 429 past the per-address rate limit (with ``Retry-After``), 503 without
an index. Every other path goes on to the wrapped application (the search API and the site).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kb_builder.insights import intake
from kb_builder.insights.intake import Refused
from kb_builder.insights.ratelimit import RateLimit
from kb_builder.insights.store import Store, WrongEdition
from kb_builder.insights.targets import EditionMismatch, Targets
from search.index import IndexMissing, LiveIndex
from search.query import Synonyms, search

log = logging.getLogger(__name__)

FEEDBACK_PATH = "/api/feedback"
SEARCH_EVENT_PATH = "/api/search-event"
# How many result URLs of a search are kept: the first page a visitor sees.
RESULT_PAGES = 10

_STATUS = {
    201: "201 Created",
    400: "400 Bad Request",
    403: "403 Forbidden",
    405: "405 Method Not Allowed",
    429: "429 Too Many Requests",
    500: "500 Internal Server Error",
    503: "503 Service Unavailable",
}
_FIELDS = {
    FEEDBACK_PATH: {"page", "helpful", "comment"},
    SEARCH_EVENT_PATH: {"query", "opened", "search"},
}


def _answer(
    start_response: Callable[..., Any],
    status: int,
    data: Mapping[str, Any],
    extra: list[tuple[str, str]] | None = None,
) -> list[bytes]:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    start_response(
        _STATUS[status],
        [
            ("Content-Type", "application/json; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
            *(extra or []),
        ],
    )
    return [body]


def _cross_site(environ: Mapping[str, Any]) -> bool:
    """Whether the browser says the request comes from a page of another site.

    Browsers send Origin with every POST from a page; a form on another site could otherwise
    post answers in a visitor's name. Scripts and curl send none, and are rate limited.
    """
    origin = environ.get("HTTP_ORIGIN")
    if origin is None:
        return False
    host = (environ.get("HTTP_HOST") or "").lower()
    try:
        parts = urlsplit(origin)
    except ValueError:
        return True
    return parts.scheme not in ("http", "https") or parts.netloc.lower() != host or not host


class _CompiledSynonyms:
    """The provider's synonyms, compiled once per mapping it returns."""

    def __init__(self, provider: Callable[[], Any]):
        self._provider = provider
        self._source: object = None
        self._compiled = Synonyms()

    def get(self) -> Synonyms:
        source = self._provider()
        if source is not self._source:
            self._compiled, self._source = Synonyms.of(source), source
        return self._compiled


def make_insights_app(
    app: Callable[..., Iterable[bytes]],
    *,
    site_dir: str | Path,
    index_dir: str | Path,
    store: Store,
    synonyms_provider: Callable[[], Any] | None = None,
    live_index: LiveIndex | None = None,
    rate_limit: RateLimit | None = None,
) -> Callable[..., Iterable[bytes]]:
    """Wrap `app` (the search API and the site) with the feedback and search-event routes.

    Args:
        app: the WSGI application answering every other path.
        site_dir: the built site being served: only its pages are accepted.
        index_dir: the index of the same edition (FAQ anchors; result counts of searches).
        store: where answers are recorded (`Store` of the same edition).
        synonyms_provider: the synonyms the search API uses, so counts agree with it.
        live_index: the search API's LiveIndex, shared rather than opened twice.
        rate_limit: the per-address limit (`RateLimit()` by default).
    """
    targets = Targets(site_dir, index_dir, store.edition)
    live = live_index or LiveIndex(index_dir)
    synonyms = _CompiledSynonyms(synonyms_provider or (lambda: None))
    limit = rate_limit or RateLimit()

    def feedback(data: Mapping[str, Any]) -> dict[str, Any]:
        page_text = intake.text_field(data, "page", limit=intake.MAX_PAGE_CHARS, required=True)
        helpful = intake.yes_no(data, "helpful")
        comment = intake.text_field(
            data, "comment", limit=intake.MAX_COMMENT_CHARS, required=False, multiline=True
        )
        page, anchor = targets.check(page_text)
        store.add_feedback(page, anchor, helpful, comment)
        return {"recorded": "feedback"}

    def search_event(data: Mapping[str, Any]) -> dict[str, Any]:
        token = intake.search_token(data, "search")
        query = intake.one_line(
            intake.text_field(data, "query", limit=intake.MAX_QUERY_CHARS, required=not token)
        )
        opened_text = intake.text_field(
            data, "opened", limit=intake.MAX_PAGE_CHARS, required=bool(token)
        )
        if token and query:
            raise Refused("give either query (a new search) or search (an earlier one), not both")
        opened = None
        if opened_text:
            page, anchor = targets.check(opened_text)
            opened = f"{page}#{anchor}" if anchor else page
        if token:
            if not store.add_open(token, opened or ""):
                raise Refused("search must be the token of a search this server recorded")
            return {"recorded": "open"}
        results = search(live, query, limit=RESULT_PAGES, synonyms=synonyms.get())
        urls = [hit.url for hit in results.hits]
        return {
            "recorded": "search",
            "search": store.add_search(query, results.total, urls, opened),
        }

    handlers = {FEEDBACK_PATH: feedback, SEARCH_EVENT_PATH: search_event}

    def insights_app(environ: dict[str, Any], start_response: Callable[..., Any]):
        path = (environ.get("PATH_INFO") or "/").rstrip("/") or "/"
        handler = handlers.get(path)
        if handler is None:
            return app(environ, start_response)
        method = (environ.get("REQUEST_METHOD") or "GET").upper()
        if method != "POST":
            return _answer(
                start_response,
                405,
                {"error": f"{method} is not supported here; use POST"},
                [("Allow", "POST")],
            )
        if _cross_site(environ):
            return _answer(start_response, 403, {"error": "requests from other sites are refused"})
        # The address is used here and forgotten: never logged, never stored.
        allowed, wait = limit.allow(str(environ.get("REMOTE_ADDR") or "?"))
        if not allowed:
            return _answer(
                start_response,
                429,
                {"error": f"too many requests; try again in {wait} seconds"},
                [("Retry-After", str(wait))],
            )
        try:
            data = intake.parse_fields(environ, _FIELDS[path])
            return _answer(start_response, 201, handler(data))
        except Refused as e:
            return _answer(start_response, 400, {"error": str(e)})
        except (IndexMissing, EditionMismatch):
            return _answer(
                start_response,
                503,
                {"error": "no search index for this site yet"},
                [("Retry-After", "30")],
            )
        except sqlite3.OperationalError:
            # The database stayed locked past busy_timeout (or the disk is full): nothing was
            # recorded, and the browser may send it again.
            log.exception("insights database unavailable on %s", path)
            return _answer(
                start_response,
                503,
                {"error": "answers cannot be recorded right now"},
                [("Retry-After", "5")],
            )
        except Exception:  # a bug, not the visitor's fault: logged, answered in JSON
            log.exception("insights API failed on %s", path)
            return _answer(start_response, 500, {"error": "internal error"})

    insights_app.store = store  # type: ignore[attr-defined]
    return insights_app


def with_insights(
    app: Callable[..., Iterable[bytes]],
    site_dir: str | Path,
    index_dir: str | Path,
    synonyms_provider: Callable[[], Any] | None = None,
    *,
    db_path: str | Path | None = None,
    rate_limit: RateLimit | None = None,
) -> Callable[..., Iterable[bytes]]:
    """`app` with the insights routes, recording into the edition's database (``kb serve
    --api``): ``.kb/insights/<edition>.sqlite3`` beside the index unless `db_path` is given.

    The edition is the index directory's name (``.kb/index/public/``). A database inside the
    published site is refused (ValueError): it would be served to anyone who asks for it.
    """
    from kb_builder.insights import insights_path_for_index

    index_dir = Path(index_dir)
    path = Path(db_path) if db_path is not None else insights_path_for_index(index_dir)
    site = Path(site_dir).resolve()
    resolved = path.resolve()
    if resolved == site or site in resolved.parents:
        raise ValueError(f"the insights database {path} must not be inside the site {site_dir}")
    try:
        store = Store(path, index_dir.name)
    except (OSError, sqlite3.Error, WrongEdition) as e:
        # The search must not stop because answers cannot be kept (a read-only .kb/, a file
        # of another edition): said once; the two routes then answer 404 like any unknown one.
        print(f"answers and searches will not be recorded: {e}", file=sys.stderr)
        return app
    return make_insights_app(
        app,
        site_dir=site_dir,
        index_dir=index_dir,
        store=store,
        synonyms_provider=synonyms_provider,
        live_index=getattr(app, "live_index", None),
        rate_limit=rate_limit,
    )
