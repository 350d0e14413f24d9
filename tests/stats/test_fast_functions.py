"""The fast statistical functions give the answers the previous, slower ones gave.

Each is checked against the implementation it replaced (kept in ``_previous``) and, where
exact arithmetic is feasible, against exact values from ``fractions``.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from framework.stats import poisson, special_functions
from framework.stats.poisson import as_count, binomial_test_p_value, compare_counts
from framework.stats.proportions import fisher_exact_p_value
from framework.stats.special_functions import beta_i, beta_ppf, gamma_p, gamma_ppf

from . import _previous as previous

shapes = st.floats(0.05, 2e5, allow_nan=False, allow_infinity=False)
whole_shapes = st.integers(1, 200_000).map(float)
inside = st.floats(1e-9, 1 - 1e-9, allow_nan=False)
probabilities = st.floats(1e-6, 1 - 1e-6, allow_nan=False)


def close(new: float, old: float, rel: float) -> bool:
    """Return True when two numbers agree to ``rel`` relative (both zero counts as equal)."""
    return new == old or abs(new - old) <= rel * max(abs(new), abs(old))


@given(a=shapes | whole_shapes, b=shapes | whole_shapes, x=inside)
def test_beta_i_is_the_previous_to_the_last_bit(a: float, b: float, x: float) -> None:
    # The continued fraction does the same arithmetic in the same order, only without calls.
    assert beta_i(a, b, x) == previous.beta_i(a, b, x)


@given(a=shapes | whole_shapes, b=shapes | whole_shapes, q=probabilities)
def test_beta_ppf_agrees_with_the_previous(a: float, b: float, q: float) -> None:
    new = beta_ppf(q, a, b)
    assert 0 <= new <= 1
    try:
        old = previous.beta_ppf(q, a, b)
    except ArithmeticError:
        # Before, a shape below 1 with a quantile deep in its tail (1e-120) could exhaust
        # the bisection steps; now a tail start finds it: the cdf there must be q.
        assert close(beta_i(a, b, new), q, 1e-12)
        return
    # Both stop within 1e-14 of the root, relative; where the cdf is flat at the quantile the
    # root itself is determined only as well as the cdf's rounding allows.
    assert close(new, old, 1e-12) or abs(beta_i(a, b, new) - q) <= 1e-14 * max(q, 1 - q)


@given(a=st.floats(0.5, 1e5), q=probabilities)
def test_gamma_ppf_agrees_with_the_previous(a: float, q: float) -> None:
    new, old = gamma_ppf(q, a), previous.gamma_ppf(q, a)
    # Far up the tail the cdf is 1 - Q, flat to within its rounding over a stretch of x: there
    # either root is as good as the other, and the new one's cdf must be q to that rounding.
    assert close(new, old, 1e-12) or abs(gamma_p(a, new) - q) <= 1e-15


@st.composite
def binomial_cases(draw: st.DrawFn, max_trials: int = 1_000_000) -> tuple[int, int, float]:
    n = draw(st.integers(1, 40) | st.integers(1, max_trials))
    p = draw(st.floats(0.001, 0.999) | st.sampled_from([0.5, 1 / 13, 4 / 13, 9 / 13]))
    # Counts near the mean matter most (the far tail's search starts at the mirror image).
    spread = max(1, int(5 * math.sqrt(n * p * (1 - p))))
    x = draw(
        st.integers(0, n) | st.integers(max(0, int(n * p) - spread), min(n, int(n * p) + spread))
    )
    return x, n, p


@given(case=binomial_cases())
def test_binomial_test_is_the_previous_to_the_last_bit(case: tuple[int, int, float]) -> None:
    x, n, p = case
    assert binomial_test_p_value(x, n, p) == previous.binomial_test_p_value(x, n, p)


@settings(max_examples=60)
@given(case=binomial_cases(max_trials=60))
def test_binomial_test_against_exact_arithmetic(case: tuple[int, int, float]) -> None:
    x, n, p = case
    q = Fraction(p)
    pmf = [math.comb(n, k) * q**k * (1 - q) ** (n - k) for k in range(n + 1)]
    limit = pmf[x] * Fraction(1 + 1e-7)
    exact = float(min(Fraction(1), sum(term for term in pmf if term <= limit)))
    if n * p == x:
        exact = 1.0
    assert close(binomial_test_p_value(x, n, p), exact, 1e-12)


@given(
    start=st.integers(0, 1000),
    width=st.integers(0, 1000),
    turn=st.integers(0, 2000),
    guess=st.integers(0, 2000),
)
def test_first_index_with_a_guess_is_the_bisection(
    start: int, width: int, turn: int, guess: int
) -> None:
    stop = start + width
    calls: list[int] = []

    def condition(k: int) -> bool:
        assert start <= k < stop, "the search looked outside its range"
        calls.append(k)
        return k >= turn

    expected = min(max(turn, start), stop)
    assert poisson._first_index(start, stop, condition, guess=guess) == expected
    assert poisson._first_index(start, stop, condition) == expected


def test_a_good_guess_needs_few_evaluations() -> None:
    calls: list[int] = []

    def condition(k: int) -> bool:
        calls.append(k)
        return k >= 500_003

    assert poisson._first_index(0, 1_000_000, condition, guess=500_000) == 500_003
    assert len(calls) <= 6  # bisecting the whole range takes 20


@given(
    x1=st.integers(0, 300), extra1=st.integers(0, 300), x2=st.integers(0, 300),
    extra2=st.integers(0, 300),
)  # fmt: skip
def test_fisher_is_the_previous_to_the_last_bit(x1: int, extra1: int, x2: int, extra2: int) -> None:
    n1, n2 = x1 + extra1, x2 + extra2
    assert fisher_exact_p_value(x1, n1, x2, n2) == previous.fisher_exact_p_value(x1, n1, x2, n2)


@given(
    value=st.integers(-5, 2**60)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.booleans()
    | st.integers(0, 10**6).map(np.int64)
    | st.integers(0, 10**6).map(np.float64)
)
def test_as_count_is_the_previous(value: object) -> None:
    def outcome(function: object) -> object:
        try:
            return function(value)  # type: ignore[operator]
        except (TypeError, ValueError) as error:
            return type(error), str(error)

    new, old = outcome(as_count), outcome(previous.as_count)
    assert new == old
    assert type(new) is type(old)


@given(count=st.integers(0, 5000), baseline=st.integers(0, 5000))
def test_compare_counts_interval_is_the_previous(count: int, baseline: int) -> None:
    # Clopper-Pearson limits of count / (count + baseline), now worked out once per pair.
    n = count + baseline
    result = compare_counts(count, baseline)
    if n == 0:
        assert result.rate_ratio_interval.low == 0 and result.rate_ratio_interval.high == math.inf
        return
    low = 0.0 if count == 0 else previous.beta_ppf(0.025, count, n - count + 1)
    high = 1.0 if baseline == 0 else previous.beta_ppf(0.975, count + 1, n - count)
    new_low, new_high = poisson._clopper_pearson(count, n, 1 - 0.95)
    assert close(new_low, low, 1e-12)
    assert close(new_high, high, 1e-12)
    assert result.p_value == previous.binomial_test_p_value(count, n, 0.5)


def test_repeated_calls_give_the_same_answer() -> None:
    first = compare_counts(123, 98, exposure=4, baseline_exposure=9)
    special_functions.beta_i(3, 4, 0.5)
    again = compare_counts(123, 98, exposure=4, baseline_exposure=9)
    assert first == again
