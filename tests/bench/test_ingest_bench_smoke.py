"""A small run of the ingest benchmark and its generator, so both keep working."""

from __future__ import annotations

import csv
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from framework.sources.area_list import default_registry

pytestmark = pytest.mark.slow

REPO = Path(__file__).parents[2]
CATALOGUE = REPO / "measures"
HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
    "LSOA name,Crime type,Last outcome category,Context"
)


def load(name: str) -> ModuleType:
    """Import a bench script by path (bench/ is not a package); it puts the repo on sys.path."""
    spec = importlib.util.spec_from_file_location(name, REPO / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two months of national files at a small scale."""
    out = tmp_path_factory.mktemp("street")
    done = load("generate_police_uk").generate(out, records_per_year=40_000, only_months=2)
    assert done.files == 2 * 43 and done.rows > 0
    return out


def test_the_files_are_laid_out_and_shaped_as_police_uk(generated: Path) -> None:
    files = sorted(generated.rglob("*.csv"))
    assert {path.parent.name for path in files} == {"2019-01", "2019-02"}
    assert all(re.fullmatch(r"2019-0[12]-[a-z-]+-street\.csv", path.name) for path in files)
    assert (generated / "2019-01" / "2019-01-metropolitan-street.csv").exists()
    areas = default_registry(CATALOGUE)
    forces = set()
    for path in files:
        lines = path.read_text().splitlines()
        assert lines[0] == HEADER  # unquoted, as police.uk writes it
        rows = list(csv.reader(lines[1:]))
        assert all(len(row) == 12 for row in rows)
        for crime_id, month, reported, falls, *_, crime_type, outcome, context in rows:
            assert month == path.parent.name and reported == falls and context == ""
            if crime_type == "Anti-social behaviour":
                assert crime_id == "" and outcome == ""
            else:
                assert re.fullmatch(r"[0-9a-f]{64}", crime_id) and outcome
        area = areas.resolve(rows[0][3])
        assert area is not None and area.is_force
        forces.add(area.code)
    assert len(forces) == 43


def test_the_generator_is_seeded(tmp_path: Path, generated: Path) -> None:
    load("generate_police_uk").generate(tmp_path, records_per_year=40_000, only_months=1)
    name = Path("2019-01") / "2019-01-warwickshire-street.csv"
    assert (tmp_path / name).read_bytes() == (generated / name).read_bytes()


def test_a_small_run_agrees_with_the_baselines(
    generated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bench = load("ingest_bench")
    argv = ["--data", str(generated), "--repeat", "1", "--no-targets", "--no-records"]
    code = bench.main(argv)
    out = capsys.readouterr().out
    assert code == 0, out
    for text in ("ours cold", "ours warm", "floor", "pandas", "sha-256", "first 1 months"):
        assert text in out
    assert "agree with the pandas script" in out and "disagree" not in out
    assert generated.exists()  # a folder given is kept


def test_the_counts_are_the_pandas_scripts(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEASURES_CACHE_DIR", str(tmp_path / "cache"))
    bench = load("ingest_bench")
    counts, rows = bench.ours(generated, aggregate=True)
    assert counts == bench.pandas_counts(bench.plain_pandas(generated))
    assert rows == bench.floor(generated)
    assert bench.ours(generated, aggregate=False) == (counts, rows)
