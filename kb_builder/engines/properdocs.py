"""ProperDocs (the maintained MkDocs 1.x fork): the same build, the kb plugin unchanged.

ProperDocs serves every ``mkdocs.*`` import from its own modules (`properdocs.replacement`),
and it reads the ``mkdocs.plugins`` and ``mkdocs.themes`` entry points, so the kb plugin and
Material run in it as they are. That redirection only works in a process that has not
imported MkDocs yet, and `kb` may have (tests run many builds in one process): the build runs
in a child Python process, which installs the redirection first and then runs exactly
`kb_builder.plugins.engine.build_edition`, the atomic build with its search index. The child's
log lines are passed on as they come; its result (or its failure's message) comes back in a
small JSON file.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path


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

    try:
        import properdocs  # noqa: F401  (only to say it is missing, in the writer's words)
    except ImportError:
        raise engine.BuildFailed(
            "the ProperDocs engine is not installed; install it with: pip install 'kb-builder[engines]'"
        ) from None
    request = {
        "config_file": str(config_file),
        "site_dir": str(site_dir) if site_dir is not None else None,
        "strict": strict,
        "edition": edition,
        "offline": offline,
        # The parent's console settings (kb build -q / -v), applied again in the child.
        "level": logging.getLogger("mkdocs").getEffectiveLevel(),
    }
    with tempfile.TemporaryDirectory(prefix="kb-properdocs-") as work:
        answer = Path(work) / "result.json"
        request["answer"] = str(answer)
        child = subprocess.Popen(
            [sys.executable, "-m", "kb_builder.engines.properdocs", json.dumps(request)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        assert child.stdout is not None
        for line in child.stdout:  # as it comes: a long build shows its progress
            sys.stderr.write(line)
        code = child.wait()
        result = json.loads(answer.read_text(encoding="utf-8")) if answer.is_file() else None
    if result is None:
        raise engine.BuildFailed(
            f"ProperDocs stopped without finishing the build (exit status {code}); "
            "its output is above"
        )
    if "failed" in result:
        raise engine.BuildFailed(result["failed"])
    return engine.Built(Path(result["site_dir"]), result["edition"], result["offline"])


def _child(request: dict) -> int:
    """The build inside the child process (``python -m kb_builder.engines.properdocs``)."""
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
