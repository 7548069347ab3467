"""Addresses for `kb serve`: a clear usage error for anything malformed, never a traceback,
and a port is used as given (never replaced by another when out of range or taken)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import run_kb, write_project

KB = Path(sys.executable).with_name("kb")

BAD_ADDRESSES = [
    ("127.0.0.1:http", "has no port number"),
    ("127.0.0.1:", "has no port number"),
    ("localhost", "has no port number"),
    (":99999", "port 99999 is out of range; use a port from 1 to 65535"),
    ("127.0.0.1:65536", "port 65536 is out of range"),
    ("127.0.0.1:0", "port 0 is out of range"),
    ("127.0.0.1:-80", "has no port number"),
    ("127.0.0.1:８０００", "has no port number"),  # full-width digits: isdigit() but not a port
    ("[::1]:x", "has no port number"),
    ("my host:8000", "'my host' is not an IP address or host name"),
]


@pytest.mark.parametrize("api", [True, False], ids=["api", "preview"])
@pytest.mark.parametrize("address, message", BAD_ADDRESSES)
def test_malformed_addresses_are_usage_errors(tmp_path, address, message, api):
    cfg = write_project(tmp_path, {"index.md": "# Home\n"})
    args = ["serve", "-f", str(cfg), "-a", address] + (["--api"] if api else [])
    result = run_kb(*args, cwd=tmp_path)
    assert result.exit_code == 2, result
    assert result.exception is None, result
    assert "Invalid value for '-a' / '--dev-addr'" in result.output
    assert message in result.output


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def built(tmp_path):
    cfg = write_project(tmp_path, {"index.md": "# Home\n", "b.md": "# B\n\nHello there.\n"})
    result = run_kb("build", "-f", str(cfg), cwd=tmp_path)
    assert result.exit_code == 0, result
    return cfg


def start(cfg: Path, address: str) -> subprocess.Popen:
    return subprocess.Popen(
        [str(KB), "serve", "--api", "-f", str(cfg), "-a", address],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cfg.parent,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def test_the_server_listens_exactly_where_told(built):
    port = free_port()
    process = start(built, f"127.0.0.1:{port}")
    try:
        line = process.stdout.readline()
        assert re.search(rf"http://127\.0\.0\.1:{port}/", line), line + process.stderr.read()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/b/", timeout=30) as response:
            assert response.status == 200
            assert "Hello there." in response.read().decode()
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_port_in_use_is_an_error_not_another_port(built):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = start(built, f"127.0.0.1:{port}")
        try:
            out, err = process.communicate(timeout=60)
        finally:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=10)
    assert process.returncode == 1, out + err
    assert f"Cannot listen on 127.0.0.1:{port}" in err
    assert "Traceback" not in err and "Serving" not in out
