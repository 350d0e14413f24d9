"""A small run of the sql benchmark, so the script keeps working."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parents[2] / "bench" / "sql_bench.py"


def test_a_small_run_agrees(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("sql_bench", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["sql_bench"] = module
    spec.loader.exec_module(module)
    code = module.main(["--rows", "20000", "--repeat", "1"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "20,000 rows received" in out
    assert "ratio (pandas / database)" in out
    assert out.rstrip().endswith("counts agree")
