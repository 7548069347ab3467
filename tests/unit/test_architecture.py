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


# --- Layers (docs/architecture.md, "Boundaries") ------------------------------------------------

# Each layer may import itself and the layers listed; nothing imports upwards. `search` imports
# nothing of kb_builder (above); cli and plugins are the two entry points on top.
LAYERS: dict[str, set[str]] = {
    "core": set(),
    "pages": {"core"},
    "families": {"core", "pages"},
    # What clients answer and search (kb serve --api records it, kb report reads it).
    "insights": {"core", "families", "search"},
    "indexing": {"core", "pages", "families", "insights", "search"},
    "checking": {"core", "pages", "families", "indexing"},
    "build": {"core", "pages", "families", "indexing", "checking", "search"},
    "plugins": {"core", "pages", "families", "indexing", "checking", "build", "search"},
    # The engines' switch: the one place that knows which engine runs (docs/engines.md).
    "engines": {"core", "plugins"},
    "cli": {
        "core",
        "pages",
        "families",
        "indexing",
        "insights",
        "checking",
        "plugins",
        "engines",
        "search",
    },
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted((ROOT / "kb_builder").rglob("*.py")) + SEARCH}


def _imports(name: str) -> set[str]:
    """The project modules `name` imports, at any depth of its code (function-level too)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            # `from package import module` is an import of the module (the package's
            # __init__ re-exporting its own modules is no cycle); of a name, of its module.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                for alias in node.names
            ]
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def _layer(name: str) -> str:
    parts = name.split(".")
    return parts[1] if parts[0] == "kb_builder" and len(parts) > 2 else parts[0]


@pytest.mark.parametrize("name", [n for n in MODULES if _layer(n) in LAYERS], ids=lambda n: n)
def test_modules_import_only_the_layers_below(name):
    layer = _layer(name)
    wrong = {
        other
        for other in _imports(name)
        if _layer(other) != layer and _layer(other) not in LAYERS[layer] | {"kb_builder"}
    }
    assert not wrong, f"{name} ({layer}) imports {sorted(wrong)}: see LAYERS"


def test_every_package_of_kb_builder_has_a_layer():
    packages = {p.name for p in (ROOT / "kb_builder").iterdir() if (p / "__init__.py").is_file()}
    assert packages == set(LAYERS)


def test_no_import_cycles():
    """No module imports itself through others, not even lazily inside a function."""
    graph = {name: _imports(name) for name in MODULES}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for name in graph:
        if name not in index:
            visit(name)
    assert not cycles


def _constants(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value


def test_the_data_folder_is_named_once():
    named = [p for p in CORE if "_data" in set(_constants(p))]
    assert [p.relative_to(ROOT).as_posix() for p in named] == ["kb_builder/core/project.py"]


def test_the_editions_are_defined_once():
    from kb_builder.core.editions import EDITIONS
    from search.documents import AUDIENCES

    defining = [
        p.relative_to(ROOT).as_posix()
        for p in CORE + SEARCH
        if 'Literal["public", "internal"]' in p.read_text(encoding="utf-8")
    ]
    assert defining == ["kb_builder/core/editions.py"]
    # search/ keeps its own tuple (it imports nothing of kb_builder): the same words.
    assert tuple(AUDIENCES) == EDITIONS


def test_the_plugin_holds_only_events():
    """plugins/kb.py: MkDocs' events calling the build, nothing that decides on its own."""
    path = ROOT / "kb_builder" / "plugins" / "kb.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    plugin = next(n for n in tree.body if isinstance(n, ast.ClassDef))
    methods = [n.name for n in plugin.body if isinstance(n, ast.FunctionDef)]
    # Called by plugins/engine.py around the build (each one line into kb_builder.build).
    helpers = {
        "__init__",
        "refused",
        "commit_related",
        "release_rendering",
        "write_browser_index",
        "write_search_index",
    }
    assert [m for m in methods if not m.startswith("on_") and m not in helpers] == []
    assert len(path.read_text(encoding="utf-8").splitlines()) < 300


def test_every_family_folder_is_registered():
    from kb_builder.families.registry import FAMILIES, REGISTERED

    folders = {p.parent.name for p in (ROOT / "kb_builder" / "families").glob("*/family.py")}
    assert {spec.split(".")[2] for spec in REGISTERED} == folders
    assert len({f.name for f in FAMILIES}) == len(FAMILIES)
