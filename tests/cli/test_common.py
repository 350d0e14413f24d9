"""The commands share one set of exit codes and take shared helpers only from cli/common.py."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from framework.cli import common

CLI = Path(common.__file__).parent
MODULES = sorted(CLI.glob("*.py"))


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def test_the_exit_codes_are_0_1_and_2() -> None:
    assert (common.EXIT_CLEAN, common.EXIT_FINDINGS, common.EXIT_USAGE) == (0, 1, 2)


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.stem)
def test_exit_codes_are_defined_once(path: Path) -> None:
    defined = [
        target.id
        for node in ast.walk(_tree(path))
        if isinstance(node, ast.Assign | ast.AnnAssign)
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name) and target.id.startswith("EXIT_")
    ]
    once = ["EXIT_CLEAN", "EXIT_FINDINGS", "EXIT_USAGE"]
    assert defined == (once if path.name == "common.py" else [])


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.stem)
def test_no_exit_is_a_bare_number(path: Path) -> None:
    bare = [
        node.lineno
        for node in ast.walk(_tree(path))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in {"Exit", "exit"}
        and any(isinstance(arg, ast.Constant) and isinstance(arg.value, int) for arg in node.args)
    ]
    assert bare == []


@pytest.mark.parametrize(
    "path", [p for p in MODULES if p.name not in {"app.py", "common.py"}], ids=lambda p: p.stem
)
def test_a_command_imports_no_other_command(path: Path) -> None:
    imported = {
        node.module
        for node in ast.walk(_tree(path))
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("framework.cli.")
    }
    # report_all is the --all-forces half of the report command, not a command of its own.
    allowed = {"framework.cli.common", "framework.cli.report_all"}
    assert imported <= allowed
