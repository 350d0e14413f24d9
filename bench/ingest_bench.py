"""Time ingesting police.uk street files against a bare pyarrow read and a plain pandas script.

Generates N years of national street files (``bench/generate_police_uk.py``; ~1.4 GB a year)
and times, each in a fresh interpreter so that its peak memory (``ru_maxrss``) is its own:

* ``ours cold``: the police.uk adapter in aggregated mode with an empty cache, then the counts
  by month, force and crime type (the work the engine needs);
* ``ours warm``: the same with the cache the cold run left;
* ``floor``: a bare ``pyarrow.csv.read_csv`` of the three needed columns of every file;
* ``pandas``: a hand-written ``pandas.read_csv(engine="pyarrow", usecols=...)`` and groupby;
* ``sha-256``: hashing every file as the adapter does, the part of a warm run the cache
  cannot save;
* ``records``: the adapter's record-level default, for comparison (no target).

Each time is the median of ``--repeat`` runs. It checks that our counts equal the pandas
script's and that every row the floor parsed was read, prints the ratios, and exits 1 when
a count disagrees or a target is missed (``--no-targets`` checks only the counts):

* ours cold within 1.5x the floor and faster than pandas;
* ours warm at most 0.5x ours cold;
* peak memory of ours cold on every year at most 1.2x that on the first year (the first
  half of the months when there is one year).

    python bench/ingest_bench.py [--years 1] [--repeat 3] [--data DIR] [--no-records]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
for folder in (REPO, REPO / "bench"):  # run as a script from a checkout, installed or not
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

CATALOGUE = REPO / "measures"
THREE = ["Month", "Falls within", "Crime type"]
ASB = "Anti-social behaviour"
FLOOR_LIMIT = 1.5
WARM_LIMIT = 0.5
MEMORY_LIMIT = 1.2
RECORDS_PER_YEAR = 6_500_000  # as bench/generate_police_uk.py; not imported, see run_child
Counts = dict[str, int]
"""Records by ``YYYY-MM|area code|crime type``."""


@dataclass(frozen=True)
class Measured:
    """One run of one measurement, from its own interpreter."""

    seconds: float
    peak_mb: float
    rows: int = 0
    counts: Counts = field(default_factory=dict)
    cpu: float = 0.0
    """CPU seconds (user and system, all threads): steadier than wall time on a shared machine."""


# -- the measurements, each run in a child interpreter ----------------------------------


def street_files(data: Path) -> list[Path]:
    """Return the street files under ``data``, sorted, as every measurement finds them."""
    return sorted(data.rglob("*-street.csv"))


def ours(data: Path, aggregate: bool) -> tuple[Counts, int]:
    """Read the folder through the adapter and count by month, force and crime type."""
    from framework.model.dataset import Dataset
    from framework.periods import year_month
    from framework.sources.area_list import default_registry
    from framework.sources.registry import read_dataset

    dataset = Dataset.model_validate(
        {
            "id": "bench_police_uk",
            "title": "Generated police.uk street files",
            "adapter": {"kind": "police_uk_street", "aggregate": aggregate},
            "path": ".",
            "grain": "month",
            "dimensions": ["crime_type"],
            "provenance": {"publisher": "bench", "title": "generated"},
        }
    )
    source = read_dataset(dataset, data, default_registry(CATALOGUE))
    summed = source.frame.groupby(["period", "area_code", "crime_type"], observed=True)["value"]
    counts: Counts = {}
    totals = summed.sum()
    keys: list[tuple[int, str, str]] = totals.index.tolist()  # a 3-level index gives triples
    for (period, code, crime_type), value in zip(keys, totals.tolist(), strict=True):
        year, month = year_month(int(period))
        counts[f"{year}-{month:02d}|{code}|{crime_type}"] = int(value)
    return counts, source.report.rows_read


def floor(data: Path) -> int:
    """Parse the three needed columns of every file with pyarrow, nothing else."""
    import pyarrow.csv as pacsv

    options = pacsv.ConvertOptions(include_columns=THREE)
    return sum(
        pacsv.read_csv(path, convert_options=options).num_rows for path in street_files(data)
    )


def plain_pandas(data: Path) -> object:
    """Count crimes by month, force and type the way an analyst would write it in pandas."""
    import pandas as pd

    frames = [pd.read_csv(path, engine="pyarrow", usecols=THREE) for path in street_files(data)]
    records = pd.concat(frames, ignore_index=True)
    crimes = records[records["Crime type"] != ASB]
    return crimes.groupby(THREE).size()


def pandas_counts(counted: object) -> Counts:
    """Key the pandas script's counts like ours (force names to ONS codes), after timing."""
    from framework.sources.area_list import default_registry

    areas = default_registry(CATALOGUE)
    counts: Counts = {}
    for (month, force, crime_type), value in counted.items():  # type: ignore[attr-defined]
        area = areas.resolve(str(force))
        if area is not None:
            counts[f"{month}|{area.code}|{crime_type}"] = int(value)
    return counts


def hash_all(data: Path) -> int:
    """SHA-256 every file as the adapter does: mapped, with as many threads as it reads with."""
    import pyarrow as pa

    from framework.sources.adapters.police_uk import WORKERS

    def digest(path: Path) -> str:
        with pa.memory_map(str(path)) as mapped:
            return hashlib.sha256(memoryview(mapped.read_buffer())).hexdigest()

    files = street_files(data)
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return len(list(pool.map(digest, files)))


def child(kind: str, data: Path) -> Measured:
    """Run one measurement in this interpreter (started for it alone)."""
    # Every child pays the same imports before its clock starts.
    import pandas  # noqa: F401
    import pyarrow.compute
    import pyarrow.csv
    import pyarrow.parquet  # noqa: F401

    import framework.sources.adapters.police_uk  # noqa: F401

    counts: Counts = {}
    rows = 0
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    if kind in ("cold", "warm", "records"):
        counts, rows = ours(data, aggregate=kind != "records")
    elif kind == "floor":
        rows = floor(data)
    elif kind == "pandas":
        counted = plain_pandas(data)
    elif kind == "hash":
        rows = hash_all(data)
    else:
        raise SystemExit(f"unknown measurement {kind!r}")
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    if kind == "pandas":
        counts = pandas_counts(counted)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return Measured(seconds, peak, rows, counts, cpu)


def run_child(kind: str, data: Path, cache: Path, *extra: str) -> Measured:
    """Run one measurement in a fresh interpreter with its own cache folder.

    Linux carries ``ru_maxrss`` over ``execve``: a child reports at least the size of the
    process that started it. So this process stays small (no pandas, numpy or pyarrow here;
    even the data is generated in a child) and a child's peak is its own.
    """
    env = {**os.environ, "MEASURES_CACHE_DIR": str(cache)}
    script = str(Path(__file__).resolve())
    done = subprocess.run(
        [sys.executable, script, "--child", kind, "--data", str(data), *extra],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the {kind} measurement failed:\n{done.stderr}")
    return Measured(**json.loads(done.stdout.strip().splitlines()[-1]))


# -- the benchmark ----------------------------------------------------------------------


@dataclass
class Results:
    """The medians of each measurement and what was checked."""

    times: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    peaks: dict[str, float] = field(default_factory=dict)
    runs: dict[str, list[Measured]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)
    subset_months: int = 0
    """How many months the memory comparison read, against all of them."""

    def add(self, kind: str, measured: Measured) -> None:
        """Record one run; the time is the median of the runs, the peak their maximum."""
        self.runs.setdefault(kind, []).append(measured)
        self.times[kind] = statistics.median(run.seconds for run in self.runs[kind])
        self.cpu[kind] = statistics.median(run.cpu for run in self.runs[kind])
        self.peaks[kind] = max(run.peak_mb for run in self.runs[kind])

    def ratio(self, kind: str, other: str) -> float:
        """Return the median over rounds of one time over another.

        The machine is shared, so its load drifts; runs of the same round are close in
        time and their ratio is steadier than a ratio of medians.
        """
        pairs = zip(self.runs[kind], self.runs[other], strict=False)
        return statistics.median(mine.seconds / theirs.seconds for mine, theirs in pairs)


def subset(data: Path, months: int, into: Path) -> Path:
    """Hard-link the first ``months`` month folders of ``data`` into ``into``."""
    for folder in sorted(path for path in data.iterdir() if path.is_dir())[:months]:
        (into / folder.name).mkdir(parents=True, exist_ok=True)
        for path in folder.glob("*-street.csv"):
            os.link(path, into / folder.name / path.name)
    return into


def measure(data: Path, work: Path, repeat: int, records: bool) -> Results:
    """Run every measurement ``repeat`` times (the record-level read and subset once)."""
    results = Results()
    for attempt in range(repeat):
        cache = work / f"cache-{attempt}"
        results.add("cold", run_child("cold", data, cache))
        results.add("warm", run_child("warm", data, cache))
        results.add("floor", run_child("floor", data, cache))
        results.add("pandas", run_child("pandas", data, cache))
        results.add("hash", run_child("hash", data, cache))
        shutil.rmtree(cache, ignore_errors=True)
    if records:
        cache = work / "cache-records"
        results.add("records", run_child("records", data, cache))
        results.add("records warm", run_child("records", data, cache))
        shutil.rmtree(cache, ignore_errors=True)
    months = sum(1 for path in data.iterdir() if path.is_dir())
    results.subset_months = 12 if months > 12 else max(1, months // 2)
    first = subset(data, results.subset_months, work / "subset")
    results.add("subset", run_child("cold", first, work / "cache-subset"))
    shutil.rmtree(work / "cache-subset", ignore_errors=True)
    shutil.rmtree(first, ignore_errors=True)
    check_counts(results)
    return results


def check_counts(results: Results) -> None:
    """Our counts must be the pandas script's, and every row the floor parsed read."""
    expected = results.runs["pandas"][0].counts
    parsed = results.runs["floor"][0].rows
    for kind in ("cold", "warm", "records", "records warm"):
        for run in results.runs.get(kind, []):
            if run.counts != expected:
                differ = sorted(set(run.counts.items()) ^ set(expected.items()))[:3]
                results.disagreements.append(f"{kind}: counts differ from pandas, e.g. {differ}")
                break
            if run.rows != parsed:
                results.disagreements.append(f"{kind}: read {run.rows} rows, the floor {parsed}")
                break


def check_targets(results: Results) -> None:
    """Record each missed target in ``results.failures``."""
    peaks = results.peaks
    if (ratio := results.ratio("cold", "floor")) > FLOOR_LIMIT:
        results.failures.append(f"ours cold is {ratio:.2f}x the floor (limit {FLOOR_LIMIT}x)")
    if (ratio := results.ratio("cold", "pandas")) >= 1:
        results.failures.append(f"ours cold is {ratio:.2f}x pandas: not faster")
    if (ratio := results.ratio("warm", "cold")) > WARM_LIMIT:
        results.failures.append(f"ours warm is {ratio:.2f}x ours cold (limit {WARM_LIMIT}x)")
    if peaks["cold"] > MEMORY_LIMIT * peaks["subset"]:
        results.failures.append(
            f"peak memory grew from {peaks['subset']:.0f} MB to {peaks['cold']:.0f} MB "
            f"(limit {MEMORY_LIMIT}x)"
        )


def report(results: Results, years: int, files: int, rows: int, size: float) -> None:
    """Print the times, peaks and ratios."""
    times, peaks = results.times, results.peaks
    print(f"police.uk street files: {years} year(s), {files} files, {rows:,} rows, {size:.2f} GB")
    labels = {
        "cold": "ours cold (aggregate, empty cache)",
        "warm": "ours warm (aggregate, cache present)",
        "floor": "floor: pyarrow read_csv, 3 columns",
        "pandas": "pandas read_csv(pyarrow) + groupby",
        "hash": "sha-256 of every file",
        "records": "ours cold, record level",
        "records warm": "ours warm, record level",
        "subset": f"ours cold, first {results.subset_months} months only",
    }
    heading = f"median of {len(results.runs['cold'])} run(s), fresh interpreters"
    print(f"  {heading:40s} {'time':>9s} {'CPU':>9s}   peak RSS")
    for kind, label in labels.items():
        if kind in times:
            cpu = results.cpu[kind]
            print(f"  {label:40s} {times[kind]:7.2f} s {cpu:7.2f} s   {peaks[kind]:5.0f} MB")
    ratios: list[tuple[str, Callable[[], float]]] = [
        ("ours cold / floor", lambda: results.ratio("cold", "floor")),
        ("ours cold / pandas", lambda: results.ratio("cold", "pandas")),
        ("ours warm / ours cold", lambda: results.ratio("warm", "cold")),
        ("sha-256 / ours warm", lambda: results.ratio("hash", "warm")),
        ("peak memory, all / first part", lambda: peaks["cold"] / peaks["subset"]),
    ]
    for label, ratio in ratios:
        print(f"  {label:40s} {ratio():7.2f}")
    agree = "disagree" if results.disagreements else "agree"
    print(f"  counts by month, force and crime type {agree} with the pandas script")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return 1 when a count disagrees or a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, help="reuse (or generate into) this folder; kept")
    parser.add_argument("--records", type=int, default=RECORDS_PER_YEAR, help="a year's records")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--months", type=int, help="generate only the first few months")
    parser.add_argument("--no-records", action="store_true", help="skip the record-level runs")
    parser.add_argument("--no-targets", action="store_true", help="check the counts only")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.child == "generate":
        from generate_police_uk import generate

        generate(
            options.data,
            options.years,
            seed=options.seed,
            records_per_year=options.records,
            only_months=options.months,
        )
        print(json.dumps(Measured(0.0, 0.0).__dict__))
        return 0
    if options.child:
        print(json.dumps(child(options.child, options.data).__dict__))
        return 0

    work = Path(tempfile.mkdtemp(prefix="ingest-bench-"))
    try:
        data = options.data or work / "data"  # a folder given is reused, and kept
        if not (data.is_dir() and street_files(data)):
            numbers = ["--years", str(options.years), "--seed", str(options.seed)]
            numbers += ["--records", str(options.records)]
            numbers += ["--months", str(options.months)] if options.months else []
            run_child("generate", data, work, *numbers)
        files = street_files(data)
        size = sum(path.stat().st_size for path in files) / 1e9
        results = measure(data, work, options.repeat, not options.no_records)
        report(results, options.years, len(files), results.runs["floor"][0].rows, size)
        if not options.no_targets:
            check_targets(results)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    problems = results.disagreements + results.failures
    for problem in problems:
        print(f"FAIL: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
