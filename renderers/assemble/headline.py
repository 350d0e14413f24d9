"""Work out a measure's headline: the latest window against its baseline, and its status."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd

from renderers.assemble.numbers import figure, signed
from renderers.report.statement import STATUSES, Comparator, Headline, Status
from renderers.report.wording import unit_for


def _month(period_end: str) -> date:
    year, month, _ = (int(part) for part in period_end.split("-"))
    return date(year, month, 1)


def _number(row: pd.Series, column: str) -> float | None:
    value = row.get(column)
    if value is None or value is pd.NA:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def status_of(row: pd.Series, improvement: str) -> tuple[Status, str]:
    """Return the status the engine gave the latest row, and why (``improvement`` is unused).

    The verdict is computed once, in the engine (``status`` and ``status_reason`` of
    ``measures run``); a row without a figure has no data.
    """
    del improvement  # the engine has applied the direction already
    if _number(row, "value") is None:
        return "no data", "No figure for the latest window."
    status, reason = row.get("status"), row.get("status_reason")
    if isinstance(status, str) and status in STATUSES:
        return status, reason if isinstance(reason, str) else ""
    return "not comparable", "No status for this figure."


def comparators(row: pd.Series, region_name: str, rate_decimals: int = 1) -> tuple[Comparator, ...]:
    """Return England and Wales, the region and the MSG average (with rank) as text."""
    items = []
    for group, label in (("national", "England and Wales"), ("region", region_name)):
        value = figure(_number(row, f"{group}_rate"), rate_decimals)
        if value is not None:
            items.append(Comparator(label, f"{value} per 100,000"))
        elif _reason(row, group):
            items.append(Comparator(label, f"no figure: {_reason(row, group)}"))
    average = figure(_number(row, "msg_average"), rate_decimals)
    if average is None and _reason(row, "msg"):
        items.append(Comparator("Most similar group average", f"no figure: {_reason(row, 'msg')}"))
    if average is not None:
        rank, size = _number(row, "msg_rank"), _number(row, "msg_size")
        ranked = (
            f" (force ranked {int(rank)} of {int(size)}; ranks between close rates mean little)"
            if rank and size
            else ""
        )
        items.append(Comparator("Most similar group average", f"{average} per 100,000{ranked}"))
    return tuple(items)


def _reason(row: pd.Series, group: str) -> str:
    """Return why the group's comparator is empty in this row (the engine says), or ``""``."""
    reason = row.get(f"{group}_empty_reason")
    return reason if isinstance(reason, str) else ""


def _places(row: pd.Series, decimals: int) -> int:
    """Return the decimals of the baseline and change: more when the baseline is an average.

    A quarterly measure's baseline year is the average quarter (3.25 disruptions); rounding
    it to a whole number would hide a quarter of the change.
    """
    baseline = _number(row, "baseline")
    if decimals or baseline is None or abs(baseline - round(baseline)) < 1e-9:
        return decimals  # figures shown with decimals already say enough
    return 2


def headline_for(
    rows: pd.DataFrame, force_code: str, improvement: str, decimals: int, region_name: str
) -> Headline | None:
    """Return the headline of the force's latest window with a figure, or None without one."""
    own = rows.loc[(rows["area_code"] == force_code) & rows["component"].isna()]
    valued = own.loc[own["value"].notna()].sort_values("period_end")
    if valued.empty:
        return None
    row = valued.iloc[-1]
    status, why = status_of(row, improvement)
    value = figure(row["value"], decimals) or ""
    return Headline(
        value=value,
        unit=unit_for(value, str(row["unit"])),
        window=str(row["window"]),
        status=status,
        status_detail=why,
        data_from=_month(str(row["window_start"])),
        data_to=_month(str(row["period_end"])),
        baseline_label=row.get("baseline_label")
        if isinstance(row.get("baseline_label"), str)
        else None,
        baseline_value=figure(_number(row, "baseline"), _places(row, decimals)),
        # A change in a percentage is in percentage points, not per cent.
        change=signed(
            _number(row, "change"),
            _places(row, decimals),
            " percentage points" if str(row["unit"]) == "%" else "",
        ),
        # A percentage change on fewer than 20 events says more about chance: not shown.
        change_pct=None
        if "small_numbers" in str(row.get("flags", ""))
        else signed(_number(row, "change_pct"), 1, "%"),
        rate_per_100k=_with_estimate(
            figure(_number(row, "rate_per_100k"), 1), row.get("population_estimate")
        ),
        baseline_rate_per_100k=_with_estimate(
            figure(_number(row, "baseline_rate_per_100k"), 1),
            row.get("baseline_population_estimate"),
        ),
        comparators=comparators(row, region_name),
    )


def _with_estimate(rate: str | None, estimate: object) -> str | None:
    """Return a rate with the population estimate it divides by: ``49.7 (mid-2020 estimate)``."""
    if rate is None:
        return None
    return f"{rate} ({estimate} population estimate)" if isinstance(estimate, str) else rate
