"""Counts with overdispersion, and proportions: properties and published reference values."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from framework.stats.dispersion import estimate_dispersion
from framework.stats.overdispersed import NEAR_POISSON, compare_overdispersed
from framework.stats.poisson import compare_counts
from framework.stats.proportions import compare_proportions, fisher_exact_p_value, wilson_interval

counts = st.integers(0, 50_000)
dispersions = st.floats(0.5, 100.0)


@settings(max_examples=300, deadline=None)
@given(x1=counts, x2=counts, phi=dispersions, factor=st.floats(1.0, 50.0))
def test_more_dispersion_never_makes_a_change_more_significant(
    x1: int, x2: int, phi: float, factor: float
) -> None:
    less = compare_overdispersed(x1, x2, phi)
    more = compare_overdispersed(x1, x2, phi * factor)
    assert more.p_value >= less.p_value - 1e-12
    assert more.percent_change_interval.low <= less.percent_change_interval.low + 1e-9
    assert more.percent_change_interval.high >= less.percent_change_interval.high - 1e-9


@settings(max_examples=200, deadline=None)
@given(x1=counts, x2=counts, phi=dispersions)
def test_the_overdispersed_test_never_reads_more_than_the_exact_one(
    x1: int, x2: int, phi: float
) -> None:
    assert compare_overdispersed(x1, x2, phi).p_value >= compare_counts(x1, x2).p_value - 1e-12


@settings(max_examples=200, deadline=None)
@given(x1=counts, x2=counts, phi=dispersions)
def test_swapping_the_counts_keeps_the_p_value(x1: int, x2: int, phi: float) -> None:
    assert compare_overdispersed(x1, x2, phi).p_value == pytest.approx(
        compare_overdispersed(x2, x1, phi).p_value, rel=1e-9, abs=1e-12
    )


def test_near_poisson_dispersion_uses_the_exact_test() -> None:
    test = compare_overdispersed(4819, 5112, NEAR_POISSON)
    assert test.method == "exact_poisson"
    assert test.p_value == pytest.approx(compare_counts(4819, 5112).p_value)


def test_the_2021_22_violence_change_is_not_significant_allowing_for_dispersion() -> None:
    # Poisson alone calls -5.7% significant (p = 0.003); with dispersion 8, p is about 0.3.
    assert compare_counts(4819, 5112).p_value < 0.005
    test = compare_overdispersed(4819, 5112, 8.0)
    assert test.method == "quasi_poisson"
    assert 0.25 < test.p_value < 0.35


def test_a_zero_count_falls_back_to_the_exact_test() -> None:
    assert compare_overdispersed(0, 7, 10.0).method == "exact_poisson"


def test_a_short_or_empty_series_gives_no_dispersion() -> None:
    assert estimate_dispersion([3, 4, 5, 6, 7, 8, 9]) is None
    assert estimate_dispersion([0] * 20) is None


def test_a_poisson_series_has_dispersion_near_one() -> None:
    import numpy as np

    rng = np.random.default_rng(7)
    phis = [estimate_dispersion(rng.poisson(50, 200), np.arange(200) % 4).phi for _ in range(20)]  # type: ignore[union-attr]
    assert 0.85 < float(np.median(phis)) < 1.15


# -- proportions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "n", "low", "high"),
    # Newcombe (1998), Stat Med 17:857, Table I, method 3 (Wilson score, no correction).
    [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611),
     (1, 29, 0.0061, 0.1718)],
)  # fmt: skip
def test_wilson_matches_newcombes_published_intervals(
    x: int, n: int, low: float, high: float
) -> None:
    interval = wilson_interval(x, n)
    assert interval.low == pytest.approx(low, abs=5e-5)
    assert interval.high == pytest.approx(high, abs=5e-5)


@settings(max_examples=300, deadline=None)
@given(n=st.integers(1, 100_000), data=st.data())
def test_wilson_stays_inside_0_to_1_and_holds_the_estimate(n: int, data: st.DataObject) -> None:
    x = data.draw(st.integers(0, n))
    interval = wilson_interval(x, n)
    assert 0.0 <= interval.low <= x / n <= interval.high <= 1.0


def test_satisfaction_528_of_694_against_541_of_666() -> None:
    test = compare_proportions(528, 694, 541, 666)
    assert test.method == "two_proportion_z"
    assert test.p_value == pytest.approx(0.0206, abs=5e-4)
    assert test.difference == pytest.approx(100 * (528 / 694 - 541 / 666))


def test_small_numbers_take_fishers_exact_test() -> None:
    test = compare_proportions(1, 10, 6, 12)  # an expected count of 3.2 successes
    assert test.method == "fisher_exact"
    assert test.p_value == pytest.approx(fisher_exact_p_value(1, 10, 6, 12))


@settings(max_examples=100, deadline=None)
@given(n1=st.integers(1, 40), n2=st.integers(1, 40), data=st.data())
def test_fisher_matches_scipy(n1: int, n2: int, data: st.DataObject) -> None:
    scipy_stats = pytest.importorskip("scipy.stats")
    x1, x2 = data.draw(st.integers(0, n1)), data.draw(st.integers(0, n2))
    expected = scipy_stats.fisher_exact([[x1, n1 - x1], [x2, n2 - x2]]).pvalue
    assert fisher_exact_p_value(x1, n1, x2, n2) == pytest.approx(expected, rel=1e-6, abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(n1=st.integers(30, 5000), n2=st.integers(30, 5000), data=st.data())
def test_the_z_test_matches_statsmodels(n1: int, n2: int, data: st.DataObject) -> None:
    proportion = pytest.importorskip("statsmodels.stats.proportion")
    x1, x2 = data.draw(st.integers(0, n1)), data.draw(st.integers(0, n2))
    test = compare_proportions(x1, n1, x2, n2)
    assume(test.method == "two_proportion_z" and 0 < x1 + x2 < n1 + n2)
    _, expected = proportion.proportions_ztest([x1, x2], [n1, n2])
    assert test.p_value == pytest.approx(expected, rel=1e-6, abs=1e-12)
    assert not math.isnan(test.p_value)
