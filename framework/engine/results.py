"""Lay an evaluated measure out as tidy rows: one per area, period and component."""

from __future__ import annotations

import numpy as np
import pandas as pd

from framework.engine.comparators import averaged, pooled, rate_per_100k
from framework.engine.evaluate import Evaluated, _align_population
from framework.periods import month_end_iso, month_label

SMALL_WINDOW_MISSING = "missing_periods"


def _stack(wide: pd.DataFrame, name: str, codes: list[str]) -> pd.Series:
    if isinstance(wide.columns, pd.MultiIndex):
        wide = wide.loc[:, wide.columns.get_level_values(0).isin(codes)]
        levels = list(range(wide.columns.nlevels))
    else:
        wide = wide.reindex(columns=codes)
        levels = [0]
    stacked = wide.stack(levels, future_stack=True)
    assert isinstance(stacked, pd.Series)
    return stacked.rename(name)


def total_rows(
    evaluated: Evaluated, codes: list[str], names: dict[str, str], force_code: str
) -> pd.DataFrame:
    """Return the rows of the measure's totals for the areas ``codes``, with comparators."""
    plan = evaluated.plan
    totals = evaluated.totals
    columns: dict[str, pd.Series] = {
        "value": _stack(totals.figure, "value", codes),
        "missing_periods": _stack(totals.missing.astype("float64"), "missing_periods", codes),
        "rows_in_window": _stack(totals.rows, "rows_in_window", codes),
    }
    for part, wide in totals.parts.items():
        columns[part] = _stack(wide, part, codes)
    rates = rate_per_100k(evaluated)
    if rates is not None:
        columns["rate_per_100k"] = _stack(rates, "rate_per_100k", codes)
        pop = _align_population(evaluated.population, totals.figure)
        columns["population"] = _stack(pop, "population", codes)
    frame = pd.DataFrame(columns).reset_index()
    frame = frame.rename(columns={frame.columns[1]: "area_code"})
    frame.insert(2, "component", pd.Series(pd.NA, index=frame.index, dtype="string"))
    if evaluated.baseline is not None:
        frame["baseline"] = frame["area_code"].map(evaluated.baseline)
    by_period: dict[str, pd.Series] = {}
    for group, members in plan.groups.items():
        if group == "msg":
            average = averaged(
                evaluated, members, force_code, plan.measure.improvement == "higher_is_better"
            )
            by_period["msg_average"] = average.mean
            by_period["msg_rank"] = average.rank
            by_period["msg_size"] = average.size
            continue
        figures = pooled(evaluated, members)
        by_period[f"{group}_value"] = figures.figure
        if figures.rate is not None:
            by_period[f"{group}_rate"] = figures.rate
        by_period[f"{group}_members_with_data"] = figures.members_with_data
        by_period[f"{group}_members"] = pd.Series(figures.members, index=figures.figure.index)
    if by_period:
        comparators = pd.DataFrame(by_period)
        frame = frame.merge(comparators, left_on="period", right_index=True, how="left")
        # The MSG rank is the force's own; other areas' rows leave it empty.
        if "msg_rank" in frame:
            frame.loc[frame["area_code"] != force_code, "msg_rank"] = np.nan
    frame["area"] = frame["area_code"].map(names)
    return frame


def component_rows(evaluated: Evaluated, codes: list[str], names: dict[str, str]) -> pd.DataFrame:
    """Return one row per area, period and component of the measure's breakdown."""
    components = evaluated.components
    if components is None:
        return pd.DataFrame()
    columns = {"value": _stack(components.figure, "value", codes)}
    columns["missing_periods"] = _stack(
        components.missing.astype("float64"), "missing_periods", codes
    )
    columns["rows_in_window"] = _stack(components.rows, "rows_in_window", codes)
    frame = pd.DataFrame(columns).reset_index()
    keys = list(frame.columns[1 : 1 + components.figure.columns.nlevels])
    frame = frame.rename(columns={keys[0]: "area_code"})
    frame["component"] = frame[keys[1:]].astype("string").agg(" / ".join, axis=1)
    frame = frame.drop(columns=keys[1:])
    if evaluated.component_baseline is not None:
        lookup = {
            (key[0], " / ".join(map(str, key[1:]))): value
            for key, value in evaluated.component_baseline.items()
            if isinstance(key, tuple)
        }
        frame["baseline"] = [
            lookup.get((code, component), np.nan)
            for code, component in zip(frame["area_code"], frame["component"], strict=True)
        ]
    frame["area"] = frame["area_code"].map(names)
    return frame


def finish(frame: pd.DataFrame, evaluated: Evaluated, as_of: int | None) -> pd.DataFrame:
    """Add the change columns, period labels and flags, and cut the rows at ``as_of``."""
    plan = evaluated.plan
    if as_of is not None:
        frame = frame.loc[frame["period"] <= as_of]
    frame = frame.copy()
    if "baseline" in frame:
        frame["change"] = frame["value"] - frame["baseline"]
        with np.errstate(divide="ignore", invalid="ignore"):
            frame["change_pct"] = (
                frame["change"] / frame["baseline"].where(frame["baseline"] != 0) * 100
            )
    frame.insert(0, "measure", plan.measure.id)
    frame["period_end"] = frame["period"].map(month_end_iso)
    frame["period_label"] = frame["period"].map(month_label)
    frame["window"] = frame["period"].map(plan.window_label)
    frame["unit"] = plan.measure.presentation.unit
    frame["baseline_label"] = plan.measure.baseline.label if plan.measure.baseline else None
    return frame
