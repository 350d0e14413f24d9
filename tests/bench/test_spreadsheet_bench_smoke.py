"""A small run of the spreadsheet benchmark, so the script keeps working."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).parents[2] / "bench" / "spreadsheet_bench.py"


def load_bench() -> ModuleType:
    """Import the script by path (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location("spreadsheet_bench", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["spreadsheet_bench"] = module
    spec.loader.exec_module(module)
    return module


def test_small_run_prints_the_ratio_for_both_formats(capsys: pytest.CaptureFixture[str]) -> None:
    code = load_bench().main(["--rows", "60", "--repeat", "1"])
    out = capsys.readouterr().out
    assert code == 0, out
    lines = out.splitlines()
    assert [line.split(":")[0] for line in lines] == ["ods", "xlsx"]
    assert all("60 rows over 2 sheets" in line and "ratio" in line for line in lines)
