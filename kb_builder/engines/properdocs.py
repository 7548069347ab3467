"""ProperDocs (the maintained MkDocs 1.x fork): the same build, the kb plugin unchanged.

ProperDocs serves every ``mkdocs.*`` import from its own modules (`properdocs.replacement`),
and it reads the ``mkdocs.plugins`` and ``mkdocs.themes`` entry points, so the kb plugin and
Material run in it as they are. That redirection only works in a process that has not
imported MkDocs yet, and `kb` may have (tests run many builds in one process): the build runs
in a child Python process, which installs the redirection first and then runs exactly
`kb_builder.plugins.engine.build_edition`, the atomic build with its search index. The child's
log lines are passed on as they come; its result (or its failure's message) comes back in a
small JSON file. `kb serve --engine properdocs` runs ProperDocs' preview server the same way.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path


def _require() -> None:
    from kb_builder.plugins import engine

    if importlib.util.find_spec("properdocs") is None:
        raise engine.BuildFailed(
            "the ProperDocs engine is not installed; install it with: "
            "pip install 'kb-builder[engines]'"
        )


def _run(request: dict, *, relay: bool) -> dict | None:
    """Run `request` in the child; its answer (None: it ended without one).

    `relay`: pass the child's console lines on through this process's ``sys.stderr`` (which
    the caller may have replaced); else the child writes to the console itself (a server).
    """
    # The parent's console settings (kb build -q / -v), applied again in the child.
    request["level"] = logging.getLogger("mkdocs").getEffectiveLevel()
    with tempfile.TemporaryDirectory(prefix="kb-properdocs-") as work:
        answer = Path(work) / "result.json"
        request["answer"] = str(answer)
        command = [sys.executable, "-m", "kb_builder.engines.properdocs", json.dumps(request)]
        if relay:
            child = subprocess.Popen(
                command,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                encoding="utf-8",
                errors="replace",
            )
            assert child.stdout is not None
            for line in child.stdout:  # as it comes: a long build shows its progress
                sys.stderr.write(line)
        else:
            child = subprocess.Popen(command)
        try:
            code = _wait(child)
        finally:
            if child.poll() is None:  # this process was stopped: the server goes with it
                child.terminate()
                child.wait(timeout=30)
        result = json.loads(answer.read_text(encoding="utf-8")) if answer.is_file() else None
    if result is None:
        from kb_builder.plugins import engine

        raise engine.BuildFailed(
            f"ProperDocs stopped without finishing (exit status {code}); its output is above"
        )
    return result


def _wait(child: subprocess.Popen) -> int:
    """The child's exit status; a SIGTERM to this process ends the wait (and the child)."""

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, stop)
    try:
        return child.wait()
    except KeyboardInterrupt:
        # Ctrl-C reached the child too (same terminal): let it stop its server cleanly.
        return child.wait()
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def build(
    config_file: str | Path,
    site_dir: str | Path | None = None,
    *,
    strict: bool = True,
    edition: str | None = None,
    offline: bool = False,
):
    """Build one edition with ProperDocs, atomically, with its search index."""
    from kb_builder.plugins import engine

    _require()
    result = _run(
        {
            "command": "build",
            "config_file": str(config_file),
            "site_dir": str(site_dir) if site_dir is not None else None,
            "strict": strict,
            "edition": edition,
            "offline": offline,
        },
        relay=True,
    )
    if "failed" in result:
        raise engine.BuildFailed(result["failed"])
    return engine.Built(Path(result["site_dir"]), result["edition"], result["offline"])


def serve(
    config_file: str | Path,
    dev_addr: str,
    *,
    livereload: bool = True,
    edition: str | None = None,
) -> None:
    """Preview one edition with ProperDocs' server, rebuilding when content changes."""
    from kb_builder.plugins import engine

    _require()
    result = _run(
        {
            "command": "serve",
            "config_file": str(config_file),
            "dev_addr": dev_addr,
            "livereload": livereload,
            "edition": edition,
        },
        relay=False,
    )
    if "failed" in result:
        raise engine.BuildFailed(result["failed"])


def _child(request: dict) -> int:
    """The work inside the child process (``python -m kb_builder.engines.properdocs``)."""
    import properdocs.replacement  # noqa: F401  (first: every later mkdocs import is ProperDocs)

    # ProperDocs logs under "properdocs"; the kb plugin and `engine` attach their handlers to
    # "mkdocs" (warnings located at the writer's line, strict mode's count, the console). One
    # logger for both names, created before anything asks for "mkdocs".
    logging.Logger.manager.loggerDict["mkdocs"] = logging.getLogger("properdocs")
    from kb_builder.plugins import engine

    engine.configure_logging()
    logging.getLogger("mkdocs").setLevel(request["level"])
    answer = Path(request["answer"])
    try:
        if request["command"] == "serve":
            with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C ends a preview
                engine.serve(
                    request["config_file"],
                    request["dev_addr"],
                    livereload=request["livereload"],
                    edition=request["edition"],
                )
            answer.write_text(json.dumps({}), encoding="utf-8")
            return 0
        built = engine.build_edition(
            request["config_file"],
            request["site_dir"],
            strict=request["strict"],
            edition=request["edition"],
            offline=request["offline"],
        )
    except engine.BuildFailed as e:
        answer.write_text(json.dumps({"failed": str(e)}), encoding="utf-8")
        return 1
    answer.write_text(
        json.dumps(
            {"site_dir": str(built.site_dir), "edition": built.edition, "offline": built.offline}
        ),
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")
    sys.exit(_child(json.loads(sys.argv[1])))
