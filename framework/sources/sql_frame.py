"""Turn the groups a database returned into the canonical frame, accounting every record.

Records are counted as the other readers count rows: a group whose period is empty or
cannot be read, or whose area is not a police force area, is excluded with that reason
(each record for its first fault only), and records whose value is empty are excluded per
value column. ``source_row`` is the group's row number in the query's answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from framework.model.sql_options import SqlTableOptions
from framework.periods import month_index
from framework.sources.frame import MEASURE_COLUMN, canonical_frame, concat_frames
from framework.sources.period_values import period_of
from framework.sources.sql_plan import RECORDS, dimension_sources, value_columns

if TYPE_CHECKING:
    from framework.areas.registry import AreaRegistry
    from framework.model.dataset import Dataset
    from framework.sources.ledger import Ledger


def named_columns(dataset: Dataset) -> bool:
    """Return True when the dataset names its value columns in ``measure_column``."""
    return MEASURE_COLUMN in dataset.dimensions


def groups_frame(
    result: pd.DataFrame,
    dataset: Dataset,
    options: SqlTableOptions,
    areas: AreaRegistry,
    ledger: Ledger,
    source: str,
) -> tuple[pd.DataFrame, int]:
    """Build the canonical frame from the groups; return it and the records counted."""
    records = result[RECORDS].to_numpy(dtype=np.int64)
    columns = value_columns(options)
    width = max(1, len(columns))
    ledger.rows_read = int(records.sum()) * width
    source_rows = np.arange(1, len(result) + 1, dtype=np.int64)
    periods, period_ok = _periods(result["period"], dataset.grain, options, records, ledger, width)
    # A group is excluded for its first fault only: an empty period, then an unknown area.
    codes, names, area_ok = _areas(
        result["area"], areas, np.where(period_ok, records, 0), ledger, width, source_rows
    )
    keep = period_ok & area_ok
    dimensions = {
        name: np.array(
            [None if pd.isna(cell) else cell_text(cell) for cell in result[name]], dtype=object
        )
        for name in dimension_sources(dataset)
    }
    parts = []
    for index, column in enumerate(columns or [None]):
        if column is None:
            values = records.astype(np.float64)
            usable = keep
        else:
            present = result[f"present_{index}"].to_numpy(dtype=np.int64)
            empty = np.where(keep, records - present, 0)
            if empty.sum():
                rows = source_rows[empty > 0][:5].tolist()
                ledger.exclude(f"{column} is empty", int(empty.sum()), rows)
            values = result[f"sum_{index}"].to_numpy(dtype=np.float64, na_value=np.nan)
            usable = keep & (present > 0)
        named = dict(dimensions)
        if named_columns(dataset):
            named[MEASURE_COLUMN] = np.full(len(result), column or "value", dtype=object)
        ordered = {name: named[name][usable] for name in dataset.dimensions}
        parts.append(
            canonical_frame(
                period=periods[usable],
                area_code=codes[usable],
                area=names[usable],
                dimensions=ordered,
                value=values[usable],
                source_row=source_rows[usable],
                source_file=source,
            )
        )
    return concat_frames(parts), int(records.sum())


def _periods(
    cells: pd.Series,
    grain: str,
    options: SqlTableOptions,
    records: np.ndarray[Any, np.dtype[np.int64]],
    ledger: Ledger,
    width: int,
) -> tuple[np.ndarray[Any, np.dtype[np.int64]], np.ndarray[Any, np.dtype[np.bool_]]]:
    """Return each group's month index (the last month it covers) and which are usable."""
    out = np.full(len(cells), -1, dtype=np.int64)
    reasons: dict[str, list[int]] = {}
    for row, cell in enumerate(cells.tolist()):
        if cell is None or (isinstance(cell, float) and np.isnan(cell)) or cell is pd.NaT:
            reasons.setdefault("period is empty", []).append(row)
            continue
        if options.date_column is not None:
            stamp = pd.Timestamp(cell)
            # A quarter's first month is truncated to; the frame holds its last month.
            out[row] = month_index(stamp.year, stamp.month) + (2 if grain == "quarter" else 0)
            continue
        parsed = period_of(cell, grain)
        if isinstance(parsed, str):
            reasons.setdefault(parsed, []).append(row)
        else:
            out[row] = parsed
    for reason, rows in reasons.items():
        ledger.exclude(reason, int(records[rows].sum()) * width, [r + 1 for r in rows[:5]])
    return out, out >= 0


def _areas(
    cells: pd.Series,
    areas: AreaRegistry,
    records: np.ndarray[Any, np.dtype[np.int64]],
    ledger: Ledger,
    width: int,
    source_rows: np.ndarray[Any, np.dtype[np.int64]],
) -> tuple[
    np.ndarray[Any, np.dtype[np.object_]],
    np.ndarray[Any, np.dtype[np.object_]],
    np.ndarray[Any, np.dtype[np.bool_]],
]:
    """Resolve each distinct area once; count the records of unknown areas by reason."""
    labels = [None if cell is None else str(cell).strip() for cell in cells.tolist()]
    resolved: dict[str, tuple[str, str] | str] = {}
    for label in set(labels):
        if not label:
            continue
        area = areas.resolve(label)
        resolved[label] = (area.code, area.name) if area else areas.exclusion_reason(label)
    codes = np.empty(len(labels), dtype=object)
    names = np.empty(len(labels), dtype=object)
    ok = np.zeros(len(labels), dtype=bool)
    excluded: dict[str, list[int]] = {}
    for row, label in enumerate(labels):
        found = resolved.get(label) if label else "no area given"
        if isinstance(found, tuple):
            codes[row], names[row] = found
            ok[row] = True
        else:
            excluded.setdefault(str(found), []).append(row)
    for reason, rows in excluded.items():
        counted = [row for row in rows if records[row] > 0]
        ledger.exclude(
            reason, int(records[counted].sum()) * width, source_rows[counted][:5].tolist()
        )
    return codes, names, ok


def cell_text(cell: object) -> str:
    """Return a dimension value as text ("1", not "1.0"; booleans as true/false)."""
    if isinstance(cell, bool | np.bool_):
        return "true" if cell else "false"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()
