"""Process limits for counts and proportions: Poisson limits for rare events, p-charts.

XmR limits treat every series as measurements. Two kinds of series know their own
variation better:

* **rare events** (a mean under ``rare_event_mean`` per period, 2 by default: homicide in
  most forces, firearm discharges): XmR limits from moving ranges of 0s and 1s flag far
  too many points, so the limits are exact Poisson probability limits around the
  segment's mean: the 0.135% and 99.865% quantiles (three-sigma equivalents) and the
  2.275% and 97.725% ones for the near limits (Montgomery, *Introduction to Statistical
  Quality Control*, the c-chart with probability limits);
* **proportions** with their denominators: a p-chart, ``p̄ ± 3 sqrt(p̄(1 - p̄) / n_i)`` with
  ``p̄`` the pooled proportion of the segment, so each period's limits follow its own
  denominator; from a mean denominator of ``laney_min_denominator`` on, the limits are
  widened by Laney's sigma_z (the moving-range spread of the points' z-scores: Laney
  2002, *Quality Engineering* 14:531, the p′ chart), since large samples show
  between-period variation a binomial model does not.

Limits of counts never go below zero, and those of percentages stay within 0-100%.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Final

import numpy as np

from framework.model.spc import SpcProfile
from framework.stats.arrays import FloatArray, frozen
from framework.stats.special_functions import gamma_q
from framework.stats.xmr import XmrResult

OUTER: Final = 0.00135
"""Beyond a three-sigma limit on one side, for normal data."""
NEAR: Final = 0.02275
"""Beyond a two-sigma (near) limit on one side, for normal data."""
D2: Final = 1.128
"""The bias constant of a moving range of two points."""


def poisson_quantile(mean: float, probability: float) -> int:
    """Return the smallest count k with P(X <= k) >= probability for X ~ Poisson(mean)."""
    if mean <= 0:
        return 0
    k = 0
    while gamma_q(k + 1, mean) < probability:
        k += 1
    return k


def poisson_limits(xmr: XmrResult) -> XmrResult:
    """Return the chart with exact Poisson probability limits around each segment's mean.

    A point is beyond the upper limit when it exceeds the 99.865% quantile, and below the
    lower when it is under the 0.135% quantile (never below zero).
    """
    upper = np.empty(len(xmr))
    lower = np.empty(len(xmr))
    near_upper = np.empty(len(xmr))
    near_lower = np.empty(len(xmr))
    for index, segment in enumerate(xmr.segments):
        mean = segment.mean
        where = xmr.segment == index
        upper[where] = poisson_quantile(mean, 1 - OUTER)
        near_upper[where] = poisson_quantile(mean, 1 - NEAR)
        # A count below the lower limit is one whose probability is under OUTER: the limit is
        # the smallest count at least that likely, and no point can fall below 0.
        lower[where] = poisson_quantile(mean, OUTER)
        near_lower[where] = poisson_quantile(mean, NEAR)
    return with_limits(xmr, upper, lower, near_upper, near_lower)


def median_centre(xmr: XmrResult) -> XmrResult:
    """Return the chart centred on each segment's median, for reading runs of rare events.

    Around a mean of 0.3 most points are zeros, all "below the mean": runs of them would
    read as shifts. Around the median (0), a zero breaks a run, so a shift needs a run of
    periods with events: the run-chart reading (Making Data Count's run rules on the median).
    """
    centre = xmr.mean.copy()
    for index, segment in enumerate(xmr.segments):
        centre[xmr.segment == index] = float(np.median(xmr.values[segment.start : segment.stop]))
    return with_limits(
        xmr, xmr.upper_limit, xmr.lower_limit, xmr.near_upper, xmr.near_lower, mean=centre
    )


def p_chart_limits(
    xmr: XmrResult, denominators: FloatArray, profile: SpcProfile, scale: float = 100.0
) -> XmrResult:
    """Return p-chart (or Laney p′) limits for percentages ``xmr.values`` out of ``denominators``.

    ``scale`` is 100 for percentages. Periods with no denominator keep no limits (NaN).
    """
    n = np.asarray(denominators, dtype=np.float64)
    if n.shape != xmr.values.shape:
        raise ValueError("one denominator per point is needed")
    p = xmr.values / scale
    upper = np.full(len(xmr), np.nan)
    lower = np.full(len(xmr), np.nan)
    near_upper = np.full(len(xmr), np.nan)
    near_lower = np.full(len(xmr), np.nan)
    mean = xmr.mean.copy()
    for index, _ in enumerate(xmr.segments):
        where = (xmr.segment == index) & (n > 0)
        if not where.any():
            continue
        pooled = float(np.sum(p[where] * n[where]) / np.sum(n[where]))
        sigma = np.sqrt(pooled * (1 - pooled) / n[where])
        spread = 1.0
        if profile.laney_min_denominator is not None and np.mean(n[where]) >= (
            profile.laney_min_denominator
        ):
            spread = laney_sigma_z(p[where], sigma, pooled)
        mean[xmr.segment == index] = pooled * scale
        upper[where] = pooled + 3 * spread * sigma
        lower[where] = pooled - 3 * spread * sigma
        near_upper[where] = pooled + 2 * spread * sigma
        near_lower[where] = pooled - 2 * spread * sigma
    top, bottom, near_top, near_bottom = (
        np.clip(a, 0.0, 1.0) * scale for a in (upper, lower, near_upper, near_lower)
    )
    return with_limits(xmr, top, bottom, near_top, near_bottom, mean=mean)


def laney_sigma_z(p: FloatArray, sigma: FloatArray, pooled: float) -> float:
    """Return Laney's sigma_z: the mean moving range of the z-scores over 1.128 (1 if undefined)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (p - pooled) / sigma
    z = z[np.isfinite(z)]
    if len(z) < 2:
        return 1.0
    value = float(np.mean(np.abs(np.diff(z))) / D2)
    return value if value > 0 else 1.0


def clamp_limits(xmr: XmrResult, low: float = 0.0, high: float = math.inf) -> XmrResult:
    """Return the chart with every limit held within ``low`` to ``high``."""
    return with_limits(
        xmr,
        # np.minimum(np.maximum(...)) is np.clip (NaN kept) without its per-call overhead.
        *(np.minimum(np.maximum(a, low), high) for a in (xmr.upper_limit, xmr.lower_limit,
                                                         xmr.near_upper, xmr.near_lower)),
    )  # fmt: skip


def with_limits(
    xmr: XmrResult,
    upper: FloatArray,
    lower: FloatArray,
    near_upper: FloatArray,
    near_lower: FloatArray,
    mean: FloatArray | None = None,
) -> XmrResult:
    """Return ``xmr`` with new per-point limits; each segment takes its last point's."""
    centre = xmr.mean if mean is None else mean
    segments = tuple(
        dataclasses.replace(
            segment,
            mean=float(centre[segment.stop - 1]),
            upper_limit=float(upper[segment.stop - 1]),
            lower_limit=float(lower[segment.stop - 1]),
            near_upper=float(near_upper[segment.stop - 1]),
            near_lower=float(near_lower[segment.stop - 1]),
        )
        for segment in xmr.segments
    )
    return dataclasses.replace(
        xmr,
        mean=frozen(np.array(centre, dtype=np.float64)),
        upper_limit=frozen(np.array(upper, dtype=np.float64)),
        lower_limit=frozen(np.array(lower, dtype=np.float64)),
        near_upper=frozen(np.array(near_upper, dtype=np.float64)),
        near_lower=frozen(np.array(near_lower, dtype=np.float64)),
        segments=segments,
    )
