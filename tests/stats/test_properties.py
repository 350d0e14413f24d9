"""Properties the XmR method and the exact intervals must have, whatever the data."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from framework.model.measure import Improvement
from framework.model.spc import DEFAULT_PROFILE, SpcProfile
from framework.stats.poisson import compare_counts, poisson_interval, rate_interval
from framework.stats.spc import SpcResult, analyse_series
from framework.stats.xmr import Rebase, xmr_limits

from ._helpers import profile

# Integer-valued series keep every genuine gap between a value and a limit far above the
# rounding tolerance, so a property failure means a real difference, not float noise.
series = st.lists(st.integers(-1000, 1000), min_size=2, max_size=40)
profiles = st.builds(
    profile,
    screen_outliers=st.booleans(),
    shift_points=st.integers(2, 9),
    trend_points=st.integers(2, 9),
    two_in_three=st.booleans(),
    fix_after=st.none() | st.integers(2, 20),
)
improvements = st.sampled_from(["lower_is_better", "higher_is_better", "neutral"])


@st.composite
def rebased(draw: st.DrawFn) -> tuple[list[int], list[Rebase]]:
    values = draw(series)
    positions = (
        draw(st.sets(st.integers(1, len(values) - 1), max_size=3)) if len(values) > 1 else set()
    )
    return values, [Rebase(at, f"change {at}") for at in sorted(positions)]


def _flags(result: SpcResult) -> tuple[object, ...]:
    return (result.rules.rule, result.variation, result.variation_icon, result.trial_limits)


def _limits(result: SpcResult) -> np.ndarray:
    limits = result.limits
    return np.vstack(
        [limits.mean, limits.upper_limit, limits.lower_limit, limits.near_upper, limits.near_lower]
    )


@given(rebased(), profiles, improvements, st.integers(-10_000, 10_000))
def test_adding_a_constant_moves_mean_and_limits_and_keeps_flags(
    data: tuple[list[int], list[Rebase]], spc: SpcProfile, improvement: Improvement, shift: int
) -> None:
    values, rebases = data
    base = analyse_series(values, spc, improvement=improvement, rebases=rebases)
    moved = analyse_series(
        [v + shift for v in values], spc, improvement=improvement, rebases=rebases
    )
    assert _limits(moved) == pytest.approx(_limits(base) + shift, rel=1e-12, abs=1e-9, nan_ok=True)
    assert _flags(moved) == _flags(base)


@given(rebased(), profiles, improvements, st.floats(0.001, 1000))
def test_scaling_scales_mean_and_limits_and_keeps_flags(
    data: tuple[list[int], list[Rebase]], spc: SpcProfile, improvement: Improvement, factor: float
) -> None:
    values, rebases = data
    base = analyse_series(values, spc, improvement=improvement, rebases=rebases)
    scaled = analyse_series(
        [v * factor for v in values], spc, improvement=improvement, rebases=rebases
    )
    assert _limits(scaled) == pytest.approx(_limits(base) * factor, rel=1e-9, abs=1e-9, nan_ok=True)
    assert _flags(scaled) == _flags(base)


@given(rebased(), profiles)
def test_reversing_the_direction_swaps_improvement_and_concern(
    data: tuple[list[int], list[Rebase]], spc: SpcProfile
) -> None:
    values, rebases = data
    lower = analyse_series(values, spc, improvement="lower_is_better", rebases=rebases)
    higher = analyse_series(values, spc, improvement="higher_is_better", rebases=rebases)
    swap = {"improvement": "concern", "concern": "improvement", "common_cause": "common_cause"}
    assert higher.variation == tuple(swap[v] for v in lower.variation)
    assert higher.rules.rule == lower.rules.rule
    neutral = analyse_series(values, spc, improvement="neutral", rebases=rebases)
    assert set(neutral.variation) <= {"neutral", "common_cause"}
    assert [v == "common_cause" for v in neutral.variation] == [
        v == "common_cause" for v in lower.variation
    ]


@given(
    st.floats(-1e9, 1e9, allow_nan=False),
    st.integers(2, 60),
    profiles,
    improvements,
)
def test_a_constant_series_has_no_special_cause(
    level: float, length: int, spc: SpcProfile, improvement: Improvement
) -> None:
    result = analyse_series([level] * length, spc, improvement=improvement)
    assert set(result.rules.rule) == {None}
    assert set(result.variation) == {"common_cause"}
    assert result.variation_icon == "common_cause"


@given(series, st.integers(2, 20), st.lists(st.integers(-5000, 5000), min_size=1, max_size=10))
def test_appending_never_moves_fixed_limits(
    values: list[int], fix_after: int, extra: list[int]
) -> None:
    assume(len(values) >= fix_after)
    spc = profile(fix_after=fix_after)
    before = xmr_limits(values, spc)
    after = xmr_limits(values + extra, spc)
    n = len(values)
    for name in ("mean", "upper_limit", "lower_limit", "near_upper", "near_lower", "trial"):
        assert getattr(after, name)[:n].tolist() == getattr(before, name).tolist(), name


@given(series)
def test_without_fixing_every_point_shares_one_set_of_limits(values: list[int]) -> None:
    result = xmr_limits(values, DEFAULT_PROFILE)
    assert len(set(result.upper_limit.tolist())) == 1
    assert (result.lower_limit <= result.near_lower).all()
    assert (result.near_lower <= result.mean).all()
    assert (result.mean <= result.near_upper).all()
    assert (result.near_upper <= result.upper_limit).all()


@given(st.integers(0, 2_000_000), st.sampled_from([0.8, 0.9, 0.95, 0.99]))
@settings(max_examples=60)
def test_the_poisson_interval_contains_the_count(count: int, confidence: float) -> None:
    assert count in poisson_interval(count, confidence)


@given(st.integers(1, 100_000), st.integers(1, 100_000))
@settings(max_examples=60)
def test_the_relative_width_narrows_as_counts_grow(a: int, b: int) -> None:
    assume(a != b)
    small, large = sorted((a, b))
    assert poisson_interval(large).width / large < poisson_interval(small).width / small


@given(st.integers(0, 5000))
@settings(max_examples=30)
def test_a_higher_confidence_gives_a_wider_interval(count: int) -> None:
    narrow, wide = poisson_interval(count, 0.9), poisson_interval(count, 0.99)
    assert wide.low <= narrow.low
    assert wide.high > narrow.high


@given(
    st.integers(0, 100_000),
    st.floats(1_000, 1e8),
    st.floats(1.5, 100),
)
@settings(max_examples=60)
def test_the_rate_interval_scales_inversely_with_population(
    count: int, population: float, factor: float
) -> None:
    base = rate_interval(count, population)
    bigger = rate_interval(count, population * factor)
    assert bigger.rate == pytest.approx(base.rate / factor, rel=1e-12)
    assert bigger.interval.low == pytest.approx(base.interval.low / factor, rel=1e-12)
    assert bigger.interval.high == pytest.approx(base.interval.high / factor, rel=1e-12)
    assert base.interval.low <= base.rate <= base.interval.high


@given(st.integers(1, 5000), st.integers(1, 5000), st.floats(0.1, 10), st.floats(0.1, 10))
@settings(max_examples=60)
def test_the_rate_ratio_interval_contains_the_ratio_and_swaps_with_the_counts(
    x1: int, x2: int, e1: float, e2: float
) -> None:
    forward = compare_counts(x1, x2, exposure=e1, baseline_exposure=e2)
    backward = compare_counts(x2, x1, exposure=e2, baseline_exposure=e1)
    assert forward.rate_ratio is not None
    assert forward.rate_ratio in forward.rate_ratio_interval
    assert 0 <= forward.p_value <= 1
    assert forward.p_value == pytest.approx(backward.p_value, rel=1e-7, abs=1e-300)
    assert forward.rate_ratio_interval.low == pytest.approx(
        1 / backward.rate_ratio_interval.high, rel=1e-8
    )
