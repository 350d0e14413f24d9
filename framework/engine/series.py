"""Window arithmetic on wide period-by-key tables: complete grids, rolling sums, baselines.

Every function here is pure and vectorised. Tables are indexed by month index (the last
month of each period) at a fixed step (1 for months, 3 for quarters) and have one column
per key (an area, or an area and component). A missing period is NaN, never a zero,
unless the caller zero-fills a source that declares itself complete.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


def bucket(periods: pd.Series, step: int) -> pd.Series:
    """Map month indexes to the last month of the ``step``-month period holding them.

    Quarters end in March, June, September and December: month index % 3 == 2.
    """
    if step == 1:
        return periods
    return periods + (step - 1 - periods % step)


def period_range(first: int, last: int, step: int) -> pd.Index:
    """Return every period end from ``first`` to ``last`` inclusive at ``step`` months."""
    return pd.Index(np.arange(first, last + 1, step, dtype="int64"), name="period")


def to_wide(
    long: pd.DataFrame, keys: list[str], value: str, periods: pd.Index, fill_zero: bool
) -> pd.DataFrame:
    """Sum ``value`` by period and keys into a table over ``periods``; absent cells are NaN.

    When ``fill_zero`` is true (a complete source), an absent cell means nothing happened
    and becomes 0. Keys with no row at all still get a column only if listed by the caller.
    """
    summed = long.groupby(["period", *keys], observed=True, sort=False)[value].sum(min_count=1)
    wide = summed.unstack(keys) if keys else summed.to_frame(value)
    wide = wide.reindex(periods)
    if fill_zero:
        wide = wide.fillna(0.0)
    return wide.astype("float64")


@dataclass(frozen=True)
class Windowed:
    """Rolling-window totals and, per cell, how many of the window's periods were missing."""

    totals: pd.DataFrame
    missing: pd.DataFrame


def rolling_sum(values: np.ndarray, periods: int) -> np.ndarray:
    """Sum each column of a periods × keys array over its last ``periods`` rows.

    A window with a gap (a NaN) is NaN, and so are the first ``periods - 1`` rows, whose
    windows start before the data: the same cells as pandas' ``rolling(periods,
    min_periods=periods).sum()``.
    """
    out = np.full(values.shape, np.nan, dtype="float64")
    if periods <= len(values):
        windows = np.lib.stride_tricks.sliding_window_view(values, periods, axis=0)
        out[periods - 1 :] = windows.sum(axis=-1)
    return out


def rolling(wide: pd.DataFrame, periods: int) -> Windowed:
    """Sum each column over the last ``periods`` rows; a window with a gap is NaN, not shorter.

    The first ``periods - 1`` rows have incomplete windows and are NaN with their count of
    missing periods (those before the data starts count as missing).
    """
    values = wide.to_numpy(dtype="float64")
    totals = pd.DataFrame(rolling_sum(values, periods), index=wide.index, columns=wide.columns)
    # Gaps in each window: a running count of the missing periods, differenced.
    seen = np.cumsum(np.isnan(values), axis=0, dtype="int64")
    gaps = seen.copy()
    gaps[periods:] -= seen[:-periods]
    head = np.minimum(np.arange(len(wide)), periods - 1)
    before_start = (periods - 1 - head).astype("int64")
    missing = pd.DataFrame(gaps + before_start[:, None], index=wide.index, columns=wide.columns)
    return Windowed(totals, missing)


def window_ends_in(first: int, last: int, window_months: int, step: int) -> list[int]:
    """Return the ends of non-overlapping windows tiling ``first..last`` from its end.

    ``first`` and ``last`` are inclusive month indexes; the windows are ``window_months``
    long, aligned so the last one ends at the period holding ``last``.
    """
    end = last - (last % step) + (step - 1) if step > 1 else last
    ends = []
    while end - window_months + 1 >= first:
        ends.append(end)
        end -= window_months
    return sorted(ends)
