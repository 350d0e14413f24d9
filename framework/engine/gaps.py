"""Name the periods a window lacks, so an empty figure says why it is empty."""

from __future__ import annotations

import numpy as np
import pandas as pd

from framework.periods import financial_quarter_label, long_month


def period_name(period_end: int, step: int) -> str:
    """Name one period of the grain: ``February 2021`` or ``2015/16-Q1``."""
    return long_month(period_end) if step == 1 else financial_quarter_label(period_end)


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
    for row, column in zip(*np.nonzero(gaps), strict=True):
        first = max(0, int(head[row]))
        lacking = [names[first + i] for i in np.flatnonzero(values[first : row + 1, column])]
        if before[row]:
            lacking.append(out[row, column])
        out[row, column] = ", ".join(lacking)
    return pd.DataFrame(out, index=gap.index, columns=gap.columns)
