"""The JSON search API, as a plain WSGI application any WSGI server can host.

Routes::

    GET /api/search?q=...&kind=...&limit=...   {"query", "total", "hits": [...], "did_you_mean",
                                                "corrected_query"}
    GET /api/suggest?q=...&limit=...           {"query", "suggestions": [{"title", "url", ...}]}

Every answer is JSON with ``Cache-Control: no-store`` (results change with each build). Bad
parameters get a 400 whose ``error`` says what would be valid, unknown parameters are named;
an over-long ``q`` and a ``limit`` above the maximum are capped rather than refused, since a
pasted paragraph is an honest query. Nothing in ``q`` can cause a 500: queries are never parsed
as query syntax (see `search.query`).

The index is opened lazily on the first request and followed across rebuilds: each request
checks which generation is live, so a ``kb build`` running beside the server is picked up on
the next request.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl

from search import spelling
from search.documents import KINDS
from search.index import IndexMissing, LiveIndex
from search.query import MAX_LIMIT, MAX_QUERY_CHARS, Synonyms, search, suggest

log = logging.getLogger(__name__)

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]
SynonymMapping = Mapping[str, str | Iterable[str]]

_ROUTES = {
    "/api/search": {"q", "kind", "limit"},
    "/api/suggest": {"q", "limit"},
}
_DEFAULT_LIMIT = {"/api/search": 10, "/api/suggest": 8}
_MAX_FIELDS = 16
_STATUS = {
    200: "200 OK",
    400: "400 Bad Request",
    404: "404 Not Found",
    405: "405 Method Not Allowed",
    500: "500 Internal Server Error",
    503: "503 Service Unavailable",
}
NO_INDEX = "no search index yet; run kb build first"


class BadRequest(ValueError):
    """A request the API refuses with a 400 and this message."""


def _json_response(
    start_response: StartResponse,
    status: int,
    data: Mapping[str, Any],
    *,
    head: bool = False,
    extra: list[tuple[str, str]] | None = None,
) -> list[bytes]:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    headers = [
        ("Content-Type", "application/json; charset=utf-8"),
        ("Content-Length", str(len(body))),
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
        *(extra or []),
    ]
    start_response(_STATUS[status], headers)
    return [] if head else [body]


def parse_params(environ: Mapping[str, Any], allowed: set[str]) -> dict[str, str]:
    """The query-string parameters of a request, each given at most once and all known.

    Raises:
        BadRequest: for malformed encoding, repeated or unknown parameters.
    """
    raw = environ.get("QUERY_STRING", "") or ""
    try:
        # WSGI hands the query string over as latin-1; clients send UTF-8.
        text = raw.encode("latin-1").decode("utf-8")
        pairs = parse_qsl(
            text,
            keep_blank_values=True,
            encoding="utf-8",
            errors="strict",
            max_num_fields=_MAX_FIELDS,
        )
    except UnicodeError:
        raise BadRequest("the query string is not valid UTF-8") from None
    except ValueError:
        raise BadRequest(f"too many parameters (at most {_MAX_FIELDS})") from None
    params: dict[str, str] = {}
    repeated = sorted({k for k, _ in pairs if sum(1 for k2, _ in pairs if k2 == k) > 1})
    if repeated:
        raise BadRequest(f"give each parameter once: {', '.join(repeated)}")
    unknown = sorted({k for k, _ in pairs} - allowed)
    if unknown:
        raise BadRequest(
            f"unknown parameter{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}; "
            f"valid parameters are {', '.join(sorted(allowed))}"
        )
    params.update(pairs)
    return params


def _limit(params: Mapping[str, str], default: int) -> int:
    value = params.get("limit")
    if value is None or value == "":
        return default
    try:
        limit = int(value.strip())
    except ValueError:
        raise BadRequest(f"limit must be a whole number from 1 to {MAX_LIMIT}") from None
    if limit < 1:
        raise BadRequest(f"limit must be a whole number from 1 to {MAX_LIMIT}")
    return min(limit, MAX_LIMIT)


def _query(params: Mapping[str, str]) -> str:
    if "q" not in params:
        raise BadRequest("the q parameter (what to search for) is required")
    return params["q"][:MAX_QUERY_CHARS]


def _kind(params: Mapping[str, str]) -> str | None:
    kind = params.get("kind") or None
    if kind is not None and kind not in KINDS:
        raise BadRequest(f"kind must be one of {', '.join(KINDS)}")
    return kind


class _SynonymCache:
    """Compiles the provider's synonyms once per mapping object it returns."""

    def __init__(self, provider: Callable[[], SynonymMapping | Synonyms | None]):
        self._provider = provider
        self._lock = threading.Lock()
        self._source: object = None
        self._compiled = Synonyms()

    def get(self) -> Synonyms:
        source = self._provider()
        with self._lock:
            if source is not self._source:
                self._compiled, self._source = Synonyms.of(source), source
            return self._compiled


def make_app(
    index_dir_provider: Callable[[], str | os.PathLike[str]] | str | os.PathLike[str],
    synonyms_provider: Callable[[], SynonymMapping | Synonyms | None]
    | SynonymMapping
    | None = None,
    *,
    static_app: WSGIApp | None = None,
) -> WSGIApp:
    """Create the WSGI application of the search API.

    Args:
        index_dir_provider: the index directory, or a function returning it (called on every
            request, so the directory may change while the server runs).
        synonyms_provider: the synonyms (client phrase -> canonical phrases), or a function
            returning them; returning a new mapping recompiles them (no restart, no re-index).
        static_app: a WSGI application for every path outside ``/api/`` (the built site);
            without it those paths are 404s.
    """
    live = LiveIndex(index_dir_provider)
    # The general word list is read on first use (about 40 ms): read it now, beside the
    # server's start, so that no client's first question waits for it.
    threading.Thread(target=spelling.general_words, name="kb-word-list", daemon=True).start()
    synonyms = _SynonymCache(
        synonyms_provider if callable(synonyms_provider) else lambda: synonyms_provider
    )

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "") or "/"
        if not path.startswith("/api/") and path != "/api":
            if static_app is not None:
                return static_app(environ, start_response)
            return _json_response(start_response, 404, {"error": f"no such page: {path}"})
        method = environ.get("REQUEST_METHOD", "GET").upper()
        head = method == "HEAD"
        allowed = _ROUTES.get(path.rstrip("/") or path)
        if allowed is None:
            routes = ", ".join(sorted(_ROUTES))
            return _json_response(
                start_response, 404, {"error": f"no such endpoint: {path}; try {routes}"}, head=head
            )
        if method not in ("GET", "HEAD"):
            return _json_response(
                start_response,
                405,
                {"error": f"{method} is not supported; use GET"},
                extra=[("Allow", "GET, HEAD")],
            )
        endpoint = path.rstrip("/")
        try:
            params = parse_params(environ, allowed)
            q = _query(params)
            limit = _limit(params, _DEFAULT_LIMIT[endpoint])
            if endpoint == "/api/search":
                results = search(live, q, kind=_kind(params), limit=limit, synonyms=synonyms.get())
                data: dict[str, Any] = results.to_dict()
            else:
                data = {"query": q, "suggestions": suggest(live, q, limit=limit)}
        except BadRequest as e:
            return _json_response(start_response, 400, {"error": str(e)}, head=head)
        except IndexMissing:
            return _json_response(start_response, 503, {"error": NO_INDEX}, head=head)
        except Exception:  # a bug, not the client's fault: log it, answer in JSON
            log.exception("search API failed on %s?%s", path, environ.get("QUERY_STRING", ""))
            return _json_response(start_response, 500, {"error": "internal error"}, head=head)
        return _json_response(start_response, 200, data, head=head)

    app.live_index = live  # type: ignore[attr-defined]  # lets a server close searchers on exit
    return app
