"""Attach statistical signals to a measure's rows: SPC on the per-period series, Poisson tests.

SPC runs on each period's own figure (a quarter's count, a month's percentage), not on
rolling totals: overlapping windows are autocorrelated and would flag runs that are only
the window's echo.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from framework.engine.evaluate import Evaluated
from framework.engine.plan import CompareBaseline, Signal
from framework.engine.series import window_ends_in
from framework.model.measure import SpcRebase
from framework.model.spc import SpcProfile
from framework.periods import parse_period
from framework.stats.poisson import is_small_numbers, rate_interval
from framework.stats.spc import SeriesKind, SpcResult, analyse_series
from framework.stats.xmr import Rebase

SPC_COLUMNS = (
    "spc_value", "spc_mean", "spc_upper_limit", "spc_lower_limit", "spc_near_upper",
    "spc_near_lower", "spc_rule", "spc_variation",
)  # fmt: skip


def latest_run(series: pd.Series, last: int | None) -> pd.Series:
    """Return the latest unbroken run of values up to ``last``: SPC needs contiguous points."""
    if last is not None:
        series = series.loc[series.index <= last]
    valued = series.notna().to_numpy()
    if not valued.any():
        return series.iloc[0:0]
    end = int(np.flatnonzero(valued)[-1])
    gaps = np.flatnonzero(~valued[: end + 1])
    start = int(gaps[-1]) + 1 if len(gaps) else 0
    return series.iloc[start : end + 1]


ProfileLookup = Callable[[str], SpcProfile | None]
"""Find an SPC rule profile by id (the catalogue's ``spc_profile``)."""


def spc_for(
    evaluated: Evaluated, profile_of: ProfileLookup, force_code: str, last: int | None
) -> tuple[pd.Series, SpcResult] | None:
    """Return the force's per-period series and its SPC reading, when the measure asks for SPC."""
    signal = next(step for step in evaluated.plan.steps if isinstance(step, Signal))
    if signal.spc_profile is None:
        return None
    profile = profile_of(signal.spc_profile)
    if profile is None:
        return None
    series = latest_run(evaluated.per_period.figure[force_code], last)
    if len(series) < 2:
        return None
    measure = evaluated.plan.measure
    values = series.to_numpy(dtype="float64")
    kind, denominators = series_kind(evaluated, force_code, series.index.to_numpy(), values)
    result = analyse_series(
        values,
        profile,
        improvement=measure.improvement,
        target=measure.presentation.target,
        rebases=rebases_in(series, measure.presentation.spc_rebases, evaluated.plan.step),
        kind=kind,
        denominators=denominators,
    )
    return series, result


def series_kind(
    evaluated: Evaluated, code: str, periods: np.ndarray, values: np.ndarray
) -> tuple[SeriesKind, np.ndarray | None]:
    """Return what a force's per-period values are, for the SPC limits, and any denominators.

    Proportions with a denominator get p-chart limits; sums of whole, non-negative numbers
    are counts (limits never below zero, Poisson limits when rare); anything else is a
    measurement.
    """
    aggregation = evaluated.plan.aggregation
    parts = evaluated.per_period.parts
    if aggregation.kind == "proportion" and "denominator" in parts:
        denominators = parts["denominator"][code].reindex(periods).to_numpy(dtype="float64")
        return "proportion", denominators
    whole = np.all(values >= 0) and np.allclose(values, np.round(values))
    if aggregation.additive and whole:
        return "count", None
    return "measurement", None


def rebases_in(series: pd.Series, rebases: Sequence[SpcRebase], step: int) -> list[Rebase]:
    """Turn dated rebases into positions of the series; those outside it (or at its start) drop.

    A rebase dated inside a period (a month of a quarter) starts from that period.
    """
    periods = series.index.to_numpy(dtype="int64")
    positions = []
    for rebase in rebases:
        end = parse_period(rebase.at).last
        end += (step - 1 - end % step) if step > 1 else 0
        at = int(np.searchsorted(periods, end))
        if 0 < at < len(periods):
            positions.append(Rebase(at, rebase.reason))
    return positions


def attach_signals(
    rows: pd.DataFrame, evaluated: Evaluated, profile_of: ProfileLookup, force_code: str
) -> pd.DataFrame:
    """Return ``rows`` with SPC and significance columns where the measure asks for them."""
    rows = rows.copy()
    flags = pd.Series("", index=rows.index, dtype="object")
    last = int(rows["period"].max()) if len(rows) else None
    # No rows (cut before the data begin): no reading, rather than one of every period.
    reading = spc_for(evaluated, profile_of, force_code, last) if last is not None else None
    own = (rows["area_code"] == force_code) & rows["component"].isna()
    if reading is not None:
        series, result = reading
        limits = result.limits
        table = pd.DataFrame(
            {
                "spc_value": limits.values,
                "spc_mean": limits.mean,
                "spc_upper_limit": limits.upper_limit,
                "spc_lower_limit": limits.lower_limit,
                "spc_near_upper": limits.near_upper,
                "spc_near_lower": limits.near_lower,
                "spc_rule": pd.Series(result.rules.rule, dtype="object"),
                "spc_variation": pd.Series(result.variation, dtype="object"),
            },
        )
        table.index = series.index
        for column in SPC_COLUMNS:
            rows[column] = rows["period"].map(table[column]).where(own)
        # The icons read the latest point: only rows inside the SPC run carry them.
        in_run = own & rows["period"].isin(series.index)
        rows.loc[in_run, "spc_variation_icon"] = result.variation_icon
        rows.loc[in_run, "spc_assurance_icon"] = result.assurance_icon
        rows.loc[in_run, "spc_profile"] = result.profile.id
        if result.trial_limits:
            flags.loc[own] = "trial_limits"
    if evaluated.plan.aggregation.additive and "baseline" in rows:
        rows, flags = _significance(rows, flags, evaluated, own)
    rows["signal_flags"] = flags
    return rows


def _significance(
    rows: pd.DataFrame, flags: pd.Series, evaluated: Evaluated, own: pd.Series
) -> tuple[pd.DataFrame, pd.Series]:
    """Add rate intervals and flag small counts; the status's test is :mod:`.status`'s."""
    baseline = next(step for step in evaluated.plan.steps if isinstance(step, CompareBaseline))
    windows = len(
        window_ends_in(baseline.first, baseline.last, baseline.window_months, evaluated.plan.step)
    )
    rate_low = np.full(len(rows), np.nan)
    rate_high = np.full(len(rows), np.nan)
    small = np.zeros(len(rows), dtype=bool)
    values = rows["value"].to_numpy(dtype="float64")
    baselines = rows["baseline"].to_numpy(dtype="float64")
    populations = rows["population"].to_numpy(dtype="float64") if "population" in rows else None
    # Only the windows a statement compares with the baseline: from its end onwards.
    current = own.to_numpy() & (rows["period"].to_numpy() >= baseline.last)
    for i in np.flatnonzero(current):
        count, base = values[i], baselines[i] * windows
        if _is_count(count) and _is_count(base):
            small[i] = is_small_numbers(count, round(base))
            if populations is not None and populations[i] > 0:
                estimate = rate_interval(count, populations[i])
                rate_low[i], rate_high[i] = estimate.interval.low, estimate.interval.high
    if populations is not None:
        rows["rate_ci_low"] = rate_low
        rows["rate_ci_high"] = rate_high
    flags = flags.where(~small, flags.map(lambda f: f"{f};small_numbers" if f else "small_numbers"))
    return rows, flags


def _is_count(value: float) -> bool:
    return math.isfinite(value) and value >= 0 and abs(value - round(value)) < 1e-6
