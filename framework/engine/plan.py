"""Evaluation plans: the explicit, printable steps that turn one measure into figures.

A plan is built from definitions alone (no data is read), so ``measures explain --plan``
shows exactly what a run will do, and every result carries the plan that produced it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from framework.engine.aggregations import AggregationSpec, PartSpec, spec_for
from framework.engine.status_method import status_method
from framework.model.dataset import Dataset
from framework.model.force import Force
from framework.model.measure import Measure, RollingWindow
from framework.periods import long_month, month_label, parse_period

GRAIN_STEP = {"month": 1, "quarter": 3}


@dataclass(frozen=True)
class ReadSource:
    """Read a dataset through its adapter into the canonical tidy frame."""

    dataset: str
    adapter: str
    path: str
    synthetic: bool
    origin: str = ""
    """Where the dataset is defined: file, line and layer."""

    def describe(self) -> str:
        """Say what is read."""
        label = " (SYNTHETIC demo data)" if self.synthetic else ""
        origin = f", defined in {self.origin}" if self.origin else ""
        return (
            f"read dataset {self.dataset} with the {self.adapter} adapter from {self.path}{label}"
            f"{origin}"
        )


@dataclass(frozen=True)
class KeepRows:
    """Keep the rows whose dimensions take the listed values, and territorial forces only."""

    filters: tuple[tuple[str, tuple[object, ...]], ...]

    def describe(self) -> str:
        """Say which rows are kept."""
        if not self.filters:
            return "keep every row of the 43 territorial forces"
        terms = "; ".join(f"{k} in [{', '.join(map(str, v))}]" for k, v in self.filters)
        return f"keep rows of the 43 territorial forces where {terms}"


@dataclass(frozen=True)
class SumToGrain:
    """Sum each part by area (and component) per period of the grain."""

    grain: str
    step: int
    parts: tuple[str, ...]
    breakdown: tuple[str, ...]
    zero_fill: bool

    def describe(self) -> str:
        """Say how rows become per-period totals."""
        by = "area" + "".join(f" and {name}" for name in self.breakdown)
        fill = (
            "absent periods are zero (complete source)"
            if self.zero_fill
            else "periods the source did not report stay missing"
        )
        return f"sum {'; '.join(self.parts)} by {by} per {self.grain}; {fill}"


@dataclass(frozen=True)
class Roll:
    """Total each part over a rolling window of whole periods (or take published totals)."""

    months: int
    periods: int
    published: bool

    def describe(self) -> str:
        """Say how windows are formed."""
        if self.published:
            return f"take the publisher's {self.months}-month totals as they are"
        if self.periods == 1:
            return "take each period on its own"
        return (
            f"total each part over rolling {self.months}-month windows ({self.periods} periods); "
            "a window with a missing period is flagged and left empty"
        )


@dataclass(frozen=True)
class Combine:
    """Turn the window's parts into the figure."""

    kind: str
    per_population: bool
    population_estimate: str = "window"
    """The dataset's rule for the estimate a rate divides by: ``window`` or
    ``publishing_edition``."""

    def describe(self) -> str:
        """Say how the figure is formed."""
        text = {
            "count": "the figure is the count",
            "sum": "the figure is the sum",
            "mean": "the figure is total / rows (the mean)",
            "proportion": "the figure is 100 × numerator / denominator",
            "rate": "the figure is the total per N residents",
        }[self.kind]
        if self.per_population and self.population_estimate == "publishing_edition":
            text += (
                "; also per 100,000 residents on the population estimate the publishing "
                "edition used (the one dated inside the window for years it does not rate)"
            )
        elif self.per_population:
            text += (
                "; also per 100,000 residents on the population estimate dated inside each window"
            )
        return text


@dataclass(frozen=True)
class CompareBaseline:
    """Compare each window with the baseline, averaged over the baseline's windows."""

    label: str
    first: int
    last: int
    window_months: int

    def describe(self) -> str:
        """Say what the baseline is."""
        return (
            f"baseline '{self.label}': {month_label(self.first)} to {month_label(self.last)} "
            f"inclusive, as {((self.last - self.first + 1) // self.window_months)} "
            f"window(s) of {self.window_months} months; change = figure − baseline"
        )


@dataclass(frozen=True)
class CompareGroups:
    """Pool or average the figure over comparator groups of forces."""

    groups: tuple[tuple[str, tuple[str, ...]], ...]

    def describe(self) -> str:
        """Say which groups the force is compared with."""
        names = []
        for name, members in self.groups:
            if name == "national":
                names.append("England and Wales (the table's own row, else all 43 forces pooled)")
            elif name == "region":
                names.append(f"the region (the table's own row, else {len(members)} forces pooled)")
            elif name == "msg":
                names.append(
                    f"the most similar group ({len(members)} forces; average of rates, rank)"
                )
            else:
                names.append(f"{name} ({len(members)} forces pooled)")
        # Why: a group the data do not fully cover is left empty, never pooled from fewer.
        return (
            "compare with " + ", ".join(names) + "; a group is empty, with the reason, "
            "for a window in which any member has no figure"
        )


@dataclass(frozen=True)
class Signal:
    """Attach statistics: SPC on the per-period series, and a Poisson test for counts."""

    spc_profile: str | None
    status: str
    """The status method (``quasi_poisson``, ``two_proportion``, ``spc``, ...), or ``none``."""

    def describe(self) -> str:
        """Say which statistics are attached."""
        parts = []
        if self.spc_profile:
            parts.append(f"XmR limits and special-cause rules ({self.spc_profile}) per period")
        if self.status != "none":
            parts.append(f"status of each window against the baseline by {self.status}")
        return "; ".join(parts) if parts else "no statistics"


Step = (
    ReadSource | KeepRows | SumToGrain | Roll | Combine | CompareBaseline | CompareGroups | Signal
)


@dataclass(frozen=True)
class EvaluationPlan:
    """The steps of one measure's evaluation, with what they need."""

    measure: Measure
    dataset: Dataset
    aggregation: AggregationSpec
    steps: tuple[Step, ...]
    window_months: int
    step: int
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    force_code: str = ""
    """The ONS code of the force the plan is for (a ``force_only`` dataset covers it alone)."""
    origin: str = ""
    """Where the measure is defined: file, line and layer."""

    def describe(self) -> str:
        """Return the plan as numbered lines a person can check."""
        lines = [f"plan for {self.measure.id}: {self.measure.title}"]
        if self.origin:
            lines.append(f"  defined in {self.origin}")
        lines += [f"  {n}. {step.describe()}" for n, step in enumerate(self.steps, start=1)]
        return "\n".join(lines)

    def window_label(self, period_end: int) -> str:
        """Name the window ending at ``period_end``: ``12 months to June 2019``."""
        if self.window_months == 1:
            return long_month(period_end)
        if self.window_months == 3 and not isinstance(self.measure.window, RollingWindow):
            return f"quarter to {long_month(period_end)}"
        return f"{self.window_months} months to {long_month(period_end)}"


def _describe_part(part: PartSpec) -> str:
    text = f"{part.name} = {'rows' if part.column is None else part.column}"
    if part.filters:
        terms = "; ".join(f"{k} in [{', '.join(map(str, v))}]" for k, v in part.filters)
        text += f" where {terms}"
    return text


def build_plan(
    measure: Measure,
    dataset: Dataset,
    force: Force,
    groups: dict[str, tuple[str, ...]],
    dataset_path: str,
    origins: tuple[str, str] = ("", ""),
) -> EvaluationPlan:
    """Build the plan of a validated measure for a force; ``groups`` maps comparator → members.

    ``origins`` names where the measure and the dataset are defined (file, line and layer).
    """
    if measure.source is None:
        raise ValueError(f"{measure.id} has no source to evaluate")
    aggregation = spec_for(measure.aggregation)
    step = GRAIN_STEP[measure.grain]
    window = measure.window
    months = window.months if isinstance(window, RollingWindow) else step
    published = bool(dataset.covers_months) and dataset.covers_months == months
    steps: list[Step] = [
        ReadSource(dataset.id, dataset.adapter.kind, dataset_path, dataset.synthetic, origins[1]),
        KeepRows(tuple(sorted((k, tuple(v)) for k, v in measure.source.filters.items()))),
        SumToGrain(
            measure.grain,
            step,
            tuple(_describe_part(part) for part in aggregation.parts),
            tuple(measure.breakdown),
            dataset.complete,
        ),
        Roll(months, 1 if published else months // step, published),
        Combine(
            aggregation.kind,
            aggregation.additive or aggregation.uses_population,
            dataset.population_estimate,
        ),
    ]
    if measure.baseline is not None:
        first = parse_period(measure.baseline.start).first
        last = parse_period(measure.baseline.end).last
        steps.append(CompareBaseline(measure.baseline.label, first, last, months))
    chosen = {name: groups[name] for name in measure.comparators if name in groups}
    if chosen:
        steps.append(CompareGroups(tuple(chosen.items())))
    spc = measure.presentation.spc_profile if "spc" in measure.presentation.charts else None
    steps.append(Signal(spc, status_method(measure) if measure.baseline is not None else "none"))
    return EvaluationPlan(
        measure,
        dataset,
        aggregation,
        tuple(steps),
        months,
        step,
        chosen,
        force_code=force.ons_code,
        origin=origins[0],
    )
