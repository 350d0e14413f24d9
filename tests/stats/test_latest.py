"""The latest variations of nested prefixes equal each prefix's own chart, whatever the data."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framework.model.measure import Improvement
from framework.model.spc import DEFAULT_PROFILE, SpcProfile
from framework.stats.latest import (
    _bases,
    _centres_and_limits,
    _sums_exactly,
    _whole_bases,
    latest_variations,
)
from framework.stats.spc import SeriesKind, analyse_series

from ._helpers import profile

profiles = st.builds(
    profile,
    screen_outliers=st.booleans(),
    shift_points=st.integers(2, 9),
    trend_points=st.integers(2, 9),
    two_in_three=st.booleans(),
    fix_after=st.none() | st.integers(2, 20),
    minimum_points=st.integers(2, 15),
    rare_event_mean=st.none() | st.floats(0.1, 8),
    proportion_limits=st.sampled_from(["p_chart", "xmr"]),
    laney_min_denominator=st.none() | st.integers(1, 3000),
    screen_factor=st.sampled_from([3.267, 3.0, 2.0, 1.5]),
    limit_factor=st.sampled_from([2.66, 3.0, 2.0]),
    near_limit_fraction=st.sampled_from([2 / 3, 0.5]),
)
# Deviations from a level in steps of half a sigma: points land near and beyond the limits.
deviations = st.lists(
    st.integers(-8, 8).map(lambda half_sigmas: half_sigmas / 2), min_size=2, max_size=40
)
improvements = st.sampled_from(["lower_is_better", "higher_is_better", "neutral"])
# Small counts reach the rare-event (Poisson) limits and ties; large ones the XmR limits.
counts = (
    st.lists(st.integers(0, 3), min_size=2, max_size=40)
    | st.lists(st.integers(0, 5000), min_size=2, max_size=40)
    | st.builds(
        lambda level, spread, z: [max(0, level + round(spread * d)) for d in z],
        st.integers(0, 500),
        st.integers(1, 30),
        deviations,
    )
)
measurements = (
    st.lists(
        st.integers(-1000, 1000) | st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
        min_size=2,
        max_size=40,
    )
    | st.lists(st.integers(-50, 50).map(lambda v: v / 10), min_size=2, max_size=40)
    | st.builds(
        lambda level, spread, z: [level + spread * d for d in z],
        st.floats(-100, 100),
        st.floats(0.01, 10),
        deviations,
    )
)


@st.composite
def ends_of(draw: st.DrawFn, length: int) -> list[int]:
    """Draw some ends of a series of ``length`` points, in any order, repeats allowed."""
    return draw(st.lists(st.integers(2, length), min_size=1, max_size=2 * length))


@st.composite
def proportions(draw: st.DrawFn) -> tuple[list[float], list[float]]:
    """Percentages with their denominators; some periods have none (0 or missing)."""
    size = draw(st.integers(2, 40))
    denominators = draw(
        st.lists(
            st.integers(0, 5000).map(float) | st.just(math.nan),
            min_size=size,
            max_size=size,
        )
    )
    if draw(st.booleans()):
        values = [
            100 * draw(st.integers(0, int(n))) / n if n > 0 else draw(st.floats(0, 100))
            for n in denominators
        ]
        return values, denominators
    # Around a rate, up to four sigmas away: near and beyond the p-chart limits.
    rate = draw(st.floats(0.05, 0.95))
    sigmas = draw(st.lists(st.floats(-4, 4), min_size=size, max_size=size))
    values = []
    for n, away in zip(denominators, sigmas, strict=True):
        if not n > 0:
            values.append(draw(st.floats(0, 100)))
            continue
        count = round(rate * n + away * math.sqrt(rate * (1 - rate) * n))
        values.append(100 * min(n, max(0, count)) / n)
    return values, denominators


def _each(
    values: list[float],
    ends: list[int],
    spc: SpcProfile,
    improvement: Improvement,
    kind: SeriesKind,
    denominators: list[float] | None = None,
) -> tuple[str, ...]:
    return tuple(
        analyse_series(
            values[:end],
            spc,
            improvement=improvement,
            kind=kind,
            denominators=None if denominators is None else denominators[:end],
        ).variation[-1]
        for end in ends
    )


@settings(max_examples=400)
@given(st.data(), counts, profiles, improvements)
def test_counts_equal_each_prefix_s_own_chart(
    data: st.DataObject, values: list[int], spc: SpcProfile, improvement: Improvement
) -> None:
    ends = data.draw(ends_of(len(values)))
    floats = [float(v) for v in values]
    got = latest_variations(floats, ends, spc, improvement=improvement, kind="count")
    assert got == _each(floats, ends, spc, improvement, "count")


@settings(max_examples=400)
@given(st.data(), measurements, profiles, improvements)
def test_measurements_equal_each_prefix_s_own_chart(
    data: st.DataObject, values: list[float], spc: SpcProfile, improvement: Improvement
) -> None:
    ends = data.draw(ends_of(len(values)))
    floats = [float(v) for v in values]
    got = latest_variations(floats, ends, spc, improvement=improvement)
    assert got == _each(floats, ends, spc, improvement, "measurement")


@settings(max_examples=400)
@given(st.data(), proportions(), profiles, improvements, st.booleans())
def test_proportions_equal_each_prefix_s_own_chart(
    data: st.DataObject,
    series: tuple[list[float], list[float]],
    spc: SpcProfile,
    improvement: Improvement,
    with_denominators: bool,
) -> None:
    values, denominators = series
    ends = data.draw(ends_of(len(values)))
    given_denominators = denominators if with_denominators else None
    got = latest_variations(
        values,
        ends,
        spc,
        improvement=improvement,
        kind="proportion",
        denominators=given_denominators,
    )
    assert got == _each(values, ends, spc, improvement, "proportion", given_denominators)


@pytest.mark.parametrize(
    ("values", "kind", "expected"),
    [
        # A rising run of seven: a trend at the seventh point, not before.
        ([10, 11, 12, 13, 14, 15, 16], "measurement", ("common_cause", "concern")),
        # A rare count: a run of zeros around a median of zero is no shift.
        ([0, 0, 0, 0, 0, 0, 0, 0, 1], "count", ("common_cause", "common_cause")),
        # A spike far beyond the limits of a steady count.
        ([50, 52, 49, 51, 50, 48, 51, 50, 400], "count", ("common_cause", "concern")),
    ],
)
def test_known_readings(values: list[float], kind: SeriesKind, expected: tuple[str, ...]) -> None:
    ends = [len(values) - 1, len(values)]
    got = latest_variations(values, ends, DEFAULT_PROFILE, improvement="lower_is_better", kind=kind)
    assert got == expected
    assert got == _each(values, ends, DEFAULT_PROFILE, "lower_is_better", kind)


def test_no_ends_give_no_readings() -> None:
    assert latest_variations([1.0, 2.0], [], DEFAULT_PROFILE, improvement="neutral") == ()


@pytest.mark.parametrize(
    ("values", "ends", "denominators", "message"),
    [
        ([1.0, 2.0, 3.0], [1], None, r"each end must be from 2 to 3, not \[1\]"),
        ([1.0, 2.0, 3.0], [2, 4], None, r"each end must be from 2 to 3, not \[2, 4\]"),
        (
            [1.0, math.inf, 3.0],
            [3],
            None,
            r"no missing or infinite values; see position\(s\) \[1\]",
        ),
        ([[1.0, 2.0]], [2], None, "one-dimensional"),
        ([10.0, 20.0, 30.0], [2], [5.0, 5.0], "one denominator per point is needed"),
    ],
)
def test_refuses_what_a_chart_cannot_read(
    values: list[float], ends: list[int], denominators: list[float] | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        latest_variations(
            values,
            ends,
            DEFAULT_PROFILE,
            improvement="neutral",
            kind="proportion",
            denominators=denominators,
        )


def test_a_missing_value_past_the_largest_end_is_not_read() -> None:
    values = np.array([5.0, 7.0, 6.0, math.nan])
    assert latest_variations(values, [3], DEFAULT_PROFILE, improvement="neutral") == _each(
        [5.0, 7.0, 6.0], [3], DEFAULT_PROFILE, "neutral", "measurement"
    )


@settings(max_examples=300)
@given(
    st.lists(st.integers(-(2**40), 2**40), min_size=2, max_size=40)
    | st.lists(st.integers(0, 3), min_size=2, max_size=40),
    profiles,
    st.data(),
)
def test_running_totals_of_whole_numbers_give_np_mean_s_results_exactly(
    values: list[int], spc: SpcProfile, data: st.DataObject
) -> None:
    y = np.array(values, dtype=np.float64)
    used = np.array(data.draw(ends_of(len(values))), dtype=np.int64)
    assert _sums_exactly(y)
    fast, slow = _whole_bases(y, used, spc), _bases(y, used, spc)
    # Bit for bit: the same floats, so every comparison with a limit is the same.
    assert fast[0].tobytes() == slow[0].tobytes()
    assert fast[1].tobytes() == slow[1].tobytes()


@pytest.mark.parametrize(
    ("values", "exact"),
    [([1.0, 2.0, 3.0], True), ([1.0, 2.5], False), ([2.0**52, 1.0], False), ([-3.0, 0.0], True)],
)
def test_only_whole_numbers_of_modest_size_take_running_totals(
    values: list[float], exact: bool
) -> None:
    assert _sums_exactly(np.array(values)) is exact


def _assert_chart_s_centres_and_limits(
    values: list[float],
    ends: list[int],
    spc: SpcProfile,
    kind: SeriesKind,
    denominators: list[float] | None = None,
) -> None:
    """Check each prefix's centre and last three points' limits are its chart's, bit for bit."""
    y = np.array(values, dtype=np.float64)
    per_point = None
    if kind == "proportion" and spc.proportion_limits == "p_chart" and denominators is not None:
        per_point = np.array(denominators, dtype=np.float64)
    stops = np.array(ends, dtype=np.int64)
    centre, tails = _centres_and_limits(y, stops, spc, kind, per_point)
    for k, end in enumerate(ends):
        chart = analyse_series(
            values[:end],
            spc,
            improvement="neutral",
            kind=kind,
            denominators=None if denominators is None else denominators[:end],
        ).limits
        rare = kind == "count" and spc.rare_event_mean is not None
        if rare and chart.current.mean < spc.rare_event_mean:  # type: ignore[operator]
            assert centre[k] == np.median(y[:end])  # rare events are read around the median
        else:
            assert centre[k] == chart.mean[-1]
        at = np.maximum(np.arange(end - 3, end), 0)
        expected = [chart.upper_limit, chart.lower_limit, chart.near_upper, chart.near_lower]
        np.testing.assert_array_equal(tails[:, k, :], np.array([a[at] for a in expected]))


@settings(max_examples=200)
@given(st.data(), counts | measurements, profiles, st.sampled_from(["count", "measurement"]))
def test_each_prefix_s_centre_and_limits_are_its_chart_s(
    data: st.DataObject, values: list[float], spc: SpcProfile, kind: SeriesKind
) -> None:
    floats = [float(v) for v in values]
    if kind == "count":
        floats = [abs(v) for v in floats]  # counts are never negative
    _assert_chart_s_centres_and_limits(floats, data.draw(ends_of(len(floats))), spc, kind)


@settings(max_examples=200)
@given(st.data(), proportions(), profiles, st.booleans())
def test_each_prefix_s_p_chart_centre_and_limits_are_its_chart_s(
    data: st.DataObject,
    series: tuple[list[float], list[float]],
    spc: SpcProfile,
    with_denominators: bool,
) -> None:
    values, denominators = series
    ends = data.draw(ends_of(len(values)))
    given_denominators = denominators if with_denominators else None
    _assert_chart_s_centres_and_limits(values, ends, spc, "proportion", given_denominators)
