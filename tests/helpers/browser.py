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
def serve_directory(
    root: Path, handler_class: type[http.server.SimpleHTTPRequestHandler] = _QuietHandler
) -> Iterator[str]:
    """Serve `root` on 127.0.0.1 (a free port) for the duration of the block; yield its URL.

    Args:
        root: the folder served.
        handler_class: the request handler (a subclass may answer some paths itself).
    """
    handler = functools.partial(handler_class, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# Motion off: axe computes colour contrast from the styles of the moment, so a check made while
# Material fades the search results in (opacity, colour transitions) sees half-transparent text
# and reports it as low contrast. Under load the fade is still running when axe looks.
NO_MOTION_CSS = (
    "*, *::before, *::after { transition: none !important; animation: none !important; "
    "scroll-behavior: auto !important; caret-color: transparent !important; }"
)

# True once, for three animation frames in a row, nothing moves (no running CSS transition or
# animation) and nothing in the document changes (no mutation): an observable settled state,
# not a guess at how long it takes.
_SETTLED = """() => {
  const s = window.__kbSettle || (window.__kbSettle = (() => {
    const state = {quiet: 0, changed: true};
    new MutationObserver(() => { state.changed = true; }).observe(document, {
      subtree: true, childList: true, attributes: true, characterData: true});
    return state;
  })());
  const moving = document.getAnimations().some(
    a => a.playState === 'running' || a.pending);
  if (moving || s.changed || document.fonts.status !== 'loaded') {
    s.quiet = 0; s.changed = false; return false;
  }
  s.quiet += 1;
  return s.quiet >= 3;
}"""


def settle(page, timeout: float = 15_000) -> None:
    """Wait until `page` is still: motion switched off, no animation running, no DOM change.

    Call it before every check that reads computed styles (axe-core): the result is then the
    same on an idle machine and on a busy one.
    """
    page.emulate_media(reduced_motion="reduce")
    page.add_style_tag(content=NO_MOTION_CSS)
    page.evaluate("() => { delete window.__kbSettle; }")
    page.wait_for_function(_SETTLED, polling="raf", timeout=timeout)


BLOCKING_IMPACTS = {"serious", "critical"}


def axe_violations(axe, page) -> list[str]:
    """Serious and critical axe-core violations on `page`, checked once it has settled."""
    settle(page)
    found = []
    for violation in axe.run(page).response["violations"]:
        if violation["impact"] in BLOCKING_IMPACTS:
            targets = [node["target"] for node in violation["nodes"]][:3]
            found.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']} {targets}"
            )
    return found
