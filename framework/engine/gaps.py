"""Name the periods a window lacks, so an empty figure says why it is empty."""

from __future__ import annotations

import numpy as np
import pandas as pd

from framework.periods import financial_quarter_label, long_month


def period_name(period_end: int, step: int) -> str:
    """Name one period of the grain: ``February 2021`` or ``2015/16-Q1``."""
    return long_month(period_end) if step == 1 else financial_quarter_label(period_end)


MAX_MASK_PERIODS = 40
"""Windows of up to this many periods have their gaps keyed by a bit mask (an int64)."""


def _lacking(
    gaps: np.ndarray, row: int, head: np.ndarray, before: np.ndarray, names: list[str], text: str
) -> str:
    """Name the periods the window ending at ``row`` lacks, and those before the data."""
    first = max(0, int(head[row]))
    lacking = [names[first + i] for i in np.flatnonzero(gaps[first : row + 1])]
    if before[row]:
        lacking.append(text)
    return ", ".join(lacking)


def missing_in_window(per_period: dict[str, pd.DataFrame], periods: int, step: int) -> pd.DataFrame:
    """Return, per window end and key, the names of the periods the window lacks ("" if none).

    ``per_period`` holds each part's table of periods × keys, NaN where the source did not
    report the period (or marked its value missing); a window lacks a period when any part
    does. Periods before the data begin are counted, not named.
    """
    tables = [table for name, table in per_period.items() if not name.startswith("_")]
    if not tables:
        return pd.DataFrame()
    gap = tables[0].isna()
    for table in tables[1:]:
        gap = gap | table.reindex_like(gap).isna()
    values = gap.to_numpy(dtype=bool)
    ends = gap.index.to_numpy(dtype=np.int64)
    names = [period_name(int(end), step) for end in ends]
    out = np.full(values.shape, "", dtype=object)
    # Periods before the data begin: the first rows' windows start before the first period.
    head = np.arange(len(ends)) - periods + 1
    before = np.maximum(0, -head)
    for row in np.flatnonzero(before):
        out[row, :] = f"{before[row]} period(s) before the data begin"
    # Only the cells whose window holds a gap need their periods named.
    seen = np.cumsum(values, axis=0, dtype=np.int64)
    gaps = seen.copy()
    gaps[periods:] -= seen[:-periods]
    rows, columns = np.nonzero(gaps)
    if periods > MAX_MASK_PERIODS:
        for end, key in zip(rows.tolist(), columns.tolist(), strict=True):
            text = out[end, key]
            out[end, key] = _lacking(values[:, key], end, head, before, names, text)
        return pd.DataFrame(out, index=gap.index, columns=gap.columns, dtype=object)
    # Cells whose windows lack the same periods share a name: each window end's gaps as a
    # bit mask (bit i: the period i before the end), spelt once per distinct end and mask.
    mask = np.zeros(values.shape, dtype=np.int64)
    for back in range(min(periods, len(ends))):
        mask[back:] |= values[: len(ends) - back].astype(np.int64) << back
    keys = rows.astype(np.int64) * (1 << periods) + mask[rows, columns]
    distinct, first_cell, at = np.unique(keys, return_index=True, return_inverse=True)
    spelt = np.empty(len(distinct), dtype=object)
    for i, cell in enumerate(first_cell.tolist()):
        at_row, at_column = int(rows[cell]), int(columns[cell])
        text = out[at_row, at_column]
        spelt[i] = _lacking(values[:, at_column], at_row, head, before, names, text)
    out[rows, columns] = spelt[at.reshape(-1)]
    return pd.DataFrame(out, index=gap.index, columns=gap.columns, dtype=object)
