"""Choose the population estimate that fits a period, and say which one was used.

The rule: the latest mid-year estimate at or before the end of the period; when the period
ends before every estimate, the earliest estimate after it. A rate for the 12 months to
June 2019 thus uses mid-2019 if there is one, else mid-2018; one for 2017 uses mid-2018 only
when nothing earlier exists, and says so.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from framework.periods import long_month, year_month

if TYPE_CHECKING:
    import pandas as pd

Rule = Literal["at_or_before", "after"]


@dataclass(frozen=True)
class PopulationChoice:
    """The estimate chosen for an area and period."""

    area_code: str
    period: int
    """The period asked about (month index of its last month)."""
    estimate_period: int
    """The month index of the estimate (June of its year)."""
    value: float
    rule: Rule

    @property
    def label(self) -> str:
        """Name the estimate: ``mid-2018``."""
        return f"mid-{year_month(self.estimate_period)[0]}"

    def describe(self) -> str:
        """Say which estimate was used and why, for a chart's footnote."""
        when = long_month(self.period)
        if self.rule == "at_or_before":
            return f"{self.label} population estimate (the latest at or before {when})"
        return (
            f"{self.label} population estimate (no estimate at or before {when}; the nearest after)"
        )


class PopulationEstimates:
    """Mid-year estimates by area, ready to choose from."""

    def __init__(self, estimates: Iterable[tuple[str, int, float]]) -> None:
        by_area: dict[str, dict[int, float]] = {}
        for code, period, value in estimates:
            if value is None or math.isnan(value):
                continue
            by_area.setdefault(code, {})[int(period)] = float(value)
        self._periods = {code: sorted(values) for code, values in by_area.items()}
        self._values = by_area

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> PopulationEstimates:
        """Build from a canonical population frame (``period``, ``area_code``, ``value``)."""
        return cls(
            zip(
                frame["area_code"].astype(str),
                frame["period"].astype(int),
                frame["value"].astype(float),
                strict=True,
            )
        )

    def choose(self, period: int, area_code: str) -> PopulationChoice | None:
        """Return the estimate that fits ``period`` for the area, or ``None`` if it has none."""
        periods = self._periods.get(area_code)
        if not periods:
            return None
        position = bisect.bisect_right(periods, period)
        rule: Rule = "at_or_before" if position else "after"
        chosen = periods[position - 1] if position else periods[0]
        return PopulationChoice(area_code, period, chosen, self._values[area_code][chosen], rule)

    def areas(self) -> tuple[str, ...]:
        """Return the area codes that have at least one estimate."""
        return tuple(self._periods)


def choose_population(frame: pd.DataFrame, period: int, area_code: str) -> PopulationChoice | None:
    """Return the estimate in a population frame that fits ``period`` for the area."""
    return PopulationEstimates.from_frame(frame).choose(period, area_code)
