"""The Making Data Count variation and assurance icons of a chart.

The variation icon describes the latest point: common cause, or a special cause that is
improving, concerning or neither, and whether it is high or low. The assurance icon says
whether the process, as its limits describe it, will meet a target: the target beyond
the limits on the passing side means every point is expected to pass, beyond them on the
failing side every point to fail, and between them the process will hit and miss. There
is no assurance icon without a target, nor when the improvement direction is neutral
(there is then no passing side).
"""

from __future__ import annotations

import math
from typing import Final, Literal

from framework.model.measure import Improvement
from framework.stats.variation import Variation, better_direction

VariationIcon = Literal[
    "common_cause",
    "special_cause_improving_high",
    "special_cause_improving_low",
    "special_cause_concerning_high",
    "special_cause_concerning_low",
    "special_cause_neither_high",
    "special_cause_neither_low",
]
AssuranceIcon = Literal["consistently_passing", "consistently_failing", "hit_and_miss"]

_VARIATION_ICONS: Final[dict[tuple[Variation, int], VariationIcon]] = {
    ("improvement", 1): "special_cause_improving_high",
    ("improvement", -1): "special_cause_improving_low",
    ("concern", 1): "special_cause_concerning_high",
    ("concern", -1): "special_cause_concerning_low",
    ("neutral", 1): "special_cause_neither_high",
    ("neutral", -1): "special_cause_neither_low",
}


def variation_icon(variation: Variation, direction: int) -> VariationIcon:
    """Return the variation icon of a point from its variation and signal direction (+1 or -1)."""
    if variation == "common_cause":
        return "common_cause"
    try:
        return _VARIATION_ICONS[(variation, 1 if direction > 0 else -1 if direction < 0 else 0)]
    except KeyError:
        raise ValueError(
            f"a {variation} point needs a direction of +1 or -1, not {direction}"
        ) from None


def assurance_icon(
    target: float | None,
    *,
    upper_limit: float,
    lower_limit: float,
    improvement: Improvement,
) -> AssuranceIcon | None:
    """Return the assurance icon of a target against process limits, or None when there is none."""
    better = better_direction(improvement)
    if (
        target is None
        or better == 0
        or not (math.isfinite(upper_limit) and math.isfinite(lower_limit))
    ):
        return None
    if target > upper_limit:
        # Every point is expected below the target: a pass when lower is better.
        return "consistently_passing" if better < 0 else "consistently_failing"
    if target < lower_limit:
        return "consistently_passing" if better > 0 else "consistently_failing"
    return "hit_and_miss"
