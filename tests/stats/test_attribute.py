"""Limits for counts and proportions: Poisson limits for rare events, p-charts and Laney p′."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framework.model.spc import DEFAULT_PROFILE
from framework.stats.attribute import laney_sigma_z, poisson_quantile
from framework.stats.spc import SeriesKind, analyse_series


def test_montgomery_p_chart_example() -> None:
    # Montgomery, Introduction to Statistical Quality Control (6th ed.), Example 7.1: 30
    # samples of 50 cans, 347 nonconforming: p̄ = 0.2313, UCL = 0.4102, LCL = 0.0524.
    defects = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22, 8, 10, 5, 13, 11, 20, 18,
               24, 15, 9, 12, 7, 13, 9, 6]  # fmt: skip
    assert sum(defects) == 347
    percentages = np.asarray(defects) / 50 * 100
    profile = DEFAULT_PROFILE.model_copy(update={"laney_min_denominator": None})
    result = analyse_series(
        percentages, profile, improvement="lower_is_better", kind="proportion",
        denominators=[50] * 30,
    )  # fmt: skip
    limits = result.limits
    assert limits.mean[0] == pytest.approx(23.13, abs=0.01)
    assert limits.upper_limit[0] == pytest.approx(41.02, abs=0.01)
    assert limits.lower_limit[0] == pytest.approx(5.24, abs=0.01)
    # Samples 15 (22 of 50) and 23 (24 of 50) lie above the upper limit, as in the book.
    outside = np.flatnonzero(result.rules.outside_limits) + 1
    assert outside.tolist() == [15, 23]


def test_p_chart_limits_follow_each_denominator() -> None:
    result = analyse_series(
        [50.0, 50.0, 50.0, 50.0], DEFAULT_PROFILE, improvement="higher_is_better",
        kind="proportion", denominators=[10, 100, 1000, 40],
    )  # fmt: skip
    widths = result.limits.upper_limit - result.limits.lower_limit
    assert widths[0] > widths[3] > widths[1] > widths[2]


def test_laney_widens_the_limits_of_large_overdispersed_samples() -> None:
    rng = np.random.default_rng(3)
    n = np.full(24, 5000.0)
    p = np.clip(0.6 + rng.normal(0, 0.03, 24), 0, 1)  # between-period variation
    x = rng.binomial(n.astype(int), p)
    values = x / n * 100
    plain = analyse_series(
        values, DEFAULT_PROFILE.model_copy(update={"laney_min_denominator": None}),
        improvement="higher_is_better", kind="proportion", denominators=n,
    )  # fmt: skip
    laney = analyse_series(
        values, DEFAULT_PROFILE, improvement="higher_is_better", kind="proportion", denominators=n
    )
    pooled = x.sum() / n.sum()
    sigma = np.sqrt(pooled * (1 - pooled) / n)
    sigma_z = laney_sigma_z(x / n, sigma, pooled)
    assert sigma_z > 3
    assert laney.limits.upper_limit[0] == pytest.approx(
        100 * (pooled + 3 * sigma_z * sigma[0]), rel=1e-9
    )
    assert plain.rules.outside_limits.sum() > laney.rules.outside_limits.sum()


@pytest.mark.parametrize(
    ("mean", "probability", "quantile"),
    [(0.3, 0.99865, 3), (0.3, 0.97725, 2), (1.8, 0.99865, 7), (0.0, 0.99865, 0), (1.8, 0.00135, 0)],
)
def test_poisson_quantiles(mean: float, probability: float, quantile: int) -> None:
    assert poisson_quantile(mean, probability) == quantile


def test_rare_events_rarely_flag_a_stable_latest_point() -> None:
    # A stable Poisson series of mean 0.3: XmR flags the latest point far too often.
    rng = np.random.default_rng(11)
    series = [rng.poisson(0.3, 24).astype(float) for _ in range(600)]
    series = [s for s in series if s.sum() > 0]

    def share(kind: SeriesKind) -> float:
        flagged = [
            analyse_series(
                s, DEFAULT_PROFILE, improvement="lower_is_better", kind=kind
            ).rules.special_cause[-1]
            for s in series
        ]
        return float(np.mean(flagged))

    assert share("measurement") > 0.15
    assert share("count") < 0.02  # neither beyond the limits nor a run of zeros read as a shift


def test_a_run_of_rare_events_above_the_median_is_still_a_shift() -> None:
    values = [0.0] * 12 + [1.0, 2.0, 1.0, 1.0, 3.0, 1.0, 2.0]
    result = analyse_series(values, DEFAULT_PROFILE, improvement="lower_is_better", kind="count")
    assert result.rules.shift[-7:].all()
    assert result.variation[-1] == "concern"


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 40), min_size=2, max_size=40))
def test_count_limits_are_never_negative(values: list[int]) -> None:
    result = analyse_series(
        [float(v) for v in values], DEFAULT_PROFILE, improvement="lower_is_better", kind="count"
    )
    for limit in (result.limits.lower_limit, result.limits.near_lower, result.limits.upper_limit):
        assert (limit >= 0).all()


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 3000), st.floats(0, 1)), min_size=2, max_size=40),
    st.sampled_from([None, 1, 1000]),
)
def test_percentage_limits_stay_within_0_and_100(
    points: list[tuple[int, float]], laney: int | None
) -> None:
    n = np.asarray([d for d, _ in points], dtype=float)
    values = np.asarray([round(f * d) / d * 100 for d, f in points])
    profile = DEFAULT_PROFILE.model_copy(update={"laney_min_denominator": laney})
    for denominators in (n, None):
        result = analyse_series(
            values, profile, improvement="higher_is_better", kind="proportion",
            denominators=denominators,
        )  # fmt: skip
        limits = result.limits
        for limit in (limits.lower_limit, limits.upper_limit, limits.near_lower, limits.near_upper):
            assert ((limit >= 0) & (limit <= 100)).all()
