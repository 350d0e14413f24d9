"""Variation and assurance icons, by Making Data Count's naming."""

from __future__ import annotations

import pytest

from framework.model.measure import Improvement
from framework.model.spc import DEFAULT_PROFILE
from framework.stats.icons import assurance_icon, variation_icon
from framework.stats.spc import analyse_series
from framework.stats.variation import Variation

# The vignette series with screening: UPL 4.6044, LPL -0.7156 (see fixtures).
VIGNETTE = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]


@pytest.mark.parametrize(
    ("target", "improvement", "icon"),
    [
        (5.0, "lower_is_better", "consistently_passing"),  # every point below 4.60 < 5
        (5.0, "higher_is_better", "consistently_failing"),
        (-1.0, "higher_is_better", "consistently_passing"),  # every point above -0.72 > -1
        (-1.0, "lower_is_better", "consistently_failing"),
        (2.0, "lower_is_better", "hit_and_miss"),
        (2.0, "higher_is_better", "hit_and_miss"),
        (2.0, "neutral", None),
        (None, "lower_is_better", None),
    ],
)
def test_assurance(target: float | None, improvement: Improvement, icon: str | None) -> None:
    result = analyse_series(VIGNETTE, DEFAULT_PROFILE, improvement=improvement, target=target)
    assert result.assurance_icon == icon


def test_a_target_on_a_limit_is_hit_and_miss() -> None:
    icon = assurance_icon(10.0, upper_limit=10.0, lower_limit=0.0, improvement="lower_is_better")
    assert icon == "hit_and_miss"


def test_no_assurance_without_limits() -> None:
    nan = float("nan")
    icon = assurance_icon(1.0, upper_limit=nan, lower_limit=nan, improvement="lower_is_better")
    assert icon is None


@pytest.mark.parametrize(
    ("variation", "direction", "icon"),
    [
        ("common_cause", 0, "common_cause"),
        ("improvement", 1, "special_cause_improving_high"),
        ("improvement", -1, "special_cause_improving_low"),
        ("concern", 1, "special_cause_concerning_high"),
        ("concern", -1, "special_cause_concerning_low"),
        ("neutral", 1, "special_cause_neither_high"),
        ("neutral", -1, "special_cause_neither_low"),
    ],
)
def test_variation_icon(variation: Variation, direction: int, icon: str) -> None:
    assert variation_icon(variation, direction) == icon


def test_a_special_cause_needs_a_direction() -> None:
    with pytest.raises(ValueError, match="direction"):
        variation_icon("concern", 0)


def test_the_icon_reads_the_last_point() -> None:
    # The 10 is outside the limits but the last point is common cause.
    assert analyse_series(
        VIGNETTE, DEFAULT_PROFILE, improvement="lower_is_better"
    ).variation_icon == ("common_cause")
    ending_high = [*VIGNETTE, 10]
    result = analyse_series(ending_high, DEFAULT_PROFILE, improvement="lower_is_better")
    assert result.variation_icon == "special_cause_concerning_high"
    result = analyse_series(ending_high, DEFAULT_PROFILE, improvement="neutral")
    assert result.variation_icon == "special_cause_neither_high"
