"""Fair comparisons of counts: exact Poisson intervals, the exact two-count test, rates per 100,000.

Everything here is exact rather than a normal approximation, because police counts
(homicides, firearm discharges) are often small enough for the approximation to mislead:

* :func:`poisson_interval` is Garwood's (1936) interval for a Poisson mean: the limits are
  the ``alpha/2`` quantile of gamma(x) and the ``1 - alpha/2`` quantile of gamma(x + 1);
* :func:`compare_counts` compares a count with its baseline on possibly different exposures
  (months, populations) by the conditional binomial test: given ``n = x1 + x2``, ``x1`` is
  binomial(n, e1 / (e1 + e2)) when the two rates are equal. Its two-sided p-value and the
  Clopper-Pearson interval of the rate ratio are those of R's ``poisson.test``;
* :func:`rate_interval` scales the Garwood interval of a count by its population.

A percentage change resting on a small count is flagged (:func:`is_small_numbers`): with
fewer than :data:`SMALL_COUNT` events on either side (the threshold ONS and the Home
Office use before quoting a percentage change), the 95% interval of a single count still
runs from about 40% below it to 50% above, so a percentage change between two such
counts says more about chance than about performance.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from framework.stats.special_functions import (
    beta_i,
    beta_i_many,
    beta_ppf,
    beta_ppf_many,
    gamma_ppf,
)

SMALL_COUNT: Final = 20
"""A percentage change is flagged as resting on small numbers when either count is below this."""
DEFAULT_CONFIDENCE: Final = 0.95
RATE_PER: Final = 100_000
"""Rates are per this many residents unless told otherwise."""
_EXACT_INT: Final = 2**53
"""Up to here every int is a float exactly, so a count needs no conversion to be checked."""
_PLAIN_NUMBERS: Final = (int, float)
_RELATIVE_TIE: Final = 1 + 1e-7
"""R's ``binom.test`` tolerance: outcomes this near the observed probability count as extreme."""


@dataclass(frozen=True)
class Interval:
    """A confidence interval from ``low`` to ``high`` (maybe infinite) at a confidence level."""

    low: float
    high: float
    confidence: float

    def __contains__(self, value: float) -> bool:
        return self.low <= value <= self.high

    @property
    def width(self) -> float:
        """Return ``high - low``."""
        return self.high - self.low


@dataclass(frozen=True)
class RateEstimate:
    """A rate per ``per`` residents with its exact interval."""

    count: int
    population: float
    per: float
    rate: float
    interval: Interval


@dataclass(frozen=True)
class CountComparison:
    """A count against its baseline: rate ratio, percentage change, exact test, small numbers.

    ``rate_ratio`` and ``percent_change`` are None when the baseline count is zero, where
    they are undefined; the upper end of an interval is ``math.inf`` when it is unbounded.
    """

    count: int
    baseline: int
    exposure: float
    baseline_exposure: float
    rate_ratio: float | None
    rate_ratio_interval: Interval
    percent_change: float | None
    """``(count / exposure) / (baseline / baseline_exposure) - 1``, as a percentage."""
    percent_change_interval: Interval
    p_value: float
    """Two-sided exact p-value for equal rates."""
    small_numbers: bool
    """True when either count is below the small-count threshold."""

    @property
    def significant(self) -> bool:
        """Return True when the interval of the rate ratio excludes 1 (no change)."""
        return 1.0 not in self.rate_ratio_interval


def poisson_interval(count: float, confidence: float = DEFAULT_CONFIDENCE) -> Interval:
    """Return Garwood's exact interval for the Poisson mean behind an observed count."""
    return _garwood(as_count(count), confidence)


@lru_cache(maxsize=1 << 14)
def _garwood(events: int, confidence: float) -> Interval:
    # Each force's run asks for the intervals of the same counts again: work each out once.
    alpha = _alpha(confidence)
    low = 0.0 if events == 0 else gamma_ppf(alpha / 2, events)
    return Interval(low, gamma_ppf(1 - alpha / 2, events + 1), confidence)


def rate_interval(
    count: float,
    population: float,
    per: float = RATE_PER,
    confidence: float = DEFAULT_CONFIDENCE,
) -> RateEstimate:
    """Return the rate per ``per`` residents with the exact interval of its count, scaled."""
    events = as_count(count)
    _check_positive(population, "population")
    _check_positive(per, "per")
    scale = per / population
    interval = poisson_interval(events, confidence)
    return RateEstimate(
        count=events,
        population=float(population),
        per=float(per),
        rate=events * scale,
        interval=Interval(interval.low * scale, interval.high * scale, confidence),
    )


def compare_counts(
    count: float,
    baseline: float,
    *,
    exposure: float = 1.0,
    baseline_exposure: float = 1.0,
    confidence: float = DEFAULT_CONFIDENCE,
    small_count: int = SMALL_COUNT,
) -> CountComparison:
    """Compare a count with its baseline count, each over its exposure (months, residents).

    The rate ratio is ``(count / exposure) / (baseline / baseline_exposure)``; its interval
    comes from the Clopper-Pearson interval of the conditional binomial proportion
    ``count / (count + baseline)``, and the p-value from the exact binomial test.
    """
    x1, x2 = as_count(count), as_count(baseline)
    _check_positive(exposure, "exposure")
    _check_positive(baseline_exposure, "baseline_exposure")
    alpha = _alpha(confidence)
    n = x1 + x2
    limits = None if n == 0 else _clopper_pearson(x1, n, alpha)
    p_value = poisson_test_p_value(x1, x2, exposure=exposure, baseline_exposure=baseline_exposure)
    return _comparison(
        x1, x2, exposure, baseline_exposure, confidence, small_count, limits, p_value
    )


def compare_counts_many(
    pairs: Sequence[tuple[float, float]],
    *,
    exposure: float = 1.0,
    baseline_exposure: float = 1.0,
    confidence: float = DEFAULT_CONFIDENCE,
    small_count: int = SMALL_COUNT,
    p_values: Sequence[float] | None = None,
) -> list[CountComparison]:
    """Return :func:`compare_counts` of every (count, baseline) pair, the exact parts together.

    The Clopper-Pearson limits and the p-values are worked out in batches
    (:func:`clopper_pearson_many`, :func:`poisson_test_p_values`), to the last bit the
    scalar's; ``p_values``, when the caller has them, are the pairs' own
    :func:`poisson_test_p_value` on the same exposures.
    """
    counts = [(as_count(count), as_count(baseline)) for count, baseline in pairs]
    _check_positive(exposure, "exposure")
    _check_positive(baseline_exposure, "baseline_exposure")
    alpha = _alpha(confidence)
    if p_values is None:
        p_values = poisson_test_p_values(
            [x1 for x1, _ in counts],
            [x2 for _, x2 in counts],
            [exposure] * len(counts),
            [baseline_exposure] * len(counts),
        )
    elif len(p_values) != len(counts):
        raise ValueError("p_values must have one value for each pair")
    tested = [i for i, (x1, x2) in enumerate(counts) if x1 + x2 > 0]
    found = clopper_pearson_many(
        [counts[i][0] for i in tested], [sum(counts[i]) for i in tested], alpha
    )
    limits: list[tuple[float, float] | None] = [None] * len(counts)
    for i, pair in zip(tested, found, strict=True):
        limits[i] = pair
    return [
        _comparison(x1, x2, exposure, baseline_exposure, confidence, small_count, bounds, p)
        for (x1, x2), bounds, p in zip(counts, limits, p_values, strict=True)
    ]


def _comparison(
    x1: int,
    x2: int,
    exposure: float,
    baseline_exposure: float,
    confidence: float,
    small_count: int,
    limits: tuple[float, float] | None,
    p_value: float,
) -> CountComparison:
    """Return the comparison of two counts from their Clopper-Pearson limits and p-value."""
    odds_scale = baseline_exposure / exposure
    if limits is None:
        ratio_interval = Interval(0.0, math.inf, confidence)
    else:
        p_low, p_high = limits
        ratio_interval = Interval(_odds(p_low) * odds_scale, _odds(p_high) * odds_scale, confidence)
    ratio = None if x2 == 0 else (x1 / exposure) / (x2 / baseline_exposure)
    return CountComparison(
        count=x1,
        baseline=x2,
        exposure=float(exposure),
        baseline_exposure=float(baseline_exposure),
        rate_ratio=ratio,
        rate_ratio_interval=ratio_interval,
        percent_change=None if ratio is None else (ratio - 1) * 100,
        percent_change_interval=Interval(
            (ratio_interval.low - 1) * 100, (ratio_interval.high - 1) * 100, confidence
        ),
        p_value=p_value,
        small_numbers=is_small_numbers(x1, x2, small_count),
    )


def check_exposures(exposure: float, baseline_exposure: float) -> None:
    """Refuse exposures that are not positive finite numbers, as the exact test does."""
    _check_positive(exposure, "exposure")
    _check_positive(baseline_exposure, "baseline_exposure")


def poisson_test_p_value(
    count: float,
    baseline: float,
    *,
    exposure: float = 1.0,
    baseline_exposure: float = 1.0,
) -> float:
    """Return the two-sided exact p-value that two Poisson counts share one rate per exposure."""
    x1, x2 = as_count(count), as_count(baseline)
    _check_positive(exposure, "exposure")
    _check_positive(baseline_exposure, "baseline_exposure")
    return binomial_test_p_value(x1, x1 + x2, exposure / (exposure + baseline_exposure))


def poisson_test_p_values(
    counts: Sequence[float],
    baselines: Sequence[float],
    exposures: Sequence[float],
    baseline_exposures: Sequence[float],
) -> list[float]:
    """Return :func:`poisson_test_p_value` of every count, baseline and exposures at once."""
    successes: list[int] = []
    trials: list[int] = []
    shares: list[float] = []
    for count, baseline, exposure, baseline_exposure in zip(
        counts, baselines, exposures, baseline_exposures, strict=True
    ):
        x1, x2 = as_count(count), as_count(baseline)
        _check_positive(exposure, "exposure")
        _check_positive(baseline_exposure, "baseline_exposure")
        successes.append(x1)
        trials.append(x1 + x2)
        shares.append(exposure / (exposure + baseline_exposure))
    return binomial_test_p_values(successes, trials, shares)


def binomial_test_p_value(successes: int, trials: int, probability: float) -> float:
    """Return the two-sided exact binomial p-value, summing outcomes no likelier than the observed.

    This is the definition R's ``binom.test`` uses (with its relative tolerance for ties).
    """
    _check_binomial(successes, trials, probability)
    if trials == 0:
        return 1.0
    return _binomial_two_sided(successes, trials, probability)


def _check_binomial(successes: int, trials: int, probability: float) -> None:
    """Refuse a binomial test whose successes or probability are out of range."""
    if not 0 <= successes <= trials:
        raise ValueError(f"successes must lie in [0, trials], not {successes} of {trials}")
    if not 0 < probability < 1:
        raise ValueError(f"the probability must lie strictly inside (0, 1), not {probability!r}")


@lru_cache(maxsize=1 << 16)
def _binomial_two_sided(x: int, n: int, p: float) -> float:
    # A catalogue run tests the same counts again and again (a test's p-value, then its
    # interval's comparison, each window's typical level): each is worked out once.
    tails = _two_sided_tails(x, n, p)
    if tails is None:
        return 1.0
    below, above = tails
    return min(1.0, _binomial_cdf(below, n, p) + _binomial_sf(above, n, p))


def binomial_test_p_values(
    successes: Sequence[int], trials: Sequence[int], probability: Sequence[float]
) -> list[float]:
    """Return :func:`binomial_test_p_value` of every (successes, trials, probability) at once.

    Each distinct test's two tail sums are evaluated together, in one array evaluation of
    the incomplete beta function; the values are the scalar's to the last bit.
    """
    distinct: dict[tuple[int, int, float], int] = {}
    where: list[int] = []
    for x, n, p in zip(successes, trials, probability, strict=True):
        if not 0 <= x <= n:
            raise ValueError(f"successes must lie in [0, trials], not {x} of {n}")
        if not 0 < p < 1:
            raise ValueError(f"the probability must lie strictly inside (0, 1), not {p!r}")
        where.append(distinct.setdefault((x, n, p), len(distinct)))
    # Each test's two tails, P(X <= k) and P(X > j), by _binomial_cdf's and _binomial_sf's
    # cases; those that need the integral are evaluated together afterwards.
    tails: list[list[float] | None] = []
    integrals: list[tuple[float, float, float]] = []
    slots: list[tuple[list[float], int]] = []
    for x, n, p in distinct:
        ends = None if n == 0 else _two_sided_tails(x, n, p)
        if ends is None:
            tails.append(None)
            continue
        below, above = ends
        pair = [
            0.0 if below < 0 else 1.0 if below >= n else math.nan,
            1.0 if above < 0 else 0.0 if above >= n else math.nan,
        ]
        if math.isnan(pair[0]):
            integrals.append((n - below, below + 1, 1 - p))
            slots.append((pair, 0))
        if math.isnan(pair[1]):
            integrals.append((above + 1, n - above, p))
            slots.append((pair, 1))
        tails.append(pair)
    if integrals:
        shape_a, shape_b, points = zip(*integrals, strict=True)
        for (pair, side), value in zip(
            slots, beta_i_many(shape_a, shape_b, points).tolist(), strict=True
        ):
            pair[side] = value
    answers = [1.0 if pair is None else min(1.0, pair[0] + pair[1]) for pair in tails]
    return [answers[at] for at in where]


_BOUND_ROUNDING: Final = 1e-9
"""How much :func:`binomial_test_p_value_bound` widens its bound for the rounding of floats,
relatively, beside :data:`_EPSILON` times the trials."""
_EPSILON: Final = 1e-15
_SMALLEST_WIDENING: Final = 1e-300
BERRY_ESSEEN: Final = 0.4748
"""Shevtsova's (2011) constant in the Berry-Esseen bound for sums of identically distributed
terms: no distribution function of a standardised binomial lies farther than this times
``(p^2 + q^2) / sqrt(npq)`` from the standard normal's."""


def binomial_test_p_value_bound(successes: int, trials: int, probability: float) -> float:
    """Return a number that :func:`binomial_test_p_value` is proved not to exceed.

    The p-value is ``P(X <= k) + P(X > j)`` for the outcomes no likelier than the observed
    (:func:`_two_sided_tails`); each tail is bounded by the smaller of the normal tail plus
    the Berry-Esseen distance and Chernoff's bound ``exp(-n D(a || p))`` (Hoeffding 1963),
    the relative entropy ``D`` taken at the tail's end. The first is close for moderate
    deviations of large counts, the second far out in the tails. Cheap beside the exact
    value: no incomplete beta function is evaluated.
    """
    _check_binomial(successes, trials, probability)
    if trials == 0:
        return 1.0
    tails = _two_sided_tails(successes, trials, probability)
    if tails is None:
        return 1.0
    below, above = tails
    n, p = trials, probability
    q = 1 - p
    sigma = math.sqrt(n * p * q)
    distance = BERRY_ESSEEN * (p * p + q * q) / sigma
    mean = n * p
    low = 0.0 if below < 0 else 1.0 if below >= n else min(
        _normal_cdf((below - mean) / sigma) + distance, _chernoff(below, n, p, upper=False)
    )  # fmt: skip
    high = 0.0 if above >= n else 1.0 if above < 0 else min(
        _normal_cdf((mean - above) / sigma) + distance, _chernoff(above + 1, n, p, upper=True)
    )  # fmt: skip
    # Widened beyond the rounding of either computation: Chernoff's bound is the exact tail
    # at the very ends (no outcome, or every one), and its exponent's rounding grows with n;
    # the smallest widening keeps a bound of subnormal tails above them.
    widening = 1 + _BOUND_ROUNDING + n * _EPSILON
    return min(1.0, (low + high) * widening + _SMALLEST_WIDENING)


def _normal_cdf(z: float) -> float:
    """Return the standard normal distribution function at ``z``."""
    return 0.5 * math.erfc(-z / math.sqrt(2))


def _chernoff(end: int, n: int, p: float, *, upper: bool) -> float:
    """Return Chernoff's bound on ``P(X >= end)`` (``upper``) or ``P(X <= end)``.

    The bound holds for a tail beyond the mean ``np``; for one that reaches the mean it is
    1, bounding nothing.
    """
    share = end / n
    if (share <= p) if upper else (share >= p):
        return 1.0
    entropy = _xlogy(share, share / p) + _xlogy(1 - share, (1 - share) / (1 - p))
    return math.exp(-n * entropy) if entropy > 0 else 1.0


def _xlogy(x: float, y: float) -> float:
    """Return ``x * log(y)``, 0 where ``x`` is 0."""
    return 0.0 if x == 0 else x * math.log(y)


@lru_cache(maxsize=1 << 16)
def _two_sided_tails(x: int, n: int, p: float) -> tuple[int, int] | None:
    """Return (k, j) with the two-sided p-value P(X <= k) + P(X > j); None when it is 1.

    Remembered: a test whose bound (:func:`binomial_test_p_value_bound`) settles nothing
    is then worked out exactly, from the same tails.

    The outcomes no likelier than x (within R's tolerance for ties) are those up to k and
    those beyond j, one of the two sides being x's own.
    """
    log_n, log_p, log_q = math.lgamma(n + 1), math.log(p), math.log1p(-p)

    def log_pmf(k: int) -> float:
        # _log_binomial_pmf with the terms that do not depend on k worked out once: the
        # same sum in the same order, so the same value to the last bit.
        return log_n - math.lgamma(k + 1) - math.lgamma(n - k + 1) + k * log_p + (n - k) * log_q

    threshold = log_pmf(x) + math.log(_RELATIVE_TIE)
    expected = n * p
    if x == expected:
        return None
    # The outcome as unlikely as x on the other side of the mean is near its mirror image
    # 2np - x: the search for it starts there.
    mirror = 2 * expected - x
    if x < expected:
        # The pmf falls from ceil(np) to n: find where it first drops to the observed level.
        first = _first_index(
            math.ceil(expected),
            n + 1,
            lambda k: log_pmf(k) <= threshold,
            guess=min(n, math.ceil(mirror)),
        )
        return x, first - 1
    # The pmf rises from 0 to floor(np): the outcomes below `last` are as unlikely as x.
    last = _first_index(
        0,
        math.floor(expected) + 1,
        lambda k: log_pmf(k) > threshold,
        guess=max(0, math.floor(mirror)),
    )
    return last - 1, x - 1


def is_small_numbers(count: float, baseline: float, threshold: int = SMALL_COUNT) -> bool:
    """Return True when either count is below ``threshold``, too few for a percentage change."""
    return min(as_count(count), as_count(baseline)) < threshold


def as_count(value: float) -> int:
    """Return a count as an int, refusing negative, fractional or non-finite values."""
    if type(value) is int and 0 <= value <= _EXACT_INT:
        return value  # the common case, without the checks a float or numpy number needs
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"a count must be a number, not {value!r}")
    number = float(value)
    if not math.isfinite(number) or number < 0 or number != int(number):
        raise ValueError(f"a count must be a whole number of at least 0, not {value!r}")
    return int(number)


@lru_cache(maxsize=1 << 16)
def _clopper_pearson(x1: int, n: int, alpha: float) -> tuple[float, float]:
    """Return the Clopper-Pearson limits of the binomial proportion ``x1 / n`` (n >= 1)."""
    low = 0.0 if x1 == 0 else beta_ppf(alpha / 2, x1, n - x1 + 1)
    high = 1.0 if x1 == n else beta_ppf(1 - alpha / 2, x1 + 1, n - x1)
    return low, high


def clopper_pearson_many(
    successes: Sequence[int], trials: Sequence[int], alpha: float
) -> list[tuple[float, float]]:
    """Return the Clopper-Pearson limits of every proportion ``successes / trials`` (n >= 1).

    The scalar's values to the last bit, each distinct one found once, the quantiles of all
    of them solved together (:func:`beta_ppf_many`).
    """
    distinct: dict[tuple[int, int], int] = {}
    where = [distinct.setdefault((x1, n), len(distinct)) for x1, n in zip(
        successes, trials, strict=True)]  # fmt: skip
    levels: list[float] = []
    shape_a: list[float] = []
    shape_b: list[float] = []
    limits = [[0.0, 1.0] for _ in distinct]
    slots: list[tuple[list[float], int]] = []
    for (x1, n), pair in zip(distinct, limits, strict=True):
        if x1 != 0:
            levels.append(alpha / 2)
            shape_a.append(x1)
            shape_b.append(n - x1 + 1)
            slots.append((pair, 0))
        if x1 != n:
            levels.append(1 - alpha / 2)
            shape_a.append(x1 + 1)
            shape_b.append(n - x1)
            slots.append((pair, 1))
    for (pair, side), value in zip(slots, beta_ppf_many(levels, shape_a, shape_b), strict=True):
        pair[side] = value
    return [(limits[at][0], limits[at][1]) for at in where]


def _first_index(
    start: int, stop: int, condition: Callable[[int], bool], guess: int | None = None
) -> int:
    """Return the first k in [start, stop) where a monotone condition turns true, else stop.

    A ``guess`` near the answer narrows the range first by steps doubling away from it, so a
    good guess costs a few evaluations of the condition rather than log2 of the range; the
    answer is the same.
    """
    low, high = start, stop
    if guess is not None and start <= guess < stop:
        step = 1
        if condition(guess):
            high = guess
            while (probe := high - step) >= low:
                if not condition(probe):
                    low = probe + 1
                    break
                high, step = probe, 2 * step
        else:
            low = guess + 1
            while (probe := low - 1 + step) < high:
                if condition(probe):
                    high = probe
                    break
                low, step = probe + 1, 2 * step
    while low < high:
        middle = (low + high) // 2
        if condition(middle):
            high = middle
        else:
            low = middle + 1
    return low


def _binomial_cdf(k: int, n: int, p: float) -> float:
    """Return P(X <= k) for X ~ binomial(n, p)."""
    if k < 0:
        return 0.0
    if k >= n:
        return 1.0
    return beta_i(n - k, k + 1, 1 - p)


def _binomial_sf(k: int, n: int, p: float) -> float:
    """Return P(X > k) for X ~ binomial(n, p)."""
    if k < 0:
        return 1.0
    if k >= n:
        return 0.0
    return beta_i(k + 1, n - k, p)


def _odds(p: float) -> float:
    return math.inf if p >= 1 else p / (1 - p)


def _alpha(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise ValueError(
            f"the confidence level must lie strictly inside (0, 1), not {confidence!r}"
        )
    return 1 - confidence


def _check_positive(value: float, name: str) -> None:
    if type(value) in _PLAIN_NUMBERS and 0 < value < math.inf:
        return  # the common case, without the abstract-class checks
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not math.isfinite(value)
        or value <= 0
    ):
        raise ValueError(f"{name} must be a positive finite number, not {value!r}")
