"""The batch forms of the exact tests give each scalar function's answer, to the last bit.

``beta_i_many``, ``beta_ppf_many``, ``binomial_test_p_values``, ``clopper_pearson_many``,
``compare_counts_many``, ``overdispersed_p_values`` and ``compare_overdispersed_many`` are
checked element by element against the scalar functions (the public reference), which
the other property tests check against the slower implementations of ``_previous`` and
exact arithmetic; here the slower ones are also checked directly, to 1e-12 relative.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framework.stats import poisson
from framework.stats.overdispersed import (
    compare_overdispersed,
    compare_overdispersed_many,
    overdispersed_p_value,
    overdispersed_p_values,
)
from framework.stats.poisson import (
    binomial_test_p_value,
    binomial_test_p_values,
    clopper_pearson_many,
    compare_counts,
    compare_counts_many,
    poisson_test_p_value,
    poisson_test_p_values,
)
from framework.stats.special_functions import (
    ConvergenceError,
    beta_i,
    beta_i_many,
    beta_ppf,
    beta_ppf_many,
)

from . import _previous as previous

# Shapes from 1e-3 to 1e7, fractional and whole (as the binomial tails pass them).
shapes = st.floats(1e-3, 1e7, allow_nan=False, allow_infinity=False) | st.integers(1, 10**7)
small_shapes = st.floats(1e-3, 50.0) | st.integers(1, 50)
# Points anywhere in [0, 1], and packed against either end.
points = (
    st.floats(0.0, 1.0)
    | st.floats(1e-300, 1e-6)
    | st.floats(1e-300, 1e-6).map(lambda t: 1 - t)
    | st.sampled_from([0.0, 1.0, 0.5, 5e-324, 1 - 2**-53])
)
# The quantiles' shapes start at 0.05, as the scalar's own tests do: below that a quantile
# deep in a tail can exhaust the scalar's Newton steps (a ConvergenceError), alike in both.
quantile_shapes = st.floats(0.05, 50.0) | st.integers(1, 200_000)
levels = st.floats(0.0, 1.0) | st.floats(1e-12, 1e-4) | st.sampled_from([0.0, 1.0, 0.025, 0.975])


def close(new: float, old: float, rel: float) -> bool:
    """Return True when two numbers agree to ``rel`` relative (both zero counts as equal)."""
    return new == old or abs(new - old) <= rel * max(abs(new), abs(old))


@settings(deadline=None)
@given(
    st.lists(
        st.tuples(shapes | small_shapes, shapes | small_shapes, points), min_size=1, max_size=25
    )
)
def test_beta_i_many_is_beta_i_to_the_last_bit(cases: list[tuple[float, float, float]]) -> None:
    a, b, x = zip(*cases, strict=True)
    found = beta_i_many(a, b, x).tolist()
    assert found == [beta_i(*case) for case in cases]
    for (p, r, t), value in zip(cases, found, strict=True):
        assert close(value, previous.beta_i(p, r, t), 1e-12)


@settings(deadline=None)
@given(
    st.lists(
        st.tuples(levels, quantile_shapes, quantile_shapes),
        max_size=12,
    )
)
def test_beta_ppf_many_is_beta_ppf_to_the_last_bit(cases: list[tuple[float, float, float]]) -> None:
    scalar: list[float | None] = []
    for case in cases:
        try:
            scalar.append(beta_ppf(*case))
        except ConvergenceError:
            # A level like 5e-324 under a shape below 1 exhausts the Newton steps: the batch
            # must fail alike, and answer the other quantiles when asked without it.
            scalar.append(None)
    if None in scalar:
        with pytest.raises(ConvergenceError):
            beta_ppf_many(*map(list, zip(*cases, strict=True)))
    kept = [case for case, value in zip(cases, scalar, strict=True) if value is not None]
    found = beta_ppf_many(*map(list, zip(*kept, strict=True))) if kept else []
    assert found == [value for value in scalar if value is not None]


def test_the_batches_refuse_what_the_scalars_refuse() -> None:
    with pytest.raises(ValueError, match="the shape a must be a positive finite number"):
        beta_i_many([1.0, 0.0], [1.0, 1.0], [0.5, 0.5])
    with pytest.raises(ValueError, match="the shape b must be a positive finite number"):
        beta_i_many([1.0], [math.inf], [0.5])
    with pytest.raises(ValueError, match="one length"):
        beta_i_many([1.0, 2.0], [1.0], [0.5])
    with pytest.raises(ValueError, match="a probability must lie in"):
        beta_ppf_many([1.5], [1.0], [1.0])
    with pytest.raises(ValueError, match="successes must lie in"):
        binomial_test_p_values([3], [2], [0.5])
    with pytest.raises(ValueError, match="strictly inside"):
        binomial_test_p_values([1], [2], [1.0])
    with pytest.raises(ValueError, match="exposure must be a positive"):
        poisson_test_p_values([1], [2], [0.0], [1.0])
    assert beta_i_many([], [], []).tolist() == []
    assert binomial_test_p_values([], [], []) == []


@st.composite
def binomial_cases(draw: st.DrawFn, max_trials: int = 1_000_000) -> tuple[int, int, float]:
    n = draw(st.integers(0, 40) | st.integers(1, max_trials))
    p = draw(st.floats(0.001, 0.999) | st.sampled_from([0.5, 1 / 13, 4 / 13, 9 / 13]))
    spread = max(1, int(5 * math.sqrt(n * p * (1 - p))))
    x = draw(
        st.integers(0, n) | st.integers(max(0, int(n * p) - spread), min(n, int(n * p) + spread))
    )
    return x, n, p


@settings(deadline=None)
@given(st.lists(binomial_cases(), max_size=20))
def test_binomial_test_p_values_are_the_scalars(cases: list[tuple[int, int, float]]) -> None:
    cases = cases + cases[:3]  # repeated tests are worked out once and answered for each
    found = binomial_test_p_values(*map(list, zip(*cases, strict=True))) if cases else []
    assert found == [binomial_test_p_value(*case) for case in cases]
    for (x, n, p), value in zip(cases, found, strict=True):
        if n:
            assert close(value, previous.binomial_test_p_value(x, n, p), 1e-12)


@settings(deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 5000) | st.integers(0, 10**6), st.integers(0, 5000)),
             min_size=1, max_size=15),
    st.sampled_from([0.05, 0.1, 0.01]),
)  # fmt: skip
def test_clopper_pearson_many_are_the_scalars(pairs: list[tuple[int, int]], alpha: float) -> None:
    successes = [x for x, _ in pairs]
    trials = [x + extra + 1 for x, extra in pairs]
    found = clopper_pearson_many(successes, trials, alpha)
    assert found == [
        poisson._clopper_pearson(x, n, alpha) for x, n in zip(successes, trials, strict=True)
    ]
    for (low, high), x, n in zip(found, successes, trials, strict=True):
        old_low = 0.0 if x == 0 else previous.beta_ppf(alpha / 2, x, n - x + 1)
        old_high = 1.0 if x == n else previous.beta_ppf(1 - alpha / 2, x + 1, n - x)
        assert close(low, old_low, 1e-12)
        assert close(high, old_high, 1e-12)


counts = st.integers(0, 60) | st.integers(0, 20_000)
exposures = st.sampled_from([1.0, 3.0, 12.0, 0.25]) | st.integers(1, 60)


@settings(deadline=None)
@given(
    st.lists(st.tuples(counts, counts), max_size=15),
    exposures,
    exposures,
    st.sampled_from([0.95, 0.9, 0.99]),
)
def test_compare_counts_many_are_the_scalars(
    pairs: list[tuple[int, int]], exposure: float, baseline_exposure: float, confidence: float
) -> None:
    found = compare_counts_many(
        pairs, exposure=exposure, baseline_exposure=baseline_exposure, confidence=confidence
    )
    assert found == [
        compare_counts(x1, x2, exposure=exposure, baseline_exposure=baseline_exposure,
                       confidence=confidence)
        for x1, x2 in pairs
    ]  # fmt: skip
    p_values = poisson_test_p_values(
        [x1 for x1, _ in pairs],
        [x2 for _, x2 in pairs],
        [exposure] * len(pairs),
        [baseline_exposure] * len(pairs),
    )
    assert p_values == [
        poisson_test_p_value(x1, x2, exposure=exposure, baseline_exposure=baseline_exposure)
        for x1, x2 in pairs
    ]
    given_p = compare_counts_many(
        pairs, exposure=exposure, baseline_exposure=baseline_exposure, confidence=confidence,
        p_values=p_values,
    )  # fmt: skip
    assert given_p == found


dispersions = st.floats(0.5, 1.2) | st.floats(1.2, 40.0) | st.sampled_from([1.0, 1.2, 3.0])


@settings(deadline=None)
@given(
    st.lists(st.tuples(counts | st.integers(900, 1100), counts, dispersions), max_size=15),
    exposures,
    exposures,
)
def test_compare_overdispersed_many_are_the_scalars(
    tests: list[tuple[int, int, float]], exposure: float, baseline_exposure: float
) -> None:
    found = compare_overdispersed_many(
        tests, exposure=exposure, baseline_exposure=baseline_exposure
    )
    assert found == [
        compare_overdispersed(x1, x2, phi, exposure=exposure, baseline_exposure=baseline_exposure)
        for x1, x2, phi in tests
    ]


@settings(deadline=None)
@given(st.lists(st.tuples(counts, counts, dispersions, exposures, exposures), max_size=15))
def test_overdispersed_p_values_are_the_scalars(
    tests: list[tuple[int, int, float, float, float]],
) -> None:
    assert overdispersed_p_values(tests) == [
        overdispersed_p_value(x1, x2, phi, exposure=e1, baseline_exposure=e2)
        for x1, x2, phi, e1, e2 in tests
    ]


def test_a_batch_answers_repeated_and_trivial_tests() -> None:
    # n = 0, x equal to its expectation, and a repeat: no integral needed, each answered.
    assert binomial_test_p_values([0, 5, 5, 3], [0, 10, 10, 10], [0.5, 0.5, 0.5, 0.5]) == [
        1.0, 1.0, 1.0, binomial_test_p_value(3, 10, 0.5)
    ]  # fmt: skip
    assert clopper_pearson_many([0, 4, 0], [4, 4, 4], 0.05) == [
        poisson._clopper_pearson(0, 4, 0.05),
        poisson._clopper_pearson(4, 4, 0.05),
        poisson._clopper_pearson(0, 4, 0.05),
    ]
