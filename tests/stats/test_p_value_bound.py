"""The bound on the exact binomial p-value, and the quasi-Poisson p-values decided by it.

A quasi-Poisson test reports the larger of its own p-value and the exact test's; where its
own is larger than a proved bound on the exact one, the exact one is not worked out. The
bound must never fall below the exact p-value, and the reported p-values must be those of
the definition, to the last bit.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framework.stats import overdispersed
from framework.stats.overdispersed import (
    NEAR_POISSON,
    compare_overdispersed_many,
    overdispersed_p_value,
    overdispersed_p_values,
    quasi_poisson_p_value,
)
from framework.stats.poisson import (
    binomial_test_p_value,
    binomial_test_p_value_bound,
    poisson_test_p_value,
)

from .test_batch_functions import binomial_cases


@settings(deadline=None, max_examples=300)
@given(binomial_cases(max_trials=2_000_000))
def test_the_bound_is_never_below_the_exact_p_value(case: tuple[int, int, float]) -> None:
    x, n, p = case
    assert binomial_test_p_value(x, n, p) <= binomial_test_p_value_bound(x, n, p)


@pytest.mark.parametrize(
    ("x", "n", "p"),
    [(0, 0, 0.5), (0, 1, 0.5), (1, 1, 0.5), (5, 10, 0.5), (0, 50, 0.2), (50, 50, 0.2),
     (10_000, 20_500, 0.5), (1, 10**6, 0.3), (10**6 - 1, 10**6, 0.3),
     (2, 2, 2.26e-161), (0, 3, 1 - 1e-12)],
)  # fmt: skip
def test_the_bound_at_the_ends(x: int, n: int, p: float) -> None:
    bound = binomial_test_p_value_bound(x, n, p)
    assert binomial_test_p_value(x, n, p) <= bound <= 1.0


def test_the_bound_is_close_for_large_counts() -> None:
    # What makes it worth having: near the exact value where counts are large.
    exact = binomial_test_p_value(10_100, 20_000, 0.5)
    assert exact <= binomial_test_p_value_bound(10_100, 20_000, 0.5) <= exact + 0.01


counts = st.integers(1, 40) | st.integers(1, 200_000)
over = st.floats(NEAR_POISSON, 40.0).filter(lambda phi: phi > NEAR_POISSON)
exposures = st.sampled_from([1.0, 0.25, 3.0, 4.0]) | st.floats(0.1, 10.0)


@settings(deadline=None, max_examples=300)
@given(counts, counts, over, exposures, exposures)
def test_a_quasi_poisson_p_value_is_the_larger_of_its_own_and_the_exact(
    x1: int, x2: int, phi: float, e1: float, e2: float
) -> None:
    quasi = quasi_poisson_p_value(x1, x2, phi, exposure=e1, baseline_exposure=e2)
    exact = poisson_test_p_value(x1, x2, exposure=e1, baseline_exposure=e2)
    expected = ("quasi_poisson", max(quasi, exact))
    assert overdispersed_p_value(x1, x2, phi, exposure=e1, baseline_exposure=e2) == expected
    assert overdispersed_p_values([(x1, x2, phi, e1, e2)]) == [expected]
    test = compare_overdispersed_many([(x1, x2, phi)], exposure=e1, baseline_exposure=e2)[0]
    assert (test.method, test.p_value) == expected


def test_large_counts_are_decided_without_the_exact_p_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refused(*args: object, **kwargs: object) -> float:
        raise AssertionError("the exact p-value was worked out")

    monkeypatch.setattr(overdispersed, "poisson_test_p_value", refused)
    monkeypatch.setattr(
        overdispersed, "poisson_test_p_values", lambda *a: [refused()] if a[0] else []
    )
    method, p_value = overdispersed_p_value(10_300, 10_000, 3.0)
    assert method == "quasi_poisson"
    assert p_value == quasi_poisson_p_value(10_300, 10_000, 3.0)
    assert overdispersed_p_values([(10_300, 10_000, 3.0, 1.0, 1.0)]) == [(method, p_value)]
    assert not math.isnan(compare_overdispersed_many([(10_300, 10_000, 3.0)])[0].p_value)


@pytest.mark.parametrize(
    "call",
    [
        lambda e: overdispersed_p_value(500, 400, 3.0, exposure=e, baseline_exposure=3.0),
        lambda e: overdispersed_p_values([(500, 400, 3.0, e, 3.0)]),
        lambda e: compare_overdispersed_many([(5000, 4000, 3.0)], exposure=e),
    ],
)
@pytest.mark.parametrize("exposure", [-1.0, 0.0, math.inf, math.nan])
def test_an_exposure_the_exact_test_refuses_is_refused_whether_or_not_it_is_needed(
    call: Any, exposure: float
) -> None:
    with pytest.raises(ValueError, match="exposure must be a positive finite number"):
        call(exposure)


def test_very_many_events_take_the_exact_p_value(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[tuple[int, int]] = []
    exact = poisson_test_p_value

    def counted(x1: int, x2: int, **kwargs: float) -> float:
        asked.append((x1, x2))
        return exact(x1, x2, **kwargs)

    monkeypatch.setattr(overdispersed, "poisson_test_p_value", counted)
    overdispersed_p_value(6_000_000, 5_000_000, 3.0)  # beyond the bound's range
    overdispersed_p_value(60_000, 50_000, 3.0)  # within it: settled by the bound
    assert asked == [(6_000_000, 5_000_000)]
