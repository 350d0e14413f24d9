"""A named set of statistical process control rule parameters that a force can choose."""

from __future__ import annotations

from typing import Final, Literal

from pydantic import Field

from framework.model.base import Definition, Slug


class SpcProfile(Definition):
    """Parameters of the XmR chart and its special-cause rules (Making Data Count by default)."""

    id: Slug
    title: str
    description: str = ""
    limit_factor: float = Field(default=2.66, gt=0)
    """Process limits sit at the mean plus or minus this times the mean moving range."""
    near_limit_fraction: float = Field(default=2 / 3, gt=0, lt=1)
    """Near limits sit at this fraction of the distance from the mean to the process limits."""
    screen_outliers: bool = True
    """Drop moving ranges of ``screen_factor`` times their mean or more before computing limits."""
    screen_factor: float = Field(default=3.267, gt=0)
    """Moving ranges this many times the mean moving range or more are screened (Nelson, 1982)."""
    shift_points: int = Field(default=7, ge=2)
    """Consecutive points on one side of the mean that make a shift."""
    trend_points: int = Field(default=7, ge=2)
    """Consecutive strictly rising (or falling) points that make a trend."""
    two_in_three: bool = True
    """Flag two of three consecutive points beyond the same near limit."""
    minimum_points: int = Field(default=13, ge=2)
    """Series shorter than this get limits flagged as trial limits."""
    fix_after: int | None = Field(default=None, ge=2)
    """Compute the limits from the first N points only and hold them fixed after."""
    rare_event_mean: float | None = Field(default=2.0, gt=0)
    """Counts whose mean per period is below this get exact Poisson limits, not XmR ones
    (null: XmR always). Count limits never go below zero either way."""
    proportion_limits: Literal["p_chart", "xmr"] = "p_chart"
    """Percentages with denominators: ``p_chart`` limits follow each period's denominator
    (within 0-100%); ``xmr`` treats them as any series."""
    laney_min_denominator: int | None = Field(default=1000, ge=1)
    """From this mean denominator on, p-chart limits widen by Laney's sigma_z (the p′
    chart); null: plain p-chart limits always."""


DEFAULT_PROFILE: Final = SpcProfile(
    id="making_data_count",
    title="Making Data Count",
    description=(
        "NHS England's Making Data Count XmR rules as NHSRplotthedots applies them: limits at "
        "2.66 mean moving ranges, moving ranges of 3.267 times their mean or more screened "
        "out, shifts and trends of 7 points, two of three points close to a limit."
    ),
)
"""The profile of a measure that names none; ``spc/making_data_count.yaml`` repeats it."""
