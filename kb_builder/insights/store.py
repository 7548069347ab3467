"""The insights database: SQLite in WAL mode, one file per edition, safe under many threads.

Tables::

    meta(key, value)                     schema version and the edition the file belongs to
    feedback(id, at, page, anchor,       one "Was this helpful?" answer; anchor is the FAQ
             helpful, comment)           question's anchor ('' for the page itself)
    searches(id, token, at, query,       one search a visitor made: the query as typed, how
             results, pages)             many results the site had, the top result pages (JSON)
    opens(id, search_id, at, page)       a result opened from that search

Times are UTC, ``YYYY-MM-DDTHH:MM:SSZ`` (text, so that date ranges compare as strings). No
column holds an address, a browser or anything else about the visitor.

Each thread has its own connection (sqlite3 connections must not be shared between threads
without care), WAL lets readers go on while one writer writes, and ``busy_timeout`` makes a
writer wait for the lock instead of failing: waitress answers with several threads at once.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

SCHEMA_VERSION = "1"
# How long a writer waits for another thread's (or process's) write before giving up.
BUSY_TIMEOUT_MS = 10_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    page TEXT NOT NULL,
    anchor TEXT NOT NULL DEFAULT '',
    helpful INTEGER NOT NULL CHECK (helpful IN (0, 1)),
    comment TEXT NOT NULL DEFAULT '' CHECK (length(comment) <= 500)
);
CREATE INDEX IF NOT EXISTS feedback_at ON feedback (at);
CREATE TABLE IF NOT EXISTS searches (
    id INTEGER PRIMARY KEY,
    token TEXT NOT NULL UNIQUE,
    at TEXT NOT NULL,
    query TEXT NOT NULL,
    results INTEGER NOT NULL,
    pages TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS searches_at ON searches (at);
CREATE TABLE IF NOT EXISTS opens (
    id INTEGER PRIMARY KEY,
    search_id INTEGER NOT NULL REFERENCES searches (id),
    at TEXT NOT NULL,
    page TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS opens_search ON opens (search_id);
"""


class WrongEdition(RuntimeError):
    """The database file belongs to another edition (or is not an insights database)."""


def utc_now() -> str:
    """Now, as stored: UTC to the second, ``2026-12-02T05:10:00Z``."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Feedback:
    """One "Was this helpful?" answer as stored."""

    at: str
    page: str
    anchor: str
    helpful: bool
    comment: str


@dataclass(frozen=True)
class Search:
    """One search as stored, with the result pages opened from it."""

    at: str
    query: str
    results: int
    pages: tuple[str, ...]
    opened: tuple[str, ...]


class Store:
    """The insights database of one edition.

    Args:
        path: the database file (created with its folder when missing, unless `create` is
            False, in which case a missing file raises FileNotFoundError).
        edition: the edition this file belongs to; a file of another edition is refused
            (WrongEdition), so a public server can never write into the internal records.
        clock: returns the time to store (`utc_now`); tests give their own.
        create: whether a missing database may be created (``kb report`` only reads).
    """

    def __init__(
        self,
        path: str | Path,
        edition: str,
        *,
        clock: Callable[[], str] = utc_now,
        create: bool = True,
    ):
        self.path = Path(path)
        self.edition = edition
        self._clock = clock
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        if not create and not self.path.is_file():
            raise FileNotFoundError(str(self.path))
        if create:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._setup()

    # connections ---------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: autocommit, with explicit BEGIN IMMEDIATE where two rows go in
        # together (IMMEDIATE takes the write lock at once, so busy_timeout applies to it).
        connection = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
        )
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA foreign_keys = ON")
        # NORMAL is durable across application crashes in WAL mode (only a power cut can
        # lose the last transactions), and much faster than FULL under many small writes.
        connection.execute("PRAGMA synchronous = NORMAL")
        with self._lock:
            self._connections.append(connection)
        return connection

    @property
    def connection(self) -> sqlite3.Connection:
        """This thread's connection."""
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._local.connection = self._connect()
        return connection

    def _setup(self) -> None:
        db = self.connection
        mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise sqlite3.OperationalError(f"{self.path}: WAL mode refused ({mode})")
        with self._write() as db:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', ?), ('edition', ?)",
                (SCHEMA_VERSION, self.edition),
            )
            stored = dict(db.execute("SELECT key, value FROM meta").fetchall())
        if stored.get("edition") != self.edition:
            raise WrongEdition(
                f"{self.path} holds the records of the {stored.get('edition')!r} edition, "
                f"not of {self.edition!r}"
            )

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        db = self.connection
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def close(self) -> None:
        """Close every thread's connection (the store is not used afterwards)."""
        with self._lock:
            connections, self._connections = self._connections, []
        for connection in connections:
            with contextlib.suppress(sqlite3.Error):
                connection.close()
        self._local = threading.local()

    # writing -------------------------------------------------------------------------------

    def add_feedback(self, page: str, anchor: str, helpful: bool, comment: str = "") -> None:
        """Record one answer (values already checked by `kb_builder.insights.requests`)."""
        with self._write() as db:
            db.execute(
                "INSERT INTO feedback (at, page, anchor, helpful, comment) VALUES (?, ?, ?, ?, ?)",
                (self._clock(), page, anchor, 1 if helpful else 0, comment),
            )

    def add_search(
        self, query: str, results: int, pages: list[str], opened: str | None = None
    ) -> str:
        """Record a search (and the result opened from it, if given); return its token.

        The token is random and names the search only, never the visitor: the page sends it
        back when a result is opened later (`add_open`).
        """
        token = secrets.token_urlsafe(16)
        now = self._clock()
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO searches (token, at, query, results, pages) VALUES (?, ?, ?, ?, ?)",
                (token, now, query, results, json.dumps(pages, ensure_ascii=False)),
            )
            if opened is not None:
                db.execute(
                    "INSERT INTO opens (search_id, at, page) VALUES (?, ?, ?)",
                    (cursor.lastrowid, now, opened),
                )
        return token

    def add_open(self, token: str, page: str) -> bool:
        """Record that a result of the search `token` was opened; False for an unknown token."""
        with self._write() as db:
            row = db.execute("SELECT id FROM searches WHERE token = ?", (token,)).fetchone()
            if row is None:
                return False
            db.execute(
                "INSERT INTO opens (search_id, at, page) VALUES (?, ?, ?)",
                (row[0], self._clock(), page),
            )
        return True

    # reading -------------------------------------------------------------------------------

    def feedback(self, since: str | None = None, until: str | None = None) -> list[Feedback]:
        """Answers given from `since` (inclusive) to before `until` (stored-time strings)."""
        where, args = _range(since, until)
        rows = self.connection.execute(
            f"SELECT at, page, anchor, helpful, comment FROM feedback {where} ORDER BY at, id",
            args,
        ).fetchall()
        return [
            Feedback(at, page, anchor, bool(yes), comment)
            for at, page, anchor, yes, comment in rows
        ]

    def searches(self, since: str | None = None, until: str | None = None) -> list[Search]:
        """Searches made from `since` to before `until`, each with the pages opened from it."""
        where, args = _range(since, until, "s.at")
        rows = self.connection.execute(
            "SELECT s.id, s.at, s.query, s.results, s.pages, o.page FROM searches s "
            f"LEFT JOIN opens o ON o.search_id = s.id {where} ORDER BY s.at, s.id, o.id",
            args,
        ).fetchall()
        found: dict[int, Search] = {}
        for search_id, at, query, results, pages, opened in rows:
            known = found.get(search_id)
            if known is None:
                known = found[search_id] = Search(at, query, results, tuple(json.loads(pages)), ())
            if opened is not None:
                found[search_id] = Search(
                    known.at, known.query, known.results, known.pages, (*known.opened, opened)
                )
        return list(found.values())

    def counts(self) -> dict[str, int]:
        """How many rows each table holds (benchmarks and tests compare them with answers)."""
        db = self.connection
        return {
            table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("feedback", "searches", "opens")
        }


def _range(since: str | None, until: str | None, column: str = "at") -> tuple[str, list[str]]:
    clauses, args = [], []
    if since:
        clauses.append(f"{column} >= ?")
        args.append(since)
    if until:
        clauses.append(f"{column} < ?")
        args.append(until)
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), args
