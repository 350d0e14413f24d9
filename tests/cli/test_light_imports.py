"""The definition-language commands stay fast: none of them imports pandas or altair."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.cli.helpers import CATALOGUE_OK, REPO

HEAVY = ("pandas", "altair", "pyarrow", "openpyxl", "vl_convert", "ibis", "duckdb")

SCRIPT = f"""
import json, sys
from typer.testing import CliRunner
from framework.cli.app import app
result = CliRunner().invoke(app, sys.argv[1:])
print(json.dumps({{"exit": result.exit_code,
                   "heavy": [m for m in {HEAVY!r} if m in sys.modules]}}))
"""


@pytest.mark.parametrize(
    "args",
    [
        ["validate", str(CATALOGUE_OK)],
        ["list", str(CATALOGUE_OK)],
        ["explain", "homicide", "--catalogue", str(CATALOGUE_OK)],
        ["schema", "--check"],
        ["new", "--help"],
    ],
    ids=lambda args: args[0],
)
def test_command_imports_no_heavy_module(args: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["heavy"] == [], f"{args[0]} imported {report['heavy']}"
    assert report["exit"] == 0


def test_help_imports_no_model() -> None:
    # `measures --help` lists the commands: it needs neither pydantic nor the models.
    script = (
        "import sys\nfrom framework.cli import app\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('pydantic', 'yaml', 'pandas', 'altair') or m.startswith('framework.model')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
