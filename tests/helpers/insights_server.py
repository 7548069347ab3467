"""A demo project built for real and served by a real `kb serve --api` process, for the
insights tests (feedback, search events, `kb report`), and HTTP from chosen client addresses.

Every client address of 127.0.0.0/8 reaches a server on 127.0.0.1, so a test can speak as
several visitors (the rate limit is per address) without any setting of the server.
"""

from __future__ import annotations

import http.client
import itertools
import json
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from tests.browser.test_search_ui_browser import copy_project, free_port
from tests.conftest import run_kb

# A new client address for every caller: 127.0.1.1, 127.0.1.2, ... (never 127.0.0.1, which the
# browser tests use).
_ADDRESSES = (f"127.0.{a}.{b}" for a, b in itertools.product(range(1, 200), range(1, 255)))


def new_client() -> str:
    """A client address nobody has used in this test session."""
    return next(_ADDRESSES)


@dataclass
class Served:
    """A built project and the `kb serve --api` process serving it."""

    url: str
    project: Path
    edition: str

    @property
    def db(self) -> Path:
        return self.project / ".kb" / "insights" / f"{self.edition}.sqlite3"

    @property
    def site(self) -> Path:
        return self.project / ("site" if self.edition == "public" else f"site-{self.edition}")

    def rows(self, sql: str, *args) -> list[tuple]:
        with sqlite3.connect(self.db) as db:
            return db.execute(sql, args).fetchall()


def build_project(target: Path, edition: str = "public", extra_config: str = "") -> Path:
    """The demo copied to `target` and built (the edition's site and its index in .kb/)."""
    project = copy_project(target, extra_config)
    args = ["build"] + ([] if edition == "public" else ["--edition", edition])
    built = run_kb(*args, cwd=project)
    assert built.exit_code == 0, built
    return project


@contextmanager
def kb_serve_api(project: Path, edition: str = "public") -> Iterator[Served]:
    """`kb serve --api` for `project` on a free port of 127.0.0.1, stopped by its PID."""
    port = free_port()
    kb = Path(sys.executable).with_name("kb")
    args = [str(kb), "serve", "--api", "-a", f"127.0.0.1:{port}"]
    if edition != "public":
        args += ["--edition", edition]
    process = subprocess.Popen(
        args, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        # The address line comes first, after any warning (read line by line: reading to the
        # end would wait for a server that never ends).
        said = []
        while not said or f"http://127.0.0.1:{port}/" not in said[-1]:
            line = process.stdout.readline()
            assert line and len(said) < 20, "".join(said) + line
            said.append(line)
        # Whatever the server says later (waitress's warnings) is read, so that a full pipe
        # never stops it.
        threading.Thread(target=process.stdout.read, daemon=True).start()
        yield Served(f"http://127.0.0.1:{port}", project, edition)
    finally:
        process.terminate()  # only the process started here
        process.wait(timeout=10)


def request(
    base: str,
    path: str,
    body: bytes | str | dict | None = None,
    *,
    method: str = "POST",
    content_type: str | None = "application/json",
    client: str | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], object]:
    """One HTTP request from `client` (an address of 127.0.0.0/8): (status, headers, JSON)."""
    where = urlsplit(base)
    connection = http.client.HTTPConnection(
        where.hostname, where.port, timeout=30, source_address=(client or new_client(), 0)
    )
    if isinstance(body, dict):
        body = json.dumps(body)
    if isinstance(body, str):
        body = body.encode("utf-8")
    sent = dict(headers or {})
    if content_type is not None and body is not None:
        sent.setdefault("Content-Type", content_type)
    try:
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        raw = response.read()
        got = {k.lower(): v for k, v in response.getheaders()}
    finally:
        connection.close()
    data: object = raw
    if raw and "json" in got.get("content-type", ""):
        data = json.loads(raw)
    return response.status, got, data
