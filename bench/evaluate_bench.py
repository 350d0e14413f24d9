"""Time evaluating the Home Office measures for all 43 forces against a plain pandas script.

Runs ``Engine.run(all_forces=True)`` on every catalogue measure computed from the Home Office
table (with its comparators, baselines, SPC and significance tests), once with the sources
already loaded and once from a fresh engine (reading the table and the population), beside
a hand-written pandas script that computes the same 12-month rolling counts by force: read
the Parquet file, filter the offence subgroups, sum by force and quarter, roll four quarters.
It checks that every force's rolling count agrees with the engine's, prints the times and
ratios, and exits 1 when they disagree or the engine (including the load) takes over 2 s.

    python bench/evaluate_bench.py [--repeat 5] [--profile] [--no-target]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # run as a script from a checkout, installed or not

from framework.engine.run import Engine, RunResult  # noqa: E402
from framework.loading.catalogue import Catalogue, Located, load_catalogue  # noqa: E402
from framework.model.measure import Measure  # noqa: E402
from framework.sources.home_office import DIMENSIONS  # noqa: E402

CATALOGUE = REPO / "measures"
DATASET = "home_office_prc"
FORCE = "warwickshire"
LIMIT_S = 2.0
T = TypeVar("T")


def home_office_measures(catalogue: Catalogue) -> list[Located[Measure]]:
    """Return the catalogue's measures computed from the Home Office table."""
    return [
        located
        for located in catalogue.measures
        if located.model.source is not None and located.model.source.dataset == DATASET
    ]


def timed(action: Callable[[], T], repeat: int) -> tuple[float, T]:
    """Return the median wall time of ``repeat`` runs of ``action`` and its last result."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def engine_run(catalogue: Catalogue, measures: list[Located[Measure]], engine: Engine) -> RunResult:
    """Evaluate the measures for every force with ``engine``."""
    force = catalogue.force(FORCE)
    assert force is not None, f"the catalogue has no force {FORCE!r}"
    return engine.run(force.model, measures, all_forces=True)


def read_table(catalogue: Catalogue) -> pd.DataFrame:
    """Read the Home Office table the plain way."""
    located = catalogue.dataset(DATASET)
    assert located is not None
    return pd.read_parquet(catalogue.data_root(located) / located.model.path)


def plain_pandas(table: pd.DataFrame, measures: list[Located[Measure]]) -> dict[str, pd.DataFrame]:
    """Compute each measure's 12-month rolling count by force and quarter, by hand.

    A quarter the table does not hold (2015/16) is missing, so windows over it are too.
    """
    start = table["Financial Year"].str[:4].astype("int64")
    period = start * 12 + 3 * table["Financial Quarter"] + 2  # last month of the quarter
    quarters = np.arange(period.min(), period.max() + 1, 3)
    rolled = {}
    for located in measures:
        assert located.model.source is not None
        rows = pd.Series(True, index=table.index)
        for dimension, values in located.model.source.filters.items():
            rows &= table[DIMENSIONS[dimension]].isin([str(value) for value in values])
        chosen = table.loc[rows]
        counts = chosen.groupby([period[rows], chosen["Force Name"]])["Number of Offences"].sum()
        wide = counts.unstack("Force Name").reindex(quarters)
        rolled[located.model.id] = wide.rolling(4, min_periods=4).sum()
    return rolled


def compare(engine: Engine, run: RunResult, rolled: dict[str, pd.DataFrame]) -> list[str]:
    """Return how the engine's rolling counts differ from the pandas script's, if they do."""
    problems = []
    codes = [area.code for area in engine.areas.forces()]
    for measure, wide in rolled.items():
        by_code = {}
        for name in wide.columns:
            area = engine.areas.resolve(str(name))
            if area is not None and area.is_force:
                by_code[area.code] = wide[name]
        expected = pd.DataFrame(by_code).reindex(columns=codes)
        frame = run.frame
        totals = frame.loc[(frame["measure"] == measure) & frame["component"].isna()]
        got = totals.pivot(index="period", columns="area_code", values="value")
        got = got.reindex(index=expected.index, columns=codes)
        if got.shape != (len(expected), 43):
            problems.append(f"{measure}: the engine gave {got.shape}, expected 43 forces")
        elif not np.allclose(got.to_numpy(float), expected.to_numpy(float), equal_nan=True):
            differ = int((~np.isclose(got, expected, equal_nan=True)).sum())
            problems.append(f"{measure}: {differ} rolling counts differ from the pandas script")
    return problems


def profile(action: Callable[[], object]) -> None:
    """Print where an engine run spends its time."""
    profiler = cProfile.Profile()
    profiler.runcall(action)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return 1 when the figures disagree or the engine is too slow."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="print a profile of a run")
    parser.add_argument("--no-target", action="store_true", help="check the figures only")
    options = parser.parse_args(argv)

    catalogue = load_catalogue(CATALOGUE)
    measures = home_office_measures(catalogue)
    loaded = Engine(catalogue)
    engine_run(catalogue, measures, loaded)  # warm up: imports, and the sources read once
    with_load, _ = timed(lambda: engine_run(catalogue, measures, Engine(catalogue)), options.repeat)
    ours, run = timed(lambda: engine_run(catalogue, measures, loaded), options.repeat)
    table = read_table(catalogue)
    plain, rolled = timed(lambda: plain_pandas(table, measures), options.repeat)
    plain_read, _ = timed(lambda: plain_pandas(read_table(catalogue), measures), options.repeat)

    problems = [f"{finding.code}: {finding.message}" for finding in run.findings]
    problems += compare(loaded, run, rolled)
    quarters = len(next(iter(rolled.values())))
    names = ", ".join(located.model.id for located in measures)
    print(f"Home Office table: {len(table):,} rows; {len(measures)} measures ({names}), 43 forces")
    print(f"  engine, sources loaded          {ours:7.3f} s")
    print(f"  engine, including the load      {with_load:7.3f} s")
    print(f"  pandas script, table read       {plain:7.3f} s")
    print(f"  pandas script, including read   {plain_read:7.3f} s")
    print(f"  ratio, sources loaded           {ours / plain:7.1f} x the pandas script")
    print(f"  ratio, including the load       {with_load / plain_read:7.1f} x the pandas script")
    agree = "disagree" if problems else "agree"
    print(f"  rolling counts, {len(measures)} measures x 43 forces x {quarters} quarters: {agree}")
    slow = with_load > LIMIT_S and not options.no_target
    if slow:
        problems.append(f"the engine took {with_load:.3f} s including the load (limit {LIMIT_S} s)")
    if options.profile or slow:
        profile(lambda: engine_run(catalogue, measures, Engine(catalogue)))
    for problem in problems:
        print(f"FAIL: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
