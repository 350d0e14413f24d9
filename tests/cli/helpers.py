"""Run the ``measures`` command in the test process or in a fresh interpreter."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from typer.testing import CliRunner, Result

REPO = Path(__file__).parents[2]
FIXTURES = REPO / "tests" / "fixtures"
CATALOGUE_OK = FIXTURES / "catalogue_ok"
CATALOGUE_BAD = FIXTURES / "catalogue_bad"
ENTRY = "from framework.cli.app import main; main()"
"""What the ``measures`` script runs; used so the tests work without installing the package."""


def invoke(*args: str) -> Result:
    """Run the command in this process and return its exit code and output."""
    from framework.cli.app import app

    return CliRunner().invoke(app, list(args))


def run_measures(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """Run the command in a new interpreter, as a shell or a CI job would."""
    return subprocess.run(
        [sys.executable, "-c", ENTRY, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def copy_measures(destination: Path, ignore: Callable[..., Any] | None = None) -> Path:
    """Copy the repository's ``measures/`` so a test can break it; return the copy's root.

    The demo's root file builds on the installed national catalogue; the copy's is pointed at
    the copied national folder, so that edits there are the ones the commands see.
    """
    root = destination / "measures"
    shutil.copytree(REPO / "measures", root, ignore=ignore)
    root_file = root / "warwickshire" / "catalogue.yaml"
    text = root_file.read_text(encoding="utf-8")
    root_file.write_text(text.replace("extends: national", "extends: ../national"), "utf-8")
    return root
