"""XmR limits: per-point arrays, segments, validation of the input."""

from __future__ import annotations

import math

import numpy as np
import pytest

from framework.model.spc import DEFAULT_PROFILE
from framework.stats.xmr import Rebase, xmr_limits

from ._helpers import profile

VIGNETTE = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]


def test_per_point_limits_follow_their_segment() -> None:
    # Segment 0: 10, 12, 10, 12 -> mean 11, mean moving range 2, limits 11 +- 5.32.
    # Segment 1: 20, 21, 20, 21 -> mean 20.5, mean moving range 1, limits 20.5 +- 2.66.
    result = xmr_limits([10, 12, 10, 12, 20, 21, 20, 21], DEFAULT_PROFILE, [Rebase(4, "change")])
    assert result.segment.tolist() == [0, 0, 0, 0, 1, 1, 1, 1]
    assert result.mean.tolist() == [11] * 4 + [20.5] * 4
    assert result.upper_limit[:4] == pytest.approx([16.32] * 4)
    assert result.upper_limit[4:] == pytest.approx([23.16] * 4)
    assert result.lower_limit[4:] == pytest.approx([17.84] * 4)
    assert result.current.reason == "change"
    assert result.segments[0].reason is None


def test_no_moving_range_spans_a_rebase() -> None:
    result = xmr_limits([10, 12, 10, 12, 20, 21, 20, 21], DEFAULT_PROFILE, [Rebase(4, "change")])
    assert math.isnan(result.moving_range[0])
    assert math.isnan(result.moving_range[4])
    assert result.moving_range[5] == 1


def test_screened_points_are_marked() -> None:
    result = xmr_limits(VIGNETTE, DEFAULT_PROFILE)
    assert np.flatnonzero(result.screened).tolist() == [4, 5]
    unscreened = xmr_limits(VIGNETTE, profile(screen_outliers=False))
    assert not unscreened.screened.any()


def test_a_range_at_the_screening_threshold_is_screened() -> None:
    # Moving ranges 1, 1, 1, 1, 6.534 / 1.5 ... built so that one range equals the threshold:
    # ranges r, r, r, r and R with R = 3.267 * mean = 3.267 * (4r + R) / 5, i.e.
    # R (5 - 3.267) = 13.068 r, R = 13.068 / 1.733 r. With r = 1.733, R = 13.068.
    values = [0, 1.733, 0, 1.733, 0, 13.068]
    result = xmr_limits(values, DEFAULT_PROFILE)
    assert result.current.screened == (5,)


def test_results_are_read_only() -> None:
    result = xmr_limits(VIGNETTE, DEFAULT_PROFILE)
    with pytest.raises(ValueError, match="read-only"):
        result.upper_limit[0] = 0


def test_a_flat_series_has_zero_width_limits() -> None:
    result = xmr_limits([5, 5, 5, 5], DEFAULT_PROFILE)
    assert result.current.mean_moving_range == 0
    assert result.upper_limit.tolist() == [5] * 4
    assert result.current.screened == ()


def test_a_one_point_segment_has_undefined_limits() -> None:
    result = xmr_limits([1, 2, 3], DEFAULT_PROFILE, [Rebase(2, "last point")])
    assert result.current.mean == 3
    assert math.isnan(result.current.upper_limit)
    assert result.current.trial


def test_fix_after_longer_than_the_series_uses_every_point() -> None:
    result = xmr_limits([1, 3, 1, 3], profile(fix_after=10))
    assert result.current.points_used == 4
    assert not result.current.fixed
    assert xmr_limits([1, 3, 1, 3, 9], profile(fix_after=4)).current.fixed


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([1.0], "at least 2"),
        ([], "at least 2"),
        ([1.0, float("nan"), 2.0], r"position\(s\) \[1\]"),
        ([1.0, float("inf")], "missing or infinite"),
        ([[1.0, 2.0]], "one-dimensional"),
    ],
)
def test_bad_series_are_refused(values: list[float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        xmr_limits(values, DEFAULT_PROFILE)


def test_bad_rebases_are_refused() -> None:
    with pytest.raises(ValueError, match="needs a reason"):
        Rebase(3, "  ")
    with pytest.raises(ValueError, match="position 1 or later"):
        Rebase(0, "start")
    with pytest.raises(ValueError, match="past the end"):
        xmr_limits([1, 2, 3], DEFAULT_PROFILE, [Rebase(3, "late")])
    with pytest.raises(ValueError, match="share a position"):
        xmr_limits([1, 2, 3, 4], DEFAULT_PROFILE, [Rebase(2, "a"), Rebase(2, "b")])


def test_trial_limits_below_minimum_points() -> None:
    assert xmr_limits(list(range(12)), DEFAULT_PROFILE).current.trial
    assert not xmr_limits(list(range(13)), DEFAULT_PROFILE).current.trial
