"""The average and least-squares trend drawn over a series, computed in Python to be testable."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

DAYS_PER_YEAR = 365.25


def mean(values: Sequence[float]) -> float | None:
    """Return the mean of ``values``, or ``None`` when there are none or it is not finite."""
    if not values:
        return None
    # fsum keeps the sum exact enough that huge and tiny values do not cancel spuriously.
    try:
        total = math.fsum(values)
    except (OverflowError, ValueError):  # fsum refuses overflow and inf - inf
        return None
    result = total / len(values)
    return result if math.isfinite(result) else None


@dataclass(frozen=True)
class Line:
    """A straight line ``y = slope * x + intercept``."""

    slope: float
    intercept: float

    def at(self, x: float) -> float:
        """Return the line's value at ``x``."""
        return self.slope * x + self.intercept


def least_squares(xs: Sequence[float], ys: Sequence[float]) -> Line | None:
    """Return the ordinary least-squares line through the points, or ``None`` if there is none.

    There is none with fewer than two distinct ``xs`` or when the arithmetic overflows.
    """
    if len(xs) != len(ys):
        raise ValueError("xs and ys differ in length")
    if len(xs) < 2:
        return None
    try:
        x_mean = math.fsum(xs) / len(xs)
        y_mean = math.fsum(ys) / len(ys)
        sxx = math.fsum((x - x_mean) ** 2 for x in xs)
        sxy = math.fsum((x - x_mean) * (y - y_mean) for x, y in zip(xs, ys, strict=True))
    except (OverflowError, ValueError):  # fsum refuses overflow and inf - inf
        return None
    if sxx == 0 or not (math.isfinite(sxx) and math.isfinite(sxy)):
        return None
    slope = sxy / sxx
    line = Line(slope=slope, intercept=y_mean - slope * x_mean)
    if not (math.isfinite(line.slope) and math.isfinite(line.intercept)):
        return None
    return line


def days_since(dates: Sequence[pd.Timestamp], origin: pd.Timestamp) -> list[float]:
    """Return each date's distance from ``origin`` in days: the x of the trend line."""
    return [(d - origin).total_seconds() / 86_400 for d in dates]


@dataclass(frozen=True)
class Trend:
    """A fitted trend over dated values: its value at each date and its slope per year."""

    dates: tuple[pd.Timestamp, ...]
    fitted: tuple[float, ...]
    slope_per_year: float


def fit_trend(dates: Sequence[pd.Timestamp], values: Sequence[float]) -> Trend | None:
    """Return the least-squares trend of ``values`` over time, or ``None`` if none can be fitted.

    Time is measured in days, so unequal month lengths weigh as they do on a date axis.
    """
    if not dates:
        return None
    xs = days_since(dates, dates[0])
    line = least_squares(xs, values)
    if line is None:
        return None
    fitted = tuple(line.at(x) for x in xs)
    slope = line.slope * DAYS_PER_YEAR
    if not all(math.isfinite(v) for v in (*fitted, slope)):
        return None
    return Trend(dates=tuple(dates), fitted=fitted, slope_per_year=slope)
