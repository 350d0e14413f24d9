"""Say which period a run ``--as-of`` a month answers for, when it is not that month, and why."""

from __future__ import annotations

import pandas as pd

from framework.engine.plan import EvaluationPlan
from framework.periods import long_month

QUARTER_ENDS = "March, June, September and December"


def latest_end(month: int, step: int) -> int:
    """Return the end of the latest period of the grain at or before ``month``."""
    return month - (month + 1) % step


def as_of_note(plan: EvaluationPlan, rows: pd.DataFrame, as_of: int) -> str:
    """Return why the latest figure at ``as_of`` is for an earlier window, or "" when it is not.

    ``rows`` are the measure's result rows up to ``as_of``; the figure answered is the latest
    total with a value. Two reasons can apply: the grain (a quarterly measure's windows end
    only at quarter ends) and the data (no figure for a later window).
    """
    end = latest_end(as_of, plan.step)
    totals = rows.loc[rows["component"].isna() & rows["value"].notna(), "period"]
    answered = int(totals.max()) if len(totals) else None
    if answered == as_of:
        return ""
    reasons = []
    if end != as_of:
        reasons.append(
            f"a {plan.measure.grain}ly measure's windows end in {QUARTER_ENDS}, and "
            f"{long_month(as_of)} falls inside the quarter to {long_month(end + plan.step)}, "
            "which is not complete"
        )
    lacking = _lacking(rows, end)
    if answered is None:
        reasons.append(f"no window ending by {long_month(as_of)} has a figure{lacking}")
        return f"as of {long_month(as_of)}: no figure; " + "; ".join(reasons)
    if answered < end:
        reasons.append(
            f"the data give no figure for the {plan.window_label(end)}{lacking}; the latest "
            f"is for the {plan.window_label(answered)}"
        )
    return (
        f"as of {long_month(as_of)} this answers for the {plan.window_label(answered)}: "
        + "; ".join(reasons)
    )


def _lacking(rows: pd.DataFrame, end: int) -> str:
    """Name what the window ending ``end`` lacks, as its results row says, if it says."""
    if "missing_in_window" not in rows:
        return ""
    at = rows.loc[rows["component"].isna() & (rows["period"] == end), "missing_in_window"]
    names = [str(text) for text in at.dropna() if str(text)]
    return f" (it lacks {names[0]})" if names else ""
