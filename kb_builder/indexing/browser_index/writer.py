"""Writes the browser index into the site as script files that register themselves.

Every part is a ``.js`` file of one statement, ``kbSearchChunk("<name>", <JSON>);``. Loaded by
a ``<script>`` element, it works over http and from ``file://`` alike (a file:// page may not
fetch or XHR other files, but it may run scripts beside it). Output is deterministic: the same
records give byte-identical files (sorted keys, no timestamps).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

#: The global the engine defines before loading a part.
CALLBACK = "kbSearchChunk"


def script(name: str, data: object) -> str:
    """The text of the part `name` holding `data`."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return f"{CALLBACK}({json.dumps(name)},{payload});\n"


class Writer:
    """Writes parts under one folder, emptied first (a stale shard must never be served)."""

    def __init__(self, root: Path):
        self.root = root
        if root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True)
        self.files: list[Path] = []

    def write(self, name: str, data: object) -> Path:
        """Write the part `name` (a relative path without ``.js``)."""
        path = self.root / f"{name}.js"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(script(name, data), encoding="utf-8")
        self.files.append(path)
        return path
