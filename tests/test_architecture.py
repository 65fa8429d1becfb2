"""The import rules of docs/architecture.md, checked on the source: a package imports only packages below
it, the same-level pairs that must stay apart stay apart, and no two modules import each other (directly
or through a ring). Function-level imports count the same as top-level ones."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import splitscope

SRC = Path(splitscope.__file__).parent

# Lower number = lower layer. A module may import its own package and packages of a lower layer.
LAYERS: dict[str, int] = {
    "errors": 0,
    "config": 1,
    "selection": 1,
    "store": 2,
    "orgs": 2,
    "sources": 3,
    "engines": 3,
    "resolve": 3,
    "audit": 3,
    "analysis": 4,
    "pipeline": 5,
    "report": 6,
    "api": 7,
    "cli": 8,
}
# Same-layer imports that are allowed (importer, imported): the flatten engines run the plans that
# sources/openalex declares. Every other same-layer import is forbidden.
SAME_LAYER_ALLOWED = {("engines", "sources")}
# Packages a higher layer must still not read: analysis and report work on the store's tables, never on
# how a source parsed or the resolver decided; the audit shares only the organisation registry.
NEVER: set[tuple[str, str]] = {
    ("analysis", "sources"),
    ("analysis", "resolve"),
    ("analysis", "engines"),
    ("report", "sources"),
    ("report", "resolve"),
    ("report", "engines"),
    ("report", "pipeline"),
}


def package_of(module: str) -> str:
    """'splitscope.sources.openalex.api' -> 'sources'; 'splitscope.cli' -> 'cli'."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    own = module_name(path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("splitscope"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = own.split(".")
                if path.name != "__init__.py":
                    base = base[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.startswith("splitscope"):
                found.add(target)
                # `from splitscope.x import y` may name the module x.y
                found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for p in SRC.rglob("*.py")}


def edges() -> dict[str, set[str]]:
    modules = all_modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        graph[name] = {target for target in imports_of(path) if target in modules and target != name}
    return graph


def rule_breaks() -> list[str]:
    problems = []
    for importer, targets in sorted(edges().items()):
        low = package_of(importer)
        for target in sorted(targets):
            high = package_of(target)
            if not low or not high or low == high:
                continue
            if low not in LAYERS or high not in LAYERS:
                problems.append(f"{importer} -> {target}: package not in docs/architecture.md's layers")
            elif (low, high) in NEVER:
                problems.append(f"{importer} -> {target}: {low} never imports {high}")
            elif LAYERS[high] > LAYERS[low]:
                problems.append(f"{importer} -> {target}: upward ({low} is below {high})")
            elif LAYERS[high] == LAYERS[low] and (low, high) not in SAME_LAYER_ALLOWED:
                problems.append(f"{importer} -> {target}: {low} and {high} are on one layer and stay apart")
    return problems


def cycles() -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    graph = edges()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_a_package_above_it():
    assert rule_breaks() == []


def test_no_import_cycles():
    assert cycles() == []


def test_the_rules_catch_an_upward_import_and_a_cycle(tmp_path, monkeypatch):
    """The checker itself: a store module importing the report, and a two-module ring, are found."""
    pkg = tmp_path / "splitscope"
    (pkg / "store").mkdir(parents=True)
    (pkg / "report").mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "store" / "__init__.py").write_text("")
    (pkg / "report" / "__init__.py").write_text("")
    (pkg / "store" / "db.py").write_text("from splitscope.report import render\n")
    (pkg / "report" / "render.py").write_text("import splitscope.store.db\n")
    monkeypatch.setattr(__import__(__name__), "SRC", pkg)
    assert any("upward" in p for p in rule_breaks())
    assert cycles() == [["splitscope.report.render", "splitscope.store.db"]]


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: str(p.relative_to(SRC)))
def test_modules_stay_under_400_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 400
