"""Module boundaries from docs/architecture.md, enforced by reading every module's imports."""

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


CORE = sorted(p for p in (ROOT / "kb_builder").rglob("*.py") if "plugins" not in p.parts)
SEARCH = sorted((ROOT / "search").rglob("*.py"))


@pytest.mark.parametrize("path", CORE, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_core_does_not_import_mkdocs(path):
    assert not imported_roots(path) & {"mkdocs", "material"}


@pytest.mark.parametrize("path", SEARCH, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_search_imports_only_whoosh_and_the_standard_library(path):
    import sys

    allowed = set(sys.stdlib_module_names) | {"whoosh", "search", "__future__"}
    assert imported_roots(path) <= allowed
