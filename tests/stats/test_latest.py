"""The latest variations of nested prefixes equal each prefix's own chart, whatever the data."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framework.model.measure import Improvement
from framework.model.spc import DEFAULT_PROFILE, SpcProfile
from framework.stats.latest import latest_variations
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
)
improvements = st.sampled_from(["lower_is_better", "higher_is_better", "neutral"])
# Small counts reach the rare-event (Poisson) limits and ties; large ones the XmR limits.
counts = st.lists(st.integers(0, 3), min_size=2, max_size=40) | st.lists(
    st.integers(0, 5000), min_size=2, max_size=40
)
measurements = st.lists(
    st.integers(-1000, 1000) | st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
    min_size=2,
    max_size=40,
) | st.lists(st.integers(-50, 50).map(lambda v: v / 10), min_size=2, max_size=40)


@st.composite
def ends_of(draw: st.DrawFn, length: int) -> list[int]:
    """Some ends of a series of ``length`` points, in any order, repeats allowed."""
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
    values = [
        100 * draw(st.integers(0, int(n))) / n if n > 0 else draw(st.floats(0, 100))
        for n in denominators
    ]
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
        ([1.0, math.inf, 3.0], [3], None, r"no missing or infinite values; see position\(s\) \[1\]"),
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
