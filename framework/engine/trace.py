"""Trace a figure back to the source rows it was computed from."""

from __future__ import annotations

import pandas as pd

from framework.engine.evaluate import filter_rows
from framework.engine.plan import EvaluationPlan, KeepRows, Roll
from framework.engine.series import bucket


def period_end_at(plan: EvaluationPlan, month: int) -> int:
    """Return the end of the plan's latest period at or before ``month``.

    Monthly measures end every month; quarterly ones in March, June, September and
    December, so ``2019-05`` means the window ending March 2019, as ``run --as-of`` does.
    """
    return month - (month + 1) % plan.step


def window_span(plan: EvaluationPlan, period_end: int) -> tuple[int, int]:
    """Return the first and last month (inclusive) of the source rows behind a window.

    A publisher's rolling total (ONS editions) is one row at the window's end.
    """
    roll = next(step for step in plan.steps if isinstance(step, Roll))
    if roll.published:
        return period_end, period_end
    return period_end - plan.window_months + 1, period_end


def source_rows(
    plan: EvaluationPlan, frame: pd.DataFrame, area_code: str, period_end: int
) -> pd.DataFrame:
    """Return the canonical rows that make up the figure of ``area_code`` ending ``period_end``.

    The rows are those the plan keeps (its filters) in the window's months, with their
    source file and row number, so a figure can be checked against the published table.
    """
    keep = next(step for step in plan.steps if isinstance(step, KeepRows))
    first, last = window_span(plan, period_end)
    rows = frame.loc[frame["area_code"] == area_code]
    rows = filter_rows(rows, keep.filters)
    periods = bucket(rows["period"].astype("int64"), plan.step)
    rows = rows.loc[(periods >= first) & (periods <= last)]
    return rows.sort_values(["period", "source_row"] if "source_row" in rows else ["period"])
