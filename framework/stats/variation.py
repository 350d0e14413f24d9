"""Read each point's special cause as improvement, concern or neutral, by which way is better."""

from __future__ import annotations

from typing import Final, Literal

from framework.model.measure import Improvement
from framework.stats.rules import RuleResult

Variation = Literal["improvement", "concern", "neutral", "common_cause"]
VARIATIONS: Final[tuple[Variation, ...]] = ("improvement", "concern", "neutral", "common_cause")

_BETTER: Final[dict[Improvement, int]] = {
    "higher_is_better": 1,
    "lower_is_better": -1,
    "neutral": 0,
}
"""The signal direction (+1 high, -1 low) that is an improvement; 0 when neither is."""


def better_direction(improvement: Improvement) -> int:
    """Return +1 when higher is better, -1 when lower is better, 0 when the direction is neutral."""
    return _BETTER[improvement]


def classify_variation(rules: RuleResult, improvement: Improvement) -> tuple[Variation, ...]:
    """Return each point's variation: common cause, or a special cause read by ``improvement``."""
    better = better_direction(improvement)
    named = {direction: variation_of(direction, better) for direction in (-1, 0, 1)}
    return tuple(map(named.__getitem__, rules.direction.tolist()))


def variation_of(direction: int, better: int) -> Variation:
    """Return the variation of a signal's ``direction`` (0: none) when ``better`` is better."""
    if direction == 0:
        return "common_cause"
    if better == 0:
        return "neutral"
    return "improvement" if direction == better else "concern"
