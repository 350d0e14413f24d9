"""Compare a count with its baseline allowing for overdispersion: the quasi-Poisson test.

Under a quasi-Poisson model a count's variance is ``phi`` times its mean, ``phi`` being
the dispersion estimated from the force's own history
(:func:`framework.stats.dispersion.estimate_dispersion`). The log of the rate ratio
``(x1 / e1) / (x2 / e2)`` then has the standard error ``sqrt(phi * (1 / x1 + 1 / x2))``,
and the test of equal rates is the Wald test of a quasi-Poisson regression of the two
counts on a current-versus-baseline factor with the dispersion held at ``phi`` (what
statsmodels' ``GLM(..., family=Poisson()).fit(scale=phi)`` reports).

Where the dispersion is close to 1 (at most :data:`NEAR_POISSON`), or either count is
zero (where the log ratio is undefined), the exact Poisson test of
:func:`framework.stats.poisson.compare_counts` is used as it is. Elsewhere the reported
p-value is the larger of the quasi-Poisson and exact ones: extra variation can only make a
change less certain than Poisson variation alone, so the overdispersed test never reads
more into a change than the exact test does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from statistics import NormalDist
from typing import Final, Literal

from framework.stats.poisson import (
    DEFAULT_CONFIDENCE,
    Interval,
    as_count,
    compare_counts,
    poisson_test_p_value,
)

NEAR_POISSON: Final = 1.2
"""A dispersion up to this is read as Poisson: the exact test applies as it is."""

EXACT_INTERVAL_BELOW: Final = 1000
"""Below this many events on either side the quasi-Poisson interval also spans the exact one."""

CountMethod = Literal["exact_poisson", "quasi_poisson"]


@dataclass(frozen=True)
class CountTest:
    """A count against its baseline, tested with the dispersion it was given."""

    method: CountMethod
    count: int
    baseline: int
    rate_ratio: float | None
    percent_change_interval: Interval
    p_value: float
    dispersion: float
    """The dispersion the test used (1 for the exact Poisson test)."""


def normal_two_sided(z: float) -> float:
    """Return the two-sided p-value of a standard normal statistic."""
    return math.erfc(abs(z) / math.sqrt(2))


@lru_cache(maxsize=64)
def normal_quantile_two_sided(confidence: float) -> float:
    """Return z with P(|Z| <= z) = confidence for a standard normal Z (1.96 for 95%)."""
    return NormalDist().inv_cdf(1 - (1 - confidence) / 2)


def quasi_poisson_p_value(
    count: float,
    baseline: float,
    dispersion: float,
    *,
    exposure: float = 1.0,
    baseline_exposure: float = 1.0,
) -> float:
    """Return the Wald p-value of equal rates for two counts with the given dispersion."""
    x1, x2 = as_count(count), as_count(baseline)
    if x1 == 0 or x2 == 0:
        raise ValueError("the quasi-Poisson test needs both counts above zero")
    if not math.isfinite(dispersion) or dispersion <= 0:
        raise ValueError(f"the dispersion must be a positive number, not {dispersion!r}")
    log_ratio = math.log((x1 / exposure) / (x2 / baseline_exposure))
    return normal_two_sided(log_ratio / math.sqrt(dispersion * (1 / x1 + 1 / x2)))


def overdispersed_p_value(
    count: float,
    baseline: float,
    dispersion: float,
    *,
    exposure: float = 1.0,
    baseline_exposure: float = 1.0,
) -> tuple[CountMethod, float]:
    """Return the method and p-value :func:`compare_overdispersed` would give, without interval."""
    x1, x2 = as_count(count), as_count(baseline)
    exact = poisson_test_p_value(x1, x2, exposure=exposure, baseline_exposure=baseline_exposure)
    if dispersion <= NEAR_POISSON or x1 == 0 or x2 == 0:
        return "exact_poisson", exact
    quasi = quasi_poisson_p_value(
        x1, x2, dispersion, exposure=exposure, baseline_exposure=baseline_exposure
    )
    return "quasi_poisson", max(quasi, exact)


def compare_overdispersed(
    count: float,
    baseline: float,
    dispersion: float,
    *,
    exposure: float = 1.0,
    baseline_exposure: float = 1.0,
    confidence: float = DEFAULT_CONFIDENCE,
) -> CountTest:
    """Compare a count with its baseline under the given dispersion (see the module notes).

    The quasi-Poisson interval of the percentage change is the Wald interval of the log
    rate ratio with the dispersion, widened to the exact (Clopper-Pearson) interval where
    that is wider (few events); the exact test's is Clopper-Pearson's.
    """
    x1, x2 = as_count(count), as_count(baseline)
    method, p_value = overdispersed_p_value(
        x1, x2, dispersion, exposure=exposure, baseline_exposure=baseline_exposure
    )
    if method == "exact_poisson":
        exact = compare_counts(
            x1, x2, exposure=exposure, baseline_exposure=baseline_exposure, confidence=confidence
        )
        return CountTest(
            method, x1, x2, exact.rate_ratio, exact.percent_change_interval, p_value, 1.0
        )
    ratio = (x1 / exposure) / (x2 / baseline_exposure)
    error = math.sqrt(dispersion * (1 / x1 + 1 / x2))
    z = normal_quantile_two_sided(confidence)
    low, high = ratio * math.exp(-z * error), ratio * math.exp(z * error)
    if min(x1, x2) < EXACT_INTERVAL_BELOW:
        # On few events the exact interval can be the wider: the interval spans it too.
        interval = compare_counts(
            x1, x2, exposure=exposure, baseline_exposure=baseline_exposure, confidence=confidence
        ).rate_ratio_interval
        low, high = min(low, interval.low), max(high, interval.high)
    return CountTest(
        method,
        x1,
        x2,
        ratio,
        Interval((low - 1) * 100, (high - 1) * 100, confidence),
        p_value,
        float(dispersion),
    )
