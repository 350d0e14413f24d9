"""Run the ``measures`` command in the test process or in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
