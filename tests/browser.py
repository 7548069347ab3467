"""A real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright, and a local server.

Playwright's own browser download does not work on these machines, so the system Chromium is
launched through `executable_path`. Without a browser the tests skip locally, but fail in CI
(CI=true), where a skipped browser test would hide a broken page.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def find_chromium() -> str | None:
    for candidate in (os.environ.get("KB_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def require_chromium() -> str:
    path = find_chromium()
    if path is None:
        message = "no Chromium found (install Debian's chromium or set KB_CHROMIUM)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}: browser tests must run in CI", pytrace=False)
        pytest.skip(message)
    return path


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


@contextmanager
def serve_directory(root: Path) -> Iterator[str]:
    """Serve `root` on 127.0.0.1 (a free port) for the duration of the block; yield its URL."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
