"""Choose the population estimate that fits a period, and say which one was used.

Two rules, chosen per dataset by its ``population_estimate`` field (docs/population.md):

``window`` (figures the engine computes): the latest mid-year estimate at or before the end
of the period, which for a 12-month window is the one dated inside it (30 June falls in every
12-month window); when the period ends before every estimate, the earliest estimate after
it. A rate for the 12 months to June 2019 thus uses mid-2019 if there is one, else mid-2018;
one for 2017 uses mid-2018 only when nothing earlier exists, and says so.

``publishing_edition`` (figures an edition of a publication gives, as the ONS tables do): the
estimate the publishing edition itself used for its rates (its Table P3), for the edition's
own 12 months and the 12 months before, which it also rates. The rate then reproduces the
published one: ONS's 12 months to September 2021, published in the September 2022 edition,
divide by the mid-2020 estimate, although mid-2021 exists by now. Every edition's own-year
rate is reproduced exactly; five of the eighteen editions rate the previous year on another
estimate (docs/population.md), where the rate here differs by the change between the two
estimates. Older windows of an edition's time series (which it does not rate) fall back to
``window``.
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

Rule = Literal["at_or_before", "after", "publishing_edition"]

EDITION_RATES_MONTHS = 12
"""An edition rates its own 12 months and the 12 months before (its previous-year column)."""


def edition_estimate_applies(period: int, edition: int) -> bool:
    """Return True when an edition ending ``edition`` rates the window ending ``period``."""
    return edition - EDITION_RATES_MONTHS <= period <= edition


def published_estimate(period: int, edition: int, estimates: dict[int, int]) -> int | None:
    """Return the estimate a publishing edition's rates divide by, if it rates the window.

    ``estimates`` gives each known edition's own estimate (its Table P3) by edition month.
    ``None`` when the edition does not rate the window (an older year of a time series, or an
    edition not at hand): the ``window`` rule applies there.
    """
    if not edition_estimate_applies(period, edition):
        return None
    return estimates.get(edition)


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
        if self.rule == "publishing_edition":
            return (
                f"{self.label} population estimate (the one the publishing edition used "
                f"for its rates)"
            )
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

    def choose(
        self,
        period: int,
        area_code: str,
        edition: int | None = None,
        edition_estimate: int | None = None,
    ) -> PopulationChoice | None:
        """Return the estimate that fits ``period`` for the area, or ``None`` if it has none.

        ``edition`` and ``edition_estimate``: the month of the edition that published the
        figure and of the estimate it used; that estimate is chosen when the edition rates
        the window (:func:`edition_estimate_applies`) and the area has it.
        """
        periods = self._periods.get(area_code)
        if not periods:
            return None
        if (
            edition is not None
            and edition_estimate is not None
            and edition_estimate_applies(period, edition)
            and edition_estimate in self._values[area_code]
        ):
            value = self._values[area_code][edition_estimate]
            return PopulationChoice(
                area_code, period, edition_estimate, value, "publishing_edition"
            )
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


def publishing_edition_tables(
    values: pd.DataFrame,
    years: pd.DataFrame,
    figures: pd.DataFrame,
    editions: dict[str, int],
    estimates: dict[int, int],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Apply the ``publishing_edition`` rule to months × areas tables of the ``window`` rule.

    ``figures`` holds the dataset's ``period``, ``area_code`` and ``source_file``;
    ``editions`` gives each source file's edition month and ``estimates`` each edition
    month's estimate month. Where an edition rates a figure's window, the area's cell for
    that window becomes the estimate of :func:`published_estimate` (and its year); the rest
    stay.
    """
    import numpy as np
    import pandas as pd

    # Read estimates from the tables as given, write into copies: a window ending in June
    # is also the month an estimate is dated, and must not be read after it is replaced.
    keys = figures[["period", "area_code", "source_file"]].drop_duplicates()
    period = keys["period"].to_numpy(dtype="int64")
    edition = keys["source_file"].astype(str).map(editions).to_numpy(dtype="float64")
    applies = (edition - EDITION_RATES_MONTHS <= period) & (period <= edition)
    estimate = pd.Series(edition).map(estimates).to_numpy(dtype="float64")
    column = values.columns.get_indexer(pd.Index(keys["area_code"].astype(str)))
    row = values.index.get_indexer(pd.Index(period))
    source = values.index.get_indexer(pd.Index(np.nan_to_num(estimate, nan=-1).astype("int64")))
    usable = applies & ~np.isnan(estimate) & (column >= 0) & (row >= 0) & (source >= 0)
    row, column, source = row[usable], column[usable], source[usable]
    original_years = years.reindex(index=values.index, columns=values.columns).to_numpy(
        dtype="float64"
    )
    year = original_years[source, column]
    # The area has no estimate of that year where the year differs: the window rule stands.
    fits = ~np.isnan(year) & (year == estimate[usable] // 12)
    row, column, source, year = row[fits], column[fits], source[fits], year[fits]
    # A cell named twice takes the last key's estimate, as assignment in order would.
    cell = row * len(values.columns) + column
    last = len(cell) - 1 - np.unique(cell[::-1], return_index=True)[1]
    row, column, source, year = row[last], column[last], source[last], year[last]
    new_values = values.to_numpy(dtype="float64", copy=True)
    new_years = original_years.copy()
    new_values[row, column] = values.to_numpy(dtype="float64")[source, column]
    new_years[row, column] = year
    return (
        pd.DataFrame(new_values, index=values.index, columns=values.columns),
        pd.DataFrame(new_years, index=values.index, columns=values.columns),
    )
