"""A small run of the statement benchmark: two forces, one round, so the script keeps working."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).parents[2]
SCRIPT = REPO / "bench" / "report_bench.py"


@pytest.mark.slow
def test_a_small_run_builds_the_same_statement_both_ways(
    capsys: pytest.CaptureFixture[str],
) -> None:
    spec = importlib.util.spec_from_file_location("report_bench", SCRIPT)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules["report_bench"] = bench
    spec.loader.exec_module(bench)
    code = bench.main(["--forces", "2", "--repeat", "1", "--no-target"])
    out = capsys.readouterr().out
    assert code == 0, out
    for text in (
        "report, one force (cold)",
        "baseline: validated, SVG in line",
        "ratio report / baseline",
        "all forces: 2 statements + overview",
        "measures --help",
        "measures validate",
    ):
        assert text in out
