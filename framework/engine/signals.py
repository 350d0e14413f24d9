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
from framework.engine.results import spread, without
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
    # The new columns are gathered as arrays and joined once: setting them one by one (and
    # by ``.loc``) copies the frame each time.
    added: dict[str, object] = {}
    flags = np.full(len(rows), "", dtype=object)
    periods = rows["period"].to_numpy(dtype="int64")
    last = int(periods.max()) if len(rows) else None
    # No rows (cut before the data begin): no reading, rather than one of every period.
    reading = spc_for(evaluated, profile_of, force_code, last) if last is not None else None
    own = (rows["area_code"] == force_code).to_numpy(dtype=bool) & rows[
        "component"
    ].isna().to_numpy(dtype=bool)
    if reading is not None:
        series, result = reading
        added.update(_spc_columns(series, result, periods, own, rows.index))
        if result.trial_limits:
            flags[own] = "trial_limits"
    if evaluated.plan.aggregation.additive and "baseline" in rows:
        added.update(_significance(rows, flags, evaluated, own))
    added["signal_flags"] = pd.Series(flags, index=rows.index, dtype="object")
    kept = without(rows, list(added))
    return pd.concat([kept, pd.DataFrame(added, index=rows.index)], axis=1)


def _spc_columns(
    series: pd.Series, result: SpcResult, periods: np.ndarray, own: np.ndarray, index: pd.Index
) -> dict[str, pd.Series]:
    """Spread the force's SPC reading over its rows by period; other rows are left empty."""
    at = series.index.get_indexer(pd.Index(periods))
    # A row outside the SPC run, or not the force's own total, takes no reading.
    found = own & (at >= 0)
    take = np.where(found, at, 0)
    limits = result.limits
    columns: dict[str, pd.Series] = {}
    for column, values in (
        ("spc_value", limits.values),
        ("spc_mean", limits.mean),
        ("spc_upper_limit", limits.upper_limit),
        ("spc_lower_limit", limits.lower_limit),
        ("spc_near_upper", limits.near_upper),
        ("spc_near_lower", limits.near_lower),
    ):
        numbers = np.asarray(values, dtype="float64")[take] if len(values) else take * np.nan
        numbers[~found] = np.nan
        columns[column] = pd.Series(numbers, index=index, dtype="float64")
    for column, labels in (("spc_rule", result.rules.rule), ("spc_variation", result.variation)):
        columns[column] = _words(list(labels), take, found, index)
    # The icons read the latest point: only rows inside the SPC run carry them.
    for column, value in (
        ("spc_variation_icon", result.variation_icon),
        ("spc_assurance_icon", result.assurance_icon),
        ("spc_profile", result.profile.id),
    ):
        if isinstance(value, str):
            # The word, or NaN off the run: taken from a two-value column of text.
            columns[column] = spread([value, None], np.where(found, 0, 1), index)
            continue
        cells = np.full(len(index), np.nan, dtype=object)
        cells[found] = value
        columns[column] = pd.Series(cells, index=index, dtype="object")
    return columns


def _words(labels: list[object], take: np.ndarray, found: np.ndarray, index: pd.Index) -> pd.Series:
    """Return ``labels[take]`` where ``found``, else NaN, typed as their values infer.

    Only the labels the rows take decide the column's type (text when all are words), as a
    column of the taken values would. Words are spelt once and spread over the rows; other
    labels (a rule that did not fire is None) stay objects.
    """
    used, at = np.unique(take[found], return_inverse=True)
    words = [labels[int(i)] for i in used.tolist()]
    if not words or not all(isinstance(word, str) for word in words):
        taken = np.full(len(index), np.nan, dtype=object)
        taken[found] = np.asarray(labels, dtype=object)[take[found]]
        return pd.Series(taken, index=index)
    spelt = np.full(len(index), len(words), dtype=np.intp)  # NaN, after the words
    spelt[found] = at.reshape(-1)
    return spread([*(str(word) for word in words), None], spelt, index)


def _significance(
    rows: pd.DataFrame, flags: np.ndarray, evaluated: Evaluated, own: np.ndarray
) -> dict[str, np.ndarray]:
    """Return rate intervals and flag small counts in ``flags``; the status's test is elsewhere.

    The test of the change against the baseline is :mod:`.status`'s.
    """
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
    current = own & (rows["period"].to_numpy() >= baseline.last)
    for i in np.flatnonzero(current):
        count, base = values[i], baselines[i] * windows
        if _is_count(count) and _is_count(base):
            small[i] = is_small_numbers(count, round(base))
            if populations is not None and populations[i] > 0:
                estimate = rate_interval(count, populations[i])
                rate_low[i], rate_high[i] = estimate.interval.low, estimate.interval.high
    for i in np.flatnonzero(small):
        flags[i] = f"{flags[i]};small_numbers" if flags[i] else "small_numbers"
    if populations is None:
        return {}
    return {"rate_ci_low": rate_low, "rate_ci_high": rate_high}


def _is_count(value: float) -> bool:
    return math.isfinite(value) and value >= 0 and abs(value - round(value)) < 1e-6
