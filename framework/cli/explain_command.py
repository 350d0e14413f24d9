"""``measures explain``: say in plain English what a measure computes, from its fields alone."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from framework.cli.common import CatalogueOption, catalogue_path, engine_or_exit, measure_named

if TYPE_CHECKING:
    # The models import pydantic: loaded when the command runs, not with the application.
    from framework.loading.catalogue import Catalogue
    from framework.model.measure import FilterValue, Measure, Part, ProportionAggregation

BUILT_IN_COMPARATOR_NAMES = {
    "national": "England and Wales",
    "region": "the region",
    "msg": "the most similar group",
}
IMPROVEMENT_WORDS = {
    "lower_is_better": "lower is better",
    "higher_is_better": "higher is better",
    "neutral": "neither higher nor lower is better",
}


def join_words(words: Sequence[str], last: str = "and") -> str:
    """Join words as prose: ``a``, ``a and b``, ``a, b and c``."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


def describe_filters(filters: Mapping[str, Sequence[FilterValue]]) -> str:
    """Describe row filters: ``offence_subgroup is Homicide and sex is one of F or M``."""
    clauses = []
    for dimension, values in filters.items():
        shown = [_value(value) for value in values]
        if len(shown) == 1:
            clauses.append(f"{dimension} is {shown[0]}")
        else:
            clauses.append(f"{dimension} is one of {join_words(shown, 'or')}")
    return " and ".join(clauses)


def _value(value: FilterValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _where(filters: Mapping[str, Sequence[FilterValue]]) -> str:
    return f" where {describe_filters(filters)}" if filters else ""


def _column(column: str) -> str:
    return "" if column == "value" else f" (summing {column})"


def what_is_computed(measure: Measure, covers_months: int | None = None) -> str:
    """Say what figure each period gets, from the source, aggregation, grain and window.

    ``covers_months`` is the dataset's: a publisher's rolling totals are taken as they are.
    """
    from framework.model.measure import (
        CountAggregation,
        MeanAggregation,
        ProportionAggregation,
        RateAggregation,
        RollingWindow,
        SumAggregation,
    )

    assert measure.source is not None
    rows = f"rows of {measure.source.dataset}{_where(measure.source.filters)}"
    grain = f"per {measure.grain}"
    aggregation = measure.aggregation
    window = measure.window
    if isinstance(window, RollingWindow) and window.months == covers_months:
        summed = averaged = over = f"taking the publisher's {window.months}-month totals"
    elif isinstance(window, RollingWindow):
        span = f"rolling {window.months}-month windows"
        summed, averaged, over = f"summed over {span}", f"averaged over {span}", f"over {span}"
    else:
        summed = averaged = over = f"each {measure.grain} on its own"
    if isinstance(aggregation, CountAggregation):
        return f"Counts {rows}, {grain}, {summed}"
    if isinstance(aggregation, SumAggregation):
        return f"Sums {aggregation.column} over the {rows}, {grain}, {summed}"
    if isinstance(aggregation, MeanAggregation):
        return f"Takes the mean of {aggregation.column} over the {rows}, {grain}, {averaged}"
    if isinstance(aggregation, RateAggregation):
        return (
            f"Counts {rows}{_column(aggregation.column)} per {aggregation.per:,} residents, "
            f"{grain}, {summed}"
        )
    assert isinstance(aggregation, ProportionAggregation)
    return f"{_proportion(aggregation, rows)}, {grain}, {over}"


def _proportion(aggregation: ProportionAggregation, rows: str) -> str:
    numerator, denominator = aggregation.numerator, aggregation.denominator
    if denominator is None:
        return f"Takes a percentage of the {rows} with no denominator defined"
    if numerator.column == "value" and denominator.column == "value":
        out_of = (
            f"those for which {describe_filters(denominator.filters)}"
            if denominator.filters
            else "all of them"
        )
        kept = describe_filters(numerator.filters) if numerator.filters else "every row counts"
        return f"Takes the percentage of the {rows} for which {kept}, out of {out_of}"
    return f"Divides {_total(numerator)} by {_total(denominator)} over the {rows}, as a percentage"


def _total(part: Part) -> str:
    total = "the number of rows" if part.column == "value" else f"the sum of {part.column}"
    return total + _where(part.filters)


def comparator_names(measure: Measure, catalogue: Catalogue) -> list[str]:
    """Name the measure's comparators: built-in ones in words, named groups by their titles."""
    titles = {group.id: group.title for force in catalogue.forces for group in force.model.groups}
    return [
        BUILT_IN_COMPARATOR_NAMES.get(item) or titles.get(item) or f"the group {item}"
        for item in measure.comparators
    ]


def explain_measure(measure: Measure, catalogue: Catalogue) -> str:
    """Return the plain-English sentence saying what the measure computes and how it is read."""
    national = measure.national_measure
    if measure.source is None:
        supplier = national.supplier if national is not None else "another supplier"
        reason = f" {national.reason}" if national is not None and national.reason else ""
        proxies = [m.model.id for m in catalogue.measures if m.model.proxy_for == measure.id]
        text = f"Not computed by the police.{reason} The national figure comes from {supplier}."
        if proxies:
            text += f" Standing in for it: {join_words(proxies)}."
        return text
    dataset = catalogue.dataset(measure.source.dataset)
    parts = [what_is_computed(measure, dataset.model.covers_months if dataset else None)]
    baseline = measure.baseline
    if baseline is not None:
        parts[0] += (
            f", compared with the baseline {baseline.label} ({baseline.start} to {baseline.end})"
        )
    parts.append(IMPROVEMENT_WORDS[measure.improvement])
    comparators = comparator_names(measure, catalogue)
    if comparators:
        parts.append(f"compared with {join_words(comparators)}")
    return "; ".join(parts) + "."


def explanation(measure: Measure, catalogue: Catalogue) -> list[str]:
    """Return the lines ``measures explain`` prints: heading, role, sentence, extras."""
    if measure.kind == "proxy":
        role = f"A proxy for the national measure {measure.proxy_for}"
    else:
        role = "A national measure"
    lines = [
        f"{measure.id}: {measure.title}",
        f"{role}, under the priority {measure.priority}.",
        "",
        explain_measure(measure, catalogue),
    ]
    if measure.source is not None:
        from framework.engine.status_method import describe_status

        lines.append(describe_status(measure))
    if measure.breakdown:
        lines.append(f"Each component is also reported by {join_words(measure.breakdown)}.")
    lines += [f"Caveat: {' '.join(caveat.text.split())}" for caveat in measure.caveats]
    return lines


def explain(
    measure_id: Annotated[str, typer.Argument(metavar="ID", help="Id of the measure.")],
    catalogue_option: CatalogueOption = None,
    plan: Annotated[
        bool, typer.Option("--plan", help="Also print the evaluation plan, step by step.")
    ] = False,
    force: Annotated[
        str | None, typer.Option(help="Force whose comparators the plan uses (with --plan).")
    ] = None,
) -> None:
    """Explain in plain English what a measure computes, from its definition."""
    from framework.loading.catalogue import load_catalogue

    catalogue = load_catalogue(catalogue_path(catalogue_option))
    located = measure_named(catalogue, measure_id)
    sys.stdout.write("\n".join(explanation(located.model, catalogue)) + "\n")
    if plan and located.model.source is not None:
        sys.stdout.write("\n" + _plan_text(catalogue, located.model, force) + "\n")


def _plan_text(catalogue: Catalogue, measure: Measure, force_name: str | None) -> str:
    """Return the evaluation plan of ``measure`` for a force (this reads the area list)."""
    from framework.cli.common import choose_force

    profile = choose_force(catalogue, force_name).model
    text = engine_or_exit(catalogue).plan(measure, profile).describe()
    dataset = catalogue.dataset(measure.source.dataset) if measure.source else None
    if dataset is not None and dataset.model.adapter.kind == "sql":
        from framework.sources.sql_plan import plan_text

        override = profile.datasets.get(dataset.model.id)
        text += "\n\n" + plan_text(dataset.model, catalogue.root, override)
    return text


def register(app: typer.Typer) -> None:
    """Add the command to the application."""
    app.command("explain")(explain)
