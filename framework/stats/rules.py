"""The Making Data Count special-cause rules, applied to each point of an XmR chart.

=================  =====================================================================
rule               a point meets it when
=================  =====================================================================
``outside_limits``  it lies strictly above the upper or below the lower process limit
``trend``           it is one of ``trend_points`` (7) or more points each strictly higher
                    (or each strictly lower) than the one before; a tie breaks the run
``two_in_three``    it lies beyond a near limit (and inside the process limit) and is one
                    of at least two such points, beyond the same near limit, among three
                    consecutive points that all lie on that side of the mean
``shift``           it is one of ``shift_points`` (7) or more consecutive points on one
                    side of the mean; a point exactly on the mean breaks the run
=================  =====================================================================

A point meeting several rules is labelled with the first in that order (the precedence
of NHSRplotthedots). Runs and windows never cross a rebase: each segment is judged
against its own mean and limits.

Two readings follow NHSRplotthedots where the Making Data Count guidance is terse: the
two-in-three rule counts points *close to* a limit, so a point beyond the process limit
does not count towards it (it is ``outside_limits`` already), and the third point of the
window must sit on the same side of the mean. The direction of a trend point is the
direction of its trend (a rising trend is high even below the mean); a point ending a
rising run and starting a falling one takes the direction of the run that follows it.

Comparisons allow for floating-point rounding: values within ``1e-9`` of the series'
largest magnitude of each other, of the mean or of a limit count as equal to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

import numpy as np

from framework.model.spc import SpcProfile
from framework.stats.arrays import BoolArray, DirectionArray, FloatArray, IntArray, frozen
from framework.stats.xmr import RELATIVE_TOLERANCE, XmrResult

Rule = Literal["outside_limits", "trend", "two_in_three", "shift"]
RULES: Final[tuple[Rule, ...]] = ("outside_limits", "trend", "two_in_three", "shift")
"""The rules in order of precedence."""
_RULE_OF_CODE: Final[tuple[Rule | None, ...]] = (None, *RULES)


@dataclass(frozen=True, eq=False)
class RuleResult:
    """Which rules each point meets, the one that labels it, and the direction of its signal.

    ``direction`` is +1 for a high signal (above the mean, or a rising trend), -1 for a low
    one and 0 for a point that meets no rule. Arrays are read-only, one entry per point.
    """

    outside_limits: BoolArray
    trend: BoolArray
    two_in_three: BoolArray
    shift: BoolArray
    rule: tuple[Rule | None, ...]
    direction: DirectionArray

    @property
    def special_cause(self) -> BoolArray:
        """Return True for each point that meets any rule."""
        return self.outside_limits | self.trend | self.two_in_three | self.shift


def special_causes(xmr: XmrResult, profile: SpcProfile) -> RuleResult:
    """Apply the special-cause rules of ``profile`` to every point of an XmR result."""
    y = xmr.values
    segment = xmr.segment
    tolerance = RELATIVE_TOLERANCE * float(np.max(np.abs(y))) if len(y) else 0.0
    side = sign_within(y - xmr.mean, tolerance)
    above = y - xmr.upper_limit > tolerance
    below = xmr.lower_limit - y > tolerance
    outside = above | below

    shift = _shift(side, segment, profile.shift_points)
    rising, falling, trend_direction = _trend(y, segment, profile.trend_points, tolerance)
    trend = rising | falling
    if profile.two_in_three:
        close_high = ~outside & (y - xmr.near_upper > tolerance)
        close_low = ~outside & (xmr.near_lower - y > tolerance)
        two_in_three = _two_in_three(close_high, side == 1, segment) | _two_in_three(
            close_low, side == -1, segment
        )
    else:
        two_in_three = np.zeros(len(y), dtype=np.bool_)

    # Each point's first rule in order of precedence, as an index into _RULE_OF_CODE.
    code = np.where(
        outside, 1, np.where(trend, 2, np.where(two_in_three, 3, np.where(shift, 4, 0)))
    )
    direction = np.where(trend & ~outside, trend_direction, side)
    direction = np.where(outside | trend | two_in_three | shift, direction, 0).astype(np.int8)
    return RuleResult(
        outside_limits=frozen(outside),
        trend=frozen(trend),
        two_in_three=frozen(two_in_three),
        shift=frozen(shift),
        rule=tuple(map(_RULE_OF_CODE.__getitem__, code.tolist())),
        direction=frozen(direction),
    )


def _shift(side: DirectionArray, segment: IntArray, length: int) -> BoolArray:
    """Flag points in runs of ``length`` or more on one side of the mean, within a segment."""
    run_length = _run_lengths(side, segment)
    shift: BoolArray = (side != 0) & (run_length >= length)
    return shift


def _trend(
    y: FloatArray, segment: IntArray, length: int, tolerance: float
) -> tuple[BoolArray, BoolArray, DirectionArray]:
    """Flag points in rising and in falling runs of ``length`` points; give each its direction."""
    n = len(y)
    step = np.zeros(n, dtype=np.int8)
    # step[i] links point i-1 to point i; none crosses into a new segment.
    step[1:] = sign_within(np.diff(y), tolerance)
    step[1:][segment[1:] != segment[:-1]] = 0
    run_length = _run_lengths(step, segment)
    # A run of k points is k - 1 steps in the same direction.
    rising_step = (step == 1) & (run_length >= length - 1)
    falling_step = (step == -1) & (run_length >= length - 1)
    rising = rising_step | np.append(rising_step[1:], False)
    falling = falling_step | np.append(falling_step[1:], False)
    rising_next = np.append(rising_step[1:], False)
    both = rising & falling
    direction = np.where(both, np.where(rising_next, 1, -1), np.where(rising, 1, -1))
    return rising, falling, direction.astype(np.int8)


def _two_in_three(close: BoolArray, same_side: BoolArray, segment: IntArray) -> BoolArray:
    """Flag close points in windows of three on one side of the mean with two or more close."""
    n = len(close)
    flagged = np.zeros(n, dtype=np.bool_)
    if n < 3:
        return flagged
    window = (
        same_side[:-2]
        & same_side[1:-1]
        & same_side[2:]
        & (segment[:-2] == segment[2:])
        & (close[:-2].astype(np.int8) + close[1:-1] + close[2:] >= 2)
    )
    # A point is flagged when any window that starts at it or one of the two before qualifies.
    for offset in range(3):
        flagged[offset : n - 2 + offset] |= window
    return flagged & close


def _run_lengths(key: DirectionArray, segment: IntArray) -> IntArray:
    """Return, for each point, the length of its run of equal ``key`` within a segment."""
    starts = np.ones(len(key), dtype=np.bool_)
    starts[1:] = (key[1:] != key[:-1]) | (segment[1:] != segment[:-1])
    run_id = np.cumsum(starts) - 1
    lengths: IntArray = np.bincount(run_id)[run_id].astype(np.int64)
    return lengths


def sign_within(difference: FloatArray, tolerance: float | FloatArray) -> DirectionArray:
    """Return +1 where ``difference`` exceeds ``tolerance``, -1 below ``-tolerance``, else 0."""
    sign: DirectionArray = (difference > tolerance).view(np.int8) - (difference < -tolerance).view(
        np.int8
    )
    return sign
