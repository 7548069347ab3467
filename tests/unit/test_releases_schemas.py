"""The committed JSON Schemas are exactly what the models produce."""

from __future__ import annotations

import json

from kb_builder.families.schemas import SCHEMAS, schema, schema_text, write_schemas
from tests.conftest import ROOT


def test_committed_schemas_match_the_models():
    for name in SCHEMAS:
        path = ROOT / "schemas" / f"{name}.schema.json"
        assert path.read_text(encoding="utf-8") == schema_text(name), (
            f"{path.name} is out of date: run "
            ".venv/bin/python -m kb_builder.families.schemas schemas"
        )


def test_write_schemas(tmp_path):
    written = write_schemas(tmp_path / "out")
    assert [p.name for p in written] == [
        "change.schema.json",
        "glossary.schema.json",
        "release.schema.json",
        "support.schema.json",
        "training.schema.json",
    ]
    for path in written:
        assert json.loads(path.read_text(encoding="utf-8"))["$schema"].endswith("2020-12/schema")


def test_schemas_describe_what_writers_write():
    change = schema("change")
    assert change["required"] == ["title", "kind"]
    assert change["additionalProperties"] is False
    assert change["properties"]["kind"]["enum"][:3] == ["feature", "improvement", "fix"]
    release = schema("release")
    assert set(release["properties"]) == {
        "version",
        "status",
        "date",
        "rollout",
        "waves",
        "summary",
        "title",
    }
    # An unquoted version is a number to YAML; the editor must not flag it.
    version_types = [t["type"] for t in release["properties"]["version"]["anyOf"]]
    assert version_types == ["string", "number"]
