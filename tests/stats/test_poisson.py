"""Exact Poisson intervals, the two-count test and rates: published values and the definitions."""

from __future__ import annotations

import math

import pytest

from framework.stats.poisson import (
    binomial_test_p_value,
    compare_counts,
    is_small_numbers,
    poisson_interval,
    poisson_test_p_value,
    rate_interval,
)
from framework.stats.special_functions import beta_i, beta_ppf, gamma_p, gamma_ppf, gamma_q


@pytest.mark.parametrize(
    ("count", "low", "high"),
    [
        # Garwood (1936) 95% limits as tabulated (e.g. Ulm 1990, Am J Epidemiol 131:373).
        (0, 0.0, 3.6889),
        (1, 0.0253, 5.5716),
        (2, 0.2422, 7.2247),
        (5, 1.6235, 11.6683),
        (10, 4.7954, 18.3904),
    ],
)
def test_garwood_table(count: int, low: float, high: float) -> None:
    interval = poisson_interval(count)
    assert interval.low == pytest.approx(low, abs=5e-5)
    assert interval.high == pytest.approx(high, abs=5e-5)


def _poisson_cdf(k: int, mean: float) -> float:
    """P(X <= k) for X ~ Poisson(mean), by direct summation: independent of the gamma code."""
    term = math.exp(-mean)
    total = term
    for i in range(1, k + 1):
        term *= mean / i
        total += term
    return total


@pytest.mark.parametrize("count", [1, 3, 7, 20, 60])
@pytest.mark.parametrize("confidence", [0.8, 0.95, 0.99])
def test_garwood_limits_solve_their_defining_tail_equations(count: int, confidence: float) -> None:
    # The lower limit L has P(X >= x | L) = alpha / 2; the upper U has P(X <= x | U) = alpha / 2.
    alpha = 1 - confidence
    interval = poisson_interval(count, confidence)
    assert 1 - _poisson_cdf(count - 1, interval.low) == pytest.approx(alpha / 2, rel=1e-9)
    assert _poisson_cdf(count, interval.high) == pytest.approx(alpha / 2, rel=1e-9)


def test_r_poisson_test_example() -> None:
    # R's ?poisson.test: poisson.test(c(11, 6 + 8 + 7), c(800, 1083 + 1050 + 878)) gives
    # rate ratio 1.971488, 95% CI 0.8584264 4.2772659, p-value = 0.07967.
    result = compare_counts(11, 21, exposure=800, baseline_exposure=3011)
    assert result.rate_ratio == pytest.approx(1.971488, abs=1e-6)
    assert result.rate_ratio_interval.low == pytest.approx(0.8584264, abs=1e-7)
    assert result.rate_ratio_interval.high == pytest.approx(4.2772659, abs=1e-7)
    assert result.p_value == pytest.approx(0.07967, abs=5e-6)
    assert result.percent_change == pytest.approx(97.1488, abs=1e-4)
    assert result.percent_change_interval.low == pytest.approx(-14.15736, abs=1e-5)
    assert not result.significant
    assert result.small_numbers  # 11 events: fewer than 20


def _brute_force_p_value(x: int, n: int, p: float) -> float:
    pmf = [math.comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(n + 1)]
    return min(1.0, sum(q for q in pmf if q <= pmf[x] * (1 + 1e-7)))


@pytest.mark.parametrize("n", [1, 2, 5, 17, 40])
@pytest.mark.parametrize("p", [0.1, 0.3, 0.5, 0.77])
def test_binomial_p_value_matches_its_definition(n: int, p: float) -> None:
    for x in range(n + 1):
        assert binomial_test_p_value(x, n, p) == pytest.approx(
            _brute_force_p_value(x, n, p), rel=1e-9, abs=1e-15
        )


def test_equal_counts_on_equal_exposure_are_no_evidence() -> None:
    assert poisson_test_p_value(30, 30) == 1.0
    assert poisson_test_p_value(0, 0) == 1.0
    # 5 against 0: both one-sided tails are 0.5 ** 5, so the two-sided p is 2 / 32.
    assert poisson_test_p_value(5, 0) == pytest.approx(0.0625)


def test_clopper_pearson_limits_solve_their_tail_equations() -> None:
    # Given n = 30 events, 12 in the current period: the proportion's 95% limits solve
    # P(X >= 12 | p_low) = 0.025 and P(X <= 12 | p_high) = 0.025, by direct summation.
    result = compare_counts(12, 18)
    p_low = result.rate_ratio_interval.low / (1 + result.rate_ratio_interval.low)
    p_high = result.rate_ratio_interval.high / (1 + result.rate_ratio_interval.high)

    def cdf(k: int, p: float) -> float:
        return sum(math.comb(30, i) * p**i * (1 - p) ** (30 - i) for i in range(k + 1))

    assert 1 - cdf(11, p_low) == pytest.approx(0.025, rel=1e-8)
    assert cdf(12, p_high) == pytest.approx(0.025, rel=1e-8)


def test_a_zero_baseline_leaves_the_ratio_undefined() -> None:
    result = compare_counts(4, 0)
    assert result.rate_ratio is None
    assert result.percent_change is None
    assert math.isinf(result.rate_ratio_interval.high)
    assert result.rate_ratio_interval.low > 0
    both_zero = compare_counts(0, 0)
    assert both_zero.rate_ratio_interval.low == 0
    assert both_zero.p_value == 1


def test_a_large_change_on_large_counts_is_significant() -> None:
    result = compare_counts(1200, 1000)
    assert result.significant
    assert result.p_value < 0.001
    assert result.rate_ratio_interval.low > 1


@pytest.mark.parametrize(
    ("count", "baseline", "small"),
    [(19, 100, True), (100, 19, True), (20, 20, False), (0, 0, True), (250, 300, False)],
)
def test_small_numbers(count: int, baseline: int, small: bool) -> None:
    assert is_small_numbers(count, baseline) is small
    assert compare_counts(count, baseline).small_numbers is small


def test_small_numbers_threshold_is_a_parameter() -> None:
    assert is_small_numbers(40, 60, threshold=50)
    assert not compare_counts(40, 60, small_count=20).small_numbers


def test_rate_per_100000() -> None:
    # 10 events among 250,000 residents: 4 per 100,000, interval Garwood(10) / 2.5.
    estimate = rate_interval(10, 250_000)
    assert estimate.rate == pytest.approx(4.0)
    assert estimate.interval.low == pytest.approx(4.7954 / 2.5, abs=1e-4)
    assert estimate.interval.high == pytest.approx(18.3904 / 2.5, abs=1e-4)
    assert rate_interval(10, 250_000, per=1000).rate == pytest.approx(0.04)


@pytest.mark.parametrize(
    "bad",
    [-1, 2.5, float("nan"), float("inf"), True, "3"],
)
def test_counts_must_be_whole_numbers(bad: object) -> None:
    with pytest.raises((ValueError, TypeError)):
        poisson_interval(bad)  # type: ignore[arg-type]


def test_exposures_and_confidence_are_checked() -> None:
    with pytest.raises(ValueError, match="population"):
        rate_interval(3, 0)
    with pytest.raises(ValueError, match="exposure"):
        compare_counts(3, 4, exposure=-1)
    with pytest.raises(ValueError, match="confidence"):
        poisson_interval(3, confidence=1.0)


def test_special_functions_against_closed_forms() -> None:
    # P(1, x) = 1 - exp(-x); P(3, 2) = 1 - exp(-2) (1 + 2 + 2); I_x(1, b) = 1 - (1 - x) ** b;
    # I_0.3(3, 4) = P(binomial(6, 0.3) >= 3) = 0.25569.
    assert gamma_p(1, 0.7) == pytest.approx(1 - math.exp(-0.7), rel=1e-14)
    assert gamma_p(3, 2.0) == pytest.approx(1 - 5 * math.exp(-2), rel=1e-14)
    assert gamma_q(3, 20.0) == pytest.approx(math.exp(-20) * (1 + 20 + 200), rel=1e-12)
    assert beta_i(1, 5, 0.2) == pytest.approx(1 - 0.8**5, rel=1e-14)
    assert beta_i(3, 4, 0.3) == pytest.approx(0.25569, rel=1e-12)
    assert gamma_ppf(0.975, 1) == pytest.approx(-math.log(0.025), rel=1e-13)
    assert beta_ppf(0.025, 1, 1e6) == pytest.approx(-math.expm1(math.log(0.975) / 1e6), rel=1e-9)


def test_large_counts_are_fast_and_accurate() -> None:
    # For a large count the Garwood interval is close to x +- 1.96 sqrt(x).
    interval = poisson_interval(1_000_000)
    assert interval.low == pytest.approx(1_000_000 - 1.96 * 1000, rel=1e-5)
    assert interval.high == pytest.approx(1_000_000 + 1.96 * 1000, rel=1e-5)
    result = compare_counts(500_000, 510_000)
    assert result.significant
