"""Work out a measure's headline: the latest window against its baseline, and its status."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd

from renderers.assemble.numbers import figure, signed
from renderers.report.statement import Comparator, Headline, Status


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
    """Return the direction-aware status of the latest row, and why.

    Counts are judged by the exact Poisson test of the window against the baseline;
    percentages and other figures by the SPC reading of the latest period.
    """
    change = _number(row, "change")
    if _number(row, "value") is None:
        return "no data", "No figure for the latest window."
    if change is None:
        if _number(row, "baseline") is not None:
            return "not comparable", "The window ends before the baseline, so it is not compared."
        return "not comparable", "No baseline to compare with."
    p_value = _number(row, "change_p_value")
    if p_value is not None:
        if p_value >= 0.05:
            return (
                "no significant change",
                f"The change is within chance (exact Poisson test, p = {p_value:.2f}).",
            )
        return _direction(change, improvement, f"exact Poisson test, p = {p_value:.3f}")
    variation = row.get("spc_variation")
    if isinstance(variation, str):
        if variation == "common_cause":
            return (
                "no significant change",
                "The latest period shows common-cause variation only (SPC).",
            )
        if variation in {"improvement", "concern"}:
            status: Status = "improving" if variation == "improvement" else "worsening"
            return status, f"Special-cause {variation} in the latest period (SPC)."
        return "not comparable", "Special-cause variation (SPC), but neither direction is better."
    return "not comparable", "No statistical test applies to this figure."


def _direction(change: float, improvement: str, test: str) -> tuple[Status, str]:
    if change == 0:
        # No movement is neither better nor worse, whatever a test says about it.
        return "no significant change", f"The figure equals its baseline ({test})."
    if improvement == "neutral":
        return "not comparable", f"A significant change ({test}); neither direction is better."
    better = change < 0 if improvement == "lower_is_better" else change > 0
    return ("improving" if better else "worsening"), f"A significant change ({test})."


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
        ranked = f" (force ranked {int(rank)} of {int(size)})" if rank and size else ""
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


def unit_for(value: str, unit: str) -> str:
    """Return the unit as the figure reads it: ``1 offence``, ``2 offences``.

    Units are written plural in definitions; a figure of exactly one drops the plural ``s``.
    """
    return unit[:-1] if value == "1" and unit.endswith("s") and len(unit) > 1 else unit


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
        change_pct=signed(_number(row, "change_pct"), 1, "%"),
        rate_per_100k=figure(_number(row, "rate_per_100k"), 1),
        comparators=comparators(row, region_name),
    )
