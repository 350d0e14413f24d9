"""Proportions: Wilson intervals and the two-proportion test (exact for small numbers).

* :func:`wilson_interval` is Wilson's (1927) score interval for a binomial proportion,
  which, unlike the textbook ``p ± z sqrt(p(1-p)/n)``, stays inside 0-100% and keeps its
  coverage for small samples and proportions near 0 or 1 (Newcombe 1998, Stat Med 17:857;
  Brown, Cai and DasGupta 2001, Stat Sci 16:101);
* :func:`compare_proportions` tests whether two proportions differ: the pooled two-sample
  z-test (the chi-squared test of the 2 x 2 table without continuity correction), or
  Fisher's exact test when any expected cell count is below :data:`SMALL_EXPECTED`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final, Literal

from framework.stats.overdispersed import normal_quantile_two_sided, normal_two_sided
from framework.stats.poisson import DEFAULT_CONFIDENCE, Interval, as_count

SMALL_EXPECTED: Final = 5
"""Fisher's exact test replaces the z-test when an expected cell count is below this."""
_RELATIVE_TIE: Final = 1 + 1e-7
"""R's ``fisher.test`` tolerance: tables this near the observed probability count as extreme."""

ProportionMethod = Literal["two_proportion_z", "fisher_exact"]


@dataclass(frozen=True)
class ProportionTest:
    """Two proportions compared: the difference in percentage points and the test's p-value."""

    method: ProportionMethod
    difference: float
    """``100 * (x1 / n1 - x2 / n2)``, in percentage points."""
    p_value: float


def wilson_interval(
    successes: float, trials: float, confidence: float = DEFAULT_CONFIDENCE
) -> Interval:
    """Return Wilson's score interval for a proportion, as fractions in [0, 1]."""
    x, n = as_count(successes), as_count(trials)
    if x > n:
        raise ValueError(f"successes ({x}) cannot exceed trials ({n})")
    if n == 0:
        return Interval(0.0, 1.0, confidence)
    z = normal_quantile_two_sided(confidence)
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    low = 0.0 if x == 0 else max(0.0, centre - half)
    high = 1.0 if x == n else min(1.0, centre + half)
    return Interval(low, high, confidence)


def compare_proportions(
    successes: float, trials: float, baseline_successes: float, baseline_trials: float
) -> ProportionTest:
    """Test whether ``successes / trials`` differs from the baseline proportion."""
    x1, n1 = as_count(successes), as_count(trials)
    x2, n2 = as_count(baseline_successes), as_count(baseline_trials)
    if x1 > n1 or x2 > n2 or n1 == 0 or n2 == 0:
        raise ValueError(
            "each proportion needs at least one trial and no more successes than trials"
        )
    difference = 100 * (x1 / n1 - x2 / n2)
    total, successes_all = n1 + n2, x1 + x2
    expected = (
        n1 * successes_all / total, n1 * (total - successes_all) / total,
        n2 * successes_all / total, n2 * (total - successes_all) / total,
    )  # fmt: skip
    if min(expected) < SMALL_EXPECTED:
        return ProportionTest("fisher_exact", difference, fisher_exact_p_value(x1, n1, x2, n2))
    pooled = successes_all / total
    error = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    p_value = 1.0 if error == 0 else normal_two_sided((x1 / n1 - x2 / n2) / error)
    return ProportionTest("two_proportion_z", difference, p_value)


def fisher_exact_p_value(x1: int, n1: int, x2: int, n2: int) -> float:
    """Return the two-sided p-value of Fisher's exact test of the table [[x1, n1-x1], [x2, n2-x2]].

    Sums the probabilities of tables with the same margins no likelier than the observed
    one, as R's ``fisher.test`` does.
    """
    column = x1 + x2
    low, high = max(0, column - n2), min(n1, column)

    margins = _log_choose(n1 + n2, column)  # the same for every table: worked out once

    def log_probability(k: int) -> float:
        return _log_choose(n1, k) + _log_choose(n2, column - k) - margins

    observed = log_probability(x1) + math.log(_RELATIVE_TIE)
    total = sum(
        math.exp(lp) for k in range(low, high + 1) if (lp := log_probability(k)) <= observed
    )
    return min(1.0, total)


def _log_choose(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
