"""The JSON search API (search.api), called directly and through a real waitress server."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import textwrap
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from wsgiref.util import setup_testing_defaults

import pytest

from kb_builder.indexing.synonyms import load_synonyms
from search.api import NO_INDEX, make_app
from search.documents import Document
from search.index import rebuild
from search.query import MAX_LIMIT, MAX_QUERY_CHARS
from tests.conftest import ROOT
from tests.site.test_search_documents import demo_index

SYNONYMS = load_synonyms(ROOT / "content" / "_data")


def call(app, path: str, query: str = "", method: str = "GET"):
    """One request straight into a WSGI app: (status code, headers, JSON body)."""
    environ: dict = {}
    setup_testing_defaults(environ)
    environ.update(
        PATH_INFO=path, QUERY_STRING=query, REQUEST_METHOD=method, **{"wsgi.input": io.BytesIO()}
    )
    captured: dict = {}

    def start_response(status, headers, exc_info=None):
        captured["status"], captured["headers"] = int(status.split()[0]), dict(headers)

    body = b"".join(app(environ, start_response))
    data = json.loads(body) if body and "json" in captured["headers"]["Content-Type"] else body
    return captured["status"], captured["headers"], data


@pytest.fixture(scope="module")
def index(demo_site, tmp_path_factory):
    return demo_index(demo_site, tmp_path_factory)


@pytest.fixture(scope="module")
def app(index):
    return make_app(lambda: index, lambda: SYNONYMS)


def qs(**params) -> str:
    return urllib.parse.urlencode(params)


def test_search_answers_json_with_hits(app):
    status, headers, data = call(app, "/api/search", qs(q="phone hours", limit=3))
    assert status == 200
    assert headers["Cache-Control"] == "no-store"
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert set(data) == {"query", "total", "hits", "did_you_mean", "corrected_query"}
    assert data["query"] == "phone hours"
    assert len(data["hits"]) == 3 and data["total"] >= 3
    hit = data["hits"][0]
    assert hit["url"] == "faq/#what-hours-is-telephone-support-available"
    assert set(hit) >= {"url", "title", "kind", "section", "snippet_html", "score", "rank"}


def test_search_filters_by_kind_and_suggests_spellings(app):
    _, _, data = call(app, "/api/search", qs(q="telefone", kind="faq"))
    assert data["did_you_mean"] == "telephone"
    assert data["hits"] and {h["kind"] for h in data["hits"]} == {"faq"}


def test_suggest_answers_titles_as_you_type(app):
    status, headers, data = call(app, "/api/suggest", qs(q="critical tic"))
    assert status == 200 and headers["Cache-Control"] == "no-store"
    assert "How to launch a critical ticket" in [s["title"] for s in data["suggestions"]]


@pytest.mark.parametrize(
    ("path", "query", "message"),
    [
        ("/api/search", qs(q="x", sort="date"), "unknown parameter: sort"),
        ("/api/search", qs(q="x", a="1", b="2"), "unknown parameters: a, b"),
        ("/api/suggest", qs(q="x", kind="faq"), "unknown parameter: kind"),
        ("/api/search", qs(q="x", limit="ten"), "limit must be a whole number from 1 to 50"),
        ("/api/search", qs(q="x", limit="0"), "limit must be a whole number"),
        ("/api/search", qs(q="x", limit="-3"), "limit must be a whole number"),
        ("/api/search", qs(q="x", kind="movie"), "kind must be one of faq, article"),
        ("/api/search", "", "the q parameter (what to search for) is required"),
        ("/api/search", "q=a&q=b", "give each parameter once: q"),
        ("/api/search", "q=%ff%fe", "not valid UTF-8"),
        ("/api/search", "&".join(f"q{i}=1" for i in range(40)), "too many parameters"),
    ],
)
def test_bad_parameters_get_a_400_saying_what_is_valid(app, path, query, message):
    status, headers, data = call(app, path, query)
    assert status == 400
    assert headers["Content-Type"].startswith("application/json")
    assert message in data["error"]


@pytest.mark.parametrize(
    "q", ["", '"(*:^~)', "AND OR NOT", "title:x^2~ [a TO b]", "\u0000\u202e", "x" * 10_000]
)
def test_query_syntax_never_causes_a_500(app, q):
    status, _, data = call(app, "/api/search", qs(q=q))
    assert status == 200
    assert len(data["query"]) <= MAX_QUERY_CHARS


def test_an_over_long_limit_is_capped(app):
    status, _, data = call(app, "/api/search", qs(q="support", limit=5000))
    assert status == 200 and len(data["hits"]) <= MAX_LIMIT


def test_other_paths_and_methods(app):
    assert call(app, "/api/nope", qs(q="x"))[0] == 404
    assert call(app, "/faq/")[0] == 404  # no static site configured
    status, headers, data = call(app, "/api/search", qs(q="x"), method="POST")
    assert status == 405 and headers["Allow"] == "GET, HEAD" and "use GET" in data["error"]
    status, headers, body = call(app, "/api/search", qs(q="ticket"), method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0


def test_no_index_yet_is_a_503_with_a_clear_message(tmp_path):
    app = make_app(tmp_path / "missing", None)
    status, _, data = call(app, "/api/search", qs(q="ticket"))
    assert status == 503 and data["error"] == NO_INDEX


def test_the_api_reopens_the_index_after_a_rebuild(tmp_path):
    ix = tmp_path / "ix"
    doc = Document(id="a", url="a/", title="Permits", body="Issuing permits.")
    rebuild(ix, [doc])
    app = make_app(ix)
    assert call(app, "/api/search", qs(q="quokka"))[2]["total"] == 0
    rebuild(ix, [doc, Document(id="b", url="b/", title="Quokkas", body="Quokka facts.")])
    assert [h["url"] for h in call(app, "/api/search", qs(q="quokka"))[2]["hits"]] == ["b/"]


def test_synonyms_are_read_per_request(tmp_path, index):
    current: dict = {}
    app = make_app(index, lambda: current)
    assert call(app, "/api/search", qs(q="zorblax"))[2]["total"] == 0
    current = {"zorblax": "telephone"}  # e.g. synonyms.yml edited while the server runs
    assert call(app, "/api/search", qs(q="zorblax"))[2]["total"] > 0


# A real server -----------------------------------------------------------------------------


@pytest.fixture
def server(demo_site, index, tmp_path):
    """`kb serve --api`'s server (waitress) in its own process, on a free port of 127.0.0.1.

    It serves a copy of the built demo site and the demo index, with the demo's synonyms
    read from content/_data as the command does.
    """
    site = tmp_path / "site"
    shutil.copytree(demo_site, site)
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from kb_builder.indexing.service import serve, synonyms_provider
        serve({str(site)!r}, {str(index)!r}, synonyms_provider({str(ROOT / "content")!r}),
              host="127.0.0.1", port=0)
        """
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert match, line + process.stderr.read()
        yield f"http://127.0.0.1:{match.group(1)}", site
    finally:
        process.terminate()
        process.wait(timeout=10)


def fetch(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def test_concurrent_requests_to_a_real_server_all_succeed(server):
    base, _ = server
    queries = [
        qs(q="phone hours"),
        qs(q="sandbox", limit=5),
        qs(q="my system is down at night", kind="article"),
        qs(q='"(*:^~)'),
        qs(q="telefone"),
        qs(q="x" * 10_000),
        qs(q="AND OR NOT", limit=50),
        qs(q="tickets", limit=500),
    ]

    def worker(n: int) -> list[tuple[int, str]]:
        outcomes = []
        for i in range(25):
            query = queries[(n + i) % len(queries)]
            path = "/api/suggest?" + qs(q="tele") if i % 5 == 4 else "/api/search?" + query
            status, headers, body = fetch(base + path)
            json.loads(body)
            outcomes.append((status, headers.get("Cache-Control", "")))
        return outcomes

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = [r for rs in pool.map(worker, range(8)) for r in rs]
    assert len(results) == 200
    assert results == [(200, "no-store")] * 200


def test_the_server_serves_the_built_site_beside_the_api(server):
    base, site = server
    status, headers, body = fetch(base + "/faq/")
    assert status == 200 and b"What hours is telephone support available?" in body
    assert headers["Content-Type"].startswith("text/html")
    status, _, _ = fetch(base + "/faq")  # folder without the slash: redirected to /faq/
    assert status == 200
    status, _, body = fetch(base + "/no/such/page/")
    assert status == 404 and b"<html" in body.lower()
    status, _, body = fetch(base + "/api/search?" + qs(q="sandbox", bad="1"))
    assert status == 400 and json.loads(body)["error"].startswith("unknown parameter: bad")
    # A rebuild of the site is served without a restart (files looked up per request).
    (Path(site) / "new.html").write_text("<p>fresh</p>", encoding="utf-8")
    assert fetch(base + "/new.html")[2] == b"<p>fresh</p>"
