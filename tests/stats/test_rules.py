"""Special-cause rules: cases the conformance fixtures do not isolate."""

from __future__ import annotations

from framework.model.spc import DEFAULT_PROFILE
from framework.stats.rules import special_causes
from framework.stats.spc import analyse_series
from framework.stats.xmr import Rebase, xmr_limits

from ._helpers import profile

TWO_IN_THREE = [10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 14, 12, 14]


def test_two_in_three_can_be_switched_off() -> None:
    off = profile(two_in_three=False)
    assert special_causes(xmr_limits(TWO_IN_THREE, off), off).rule[13] is None
    on = special_causes(xmr_limits(TWO_IN_THREE, DEFAULT_PROFILE), DEFAULT_PROFILE)
    assert on.rule[13] == "two_in_three"


def test_a_peak_takes_the_direction_of_the_run_after_it() -> None:
    # After six wide swings (0, 20, ...: mean moving range 124 / 18 = 6.89, limits about
    # 10.5 +- 18.3, so nothing is outside), 8..14 rises over positions 6-12 and 14..8 falls
    # over positions 12-18. The 14 at position 12 ends one trend and starts the other and
    # takes the falling run's direction, as NHSRplotthedots does.
    values = [0, 20, 0, 20, 0, 20, 8, 9, 10, 11, 12, 13, 14, 13, 12, 11, 10, 9, 8]
    rules = special_causes(xmr_limits(values, DEFAULT_PROFILE), DEFAULT_PROFILE)
    assert list(rules.rule) == [None] * 6 + ["trend"] * 13
    assert rules.direction.tolist() == [0] * 6 + [1] * 6 + [-1] * 7


def test_runs_do_not_cross_a_rebase() -> None:
    # Eight rising points are one trend; rebased after four, neither segment has seven.
    # (Each half, e.g. 1, 2, 3, 4, has mean 2.5 and limits 2.5 +- 2.66: nothing outside.)
    values = [1, 2, 3, 4, 5, 6, 7, 8]
    whole = analyse_series(values, DEFAULT_PROFILE, improvement="neutral")
    assert whole.rules.trend.all()
    split = analyse_series(values, DEFAULT_PROFILE, improvement="neutral", rebases=[Rebase(4, "x")])
    assert set(split.rules.rule) == {None}


def test_a_falling_trend_is_low() -> None:
    # Wide swings then 14 down to 8 at positions 6-12 (the step from 0 to 14 rises, so
    # the fall starts at 14). Mean 137 / 13 = 10.54, mean moving range 120 / 12 = 10:
    # limits 10.54 +- 26.6, nothing outside or near a limit.
    values = [20, 0, 20, 0, 20, 0, 14, 13, 12, 11, 10, 9, 8]
    result = analyse_series(values, DEFAULT_PROFILE, improvement="lower_is_better")
    assert list(result.rules.rule) == [None] * 6 + ["trend"] * 7
    assert set(result.variation[6:]) == {"improvement"}
    assert result.variation_icon == "special_cause_improving_low"


def test_longer_runs_flag_every_point() -> None:
    # 12, 2 five times (ending on a 2, below the mean), then 9, 10, ..., 9: nine points
    # above the mean (70 + 76 + 9) / 19 = 8.16. Mean moving range (90 + 7 + 8) / 18 = 5.83:
    # limits 8.16 +- 15.5, near limits +- 10.3: nothing outside or close.
    values = [12, 2] * 5 + [9, 10] * 4 + [9]
    result = analyse_series(values, DEFAULT_PROFILE, improvement="neutral")
    assert [i for i, r in enumerate(result.rules.rule) if r] == list(range(10, 19))
    assert set(result.rules.rule[10:]) == {"shift"}
    assert set(result.variation[10:]) == {"neutral"}
    assert result.variation_icon == "special_cause_neither_high"
