"""Time reading the Home Office table from ODS and xlsx: python-calamine against odfpy/openpyxl.

Usage (from the repository root)::

    .venv/bin/python bench/spreadsheet_bench.py [--rows 20000] [--repeat 3]

Writes the first ``--rows`` rows of the bundled Home Office table as a two-sheet ODS and xlsx
workbook (in a temporary folder), then reads every cell of each with python-calamine (what the
Home Office reader uses) and with the reader pandas would otherwise use (odfpy for ODS,
openpyxl for xlsx), checks both give the same rows, and prints the times and their ratio.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

BUNDLED = REPO / "measures" / "national" / "data" / "home-office-prc" / "prc_pfa_quarterly.parquet"
ENGINES = {"ods": "odf", "xlsx": "openpyxl"}


def write_workbooks(folder: Path, rows: int) -> dict[str, Path]:
    """Write ``rows`` rows of the bundled table, split over two sheets, as ODS and xlsx."""
    import pandas as pd

    table = pd.read_parquet(BUNDLED).head(rows)
    half = len(table) // 2
    paths = {}
    for suffix, engine in ENGINES.items():
        path = folder / f"prc.{suffix}"
        with pd.ExcelWriter(path, engine=engine) as writer:
            table.iloc[:half].to_excel(writer, sheet_name="part 1", index=False)
            table.iloc[half:].to_excel(writer, sheet_name="part 2", index=False)
        paths[suffix] = path
    return paths


def read_calamine(path: Path) -> int:
    """Read every sheet with python-calamine, as the Home Office reader does; return data rows."""
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    return sum(
        len(workbook.get_sheet_by_name(name).to_python()) - 1 for name in workbook.sheet_names
    )


def read_other(path: Path) -> int:
    """Read every sheet with odfpy (ODS) or openpyxl (xlsx) through pandas; return data rows."""
    import pandas as pd

    engine = ENGINES[path.suffix.lstrip(".")]
    sheets = pd.read_excel(path, sheet_name=None, engine=engine)
    return sum(len(frame) for frame in sheets.values())


def best_of(read: Callable[[Path], int], path: Path, repeat: int) -> tuple[float, int]:
    """Return the fastest of ``repeat`` reads in seconds, and the rows read."""
    times, rows = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        rows = read(path)
        times.append(time.perf_counter() - start)
    return min(times), rows


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return 1 when the readers disagree on the rows."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        paths = write_workbooks(Path(folder), args.rows)
        for suffix, path in paths.items():
            fast, rows = best_of(read_calamine, path, args.repeat)
            slow, other_rows = best_of(read_other, path, args.repeat)
            other = {"ods": "odfpy", "xlsx": "openpyxl"}[suffix]
            print(
                f"{suffix}: {rows:,} rows over 2 sheets: python-calamine {fast:.3f} s, "
                f"{other} {slow:.3f} s, ratio {slow / fast:.1f}x"
            )
            if rows != other_rows:
                print(f"{suffix}: the readers disagree: {rows} against {other_rows} rows")
                return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
