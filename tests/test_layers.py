"""The packages import one way: each only from the layers below it, with no cycle between them.

The order is the one docs/index.md gives ("Layers"). Every import counts, at the top of a
module, inside a function or under ``TYPE_CHECKING``: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
import graphlib
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).parents[1]
ROOTS = ("framework", "renderers")

LAYERS: tuple[tuple[str, ...], ...] = (
    ("framework", "renderers", "framework.atomic", "framework.periods", "framework.findings"),
    ("framework.model", "framework.areas"),
    ("framework.loading", "framework.stats"),
    ("framework.sources", "framework.schema", "framework.commentary"),
    ("framework.validation",),
    ("framework.engine",),
    ("framework.init", "renderers.vegalite", "renderers.report"),
    ("renderers.from_results",),
    ("renderers.assemble",),
    ("framework.cli",),
)
"""Lowest first. A package may import from any lower layer, never its own or a higher one."""

PLAIN_RENDERERS = {
    "renderers.vegalite": {"framework.atomic", "framework.stats"},
    "renderers.report": {"framework.atomic"},
    "renderers.from_results": {"renderers.vegalite"},
}
"""Renderers that take plain data: they know nothing of YAML, sources or the engine."""

RANK = {package: rank for rank, layer in enumerate(LAYERS) for package in layer}


@dataclass(frozen=True)
class Edge:
    """One import of one package by a module of another."""

    source: str
    target: str
    where: str

    def __str__(self) -> str:
        return f"{self.where}: {self.source} imports {self.target}"


def module_name(path: Path, base: Path) -> str:
    """Return the dotted module name of a file under ``base``."""
    parts = list(path.relative_to(base).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_of(module: str, base: Path) -> str:
    """Return the package a module belongs to: ``framework.loading`` for its modules."""
    parts = module.split(".")
    if len(parts) == 1:
        return module
    if (base / parts[0] / parts[1]).is_dir() or (base / parts[0] / f"{parts[1]}.py").is_file():
        return ".".join(parts[:2])
    return parts[0]  # a name of the root package itself, e.g. ``from framework import __version__``


def imported(tree: ast.AST, module: str, is_package: bool) -> list[tuple[str, int]]:
    """Return each module ``tree`` imports (with ``from X import name``, also ``X.name``)."""
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = module.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                target = ".".join([*anchor, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            found.append((target, node.lineno))
            found.extend((f"{target}.{alias.name}", node.lineno) for alias in node.names)
    return found


def package_edges(base: Path, roots: tuple[str, ...] = ROOTS) -> list[Edge]:
    """Return every import of one package by another among the packages under ``base``."""
    edges: list[Edge] = []
    for root in roots:
        for path in sorted((base / root).rglob("*.py")):
            module = module_name(path, base)
            source = package_of(module, base)
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            for target_module, line in imported(tree, module, path.name == "__init__.py"):
                if target_module.split(".")[0] not in roots:
                    continue
                target = package_of(target_module, base)
                if target != source:
                    where = f"{path.relative_to(base).as_posix()}:{line}"
                    edges.append(Edge(source, target, where))
    return edges


def upward(edges: list[Edge]) -> list[str]:
    """Return the edges that import a package of the same or a higher layer, or an unknown one."""
    wrong = []
    for edge in edges:
        if edge.source not in RANK or edge.target not in RANK:
            wrong.append(f"{edge} (a package missing from LAYERS)")
        elif RANK[edge.target] >= RANK[edge.source]:
            wrong.append(str(edge))
    return sorted(set(wrong))


def cycles(edges: list[Edge]) -> list[str]:
    """Return a cycle between packages, if the import graph has one."""
    graph: dict[str, set[str]] = {}
    for edge in edges:
        graph.setdefault(edge.source, set()).add(edge.target)
    try:
        tuple(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as error:
        return list(error.args[1])
    return []


def test_every_package_has_a_layer() -> None:
    packages = {
        package_of(module_name(path, REPO), REPO)
        for root in ROOTS
        for path in (REPO / root).rglob("*.py")
    }
    assert sorted(packages - set(RANK)) == []
    assert sorted(set(RANK) - packages) == []


def test_no_package_imports_upward() -> None:
    assert upward(package_edges(REPO)) == []


def test_there_is_no_cycle_between_packages() -> None:
    assert cycles(package_edges(REPO)) == []


@pytest.mark.parametrize("package", sorted(PLAIN_RENDERERS))
def test_plain_renderers_import_only_plain_parts(package: str) -> None:
    targets = {edge.target for edge in package_edges(REPO) if edge.source == package}
    assert targets <= PLAIN_RENDERERS[package]


def test_the_layers_are_the_documented_ones() -> None:
    text = (REPO / "docs" / "index.md").read_text(encoding="utf-8")
    section = text.split("## Layers", 1)[1].split("\n## ", 1)[0]
    listed = [
        tuple(sorted(part.strip(" `") for part in line.split(". ", 1)[1].split(":")[0].split(",")))
        for line in section.splitlines()
        if line[:1].isdigit()
    ]
    assert listed == [tuple(sorted(layer)) for layer in LAYERS]


def _write(base: Path, relative: str, text: str) -> None:
    path = base / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_an_upward_import_and_a_cycle_are_caught(tmp_path: Path) -> None:
    _write(tmp_path, "framework/__init__.py", "")
    _write(tmp_path, "framework/loading/__init__.py", "")
    _write(tmp_path, "framework/validation/__init__.py", "")
    _write(tmp_path, "framework/loading/catalogue.py", "from framework.validation import rules\n")
    _write(
        tmp_path,
        "framework/validation/rules.py",
        "def check():\n    from framework.loading.catalogue import Catalogue\n",
    )
    edges = package_edges(tmp_path, ("framework",))
    assert upward(edges) == [
        "framework/loading/catalogue.py:1: framework.loading imports framework.validation"
    ]
    assert sorted(set(cycles(edges))) == ["framework.loading", "framework.validation"]


def test_relative_and_root_imports_are_resolved(tmp_path: Path) -> None:
    _write(tmp_path, "framework/__init__.py", "__version__ = '1'\n")
    _write(tmp_path, "framework/stats/__init__.py", "from .xmr import limits\n")
    _write(tmp_path, "framework/stats/xmr.py", "from framework import __version__, model\n")
    _write(tmp_path, "framework/model/__init__.py", "")
    edges = package_edges(tmp_path, ("framework",))
    assert sorted({(edge.source, edge.target) for edge in edges}) == [
        ("framework.stats", "framework"),
        ("framework.stats", "framework.model"),
    ]
