"""A small run of the validation benchmark, so the script keeps working."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).parents[2]
SCRIPT = REPO / "bench" / "validate_bench.py"
CATALOGUE_OK = REPO / "tests" / "fixtures" / "catalogue_ok"


def load_bench() -> ModuleType:
    """Import the script by path (bench/ is not a package); it puts the repo on sys.path."""
    spec = importlib.util.spec_from_file_location("validate_bench", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["validate_bench"] = module
    spec.loader.exec_module(module)
    return module


def test_generated_catalogue_is_valid(tmp_path: Path) -> None:
    bench = load_bench()
    result = bench.validate_catalogue(bench.generate_catalogue(tmp_path, 20))
    assert result.findings == ()
    assert len(result.catalogue.measures) == 20


def test_small_run_passes_and_reports(capsys: pytest.CaptureFixture[str]) -> None:
    bench = load_bench()
    code = bench.main(["--measures", "20", "--repeat", "1", "--catalogue", str(CATALOGUE_OK)])
    out = capsys.readouterr().out
    assert code == 0, out
    for text in (
        "20 measures",
        "validate_catalogue",
        "plain baseline",
        "ratio",
        "measures validate",
        "real catalogue (catalogue_ok)",
    ):
        assert text in out
