"""The new-force tutorial's commands run, in order, as a reader would type them."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

TUTORIAL = Path(__file__).parents[2] / "docs" / "tutorials" / "new-force.md"
SH_BLOCK = re.compile(r"^```sh\n(.*?)^```", re.MULTILINE | re.DOTALL)
INSTALL = ("python -m venv", "pip install")
"""Lines that set up the package: this environment has it already, and tests do not download."""

pytestmark = pytest.mark.slow


def tutorial_commands() -> list[str]:
    """Return every command of the tutorial's sh blocks, in order."""
    lines = [
        line.strip()
        for block in SH_BLOCK.findall(TUTORIAL.read_text(encoding="utf-8"))
        for line in block.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    return lines


def test_the_tutorial_has_the_reuse_path() -> None:
    commands = tutorial_commands()
    assert commands[:4] == [
        "python -m venv .venv && . .venv/bin/activate",
        "pip install police-measures",
        "measures init durham --force Durham",
        "cd durham",
    ]
    assert "measures validate --data --strict" in commands


def test_the_tutorial_commands_run(tmp_path: Path) -> None:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    cwd = tmp_path
    for command in tutorial_commands():
        if command.startswith(INSTALL):
            continue
        words = shlex.split(command)
        if words[0] == "cd":
            cwd = cwd / words[1]
            continue
        result = subprocess.run(
            words, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
        )
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    statement = (cwd / "report-2021-22-Q4" / "statement.md").read_text(encoding="utf-8")
    assert statement.startswith("# Durham: National Crime and Policing Measures")
    assert "Domestic burglary" in statement
    assert "No data supplied yet" in statement
