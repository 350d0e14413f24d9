"""The input contract of the chart renderers: plain frozen dataclasses the engine fills.

Nothing here knows of YAML files or data sources. Every frame is a ``pandas.DataFrame`` with
the columns listed on its dataclass; extra columns are ignored. Dates are in a ``period_end``
column holding the last day of each period as an ISO date string ``'YYYY-MM-DD'`` (pandas
timestamps are accepted too). A period without a figure is either a row whose value is NaN or a
missing row: either way the chart draws a gap, never a line across it.

The renderers only read the frames; they never change them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, get_args

import pandas as pd

Improvement = Literal["lower_is_better", "higher_is_better", "neutral"]
"""Which way is good for a measure; ``neutral`` when neither is."""

Variation = Literal["improvement", "concern", "neutral", "common_cause"]
"""The SPC variation class of one point, as the Making Data Count rules name them."""

IMPROVEMENTS: tuple[str, ...] = get_args(Improvement)
VARIATIONS: tuple[str, ...] = get_args(Variation)


def require_columns(frame: pd.DataFrame, what: str, columns: Iterable[str]) -> None:
    """Raise ``ValueError`` naming the columns ``frame`` lacks, if it lacks any."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} lacks column(s) {missing}; it has {list(frame.columns)}")


def _finite_or_none(value: float | None, what: str) -> None:
    """Raise ``ValueError`` when ``value`` is given but is not a finite number."""
    if value is not None and not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, not {value!r}")


@dataclass(frozen=True)
class ChartContext:
    """What every chart shows around its data: titles, unit, precision and notices.

    ``baseline_value`` is in ``unit`` (a percentage for proportions). ``data_period`` is free
    text such as ``"Data to March 2024"``. ``synthetic`` adds the notice
    "SYNTHETIC DATA — generated for the demo"; ``illustrative_msg`` adds "Illustrative most
    similar group" to charts that show the MSG.
    """

    title: str
    unit: str
    """What the values count, for axis titles and tooltips: ``"offences"``, ``"%"``."""
    area: str = "Force"
    """The force's name, for legends."""
    subtitle: str = ""
    decimals: int = 0
    """Decimal places of values in ``unit``."""
    rate_decimals: int = 1
    """Decimal places of rates per 100,000."""
    rate_unit: str | None = None
    """Axis title of rates; ``"<unit> per 100,000 population"`` when omitted."""
    improvement: Improvement = "lower_is_better"
    synthetic: bool = False
    illustrative_msg: bool = False
    data_period: str = ""
    baseline_label: str | None = None
    """The baseline's span, e.g. ``"12 months to June 2019"``."""
    baseline_value: float | None = None

    def __post_init__(self) -> None:
        if self.improvement not in IMPROVEMENTS:
            raise ValueError(f"improvement must be one of {IMPROVEMENTS}, not {self.improvement!r}")
        for name in ("decimals", "rate_decimals"):
            places = getattr(self, name)
            if not 0 <= places <= 6:
                raise ValueError(f"{name} must be between 0 and 6, not {places}")
        _finite_or_none(self.baseline_value, "baseline_value")

    @property
    def rate_title(self) -> str:
        """Return the axis title of rates per 100,000 population."""
        return self.rate_unit or f"{self.unit} per 100,000 population"


@dataclass(frozen=True, eq=False)
class TrendInputs:
    """A rolling series over time, with an average, a trend line and optional comparators.

    ``series`` columns: ``period_end``; ``value`` (in ``context.unit``); ``rate_per_100k``
    (required only with comparators); ``flags`` (optional text shown in the tooltip, e.g.
    ``"provisional"``).

    ``comparators`` columns: ``period_end``, ``group`` (``"England and Wales"``, the region's
    name, ``"Most similar group"``), ``rate_per_100k``. When it is given (even empty), the chart
    plots the force's ``rate_per_100k`` rather than ``value`` so that every line is in the same
    unit, and draws the baseline at ``baseline_rate`` (skipped when that is ``None``).

    The average is the mean of the plotted values; the trend is their least-squares line.
    With comparators, ``context.illustrative_msg`` adds the illustrative-MSG notice, since
    one of the groups is then usually the MSG.
    """

    context: ChartContext
    series: pd.DataFrame
    comparators: pd.DataFrame | None = None
    baseline_rate: float | None = None
    show_average: bool = True
    show_trend: bool = True

    def __post_init__(self) -> None:
        require_columns(self.series, "TrendInputs.series", ["period_end", "value"])
        if self.comparators is not None:
            require_columns(self.series, "TrendInputs.series", ["rate_per_100k"])
            require_columns(
                self.comparators,
                "TrendInputs.comparators",
                ["period_end", "group", "rate_per_100k"],
            )
        _finite_or_none(self.baseline_rate, "baseline_rate")

    @property
    def in_rates(self) -> bool:
        """Return whether the chart plots rates per 100,000 (it does when comparators are given)."""
        return self.comparators is not None


@dataclass(frozen=True, eq=False)
class SpcInputs:
    """An XmR (individuals) chart whose limits and signals the engine has computed.

    ``points`` columns: ``period_end``; ``value``; ``mean``, ``upper_limit``, ``lower_limit``
    (per point: they may change where the limits were recalculated); ``variation`` (one of
    ``improvement``, ``concern``, ``neutral``, ``common_cause``); optionally ``near_upper``,
    ``near_lower`` (drawn dotted when ``show_near_limits``) and ``rule`` (the rule that flagged
    the point, e.g. ``"shift"``; empty or missing when none did).

    ``variation_icon`` and ``assurance_icon`` are the Making Data Count icon names of the
    latest point (e.g. ``"improvement_low"``, ``"hit_or_miss"``), shown as text labels.
    ``target`` (in ``context.unit``) is drawn as a rule when given.
    """

    context: ChartContext
    points: pd.DataFrame
    variation_icon: str = ""
    assurance_icon: str = ""
    target: float | None = None
    show_near_limits: bool = True

    def __post_init__(self) -> None:
        require_columns(
            self.points,
            "SpcInputs.points",
            ["period_end", "value", "mean", "upper_limit", "lower_limit", "variation"],
        )
        unknown = sorted(
            {str(v) for v in self.points["variation"].dropna().unique()} - set(VARIATIONS)
        )
        if unknown:
            raise ValueError(f"SpcInputs.points.variation has unknown value(s) {unknown}")
        _finite_or_none(self.target, "target")


@dataclass(frozen=True, eq=False)
class ComparatorInputs:
    """The force's latest rate per 100,000 against its most similar group and wider areas.

    ``msg`` columns: ``area`` (force name), ``rate`` (per 100,000), ``is_force`` (true on
    exactly one row: the force itself, which is highlighted).

    ``benchmarks`` (optional) has the same columns, one row each for the force, its region and
    England and Wales; it is drawn as a second, smaller panel.

    ``msg_average`` is drawn as a rule; when ``None`` it is the mean of the ``msg`` rates,
    the force included, unless ``msg_average_missing`` says why the group has no average
    (a member without a figure): then no average is drawn.
    """

    context: ChartContext
    msg: pd.DataFrame
    benchmarks: pd.DataFrame | None = None
    msg_average: float | None = None
    msg_average_missing: str = ""

    def __post_init__(self) -> None:
        columns = ["area", "rate", "is_force"]
        require_columns(self.msg, "ComparatorInputs.msg", columns)
        forces = int(self.msg["is_force"].astype(bool).sum())
        if len(self.msg) and forces != 1:
            raise ValueError(f"ComparatorInputs.msg needs one is_force row, it has {forces}")
        if self.benchmarks is not None:
            require_columns(self.benchmarks, "ComparatorInputs.benchmarks", columns)
        _finite_or_none(self.msg_average, "msg_average")


@dataclass(frozen=True, eq=False)
class CategoriesInputs:
    """Counts per period split by category, drawn as stacked bars (OCG disruptions, say).

    ``data`` columns: ``period_end`` (the quarter's last day), ``category``, ``value``.
    ``categories`` fixes the stacking and legend order; when empty, categories keep the order
    in which they first appear.
    """

    context: ChartContext
    data: pd.DataFrame
    categories: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        require_columns(self.data, "CategoriesInputs.data", ["period_end", "category", "value"])


@dataclass(frozen=True, eq=False)
class ProportionInputs:
    """A rolling percentage against its baseline, with its sample sizes in the tooltip.

    ``series`` columns: ``period_end``; ``value`` (the percentage, 0 to 100); ``numerator``;
    ``denominator`` (the sample size). ``context.baseline_value`` is a percentage too.
    """

    context: ChartContext
    series: pd.DataFrame

    def __post_init__(self) -> None:
        require_columns(
            self.series,
            "ProportionInputs.series",
            ["period_end", "value", "numerator", "denominator"],
        )


@dataclass(frozen=True, eq=False)
class FunnelInputs:
    """Every force's rate against its population, for a funnel plot around the national rate.

    ``forces`` columns: ``area``; ``count`` (the window's events); ``population``; ``rate``
    (per 100,000); ``role`` (``This force``, ``Most similar group`` or ``Other forces``).
    ``target`` is the England and Wales rate; ``msg_average`` the MSG's mean rate, the
    force included, drawn as a labelled rule.
    """

    context: ChartContext
    forces: pd.DataFrame
    target: float
    msg_average: float | None = None

    def __post_init__(self) -> None:
        require_columns(
            self.forces, "FunnelInputs.forces", ["area", "count", "population", "rate", "role"]
        )
        _finite_or_none(self.target, "target")
        _finite_or_none(self.msg_average, "msg_average")


ChartInputs = (
    TrendInputs | SpcInputs | ComparatorInputs | CategoriesInputs | ProportionInputs | FunnelInputs
)
"""Any of the per-chart inputs."""
