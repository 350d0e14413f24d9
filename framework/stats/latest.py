"""The latest point's SPC variation for many ends of one series, each read as its own chart.

A status judged at several periods of one area reads the SPC chart of the area's series up
to each of them: nested prefixes of one series. :func:`latest_variations` gives, for each
end, what ``analyse_series(values[:end], ...).variation[-1]`` gives without building each
chart: every prefix's centre and limits come from the same arithmetic as
:func:`framework.stats.spc.analyse_series` (so the same floating-point results; whole
numbers, whose sums are exact in any order, from running totals), and the special-cause
rules are read at each prefix's last point only, for all the prefixes at once (one row of
a matrix per prefix).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from framework.model.measure import Improvement
from framework.model.spc import SpcProfile
from framework.stats.arrays import FloatArray, IntArray
from framework.stats.attribute import NEAR, OUTER, laney_sigma_z, poisson_quantile
from framework.stats.rules import sign_within
from framework.stats.spc import SeriesKind
from framework.stats.variation import Variation, better_direction, variation_of
from framework.stats.xmr import RELATIVE_TOLERANCE, as_series, centre_and_range

SCALE = 100.0
"""Proportions are percentages."""


def latest_variations(
    values: Sequence[float] | npt.ArrayLike,
    ends: Sequence[int] | npt.ArrayLike,
    profile: SpcProfile,
    *,
    improvement: Improvement,
    kind: SeriesKind = "measurement",
    denominators: Sequence[float] | npt.ArrayLike | None = None,
) -> tuple[Variation, ...]:
    """Return, for each end, the variation of the last point of the chart of ``values[:end]``.

    Each is ``analyse_series(values[:end], profile, improvement=..., kind=...,
    denominators=denominators[:end]).variation[-1]``: one segment (no rebases). Every end
    must be from 2 to the series' length; the values up to the largest end must be finite.
    """
    series = np.asarray(values, dtype=np.float64)
    stops: IntArray = np.asarray(ends, dtype=np.int64).reshape(-1)
    if series.ndim != 1:
        raise ValueError(f"a series must be one-dimensional, not of shape {series.shape}")
    if not stops.size:
        return ()
    if stops.min() < 2 or stops.max() > len(series):
        raise ValueError(f"each end must be from 2 to {len(series)}, not {stops.tolist()}")
    length = int(stops.max())
    y = as_series(series[:length])
    per_point = None
    if kind == "proportion" and profile.proportion_limits == "p_chart" and denominators is not None:
        per_point = np.asarray(denominators, dtype=np.float64)
        if per_point.shape != series.shape:
            raise ValueError("one denominator per point is needed")
        per_point = per_point[:length]
    centre, limits = _centres_and_limits(y, stops, profile, kind, per_point)
    directions = _latest_directions(y, stops, centre, limits, profile)
    better = better_direction(improvement)
    named = {direction: variation_of(direction, better) for direction in (-1, 0, 1)}
    return tuple(map(named.__getitem__, directions.tolist()))


def _centres_and_limits(
    y: FloatArray,
    stops: IntArray,
    profile: SpcProfile,
    kind: SeriesKind,
    denominators: FloatArray | None,
) -> tuple[FloatArray, FloatArray]:
    """Return each prefix's centre, and its limits at its last three points.

    The limits are an array of shape (4, prefixes, 3): upper, lower, near upper and near
    lower, at positions ``end - 3`` to ``end - 1`` (the first repeated when ``end`` is 2).
    """
    used = np.minimum(stops, profile.fix_after) if profile.fix_after is not None else stops
    mean, average = _whole_bases(y, used, profile) if _sums_exactly(y) else _bases(y, used, profile)
    spread = profile.limit_factor * average
    near = profile.near_limit_fraction * spread
    limits = np.stack([mean + spread, mean - spread, mean + near, mean - near])
    centre = mean.copy()
    if kind == "count":
        limits = np.maximum(limits, 0.0)  # count limits never go below zero
        rare = profile.rare_event_mean
        for k in np.flatnonzero(mean < rare).tolist() if rare is not None else ():
            # A rare count: exact Poisson limits, its runs read around the median.
            at = float(mean[k])
            limits[:, k] = [
                poisson_quantile(at, 1 - OUTER),
                poisson_quantile(at, OUTER),
                poisson_quantile(at, 1 - NEAR),
                poisson_quantile(at, NEAR),
            ]
            centre[k] = float(np.median(y[: stops[k]]))
    tails = np.repeat(limits[:, :, None], 3, axis=2)
    if kind == "proportion":
        if denominators is not None:
            tails = _p_chart_tails(y, stops, centre, tails, denominators, profile)
        tails = np.minimum(np.maximum(tails, 0.0), SCALE)
    return centre, tails


def _sums_exactly(y: FloatArray) -> bool:
    """Return True when every sum of the values (and of their moving ranges) is exact.

    Whole numbers whose magnitudes sum to under 2**52 add up exactly in any order, so a
    mean from running totals is the one ``np.mean`` gives.
    """
    return bool(np.all(y == np.round(y))) and float(np.sum(np.abs(y))) < 2.0**52


def _bases(y: FloatArray, used: IntArray, profile: SpcProfile) -> tuple[FloatArray, FloatArray]:
    """Return the mean and mean moving range of each prefix's first ``used`` points.

    As :func:`framework.stats.xmr.xmr_limits` works them out, prefix by prefix.
    """
    moving_range = np.full(len(y), np.nan)
    moving_range[1:] = np.abs(np.diff(y))
    # With fixed limits, every prefix past ``fix_after`` shares its mean and moving range.
    bases = {u: centre_and_range(y, 0, u, profile, moving_range) for u in set(used.tolist())}
    mean = np.array([bases[u][0] for u in used.tolist()], dtype=np.float64)
    average = np.array([bases[u][1] for u in used.tolist()], dtype=np.float64)
    return mean, average


def _whole_bases(
    y: FloatArray, used: IntArray, profile: SpcProfile
) -> tuple[FloatArray, FloatArray]:
    """Return what :func:`_bases` returns, from running totals, for whole numbers.

    The sums are exact (:func:`_sums_exactly`), so each total divided by its count is
    ``np.mean``'s result; screening compares every prefix's ranges with its threshold at once.
    """
    mean = np.cumsum(y)[used - 1] / used
    ranges = np.abs(np.diff(y))
    totals = np.concatenate(([0.0], np.cumsum(ranges)))
    # Prefix k's ranges are ranges[: used[k] - 1]; there is at least one (used >= 2).
    counts = used - 1
    average = totals[counts] / counts
    if profile.screen_outliers:
        # A zero mean moving range (a flat stretch) would screen every range: none dropped.
        screens = np.flatnonzero(average > 0)
        threshold = profile.screen_factor * average[screens] * (1 - RELATIVE_TOLERANCE)
        keep = (ranges < threshold[:, None]) & (np.arange(len(ranges)) < counts[screens][:, None])
        average[screens] = np.where(keep, ranges, 0.0).sum(axis=1) / keep.sum(axis=1)
    return mean, average


def _p_chart_tails(
    y: FloatArray,
    stops: IntArray,
    centre: FloatArray,
    tails: FloatArray,
    denominators: FloatArray,
    profile: SpcProfile,
) -> FloatArray:
    """Return each prefix's p-chart limits at its last three points (and set its centre).

    As :func:`framework.stats.attribute.p_chart_limits` on the prefix: points with no
    denominator have no limits, and a prefix with none keeps its XmR mean.
    """
    p = y / SCALE
    tails = np.full_like(tails, np.nan)
    for k, stop in enumerate(stops.tolist()):
        n, share = denominators[:stop], p[:stop]
        where = n > 0
        if not where.any():
            continue
        pooled = float(np.sum(share[where] * n[where]) / np.sum(n[where]))
        sigma = np.sqrt(pooled * (1 - pooled) / n[where])
        spread = 1.0
        minimum = profile.laney_min_denominator
        if minimum is not None and np.mean(n[where]) >= minimum:
            spread = laney_sigma_z(share[where], sigma, pooled)
        centre[k] = pooled * SCALE
        last = n[np.maximum(np.arange(stop - 3, stop), 0)]
        with np.errstate(divide="ignore", invalid="ignore"):
            own = np.where(last > 0, np.sqrt(pooled * (1 - pooled) / last), np.nan)
        bands = [
            pooled + 3 * spread * own,
            pooled - 3 * spread * own,
            pooled + 2 * spread * own,
            pooled - 2 * spread * own,
        ]
        tails[:, k, :] = np.clip(np.array(bands), 0.0, 1.0) * SCALE
    return tails


def _latest_directions(
    y: FloatArray,
    stops: IntArray,
    centre: FloatArray,
    limits: FloatArray,
    profile: SpcProfile,
) -> npt.NDArray[np.int8]:
    """Return the direction of each prefix's last point's signal (0: none), as the rules do.

    One row per prefix; positions past a prefix's end are masked. The rules read at a
    last point: ``outside_limits``; ``trend`` (its run of steps up to it); ``two_in_three``
    (the window of its last three points only); ``shift`` (its run on one side up to it).
    """
    rows = np.arange(len(stops))
    last = stops - 1
    positions = np.arange(len(y))
    inside = positions < stops[:, None]
    # The tolerance of each prefix: relative to its own largest magnitude.
    tolerance = (RELATIVE_TOLERANCE * np.maximum.accumulate(np.abs(y))[last])[:, None]
    side = sign_within(y - centre[:, None], tolerance)
    side_last = side[rows, last]
    shift = (side_last != 0) & (_run_to(side, side_last, inside, last) >= profile.shift_points)
    step = np.zeros(side.shape, dtype=np.int8)
    step[:, 1:] = sign_within(np.diff(y), tolerance)
    step_last = step[rows, last]
    # A run of k points is k - 1 steps in the same direction.
    trend = (step_last != 0) & (_run_to(step, step_last, inside, last) >= profile.trend_points - 1)
    tail = np.maximum(last[:, None] + np.arange(-2, 1), 0)
    value = y[tail]
    upper, lower, near_upper, near_lower = limits
    outside = (value - upper > tolerance) | (lower - value > tolerance)
    two_in_three = np.zeros(len(stops), dtype=np.bool_)
    if profile.two_in_three:
        sides = side[rows[:, None], tail]
        for sign, close in (
            (1, ~outside & (value - near_upper > tolerance)),
            (-1, ~outside & (near_lower - value > tolerance)),
        ):
            two_in_three |= (
                (stops >= 3) & (sides == sign).all(axis=1) & (close.sum(axis=1) >= 2) & close[:, 2]
            )
    outside_last = outside[:, 2]
    direction = np.where(trend & ~outside_last, step_last, side_last)
    signal = outside_last | trend | two_in_three | shift
    return np.where(signal, direction, 0).astype(np.int8)


def _run_to(
    key: npt.NDArray[np.int8],
    key_last: npt.NDArray[np.int8],
    inside: npt.NDArray[np.bool_],
    last: IntArray,
) -> IntArray:
    """Return the length of each row's run of equal ``key`` ending at its last position."""
    differs = (key != key_last[:, None]) & inside
    before = np.where(differs, np.arange(key.shape[1]), -1).max(axis=1)
    run: IntArray = last - before
    return run
