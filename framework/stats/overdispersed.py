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
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from statistics import NormalDist
from typing import Final, Literal

from framework.stats.poisson import (
    DEFAULT_CONFIDENCE,
    CountComparison,
    Interval,
    as_count,
    binomial_test_p_value_bound,
    check_exposures,
    compare_counts,
    compare_counts_many,
    poisson_test_p_value,
    poisson_test_p_values,
)

NEAR_POISSON: Final = 1.2
"""A dispersion up to this is read as Poisson: the exact test applies as it is."""

EXACT_INTERVAL_BELOW: Final = 1000
"""Below this many events on either side the quasi-Poisson interval also spans the exact one."""

_BOUND_MARGIN: Final = 1e-6
"""How far, relatively, the quasi-Poisson p-value must exceed the exact one's bound to stand
without it: far more than the rounding of either."""
_BOUND_MOST_EVENTS: Final = 10**7
"""Above this many events in all the exact p-value is always worked out: far more than any
force records, and well inside the counts the exact test is accurate for."""

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
    decided = _quasi_alone(x1, x2, dispersion, exposure, baseline_exposure)
    if decided is not None:
        return decided
    exact = poisson_test_p_value(x1, x2, exposure=exposure, baseline_exposure=baseline_exposure)
    return _method(x1, x2, dispersion, exposure, baseline_exposure, exact)


def overdispersed_p_values(
    tests: Sequence[tuple[float, float, float, float, float]],
) -> list[tuple[CountMethod, float]]:
    """Return :func:`overdispersed_p_value` of many tests at once, to the last bit the same.

    Each test is ``(count, baseline, dispersion, exposure, baseline_exposure)``; the exact
    p-values it needs are worked out together
    (:func:`framework.stats.poisson.poisson_test_p_values`).
    """
    counts = [(as_count(test[0]), as_count(test[1])) for test in tests]
    found = [_quasi_alone(x1, x2, *test[2:]) for (x1, x2), test in zip(counts, tests, strict=True)]
    exact = _exact_p_values(counts, found, [test[3] for test in tests], [test[4] for test in tests])
    return [
        known if known is not None else _method(x1, x2, test[2], test[3], test[4], p_value)
        for (x1, x2), test, known, p_value in zip(counts, tests, found, exact, strict=True)
    ]


def _quasi_alone(
    x1: int, x2: int, dispersion: float, exposure: float, baseline_exposure: float
) -> tuple[CountMethod, float] | None:
    """Return the quasi-Poisson method and p-value where the exact test cannot change them.

    The reported p-value is the larger of the quasi-Poisson and the exact; where the
    quasi-Poisson one is larger than a proved bound on the exact one
    (:func:`framework.stats.poisson.binomial_test_p_value_bound`), it is the answer, and
    the exact p-value (an incomplete beta function of large counts) need not be worked out.
    None where the exact test applies or its p-value might be the larger.
    """
    check_exposures(exposure, baseline_exposure)  # refused as the exact test refuses them
    if dispersion <= NEAR_POISSON or x1 == 0 or x2 == 0 or x1 + x2 > _BOUND_MOST_EVENTS:
        return None
    quasi = quasi_poisson_p_value(
        x1, x2, dispersion, exposure=exposure, baseline_exposure=baseline_exposure
    )
    share = exposure / (exposure + baseline_exposure)
    bound = binomial_test_p_value_bound(x1, x1 + x2, share)
    if quasi > bound * (1 + _BOUND_MARGIN):
        return "quasi_poisson", quasi
    return None


def _exact_p_values(
    counts: Sequence[tuple[int, int]],
    found: Sequence[tuple[CountMethod, float] | None],
    exposures: Sequence[float],
    baseline_exposures: Sequence[float],
) -> list[float]:
    """Return the exact p-value of each test not ``found`` without it (NaN for those found)."""
    wanted = [i for i, known in enumerate(found) if known is None]
    exact = [math.nan] * len(counts)
    worked_out = poisson_test_p_values(
        [counts[i][0] for i in wanted],
        [counts[i][1] for i in wanted],
        [exposures[i] for i in wanted],
        [baseline_exposures[i] for i in wanted],
    )
    for i, p_value in zip(wanted, worked_out, strict=True):
        exact[i] = p_value
    return exact


def _method(
    x1: int,
    x2: int,
    dispersion: float,
    exposure: float,
    baseline_exposure: float,
    exact: float,
) -> tuple[CountMethod, float]:
    """Return the test's method and p-value, given the exact test's p-value."""
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
    exact = None
    if _needs_exact(method, x1, x2):
        exact = compare_counts(
            x1, x2, exposure=exposure, baseline_exposure=baseline_exposure, confidence=confidence
        )
    return _count_test(
        x1, x2, dispersion, method, p_value, exact, exposure, baseline_exposure, confidence
    )


def compare_overdispersed_many(
    tests: Sequence[tuple[float, float, float]],
    *,
    exposure: float = 1.0,
    baseline_exposure: float = 1.0,
    confidence: float = DEFAULT_CONFIDENCE,
) -> list[CountTest]:
    """Return :func:`compare_overdispersed` of many (count, baseline, dispersion) at once.

    The exact parts (the p-values, the Clopper-Pearson limits) are worked out together for
    all the tests; each result is the scalar's to the last bit.
    """
    counts = [(as_count(test[0]), as_count(test[1])) for test in tests]
    known = [_quasi_alone(x1, x2, test[2], exposure, baseline_exposure)
             for (x1, x2), test in zip(counts, tests, strict=True)]  # fmt: skip
    exact_p = _exact_p_values(
        counts, known, [exposure] * len(counts), [baseline_exposure] * len(counts)
    )
    chosen = [
        decided if decided is not None
        else _method(x1, x2, test[2], exposure, baseline_exposure, p_value)
        for (x1, x2), test, decided, p_value in zip(counts, tests, known, exact_p, strict=True)
    ]  # fmt: skip
    wanted = [i for i, (x1, x2) in enumerate(counts) if _needs_exact(chosen[i][0], x1, x2)]
    # A quasi-Poisson test found without the exact p-value reads only the exact interval
    # (its p-value is NaN here and goes unread).
    found = compare_counts_many(
        [counts[i] for i in wanted],
        exposure=exposure,
        baseline_exposure=baseline_exposure,
        confidence=confidence,
        p_values=[exact_p[i] for i in wanted],
    )
    exact: list[CountComparison | None] = [None] * len(counts)
    for i, comparison in zip(wanted, found, strict=True):
        exact[i] = comparison
    return [
        _count_test(x1, x2, test[2], method, p_value, comparison, exposure, baseline_exposure,
                    confidence)
        for (x1, x2), test, (method, p_value), comparison in zip(
            counts, tests, chosen, exact, strict=True
        )
    ]  # fmt: skip


def _needs_exact(method: CountMethod, x1: int, x2: int) -> bool:
    """Return whether a test's interval needs the exact comparison of its counts."""
    return method == "exact_poisson" or min(x1, x2) < EXACT_INTERVAL_BELOW


def _count_test(
    x1: int,
    x2: int,
    dispersion: float,
    method: CountMethod,
    p_value: float,
    exact: CountComparison | None,
    exposure: float,
    baseline_exposure: float,
    confidence: float,
) -> CountTest:
    """Return the test of two counts from its method, p-value and (if needed) exact comparison."""
    if method == "exact_poisson":
        assert exact is not None
        return CountTest(
            method, x1, x2, exact.rate_ratio, exact.percent_change_interval, p_value, 1.0
        )
    ratio = (x1 / exposure) / (x2 / baseline_exposure)
    error = math.sqrt(dispersion * (1 / x1 + 1 / x2))
    z = normal_quantile_two_sided(confidence)
    low, high = ratio * math.exp(-z * error), ratio * math.exp(z * error)
    if exact is not None:
        # On few events the exact interval can be the wider: the interval spans it too.
        interval = exact.rate_ratio_interval
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
