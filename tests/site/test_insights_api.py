"""Feedback and search events through a real `kb serve --api`, read back from SQLite and from
`kb report` (issue 12). Every request is real HTTP to a real server process on 127.0.0.1."""

from __future__ import annotations

import json
import shutil
import sqlite3
import time

import pytest

from kb_builder.insights import insights_path
from kb_builder.insights.intake import MAX_BODY_BYTES
from kb_builder.insights.store import Store
from kb_builder.insights.targets import NOT_A_PAGE
from tests.conftest import run_kb
from tests.helpers.insights_server import build_project, kb_serve_api, new_client, request

FAQ_QUESTION = "faq/#what-hours-is-telephone-support-available"
INTERNAL_PAGE = "internal/agent-notes/"


@pytest.fixture(scope="module")
def public(tmp_path_factory):
    project = build_project(tmp_path_factory.mktemp("insights-public") / "project")
    with kb_serve_api(project) as served:
        yield served


@pytest.fixture(scope="module")
def internal(tmp_path_factory):
    project = build_project(tmp_path_factory.mktemp("insights-internal") / "project", "internal")
    with kb_serve_api(project, "internal") as served:
        yield served


def feedback(served, body, **kw):
    return request(served.url, "/api/feedback", body, **kw)


def event(served, body, **kw):
    return request(served.url, "/api/search-event", body, **kw)


def counts(served) -> dict[str, int]:
    return {
        t: served.rows(f"SELECT count(*) FROM {t}")[0][0] for t in ("feedback", "searches", "opens")
    }


def report(served, *args):
    result = run_kb("report", "-f", str(served.project / "mkdocs.yml"), *args)
    assert result.exit_code == 0, result
    return result


def test_feedback_and_searches_land_in_sqlite_and_come_out_of_kb_report(public):
    comment = "The screenshots show the old menu <script>alert(1)</script>"
    assert (
        feedback(public, {"page": "wiki/permits/", "helpful": False, "comment": comment})[0] == 201
    )
    assert (
        feedback(
            public,
            "page=wiki%2Fpermits%2F&helpful=no",
            content_type=("application/x-www-form-urlencoded"),
        )[0]
        == 201
    )
    assert feedback(public, {"page": "wiki/permits/", "helpful": "yes"})[0] == 201
    assert feedback(public, {"page": FAQ_QUESTION, "helpful": True})[0] == 201
    # A search that found nothing, twice (spelt differently), one with results nobody opened,
    # and one whose only opened result was a ticket guide.
    status, _, answer = event(public, {"query": "Quokka  Licence"})
    assert status == 201 and answer["recorded"] == "search" and len(answer["search"]) >= 16
    assert event(public, {"query": "quokka licence"})[0] == 201
    assert event(public, {"query": "phone hours"})[0] == 201
    status, _, answer = event(public, {"query": "who do I write to"})
    assert status == 201
    opened = event(public, {"search": answer["search"], "opened": "support/launch-a-ticket/"})
    assert opened[0] == 201 and opened[2] == {"recorded": "open"}

    stored = public.rows(
        "SELECT page, anchor, helpful, comment FROM feedback WHERE page = 'wiki/permits/' "
        "ORDER BY id"
    )
    assert stored == [
        ("wiki/permits/", "", 0, comment),
        ("wiki/permits/", "", 0, ""),
        ("wiki/permits/", "", 1, ""),
    ]
    assert public.rows("SELECT results FROM searches WHERE query = 'Quokka Licence'") == [(0,)]
    assert public.rows("SELECT results FROM searches WHERE query = 'phone hours'")[0][0] > 0

    data = json.loads(report(public, "--json").output)
    assert data["edition"] == "public"
    worst = {p["url"]: p for p in data["worst_pages"]}
    permits = worst["wiki/permits/"]
    assert (permits["helpful"], permits["not_helpful"]) == (1, 2)
    assert permits["title"] == "Issuing and renewing permits"
    assert [c["comment"] for c in permits["comments"]] == [comment]
    assert data["worst_pages"][0]["url"] == "wiki/permits/"  # the worst ratio comes first
    assert worst[FAQ_QUESTION]["helpful"] == 1
    zero = {q["query"].casefold(): q for q in data["zero_result_searches"]}
    assert zero["quokka licence"]["searches"] == 2
    assert "phone hours" in [q["query"] for q in data["unopened_searches"]]
    assert "who do I write to" not in [q["query"] for q in data["unopened_searches"]]
    assert "who do I write to" in [q["query"] for q in data["ticket_only_searches"]]

    table = report(public).output
    assert "Pages with the worst helpful ratio" in table
    assert "wiki/permits/" in table and comment in table
    assert "Quokka Licence" in table and "Searches that found nothing" in table


def test_the_database_is_beside_the_index_in_wal_mode_and_holds_no_address(public):
    client = new_client()
    assert feedback(public, {"page": "faq/", "helpful": True}, client=client)[0] == 201
    assert public.db == insights_path(public.project / "mkdocs.yml", "public")
    assert public.db.parent.parent == public.project / ".kb"
    assert public.rows("PRAGMA journal_mode") == [("wal",)]
    assert not list(public.site.rglob("*.sqlite3*")), "the records must never be published"
    with sqlite3.connect(public.db) as db:
        dump = "\n".join(db.iterdump())
    assert client not in dump and "127.0." not in dump
    # faq/index.html is the page faq/: one page, one line in the report.
    assert feedback(public, {"page": "faq/index.html", "helpful": False})[0] == 201
    assert public.rows("SELECT page FROM feedback ORDER BY id DESC LIMIT 1") == [("faq/",)]


BAD_FEEDBACK = [
    (b"", "application/json", "the body is empty"),
    (b"{not json", "application/json", "not valid JSON"),
    (b"[1, 2]", "application/json", "must be an object"),
    (b'"faq/"', "application/json", "must be an object"),
    (b'{"page": "faq/", "helpful": true, "rating": 5}', "application/json", "1 unknown field"),
    (
        b'{"page": "faq/", "page": "wiki/", "helpful": true}',
        "application/json",
        "give each field once",
    ),
    (b'{"page": "faq/"}', "application/json", "the helpful field is required"),
    (b'{"page": "faq/", "helpful": "maybe"}', "application/json", "helpful must be yes or no"),
    (b'{"page": "faq/", "helpful": 1}', "application/json", "helpful must be yes or no"),
    (b'{"page": "faq/", "helpful": NaN}', "application/json", "not a number"),
    (b'{"helpful": true}', "application/json", "the page field is required"),
    (b'{"page": 7, "helpful": true}', "application/json", "page must be text"),
    (b'{"page": ["faq/"], "helpful": true}', "application/json", "page must be text"),
    (b'{"page": "../site-internal/faq/", "helpful": true}', "application/json", NOT_A_PAGE),
    (b'{"page": "/etc/passwd", "helpful": true}', "application/json", NOT_A_PAGE),
    (b'{"page": "https://evil.example/", "helpful": true}', "application/json", NOT_A_PAGE),
    (b'{"page": "faq/%2e%2e/%2e%2e/", "helpful": true}', "application/json", NOT_A_PAGE),
    (b'{"page": "faq%2F", "helpful": true}', "application/json", NOT_A_PAGE),
    (b'{"page": "404.html", "helpful": true}', "application/json", NOT_A_PAGE),
    (b'{"page": ".kb-build", "helpful": true}', "application/json", NOT_A_PAGE),
    (b'{"page": "assets/javascripts/", "helpful": true}', "application/json", NOT_A_PAGE),
    (b'{"page": "no/such/page/", "helpful": true}', "application/json", NOT_A_PAGE),
    (b'{"page": "faq/#no-such-question", "helpful": true}', "application/json", NOT_A_PAGE),
    (b'{"page": "faq/?q=1", "helpful": true}', "application/json", NOT_A_PAGE),
    (b'{"page": "%s/", "helpful": true}' % (b"a" * 300), "application/json", NOT_A_PAGE),
    (b'{"page": "caf%C3/", "helpful": true}', "application/json", NOT_A_PAGE),
    (b'{"page": "faq/\\u0000", "helpful": true}', "application/json", "control characters"),
    (
        b'{"page": "faq/", "helpful": true, "comment": "a\\u001b[31mred"}',
        "application/json",
        "comment holds control characters",
    ),
    (
        b'{"page": "faq/", "helpful": true, "comment": "\\u202egnp.exe"}',
        "application/json",
        "comment holds control characters",
    ),
    (b'{"page": "faq/", "helpful": true, "comment": "\\ud800"}', "application/json", "not text"),
    (
        json.dumps({"page": "faq/", "helpful": True, "comment": "x" * 501}).encode(),
        "application/json",
        "comment is too long (at most 500 characters)",
    ),
    (
        json.dumps({"page": "faq/", "helpful": True, "comment": 5}).encode(),
        "application/json",
        "comment must be text",
    ),
    (b"[" * 5000 + b"]" * 5000, "application/json", "body is too large"),
    (b"[" * 4000 + b"]" * 4000, "application/json", "nested too deeply"),
    (b'{"page": "faq/", "helpful": true}', "text/plain", "send the fields as application/json"),
    (b'{"page": "faq/", "helpful": true}', "application/json; charset=latin-1", "must be UTF-8"),
    (
        b'{"page": "faq/", "helpful": true, "comment": "\xff"}',
        "application/json",
        "not valid UTF-8",
    ),
    (
        b"page=faq%2F&helpful=yes&helpful=no",
        "application/x-www-form-urlencoded",
        "give each field once",
    ),
    (b"page=faq%2F&helpful", "application/x-www-form-urlencoded", "the form is malformed"),
    (
        b"page=faq%2F&helpful=yes&comment=%ff",
        "application/x-www-form-urlencoded",
        "not valid UTF-8",
    ),
]


@pytest.mark.parametrize(("body", "content_type", "reason"), BAD_FEEDBACK)
def test_bad_feedback_gets_a_400_with_a_reason_and_records_nothing(
    public, body, content_type, reason
):
    before = counts(public)
    status, headers, data = feedback(public, body, content_type=content_type)
    assert status == 400, data
    assert headers["content-type"] == "application/json; charset=utf-8"
    assert reason in data["error"]
    assert counts(public) == before


def test_an_over_large_body_is_refused_by_its_length(public):
    body = json.dumps({"page": "faq/", "helpful": True, "comment": "x" * MAX_BODY_BYTES})
    status, _, data = feedback(public, body)
    assert status == 400 and "too large" in data["error"]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({}, "the query field is required"),
        ({"query": "   "}, "the query field is required"),
        ({"query": "x" * 201}, "query is too long"),
        ({"query": "two\nlines"}, "query must be one line"),
        ({"query": "a\u0007b"}, "query holds control characters"),
        ({"query": "permits", "opened": "no/such/page/"}, NOT_A_PAGE),
        ({"query": "permits", "opened": INTERNAL_PAGE}, NOT_A_PAGE),
        ({"search": "not a token!"}, "search must be the token"),
        ({"search": "A" * 22}, "the opened field is required"),
        ({"search": "A" * 22, "opened": "faq/"}, "search must be the token of a search"),
        ({"search": "A" * 22, "query": "x", "opened": "faq/"}, "not both"),
        ({"query": "x", "ip": "1.2.3.4"}, "1 unknown field"),
    ],
)
def test_bad_search_events_get_a_400_with_a_reason(public, body, reason):
    before = counts(public)
    status, _, data = event(public, body)
    assert status == 400, data
    assert reason in data["error"]
    assert counts(public) == before


@pytest.mark.parametrize("method", ["GET", "HEAD", "PUT", "DELETE", "OPTIONS"])
def test_only_post_is_allowed(public, method):
    for path in ("/api/feedback", "/api/search-event"):
        status, headers, data = request(public.url, path, None, method=method)
        assert status == 405 and headers["allow"] == "POST"
        if method != "HEAD":
            assert "use POST" in data["error"]


def test_requests_from_another_site_are_refused(public):
    before = counts(public)
    status, _, data = feedback(
        public, {"page": "faq/", "helpful": True}, headers={"Origin": "https://evil.example"}
    )
    assert status == 403 and "other sites" in data["error"]
    assert counts(public) == before
    same = public.url  # the page's own origin, as a browser sends it
    assert feedback(public, {"page": "faq/", "helpful": True}, headers={"Origin": same})[0] == 201


def test_each_address_is_rate_limited_in_memory(public):
    client = new_client()
    started = time.monotonic()
    statuses = [
        feedback(public, {"page": "faq/", "helpful": i % 2 == 0}, client=client)[0]
        for i in range(30)
    ]
    elapsed = time.monotonic() - started
    # The burst (a visitor answering every FAQ question) goes through, then 30 a minute.
    assert statuses[:20] == [201] * 20
    assert set(statuses[20:]) <= {201, 429} and 429 in statuses
    assert statuses.count(201) <= 20 + elapsed * 30 / 60 + 1
    status, headers, data = feedback(public, {"page": "faq/", "helpful": True}, client=client)
    assert status == 429 and int(headers["retry-after"]) >= 1 and "too many" in data["error"]
    # Bad requests count too (no free probing), and another visitor is not held back.
    assert event(public, {"query": "permits"}, client=client)[0] == 429
    assert feedback(public, {"page": "faq/", "helpful": True}, client=new_client())[0] == 201


def test_a_public_server_refuses_internal_pages_exactly_as_missing_ones(public, internal):
    """Canary: the internal page exists (the internal server accepts it), the public one
    answers as for a page that does not exist, and records nothing."""
    assert (internal.site / INTERNAL_PAGE / "index.html").is_file()
    assert feedback(internal, {"page": INTERNAL_PAGE, "helpful": True})[0] == 201
    before = counts(public)
    internal_answer = feedback(public, {"page": INTERNAL_PAGE, "helpful": True})
    missing_answer = feedback(public, {"page": "internal/no-such-notes/", "helpful": True})
    assert internal_answer[0] == missing_answer[0] == 400
    assert internal_answer[2] == missing_answer[2] == {"error": NOT_A_PAGE}
    assert event(public, {"query": "agent notes", "opened": INTERNAL_PAGE})[2] == {
        "error": NOT_A_PAGE
    }
    assert counts(public) == before
    with sqlite3.connect(public.db) as db:
        assert "internal/" not in "\n".join(db.iterdump())
    # Each edition keeps its own file: the internal answer is not in the public report.
    public_report = report(public, "--json").output
    assert INTERNAL_PAGE not in public_report
    assert INTERNAL_PAGE in report(internal, "--edition", "internal", "--json").output


def test_report_date_range_and_refusals(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: Dates\ndocs_dir: content\n", encoding="utf-8")
    (tmp_path / "content").mkdir()
    clock = iter(["2026-11-01T10:00:00Z", "2026-11-15T23:59:59Z", "2026-11-16T00:00:00Z"])
    store = Store(insights_path(config, "public"), "public", clock=lambda: next(clock))
    store.add_feedback("a/", "", False, "early")
    store.add_feedback("b/", "", False, "mid \x1b[2J")  # written past intake: still printed safely
    store.add_feedback("c/", "", False, "late")
    store.close()

    def pages(*args):
        result = run_kb("report", "-f", str(config), "--json", *args)
        assert result.exit_code == 0, result
        return sorted(p["url"] for p in json.loads(result.output)["worst_pages"])

    assert pages() == ["a/", "b/", "c/"]
    assert pages("--since", "2026-11-02") == ["b/", "c/"]
    assert pages("--until", "2026-11-15") == ["a/", "b/"]  # the whole last day
    assert pages("--since", "2026-11-15", "--until", "2026-11-15") == ["b/"]
    table = run_kb("report", "-f", str(config)).output
    assert "mid [2J" in table and "\x1b" not in table
    backwards = run_kb(
        "report", "-f", str(config), "--since", "2026-11-20", "--until", "2026-11-01"
    )
    assert backwards.exit_code == 2 and "is after" in backwards.output
    assert run_kb("report", "-f", str(config), "--since", "yesterday").exit_code == 2
    # The internal edition has its own file, which does not exist yet: said, not created.
    nothing = run_kb("report", "-f", str(config), "--edition", "internal")
    assert nothing.exit_code == 0 and "Nothing recorded yet" in nothing.output
    assert not insights_path(config, "internal").exists()


def test_a_database_of_another_edition_is_never_written_and_search_goes_on(public, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(public.project, project, ignore=shutil.ignore_patterns("insights"))
    wrong = Store(insights_path(project / "mkdocs.yml", "public"), "internal")
    wrong.add_feedback(INTERNAL_PAGE, "", True)
    wrong.close()
    with kb_serve_api(project) as served:
        status, _, data = feedback(served, {"page": "faq/", "helpful": True})
        assert status == 404 and "no such endpoint" in data["error"]
        status, _, data = request(served.url, "/api/search?q=phone+hours", method="GET")
        assert status == 200 and data["total"] > 0
    assert served.rows("SELECT page FROM feedback") == [(INTERNAL_PAGE,)]
