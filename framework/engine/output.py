"""Write run results as a table for people, or CSV, JSON, Parquet or an Excel workbook."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from framework.atomic import write_atomic, write_text_atomic

LEADING_COLUMNS = [
    "measure", "area_code", "area", "component", "period_end", "window", "value", "unit",
    "baseline", "change", "change_pct", "rate_per_100k", "as_of", "as_of_note",
]  # fmt: skip
"""Columns first in every output; the rest follow in the engine's order."""


COLUMN_GROUPS = (
    "rate_", "population", "national_", "region_", "msg_", "change_", "numerator",
    "denominator", "total", "missing_periods", "missing_in_window", "rows_in_window", "spc_",
    "flags", "synthetic",
)  # fmt: skip
"""After the leading columns, the rest in groups: comparators, statistics, then provenance."""


def _group(column: str) -> int:
    return next(
        (i for i, prefix in enumerate(COLUMN_GROUPS) if column.startswith(prefix)),
        len(COLUMN_GROUPS),
    )


def ordered(frame: pd.DataFrame) -> pd.DataFrame:
    """Put the leading columns first, the rest in groups, and drop the internal month index."""
    lead = [c for c in LEADING_COLUMNS if c in frame.columns]
    rest = [c for c in frame.columns if c not in lead and c != "period"]
    return frame[lead + sorted(rest, key=_group)]


def latest(frame: pd.DataFrame) -> pd.DataFrame:
    """Keep each measure's, area's and component's latest row that has a value."""
    if frame.empty:
        return frame
    valued = frame.loc[frame["value"].notna()]
    keys = ["measure", "area_code", "component"]
    index = valued.assign(component=valued["component"].fillna("")).groupby(keys)["period"].idxmax()
    return valued.loc[index.sort_values()]


def write_results(frame: pd.DataFrame, form: str, out: Path | None) -> None:
    """Write the results in ``form`` (table, csv, json, parquet, xlsx) to ``out`` or the screen.

    Text that a spreadsheet would run as a formula is neutralised in CSV and xlsx output.
    """
    if form == "table":
        frame = latest(frame)
    # Even without rows: the header of an empty result keeps its order, without ``period``.
    frame = ordered(frame)
    if form == "parquet":
        assert out is not None
        write_atomic(out, lambda tmp: frame.to_parquet(tmp, index=False))
        return
    if form == "xlsx":
        assert out is not None
        from framework.engine.spreadsheet import write_workbook

        write_workbook(frame, lambda save: write_atomic(out, save))
        return
    if form == "table":
        text = _table(frame)
    elif form == "csv":
        from framework.engine.spreadsheet import neutralise_frame

        text = neutralise_frame(frame).to_csv(index=False)
    else:
        text = frame.to_json(orient="records", indent=2, date_format="iso") + "\n"
    if out is None:
        sys.stdout.write(text)
    else:
        write_text_atomic(out, text)


def _table(frame: pd.DataFrame) -> str:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Latest figures", show_lines=False)
    columns = ["measure", "area", "component", "window", "value", "baseline", "change_pct",
               "rate_per_100k", "flags"]  # fmt: skip
    for column in columns:
        table.add_column(column, overflow="fold")
    for record in frame.to_dict(orient="records"):
        table.add_row(*(_cell(record.get(column)) for column in columns))
    console = Console(record=True, width=160)
    with console.capture() as capture:
        console.print(table)
    return capture.get()


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    if isinstance(value, float):
        return f"{value:,.1f}"
    return str(value)
