"""A small run of the evaluation benchmark, so the script keeps working."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).parents[2]
SCRIPT = REPO / "bench" / "evaluate_bench.py"


def load_bench() -> ModuleType:
    """Import the script by path (bench/ is not a package); it puts the repo on sys.path."""
    spec = importlib.util.spec_from_file_location("evaluate_bench", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["evaluate_bench"] = module
    spec.loader.exec_module(module)
    return module


def test_a_small_run_agrees_with_pandas(capsys: pytest.CaptureFixture[str]) -> None:
    bench = load_bench()
    code = bench.main(["--repeat", "1", "--no-target"])
    out = capsys.readouterr().out
    assert code == 0, out
    for text in ("engine, sources loaded", "including the load", "pandas script", "ratio"):
        assert text in out
    assert "43 forces x" in out and out.rstrip().endswith("agree")
    assert "Whole catalogue: " in out and "measures, 43 forces, sources loaded" in out
    # Wall and CPU time for both, both ratios, and what each ran on.
    assert "ratio, wall" in out and "ratio, CPU" in out
    assert "the script runs on one core" in out and "1 process" in out
    engine_line = next(line for line in out.splitlines() if "engine (measures run" in line)
    assert len(re.findall(r"\d+\.\d{3} s", engine_line)) == 2


def test_the_catalogue_can_be_timed_on_one_process(capsys: pytest.CaptureFixture[str]) -> None:
    bench = load_bench()
    catalogue = bench.load_catalogue(bench.CATALOGUE)
    engine = bench.Engine(catalogue)
    assert bench.whole_catalogue(catalogue, engine, 1, True, workers=1) == []
    out = capsys.readouterr().out
    assert "1 process(es)" in out and "figures, baselines, rates and comparators: agree" in out


def test_a_wrong_figure_is_caught() -> None:
    bench = load_bench()
    catalogue = bench.load_catalogue(bench.CATALOGUE)
    measures = bench.home_office_measures(catalogue)
    assert {m.model.id for m in measures} >= {"homicide", "serious_violence"}
    engine = bench.Engine(catalogue)
    run = bench.engine_run(catalogue, measures, engine)
    rolled = bench.plain_pandas(bench.read_table(catalogue), measures)
    assert bench.compare(engine, run, rolled) == []
    rolled["homicide"].iloc[-1, 0] += 1
    assert bench.compare(engine, run, rolled) == [
        "homicide: 1 rolling counts differ from the pandas script"
    ]


def test_a_wrong_catalogue_figure_is_caught() -> None:
    bench = load_bench()
    catalogue = bench.load_catalogue(bench.CATALOGUE)
    measures = [m for m in bench.catalogue_measures(catalogue) if m.model.id == "knife_crime"]
    engine = bench.Engine(catalogue)
    located = catalogue.force(bench.FORCE)
    assert located is not None
    run = engine.run(located.model, measures, all_forces=True)
    frames = {"ons_pfa_p4_knife": engine.source("ons_pfa_p4_knife", located.model).frame}
    groups = engine.groups(located.model)
    areas = bench.Areas(
        [a.code for a in engine.areas.forces()],
        engine.force_code(located.model),
        groups["region"],
        groups["msg"],
    )
    dataset = catalogue.dataset("ons_pfa_p4_knife")
    assert dataset is not None
    source = engine.source("ons_pfa_p4_knife", located.model)
    population = {
        "ons_pfa_p4_knife": engine.rate_population(dataset.model, source, located.model)[0]
    }
    plain = bench.plain_catalogue(catalogue, measures, frames, population, areas)
    assert bench.compare_catalogue(run, plain, areas) == []
    plain["knife_crime"]["baseline"].iloc[0] += 1
    assert bench.compare_catalogue(run, plain, areas) == [
        "knife_crime: 1 baseline figures differ from the pandas script"
    ]


def test_each_catalogue_run_starts_with_the_memoised_tests_empty() -> None:
    bench = load_bench()
    from framework.stats import poisson

    poisson.poisson_interval(5)
    poisson.binomial_test_p_value(3, 10, 0.5)
    assert any(
        isinstance(v, bench.functools._lru_cache_wrapper) and v.cache_info().currsize
        for v in vars(poisson).values()
    )
    assert bench.forget_caches() >= 3
    caches = [
        value
        for value in vars(poisson).values()
        if isinstance(value, bench.functools._lru_cache_wrapper)
    ]
    assert caches and all(cache.cache_info().currsize == 0 for cache in caches)
