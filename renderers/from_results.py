"""Map the engine's tidy result rows of one measure onto the inputs of each chart kind.

The rows are those ``measures run`` writes (see docs/results.md): this module reads their
columns only, never definitions or sources. Every mapping takes the measure's view, its rows
and the forces' names by code (which only the comparator and funnel charts need), so that
each is the ``from_rows`` of its kind in :mod:`renderers.chart_kinds`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from renderers.vegalite.inputs import (
    CategoriesInputs,
    ChartContext,
    ComparatorInputs,
    FunnelInputs,
    Improvement,
    ProportionInputs,
    SpcInputs,
    TrendInputs,
)

GROUP_NAMES = {"national": "England and Wales", "region": "Region", "msg": "Most similar group"}


@dataclass(frozen=True)
class MeasureView:
    """What the charts say about a measure besides its rows."""

    title: str
    unit: str
    decimals: int
    improvement: Improvement
    force_code: str
    force_name: str
    region_name: str
    synthetic: bool
    illustrative_msg: bool
    baseline_label: str | None
    msg_codes: tuple[str, ...] = ()
    data_period: str = ""


def own_rows(rows: pd.DataFrame, force_code: str) -> pd.DataFrame:
    """Return the force's total rows (no component), in period order."""
    mask = (rows["area_code"] == force_code) & rows["component"].isna()
    return rows.loc[mask].sort_values("period_end")


def context(view: MeasureView, rows: pd.DataFrame, subtitle: str = "") -> ChartContext:
    """Return the chart context: titles, unit, notices and baseline of the force's series."""
    own = own_rows(rows, view.force_code)
    baseline = own["baseline"].dropna() if "baseline" in own else pd.Series(dtype="float64")
    return ChartContext(
        title=view.title,
        unit=view.unit,
        area=view.force_name,
        subtitle=subtitle,
        decimals=view.decimals,
        improvement=view.improvement,
        synthetic=view.synthetic,
        illustrative_msg=view.illustrative_msg,
        data_period=view.data_period,
        baseline_label=view.baseline_label,
        baseline_value=float(baseline.iloc[-1]) if len(baseline) else None,
    )


def _has_values(frame: pd.DataFrame, column: str) -> bool:
    return column in frame and bool(frame[column].notna().any())


def comparator_gaps(view: MeasureView, row: pd.Series) -> str:
    """Say which comparators a row has no figure for, and why (the engine's reasons)."""
    labels = {"national": "England and Wales", "region": view.region_name}
    labels["msg"] = "the most similar group average"
    by_reason: dict[str, list[str]] = {}
    for group, label in labels.items():
        reason = row.get(f"{group}_empty_reason")
        if isinstance(reason, str) and reason:
            by_reason.setdefault(reason, []).append(label)
    lines = []
    for reason, names in by_reason.items():
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        lines.append(f"{listed[0].upper()}{listed[1:]} not shown: {reason}")
    return "; ".join(lines)


def trend_inputs(
    view: MeasureView, rows: pd.DataFrame, names: Mapping[str, str] | None = None
) -> TrendInputs:
    """Return the rolling series with its comparators' rates, when the rows carry them."""
    own = own_rows(rows, view.force_code)
    # Results of several measures share columns: a comparator is drawn only if it has values.
    groups = [g for g in ("national", "region") if _has_values(own, f"{g}_rate")]
    has_msg = _has_values(own, "msg_average") and "rate_per_100k" in own
    comparators = None
    baseline_rate = None
    if (groups or has_msg) and "rate_per_100k" in own:
        parts = [
            pd.DataFrame(
                {
                    "period_end": own["period_end"],
                    "group": view.region_name if g == "region" else GROUP_NAMES[g],
                    "rate_per_100k": own[f"{g}_rate"],
                }
            )
            for g in groups
        ]
        if has_msg:
            parts.append(
                pd.DataFrame(
                    {
                        "period_end": own["period_end"],
                        "group": GROUP_NAMES["msg"],
                        "rate_per_100k": own["msg_average"],
                    }
                )
            )
        comparators = pd.concat(parts, ignore_index=True)
        if _has_values(own, "baseline_rate_per_100k"):
            # The baseline's rate is on the baseline's own population estimate.
            baseline_rate = float(own["baseline_rate_per_100k"].dropna().iloc[-1])
        else:
            has_base = "baseline" in own and "population" in own
            base = own[["baseline", "population"]].dropna() if has_base else None
            if base is not None and len(base):
                baseline_rate = float(base["baseline"].iloc[-1] / base["population"].iloc[-1] * 1e5)
    series = own[["period_end", "value"]].copy()
    if "rate_per_100k" in own:
        series["rate_per_100k"] = own["rate_per_100k"]
    series["flags"] = own.get("flags", "")
    gaps = comparator_gaps(view, own.iloc[-1]) if "rate_per_100k" in own and len(own) else ""
    note = estimates_note(own) if comparators is not None else ""
    subtitle = ". ".join(part for part in (note, gaps) if part)
    return TrendInputs(context(view, rows, subtitle), series, comparators, baseline_rate)


def estimates_note(own: pd.DataFrame) -> str:
    """Say which population estimates the plotted rates divide by ("mid-2016 to mid-2022")."""
    if "population_estimate" not in own:
        return ""
    used = own.loc[own["rate_per_100k"].notna(), "population_estimate"].dropna()
    names = sorted({str(name) for name in used})
    if not names:
        return ""
    span = names[0] if len(names) == 1 else f"{names[0]} to {names[-1]}"
    return f"Rates per 100,000 on the population estimate that fits each window ({span})"


def spc_inputs(
    view: MeasureView, rows: pd.DataFrame, names: Mapping[str, str] | None = None
) -> SpcInputs | None:
    """Return the XmR chart's points, or None when the rows carry no SPC reading."""
    own = own_rows(rows, view.force_code)
    if "spc_value" not in own or own["spc_value"].notna().sum() < 2:
        return None
    points = own.loc[own["spc_value"].notna()]
    table = pd.DataFrame(
        {
            "period_end": points["period_end"],
            "value": points["spc_value"],
            "mean": points["spc_mean"],
            "upper_limit": points["spc_upper_limit"],
            "lower_limit": points["spc_lower_limit"],
            "near_upper": points["spc_near_upper"],
            "near_lower": points["spc_near_lower"],
            "variation": points["spc_variation"],
            "rule": points["spc_rule"].fillna(""),
        }
    )
    latest = points.iloc[-1]
    return SpcInputs(
        context(view, rows, "Each period on its own, with process limits"),
        table,
        variation_icon=str(latest.get("spc_variation_icon") or ""),
        assurance_icon=str(latest.get("spc_assurance_icon") or ""),
    )


def comparator_inputs(
    view: MeasureView, rows: pd.DataFrame, names: Mapping[str, str]
) -> ComparatorInputs | None:
    """Return the latest rates of the force and its MSG, or None without MSG rates."""
    if "rate_per_100k" not in rows or not view.msg_codes:
        return None
    totals = rows.loc[rows["component"].isna() & rows["rate_per_100k"].notna()]
    own = own_rows(totals, view.force_code)
    if own.empty:
        return None
    latest = own["period_end"].iloc[-1]
    at = totals.loc[totals["period_end"] == latest]
    members = at.loc[at["area_code"].isin(view.msg_codes)]
    msg = pd.DataFrame(
        {
            "area": members["area_code"].map(names),
            "rate": members["rate_per_100k"],
            "is_force": members["area_code"] == view.force_code,
        }
    )
    row = own.iloc[-1]
    wider = [
        {"area": view.force_name, "rate": row["rate_per_100k"], "is_force": True},
        {"area": view.region_name, "rate": row.get("region_rate"), "is_force": False},
        {"area": "England and Wales", "rate": row.get("national_rate"), "is_force": False},
    ]
    benchmarks = pd.DataFrame([item for item in wider if pd.notna(item["rate"])])
    estimate = row.get("population_estimate")
    on = f" ({estimate} population estimate)" if isinstance(estimate, str) else ""
    subtitle = f"Rate per 100,000 population{on}, {row['window']}"
    gaps = comparator_gaps(view, row)
    if gaps:
        subtitle += f". {gaps}"
    # The engine's average, never one drawn from the members that happen to have figures.
    reason = row.get("msg_empty_reason")
    average = row.get("msg_average")
    return ComparatorInputs(
        context(view, rows, subtitle),
        msg,
        benchmarks,
        float(average) if pd.notna(average) else None,
        reason if isinstance(reason, str) else "",
    )


def categories_inputs(
    view: MeasureView, rows: pd.DataFrame, names: Mapping[str, str] | None = None
) -> CategoriesInputs | None:
    """Return the per-period counts by component, or None when the measure has no breakdown."""
    parts = rows.loc[(rows["area_code"] == view.force_code) & rows["component"].notna()]
    parts = parts.loc[parts["value"].notna()]
    if parts.empty:
        return None
    data = parts[["period_end", "component", "value"]].rename(columns={"component": "category"})
    return CategoriesInputs(context(view, rows, "Each quarter, by category"), data)


def proportion_inputs(
    view: MeasureView, rows: pd.DataFrame, names: Mapping[str, str] | None = None
) -> ProportionInputs | None:
    """Return the rolling percentage with its numerators and denominators."""
    own = own_rows(rows, view.force_code)
    if "numerator" not in own or "denominator" not in own:
        return None
    series = own[["period_end", "value", "numerator", "denominator"]]
    return ProportionInputs(context(view, rows), series)


FUNNEL_MINIMUM = 10
"""Fewer forces than this with a rate draw no funnel: there is nothing to compare with."""


def funnel_points(
    at: pd.DataFrame, names: Mapping[str, str], roles: str | list[str]
) -> pd.DataFrame:
    """Return a funnel plot's points: each force's name, count, population, rate and role.

    ``at`` holds the forces' total rows of one window; an area without a name keeps its code.
    """
    return pd.DataFrame(
        {
            "area": at["area_code"].map(names).fillna(at["area_code"]),
            "count": at["value"],
            "population": at["population"],
            "rate": at["rate_per_100k"],
            "role": roles,
        }
    )


def funnel_inputs(
    view: MeasureView, rows: pd.DataFrame, names: Mapping[str, str]
) -> FunnelInputs | None:
    """Return every force's latest count, population and rate, or None without enough forces.

    The rows need every force (``measures run --all-forces``, as ``measures render`` runs).
    """
    needed = {"rate_per_100k", "population", "national_rate"}
    if not needed <= set(rows.columns):
        return None
    totals = rows.loc[rows["component"].isna() & rows["rate_per_100k"].notna()]
    own = own_rows(totals, view.force_code)
    if own.empty:
        return None
    row = own.iloc[-1]
    at = totals.loc[totals["period_end"] == row["period_end"]]
    if len(at) < FUNNEL_MINIMUM or pd.isna(row.get("national_rate")):
        return None
    roles = [
        "This force" if code == view.force_code
        else "Most similar group" if code in view.msg_codes else "Other forces"
        for code in at["area_code"]
    ]  # fmt: skip
    forces = funnel_points(at, names, roles)
    average = row.get("msg_average")
    subtitle = f"Rate per 100,000 population against population, {row['window']}"
    return FunnelInputs(
        context(view, rows, subtitle),
        forces,
        float(row["national_rate"]),
        float(average) if pd.notna(average) else None,
    )
