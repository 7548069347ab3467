"""Feedback and search events under load: a real `kb serve --api`, 32 threads, real HTTP.

Usage (from the project root, with the project's virtualenv; run it under ``nice``)::

    nice .venv/bin/python benchmarks/api_load.py [--requests 2000] [--threads 32]

The demo is built into a temporary folder with `kb build` and served by `kb serve --api` (the
command, as a writer runs it, default rate limit included) on 127.0.0.1. Then two runs of
`--requests` POSTs from `--threads` threads, a mix of valid and invalid feedback and search
events (a search, then a result opened with the token it returned):

- "visitors": every request from its own client address (127.0.x.y: Linux delivers all of
  127.0.0.0/8 to a server on 127.0.0.1), as many visitors would; the rate limit stays out of
  the way;
- "32 clients": each thread one address, so the per-address limit (a burst of 20, then 30 a
  minute) answers most requests with 429.

For each run: status counts, latency percentiles, and the records in SQLite against the
requests the server accepted (201): none may be lost, and no answer may be a 5xx. Prints a
Markdown table; paste it into ``benchmarks/README.md`` with the command that produced it.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

VALID_FEEDBACK = [
    {"page": "faq/", "helpful": True},
    {"page": "wiki/permits/", "helpful": False, "comment": "Step 3 shows the old menu."},
    {"page": "faq/#what-hours-is-telephone-support-available", "helpful": "no"},
    {"page": "support/launch-a-ticket/", "helpful": "yes", "comment": "Clear, thanks ✓"},
]
INVALID_FEEDBACK = [
    {"page": "internal/agent-notes/", "helpful": True},  # not in the public edition
    {"page": "../../etc/passwd", "helpful": True},
    {"page": "faq/", "helpful": "maybe"},
    {"page": "faq/", "helpful": True, "comment": "x" * 501},
    {"page": "faq/", "helpful": True, "comment": "\x1b[2J"},
    "{not json",
]
QUERIES = ["phone hours", "quokka licence", "reset my password", "sandbox refresh", "zzqx"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_demo(work: Path) -> Path:
    """This repository's demo copied to `work/project` and built with `kb build`."""
    import shutil

    project = work / "project"
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copytree(ROOT / "theme", project / "theme")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    kb = Path(sys.executable).with_name("kb")
    subprocess.run([str(kb), "build", "-q"], cwd=project, check=True)
    return project


class Client:
    """POSTs from one client address, timing each."""

    def __init__(self, port: int, address: str):
        self.port, self.address = port, address

    def post(self, path: str, body: object) -> tuple[int, float, dict]:
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        started = time.perf_counter()
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=60, source_address=(self.address, 0)
        )
        try:
            connection.request("POST", path, data, {"Content-Type": "application/json"})
            response = connection.getresponse()
            raw = response.read()
        finally:
            connection.close()
        elapsed = time.perf_counter() - started
        try:
            answer = json.loads(raw)
        except ValueError:
            answer = {}
        return response.status, elapsed, answer


def run(port: int, requests: int, threads: int, per_request_address: bool, first: int):
    """`requests` POSTs from `threads` threads; returns (statuses, latencies, accepted)."""
    statuses: Counter[int] = Counter()
    latencies: list[float] = []
    accepted: Counter[str] = Counter()
    lock = threading.Lock()
    addresses = (
        f"127.{a}.{b}.{c}"
        for a, b, c in itertools.product(range(first, 250), range(256), range(1, 255))
    )
    address_lock = threading.Lock()

    def next_address() -> str:
        with address_lock:
            return next(addresses)

    def worker(n: int) -> None:
        mine = requests // threads + (1 if n < requests % threads else 0)
        fixed = next_address()
        token = None
        for i in range(mine):
            client = Client(port, next_address() if per_request_address else fixed)
            step = (n + i) % 10
            if step < 4:
                path, body, kind = "/api/feedback", VALID_FEEDBACK[(n + i) % 4], "feedback"
            elif step < 6:
                path, body, kind = "/api/feedback", INVALID_FEEDBACK[(n + i) % 6], None
            elif step < 8:
                path, body, kind = "/api/search-event", {"query": QUERIES[(n + i) % 5]}, "search"
            elif step == 8 and token:
                path, body, kind = "/api/search-event", {"search": token, "opened": "faq/"}, "open"
            else:
                path, body, kind = "/api/search-event", {"query": "x", "opened": "no/page/"}, None
            status, elapsed, answer = client.post(path, body)
            if kind == "search" and status == 201:
                token = answer.get("search")
            with lock:
                statuses[status] += 1
                latencies.append(elapsed)
                if status == 201:
                    accepted[answer.get("recorded", "?")] += 1
                elif status == 400 and kind is not None:
                    accepted["valid refused"] += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(worker, range(threads)))
    return statuses, latencies, accepted, time.perf_counter() - started


def stored(db: Path) -> Counter[str]:
    with sqlite3.connect(db) as connection:
        return Counter(
            {
                "feedback": connection.execute("SELECT count(*) FROM feedback").fetchone()[0],
                "search": connection.execute("SELECT count(*) FROM searches").fetchone()[0],
                "open": connection.execute("SELECT count(*) FROM opens").fetchone()[0],
            }
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=32)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kb-api-load-") as tmp:
        project = build_demo(Path(tmp))
        port = free_port()
        kb = Path(sys.executable).with_name("kb")
        # The server's log goes to a file: waitress warns of every queued task under load,
        # and a pipe nobody reads would fill and stop the server mid-run.
        log_path = Path(tmp) / "server.log"
        log = open(log_path, "w", encoding="utf-8")  # noqa: SIM115 - closed after the server
        server = subprocess.Popen(
            [str(kb), "serve", "--api", "-a", f"127.0.0.1:{port}"],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        failed = False
        try:
            line = server.stdout.readline()
            assert f":{port}/" in line, line
            threading.Thread(target=server.stdout.read, daemon=True).start()  # drained
            db = project / ".kb" / "insights" / "public.sqlite3"
            # Warm up the server's index (its first search opens it) outside the measurement.
            Client(port, "127.255.0.1").post("/api/search-event", {"query": "warm up"})
            print(
                "| run | requests | 201 | 400 | 429 | 5xx | p50 ms | p95 ms | max ms | req/s "
                "| accepted (feedback/search/open) | in SQLite | lost |"
            )
            print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
            for name, per_request, first in (("visitors", True, 1), ("32 clients", False, 200)):
                before = stored(db)
                statuses, latencies, accepted, seconds = run(
                    port, args.requests, args.threads, per_request, first
                )
                after = stored(db)
                rows = {k: after[k] - before[k] for k in ("feedback", "search", "open")}
                lost = sum(max(0, accepted[k] - rows[k]) for k in rows)
                extra = sum(max(0, rows[k] - accepted[k]) for k in rows)
                five = sum(n for s, n in statuses.items() if s >= 500)
                qs = statistics.quantiles(latencies, n=100)
                print(
                    f"| {name} | {sum(statuses.values())} | {statuses[201]} | {statuses[400]} "
                    f"| {statuses[429]} | {five} | {qs[49] * 1000:.1f} | {qs[94] * 1000:.1f} "
                    f"| {max(latencies) * 1000:.1f} | {sum(statuses.values()) / seconds:.0f} "
                    f"| {accepted['feedback']}/{accepted['search']}/{accepted['open']} "
                    f"| {rows['feedback']}/{rows['search']}/{rows['open']} | {lost} |"
                )
                other = set(statuses) - {201, 400, 429}
                if five or lost or extra or accepted["valid refused"] or other:
                    failed = True
                    print(
                        f"  problem: statuses {dict(statuses)}, extra rows {extra}, "
                        f"valid requests refused {accepted['valid refused']}"
                    )
        finally:
            server.terminate()  # the server this script started, by its PID
            server.wait(timeout=10)
            log.close()
            errors = [x for x in log_path.read_text().splitlines() if "queue depth" not in x]
            if failed and errors:
                print("server said:\n" + "\n".join(errors[-20:]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
