"""A measure: what is counted, from which source, over which window, against which baseline."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from framework.model.base import Definition, PeriodText, Slug
from framework.model.chart_kinds import CHART_KINDS, ChartKind
from framework.model.dataset import Grain

FilterValue = str | int | float | bool


class Source(Definition):
    """The dataset a measure reads and the rows it keeps."""

    dataset: Slug
    """Id of a dataset in the registry (``datasets/*.yaml``)."""
    filters: dict[str, list[FilterValue]] = Field(default_factory=dict)
    """Keep rows whose dimension takes one of the listed values: ``{dimension: [values]}``."""


class Part(Definition):
    """One side of a proportion: the rows it counts and the column it sums."""

    filters: dict[str, list[FilterValue]] = Field(default_factory=dict)
    """Further filters on top of the measure's source filters."""
    column: str = "value"
    """Column summed over the kept rows; ``value`` counts records in record-level data."""


class CountAggregation(Definition):
    """The number of records (or the sum of the source's counts) in each window."""

    kind: Literal["count"] = "count"


class SumAggregation(Definition):
    """The sum of a numeric column in each window."""

    kind: Literal["sum"] = "sum"
    column: str = "value"


class MeanAggregation(Definition):
    """The mean of a numeric column over the rows in each window."""

    kind: Literal["mean"] = "mean"
    column: str = "value"


class ProportionAggregation(Definition):
    """A percentage: the numerator's total over the denominator's, times 100."""

    kind: Literal["proportion"] = "proportion"
    numerator: Part
    denominator: Part | None = None
    """Required: the rows the percentage is out of (``{}`` means every row of the source)."""


class RateAggregation(Definition):
    """Events per ``per`` residents, on the population that fits each period."""

    kind: Literal["rate"] = "rate"
    per: int = Field(default=100_000, ge=1)
    column: str = "value"


Aggregation = Annotated[
    CountAggregation | SumAggregation | MeanAggregation | ProportionAggregation | RateAggregation,
    Field(discriminator="kind"),
]
"""How the kept rows become one figure per window, told apart by ``kind``."""


class RollingWindow(Definition):
    """A rolling window of the last ``months`` months, recomputed each period."""

    kind: Literal["rolling"] = "rolling"
    months: int = Field(ge=1, le=60)


class PeriodWindow(Definition):
    """Each period on its own (a quarter's count, say)."""

    kind: Literal["period"] = "period"


Window = Annotated[RollingWindow | PeriodWindow, Field(discriminator="kind")]
"""The span each figure covers, told apart by ``kind``."""


class Baseline(Definition):
    """The span the current figures are compared with, inclusive at both ends."""

    label: str = Field(examples=["12 months to June 2019"])
    start: PeriodText = Field(examples=["2018-07"])
    """First month (``YYYY-MM``) or quarter of the baseline."""
    end: PeriodText = Field(examples=["2019-06"])
    """Last month (``YYYY-MM``) or quarter of the baseline."""


class NationalMeasure(Definition):
    """The national measure as the Home Office defines it, and whether the police hold it."""

    name: str
    available: bool
    """True when the police hold the data and this framework computes it."""
    supplier: str = "Home Office (police recorded crime)"
    """Who supplies the national figure: NHS, Public Health England, the Crime Survey, ..."""
    reason: str | None = None
    """Why the force cannot report it; required when ``available`` is false."""


class Caveat(Definition):
    """A warning printed beside the measure's figures."""

    text: str
    applies_from: PeriodText | None = None
    """First period the caveat concerns, if it is not all of them."""


Improvement = Literal["lower_is_better", "higher_is_better", "neutral"]


def _trend_only() -> list[ChartKind]:
    return ["trend"]


class SpcRebase(Definition):
    """A point from which the SPC limits are recomputed, with the reason (a change of process)."""

    at: PeriodText = Field(examples=["2020/21-Q1"])
    """The first period of the new limits (a month ``YYYY-MM`` or a quarter)."""
    reason: str = Field(min_length=3, examples=["New crime recording rules from April 2020"])
    """Why the process changed there: required, so every rebase is explained."""


class Presentation(Definition):
    """How the measure is shown: its charts, unit and precision."""

    charts: list[ChartKind] = Field(
        default_factory=_trend_only,
        description="The charts drawn, in order: "
        + "; ".join(f"``{name}``, {text}" for name, text in CHART_KINDS.items())
        + ".",
    )
    unit: str = "offences"
    decimals: int = Field(default=0, ge=0, le=4)
    spc_profile: Slug = "making_data_count"
    """Id of the SPC rule profile used for the ``spc`` chart and the run's signal columns."""
    target: float | None = None
    """A target value, for the SPC assurance icon."""
    spc_rebases: list[SpcRebase] = Field(default_factory=list)
    """Periods from which the SPC limits are recomputed, each with its reason."""


StatusMethod = Literal["auto", "quasi_poisson", "exact_poisson", "two_proportion", "spc", "none"]
"""How a window's status is decided; ``auto`` chooses by the kind of series."""


class StatusRule(Definition):
    """How the status of a window against its baseline (improving, worsening, ...) is decided."""

    method: StatusMethod = "auto"
    """``auto`` (the default): counts take ``quasi_poisson``, proportions ``two_proportion``,
    other figures ``spc``. ``quasi_poisson`` tests the count against the baseline with the
    dispersion estimated from the force's own history (the exact Poisson test where that
    dispersion is near 1); ``exact_poisson`` assumes Poisson variation; ``two_proportion``
    tests the window's proportion against the baseline's; ``spc`` reads the SPC chart of
    the latest period; ``none`` gives no status."""


class Measure(Definition):
    """A national measure, or a proxy the force reports in its place."""

    id: Slug
    title: str
    description: str
    priority: Slug
    """Id of one of the six national priorities (``priorities.yaml``)."""
    kind: Literal["national", "proxy"]
    national_measure: NationalMeasure | None = None
    """For a national measure: its official name, availability and supplier."""
    proxy_for: Slug | None = None
    """For a proxy: the id of the national measure it stands in for."""
    source: Source | None = None
    """Omitted only for a national measure the police do not hold."""
    aggregation: Aggregation = Field(default_factory=CountAggregation)
    grain: Grain = "month"
    window: Window = Field(default_factory=lambda: RollingWindow(months=12))
    baseline: Baseline | None = None
    breakdown: list[str] = Field(default_factory=list)
    """Dimensions to report components by (neighbourhood crime's offence types, OCG categories)."""
    comparators: list[Slug] = Field(default_factory=list)
    """``national``, ``region``, ``msg`` or the id of a named comparator group."""
    improvement: Improvement = "lower_is_better"
    presentation: Presentation = Field(default_factory=Presentation)
    status: StatusRule = Field(default_factory=StatusRule)
    """How the status against the baseline is decided (``docs/statistics.md``)."""
    caveats: list[Caveat] = Field(default_factory=list)
    owner: str | None = None
    tags: list[str] = Field(default_factory=list)
