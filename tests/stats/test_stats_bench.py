"""The statistics benchmark runs at a tiny size and finds the fast answers equal to the old."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "stats_bench.py"


def test_stats_bench_runs_and_agrees(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("stats_bench", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["stats_bench"] = module
    spec.loader.exec_module(module)
    assert module.main(["--cases", "40", "--seed", "3"]) == 0
    output = capsys.readouterr().out
    assert "compare_counts" in output and "DIFFERS" not in output
