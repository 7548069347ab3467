"""JSON Schemas for writers' editors, generated from the same pydantic models that validate.

Each registered family (`families.registry`) declares its models under the name its schema file gets
(``schemas/<name>.schema.json``). Data files point at their schema with a modeline::

    # yaml-language-server: $schema=../../../schemas/change.schema.json

so that editors using the YAML language server (VS Code's YAML extension, Neovim, ...) offer
completion and flag mistakes as the writer types. The files are committed, and a test checks
that they are what the models produce: regenerate them with `write_schemas` after changing a
model.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from kb_builder.families.registry import FAMILIES

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

# name -> model: one schema file per kind of data file, as each registered family declares.
SCHEMAS: dict[str, type[BaseModel]] = {
    name: model for family in FAMILIES for name, model in family.schemas.items()
}


def schema(name: str) -> dict[str, Any]:
    """The JSON Schema of the data files registered as `name` (e.g. "change")."""
    model = SCHEMAS[name]
    generated = model.model_json_schema(mode="validation")
    return {"$schema": JSON_SCHEMA_DIALECT, **generated}


def schema_text(name: str) -> str:
    """`schema(name)` as the text of its file (stable: same models, same bytes)."""
    return json.dumps(schema(name), indent=2, ensure_ascii=False) + "\n"


def write_schemas(out_dir: Path) -> list[Path]:
    """Write every registered schema to ``out_dir/<name>.schema.json``.

    Args:
        out_dir: the folder for the schema files (created if missing).

    Returns:
        The files written, by name.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in sorted(SCHEMAS):
        path = out_dir / f"{name}.schema.json"
        path.write_text(schema_text(name), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover - `python -m kb_builder.families.schemas [out_dir]`
    import sys

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("schemas")
    for path in write_schemas(target):
        print(path)
