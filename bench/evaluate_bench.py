"""Time evaluating measures for all 43 forces against hand-written pandas scripts.

Runs ``Engine.run(all_forces=True)`` on every catalogue measure computed from the Home Office
table (with its comparators, baselines, SPC and significance tests), once with the sources
already loaded and once from a fresh engine (reading the table and the population), beside
a hand-written pandas script that computes the same 12-month rolling counts by force: read
the Parquet file, filter the offence subgroups, sum by force and quarter, roll four quarters.
It checks that every force's rolling count agrees with the engine's, prints the times and
ratios, and exits 1 when they disagree or the engine (including the load) takes over 2 s.

Then the whole catalogue as ``measures run --all-forces`` runs it (every measure, on as
many processes as the command uses: one a core), against a pandas script over the same
canonical tables (read once, for both) that computes what the engine's rows carry for
comparison: each area's windowed figure (counts and proportions, a period the source did
not report left missing), the baseline (the mean of the windows ending in its span), the
rate per 100,000, England and Wales and the force's region pooled, and the most similar
group's average. Every figure must agree, and the engine must take at most 1.5 times the
script's wall time. Both wall and CPU times are printed, with both ratios: the script runs
on one core, the engine on the command's workers, whose CPU time is counted too. Each
engine run starts as the command's does: no evaluation kept and the memoised statistical
functions empty.

    python bench/evaluate_bench.py [--repeat 5] [--workers N] [--profile] [--no-target]
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import pstats
import resource
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # run as a script from a checkout, installed or not

from framework.cli.common import default_workers  # noqa: E402
from framework.engine.evaluate import forget_derived  # noqa: E402
from framework.engine.run import Engine, RunResult  # noqa: E402
from framework.engine.workers import available_cores  # noqa: E402
from framework.loading.catalogue import Catalogue, Located, load_catalogue  # noqa: E402
from framework.model.measure import Measure  # noqa: E402
from framework.periods import parse_period  # noqa: E402
from framework.sources.adapters.home_office import DIMENSIONS  # noqa: E402

CATALOGUE = REPO / "measures"
DATASET = "home_office_prc"
FORCE = "warwickshire"
LIMIT_S = 2.0
CATALOGUE_RATIO = 1.5
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


def cpu_seconds() -> float:
    """Return the CPU time (user and system) of this process and of its finished workers."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


@dataclass(frozen=True)
class Times:
    """One timed run: wall time and CPU time (workers' included), in seconds."""

    wall: float
    cpu: float


def timed_once(action: Callable[[], T]) -> tuple[Times, T]:
    """Run ``action`` once; return its wall and CPU times and its result."""
    cpu = cpu_seconds()
    started = time.perf_counter()
    result = action()
    return Times(time.perf_counter() - started, cpu_seconds() - cpu), result


def forget_caches() -> int:
    """Empty the framework's memoised functions (exact tests, quantiles); return how many.

    Also forgets what was derived from the source frames (filter masks, where each row's
    area is): the sources stay read, as the script's tables do, but a command works out
    what it derives from them afresh. A command starts with all of them empty; a
    benchmark's later runs in one process would otherwise find them filled by its earlier
    runs, and a run's forked workers never fill the benchmark's own, so runs on one process
    and on several would not start alike.
    """
    forget_derived()
    emptied = 0
    for name, module in list(sys.modules.items()):
        if name == "framework" or name.startswith("framework."):
            for value in list(vars(module).values()):
                if isinstance(value, functools._lru_cache_wrapper):
                    value.cache_clear()
                    emptied += 1
    return emptied


def engine_run(catalogue: Catalogue, measures: list[Located[Measure]], engine: Engine) -> RunResult:
    """Evaluate the measures for every force with ``engine`` (its sources kept, if read)."""
    engine.forget_evaluations()  # each run evaluates; only the sources read are reused
    forget_caches()
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


def catalogue_measures(catalogue: Catalogue) -> list[Located[Measure]]:
    """Return every measure the engine computes (those with a source)."""
    return [located for located in catalogue.measures if located.model.source is not None]


def _keep(frame: pd.DataFrame, filters: dict[str, list[object]] | None) -> pd.DataFrame:
    """Keep the rows whose columns take one of the listed values, compared as text."""
    rows = np.ones(len(frame), dtype=bool)
    for column, values in (filters or {}).items():
        rows &= frame[column].astype(str).isin([str(v) for v in values]).to_numpy()
    return frame.loc[rows]


def _wide(
    frame: pd.DataFrame, column: str, quarters: bool, index: pd.Index, codes: list[str]
) -> pd.DataFrame:
    """Sum ``column`` by period (months to quarter ends when asked) and area.

    No row is a zero; a value the source marks missing makes its period's sum missing.
    """
    period = frame["period"].astype("int64")
    if quarters:
        period = period + (2 - period % 3)
    values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype="float64")
    grouped = (
        pd.DataFrame({"period": period.to_numpy(), "area": frame["area_code"].astype(str)})
        .assign(value=values, unknown=np.isnan(values))
        .groupby(["period", "area"])
    )
    summed = grouped["value"].sum().where(grouped["unknown"].sum() == 0)
    wide = summed.unstack("area").reindex(index=index, columns=codes)
    rows = grouped.size().unstack("area").reindex(index=index, columns=codes)
    return wide.where(rows.notna(), 0.0)


def plain_catalogue(
    catalogue: Catalogue,
    measures: list[Located[Measure]],
    frames: dict[str, pd.DataFrame],
    population: dict[str, pd.DataFrame],
    areas: Areas,
) -> dict[str, dict[str, pd.DataFrame]]:
    """Compute each measure's figures for every force as a person would, with pandas.

    ``frames`` are the canonical tables by dataset id; ``population`` is months x areas, by
    dataset id (each dataset declares which estimate its rates divide by).
    Returns, per measure, the figure, the baseline, the rate and the comparators (periods
    x areas, or periods x 1 for a group).
    """
    out: dict[str, dict[str, pd.DataFrame]] = {}
    codes = areas.codes
    for located in measures:
        measure = located.model
        assert measure.source is not None
        dataset = catalogue.dataset(measure.source.dataset)
        assert dataset is not None
        table = frames[measure.source.dataset]
        table = table.loc[table["area_code"].isin(codes)]
        quarters = measure.grain == "quarter"
        step = 3 if quarters else 1
        period = table["period"].astype("int64")
        ends = period + (2 - period % 3) if quarters else period
        index = pd.Index(np.arange(ends.min(), ends.max() + 1, step), name="period")
        # A period counts as reported for an area with a row in each of its months.
        months = table.assign(_end=ends.to_numpy())[["_end", "period", "area_code"]]
        months = months.drop_duplicates().groupby(["_end", "area_code"]).size()
        need = 3 if quarters and dataset.model.grain == "month" else 1
        reported = months.unstack("area_code").reindex(index).reindex(columns=codes) >= need
        if dataset.model.complete:
            reported[:] = True
        chosen = _keep(table, dict(measure.source.filters))
        window = measure.window
        window_months = getattr(window, "months", step)
        published = dataset.model.covers_months == window_months
        periods = 1 if published else window_months // step
        aggregation = measure.aggregation
        if aggregation.kind == "proportion":
            numerator = aggregation.numerator  # type: ignore[union-attr]
            denominator = aggregation.denominator  # type: ignore[union-attr]
            parts = {
                "numerator": _wide(
                    _keep(chosen, numerator.filters),
                    numerator.column or "value",
                    quarters,
                    index,
                    codes,
                ),
                "denominator": _wide(
                    _keep(chosen, denominator.filters if denominator else None),
                    (denominator.column if denominator else None) or "value",
                    quarters,
                    index,
                    codes,
                ),
            }
        else:
            parts = {"total": _wide(chosen, "value", quarters, index, codes)}
        rolled = {}
        for name, wide in parts.items():
            wide = wide.where(reported)
            rolled[name] = wide.rolling(periods, min_periods=periods).sum()
        if "total" in rolled:
            figure = rolled["total"]
        else:
            denominator_sum = rolled["denominator"]
            figure = rolled["numerator"] / denominator_sum.where(denominator_sum != 0) * 100
        pop = population[measure.source.dataset].reindex(index).reindex(columns=codes)
        results = {"value": figure}
        if measure.baseline is not None:
            first = parse_period(measure.baseline.start).first
            last = parse_period(measure.baseline.end).last
            ends_in = [p for p in index if first + window_months - 1 <= p <= last]
            if "total" in rolled:
                results["baseline"] = rolled["total"].reindex(ends_in).mean(skipna=False)
        if "total" in rolled:
            results["rate"] = figure / pop.where(pop > 0) * 100_000
            chosen_groups = [
                (group, members)
                for group, members in (("national", codes), ("region", areas.region))
                if group in measure.comparators
            ]
            for group, members in chosen_groups:
                present = figure[list(members)].notna()
                total = figure[list(members)].where(present).sum(axis=1, min_count=1)
                people = pop[list(members)].where(present).sum(axis=1, min_count=1)
                results[f"{group}_rate"] = (total / people.where(people > 0) * 100_000).to_frame()
            if "msg" in measure.comparators:
                msg = results["rate"][list(areas.msg)]
                results["msg_average"] = msg.mean(axis=1).to_frame()
        out[measure.id] = results
    return out


@dataclass(frozen=True)
class Areas:
    """The forces' codes, and the default force's, its region's and its MSG's."""

    codes: list[str]
    own: str
    region: tuple[str, ...]
    msg: tuple[str, ...]


def compare_catalogue(
    run: RunResult, plain: dict[str, dict[str, pd.DataFrame]], areas: Areas
) -> list[str]:
    """Return how the engine's figures differ from the pandas script's, if they do."""
    problems = []
    frame = run.frame.loc[run.frame["component"].isna()]
    for measure, results in plain.items():
        rows = frame.loc[frame["measure"] == measure]
        wide = rows.pivot(index="period", columns="area_code", values="value")
        expected = results["value"]
        got = wide.reindex(index=expected.index, columns=areas.codes)
        checks = [("value", got, expected)]
        if "rate" in results:
            rate = rows.pivot(index="period", columns="area_code", values="rate_per_100k")
            checks.append(("rate", rate.reindex_like(expected), results["rate"]))
            own = rows.loc[rows["area_code"] == areas.own].set_index("period")
            for column in ("national_rate", "region_rate", "msg_average"):
                if column in results:
                    ours = own[[column]].reindex(expected.index)
                    theirs = results[column]
                    source = f"{column.split('_')[0]}_source"
                    if source in own:
                        # The script pools forces; where the table publishes its own England
                        # and Wales or region row the engine uses that instead (tested in
                        # tests/engine/test_published_comparators.py), so only pooled rows
                        # are compared here.
                        published = own[source].reindex(expected.index).eq("published")
                        ours = ours.mask(published.to_numpy()[:, None])
                        theirs = theirs.mask(published.to_numpy()[:, None])
                    checks.append((column, ours, theirs))
        if "baseline" in results:
            base = rows.drop_duplicates("area_code").set_index("area_code")["baseline"]
            checks.append(
                (
                    "baseline",
                    base.reindex(areas.codes).to_frame().T,
                    results["baseline"].reindex(areas.codes).to_frame().T,
                )
            )
        for name, ours, theirs in checks:
            a = ours.to_numpy(dtype="float64")
            b = theirs.to_numpy(dtype="float64")
            if a.shape != b.shape or not np.allclose(a, b, equal_nan=True, rtol=1e-9):
                differ = (
                    int((~np.isclose(a, b, equal_nan=True)).sum()) if a.shape == b.shape else -1
                )
                problems.append(f"{measure}: {differ} {name} figures differ from the pandas script")
    return problems


def profile(action: Callable[[], object]) -> None:
    """Print where an engine run spends its time."""
    profiler = cProfile.Profile()
    profiler.runcall(action)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


def whole_catalogue(
    catalogue: Catalogue, engine: Engine, repeat: int, no_target: bool, workers: int | None = None
) -> list[str]:
    """Time the whole catalogue for every force against the pandas script; return problems.

    The engine runs as ``measures run --all-forces`` does, on its default number of worker
    processes unless ``workers`` says.
    """
    measures = catalogue_measures(catalogue)
    located = catalogue.force(FORCE)
    assert located is not None
    force = located.model
    everything = list(catalogue.measures)  # what the command runs without --measure
    processes = default_workers(True, len(everything)) if workers is None else workers

    def everyone() -> RunResult:
        # Each run evaluates and judges afresh, as the command does: only the sources read
        # are reused, not the evaluations nor the memoised tests of an earlier run.
        engine.forget_evaluations()
        forget_caches()
        return engine.run(force, everything, all_forces=True, workers=processes)

    run = everyone()  # warm up: every source read once, as the script's tables are
    frames = {
        m.model.source.dataset: engine.source(m.model.source.dataset, force).frame
        for m in measures
        if m.model.source is not None
    }
    # The population each dataset's rates divide by, under its own declared rule.
    population = {}
    for dataset_id in frames:
        dataset = catalogue.dataset(dataset_id)
        assert dataset is not None
        source = engine.source(dataset_id, force)
        population[dataset_id] = engine.rate_population(dataset.model, source, force)[0]
    groups = engine.groups(force)
    areas = Areas(
        [a.code for a in engine.areas.forces()], engine.force_code(force), groups["region"],
        groups["msg"],
    )  # fmt: skip
    script = lambda: plain_catalogue(catalogue, measures, frames, population, areas)  # noqa: E731
    ours_times: list[Times] = []
    plain_times: list[Times] = []
    for _ in range(repeat):  # side by side, so both see the same load
        ours, run = timed_once(everyone)
        plain, figures = timed_once(script)
        ours_times.append(ours)
        plain_times.append(plain)
    pairs = list(zip(ours_times, plain_times, strict=True))
    wall_ratio = statistics.median(ours.wall / plain.wall for ours, plain in pairs)
    cpu_ratio = statistics.median(ours.cpu / plain.cpu for ours, plain in pairs)
    problems = [f"{finding.code}: {finding.message}" for finding in run.findings]
    problems += compare_catalogue(run, figures, areas)
    agree = "disagree" if problems else "agree"

    def median(times: list[Times]) -> str:
        wall = statistics.median(t.wall for t in times)
        return f"{wall:7.3f} s {statistics.median(t.cpu for t in times):7.3f} s"

    print(f"Whole catalogue: {len(measures)} measures, 43 forces, sources loaded")
    print("                                       wall       CPU")
    print(f"  engine (measures run --all-forces) {median(ours_times)}   {processes} process(es)")
    print(f"  pandas script                      {median(plain_times)}   1 process")
    print(f"  ratio, wall                        {wall_ratio:7.2f} x the pandas script")
    print(f"  ratio, CPU                         {cpu_ratio:7.2f} x the pandas script")
    print(
        "  (the script runs on one core; the engine's CPU time counts every process it used, "
        f"of {available_cores()} core(s))"
    )
    print(f"  figures, baselines, rates and comparators: {agree}")
    if wall_ratio > CATALOGUE_RATIO and not no_target:
        problems.append(
            f"the engine took {wall_ratio:.2f} x the pandas script's wall time "
            f"(limit {CATALOGUE_RATIO})"
        )
    return problems


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return 1 when the figures disagree or the engine is too slow."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="print a profile of a run")
    parser.add_argument("--no-target", action="store_true", help="check the figures only")
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="processes for the whole catalogue (default: as measures run --all-forces)",
    )
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
    problems += whole_catalogue(
        catalogue, loaded, options.repeat, options.no_target, options.workers
    )
    for problem in problems:
        print(f"FAIL: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
