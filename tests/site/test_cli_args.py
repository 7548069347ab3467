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
    # Parsed once for both servers, before either resolves or binds (no gaierror, no
    # waitress ValueError): an impossible IPv4 address, two ports, a name nobody knows.
    ("127.0.0.999:8000", "'127.0.0.999' is not a valid IP address"),
    ("127.0.0.1:80:80", "has more than one port"),
    ("nosuch-host.invalid:8000", "is not an IP address or a host name this machine knows"),
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


@pytest.mark.parametrize("api", [True, False], ids=["api", "preview"])
def test_an_address_of_another_machine_is_a_clean_error(built, api):
    # 192.0.2.1 (TEST-NET-1) parses, but no interface of this machine has it: bind fails.
    process = subprocess.Popen(
        [str(KB), "serve", "-f", str(built), "-a", "192.0.2.1:8000"] + (["--api"] if api else []),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=built.parent,
    )
    try:
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=10)
    assert process.returncode == 1, out + err
    assert "annot listen on 192.0.2.1:8000" in err  # "Cannot listen", "Serve failed: cannot"
    assert "Traceback" not in err and "Serving" not in out


@pytest.mark.parametrize("day", ["0001-01-01", "1969-12-31", "2200-01-01", "9999-12-31"])
def test_as_of_is_a_date_a_help_centre_can_use(tmp_path, day):
    cfg = write_project(tmp_path, {"index.md": "# Home\n"})
    result = run_kb("check", "-f", str(cfg), "--as-of", day, cwd=tmp_path)
    assert result.exit_code == 2 and result.exception is None, result
    assert "Invalid value for '--as-of'" in result.output
    assert "use a date from 1970-01-01 to 2199-12-31" in result.output
