"""One call for a series' whole SPC reading: limits, special causes, variation and icons."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from framework.model.measure import Improvement
from framework.model.spc import SpcProfile
from framework.stats.attribute import (
    clamp_limits,
    median_centre,
    p_chart_limits,
    poisson_limits,
)
from framework.stats.icons import AssuranceIcon, VariationIcon, assurance_icon, variation_icon
from framework.stats.rules import RuleResult, special_causes
from framework.stats.variation import Variation, classify_variation
from framework.stats.xmr import Rebase, XmrResult, xmr_limits

SeriesKind = Literal["measurement", "count", "proportion"]
"""What a series' values are: it decides the kind of limits."""


@dataclass(frozen=True, eq=False)
class SpcResult:
    """An XmR chart of a series read by the Making Data Count rules."""

    profile: SpcProfile
    improvement: Improvement
    target: float | None
    limits: XmrResult
    rules: RuleResult
    variation: tuple[Variation, ...]
    """Each point's variation, in series order."""
    variation_icon: VariationIcon
    """From the latest point."""
    assurance_icon: AssuranceIcon | None
    """From the target against the latest point's limits; None without a target."""

    def __len__(self) -> int:
        return len(self.limits)

    @property
    def trial_limits(self) -> bool:
        """Return True when the latest limits rest on fewer than ``minimum_points`` points."""
        return self.limits.current.trial

    def as_dict(self, periods: Sequence[object] | None = None) -> dict[str, object]:
        """Return the result as JSON-ready data, one entry per point labelled by ``periods``.

        Top-level limits are the latest segment's; each point carries its own. Undefined
        numbers (the limits of a one-point segment) are None.
        """
        labels = list(range(1, len(self) + 1)) if periods is None else list(periods)
        if len(labels) != len(self):
            raise ValueError(f"{len(labels)} period labels for {len(self)} points")
        limits = self.limits
        current = limits.current
        return {
            "profile": self.profile.id,
            "improvement": self.improvement,
            "screen_outliers": self.profile.screen_outliers,
            "target": self.target,
            "mean": _number(current.mean),
            "upper_limit": _number(current.upper_limit),
            "lower_limit": _number(current.lower_limit),
            "near_upper": _number(current.near_upper),
            "near_lower": _number(current.near_lower),
            "trial_limits": self.trial_limits,
            "variation_icon": self.variation_icon,
            "assurance_icon": self.assurance_icon,
            "segments": [
                {
                    "start": labels[segment.start],
                    "end": labels[segment.stop - 1],
                    "reason": segment.reason,
                    "mean": _number(segment.mean),
                    "mean_moving_range": _number(segment.mean_moving_range),
                    "upper_limit": _number(segment.upper_limit),
                    "lower_limit": _number(segment.lower_limit),
                    "points_used": segment.points_used,
                    "screened": [labels[i] for i in segment.screened],
                    "trial_limits": segment.trial,
                }
                for segment in limits.segments
            ],
            "points": [
                {
                    "period": labels[i],
                    "value": _number(limits.values[i]),
                    "rule": self.rules.rule[i],
                    "variation": self.variation[i],
                    "mean": _number(limits.mean[i]),
                    "upper_limit": _number(limits.upper_limit[i]),
                    "lower_limit": _number(limits.lower_limit[i]),
                    "near_upper": _number(limits.near_upper[i]),
                    "near_lower": _number(limits.near_lower[i]),
                }
                for i in range(len(self))
            ],
        }


def analyse_series(
    values: Sequence[float] | npt.ArrayLike,
    profile: SpcProfile,
    *,
    improvement: Improvement,
    target: float | None = None,
    rebases: Sequence[Rebase] = (),
    kind: SeriesKind = "measurement",
    denominators: Sequence[float] | npt.ArrayLike | None = None,
) -> SpcResult:
    """Compute a series' limits, special causes, each point's variation and the icons.

    ``kind`` says what the values are: ``count`` limits never go below zero and a rare
    count (mean under the profile's ``rare_event_mean``) gets exact Poisson limits;
    ``proportion`` percentages with ``denominators`` get a p-chart (the profile's
    ``proportion_limits``), limits within 0-100%; ``measurement`` is plain XmR.
    """
    limits = xmr_limits(values, profile, rebases)
    read = None
    if kind == "count":
        rare = profile.rare_event_mean
        if rare is not None and limits.current.mean < rare:
            limits = poisson_limits(limits)
            read = median_centre(limits)  # runs of rare events are read around the median
        limits = clamp_limits(limits, 0.0)
    elif kind == "proportion":
        if profile.proportion_limits == "p_chart" and denominators is not None:
            limits = p_chart_limits(limits, np.asarray(denominators, dtype=np.float64), profile)
        limits = clamp_limits(limits, 0.0, 100.0)
    rules = special_causes(read or limits, profile)
    variation = classify_variation(rules, improvement)
    current = limits.current
    return SpcResult(
        profile=profile,
        improvement=improvement,
        target=target,
        limits=limits,
        rules=rules,
        variation=variation,
        variation_icon=variation_icon(variation[-1], int(rules.direction[-1])),
        assurance_icon=assurance_icon(
            target,
            upper_limit=current.upper_limit,
            lower_limit=current.lower_limit,
            improvement=improvement,
        ),
    )


def _number(value: float) -> float | None:
    number = float(value)
    return number if math.isfinite(number) else None
