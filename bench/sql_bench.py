"""Time a survey table aggregated in the database against reading every record into pandas.

Builds a DuckDB file holding ``--rows`` survey responses (43 forces, five years, a victim
type and an answer each), then computes the monthly counts by force, victim type and answer
two ways: the ``sql`` adapter, which sends one GROUP BY and receives a few thousand rows, and
a plain pandas script that reads the whole table and groups it in memory. It checks that the
counts agree, prints both times, the rows each moved out of the database and the ratio, and
exits 1 when they disagree.

    python bench/sql_bench.py [--rows 2000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # run as a script from a checkout, installed or not

from framework.model.dataset import Dataset  # noqa: E402
from framework.periods import month_index  # noqa: E402
from framework.sources.adapters.sql import SqlAdapter  # noqa: E402
from framework.sources.area_list import default_registry  # noqa: E402

CATALOGUE = REPO / "measures"
T = TypeVar("T")


def build(folder: Path, rows: int) -> Path:
    """Write the survey table into a DuckDB file in ``folder``; return the file."""
    import duckdb

    areas = default_registry(CATALOGUE)
    names = ", ".join(f"'{area.name}'" for area in areas.forces())
    path = folder / "survey.duckdb"
    con = duckdb.connect(str(path))
    con.execute(
        f"""CREATE TABLE responses AS
        SELECT DATE '2018-04-01' + CAST((i * 7919) % 1826 AS INTEGER) AS responded_on,
               [{names}][1 + CAST(i % 43 AS INTEGER)] AS force_name,
               CASE WHEN i % 5 = 0 THEN 'domestic abuse' ELSE 'other' END AS victim_type,
               CASE WHEN (i * 31) % 7 < 5 THEN 'yes' ELSE 'no' END AS satisfied
        FROM range({rows}) AS t(i)"""
    )
    con.close()
    (folder / "connections.yaml").write_text(
        "connections:\n  survey: {backend: duckdb, database: survey.duckdb}\n", encoding="utf-8"
    )
    return path


def dataset() -> Dataset:
    """Return the survey dataset as a catalogue would register it."""
    return Dataset.model_validate(
        {
            "id": "survey",
            "title": "Survey responses",
            "adapter": {
                "kind": "sql",
                "connection": "survey",
                "table": "responses",
                "date_column": "responded_on",
                "area_column": "force_name",
            },
            "path": "connections.yaml",
            "grain": "month",
            "dimensions": ["victim_type", "satisfied"],
            "provenance": {"publisher": "benchmark", "title": "generated responses"},
        }
    )


def pushed_down(folder: Path) -> tuple[pd.Series, int]:
    """Return the counts by month, force code and answer from the sql adapter, and rows moved."""
    areas = default_registry(CATALOGUE)
    read = SqlAdapter().read(dataset(), folder / "connections.yaml", folder, areas)
    frame = read.frame
    counts = frame.groupby(["period", "area_code", "victim_type", "satisfied"], observed=True)[
        "value"
    ].sum()
    return counts, len(frame)


def whole_table(path: Path) -> tuple[pd.Series, int]:
    """Return the same counts by reading every record into pandas and grouping there."""
    import duckdb

    areas = default_registry(CATALOGUE)
    con = duckdb.connect(str(path), read_only=True)
    try:
        records = con.execute("SELECT * FROM responses").df()
    finally:
        con.close()
    days = pd.to_datetime(records["responded_on"])
    names = records["force_name"].astype("category")
    codes = {name: _code(areas.resolve(name)) for name in names.cat.categories}
    records = records.assign(
        # Vectorised, as a careful analyst would write it: month_index(year, month).
        period=month_index(days.dt.year, days.dt.month),
        area_code=names.cat.rename_categories(codes),
    )
    counts = records.groupby(
        ["period", "area_code", "victim_type", "satisfied"], observed=True
    ).size()
    return counts.astype("float64"), len(records)


def _code(area: object) -> str:
    code = getattr(area, "code", None)
    if code is None:
        raise ValueError("the benchmark's forces are all known areas")
    return str(code)


def timed(function: Callable[[], T], repeat: int) -> tuple[T, float]:
    """Return the function's result and its median time over ``repeat`` runs."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    assert result is not None
    return result, statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return 0 when both ways agree, else 1."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        path = build(folder, args.rows)
        (database, moved), pushed_s = timed(lambda: pushed_down(folder), args.repeat)
        (memory, records), pandas_s = timed(lambda: whole_table(path), args.repeat)
    agree = database.sort_index().to_dict() == memory.sort_index().to_dict()
    print(f"{args.rows:,} survey records, 43 forces, monthly counts by victim type and answer")
    print(f"  aggregated in the database: {pushed_s:8.3f} s, {moved:,} rows received")
    print(f"  whole table into pandas:    {pandas_s:8.3f} s, {records:,} rows received")
    print(f"  ratio (pandas / database):  {pandas_s / pushed_s:8.1f}x")
    print("  counts agree" if agree else "  COUNTS DIFFER")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
