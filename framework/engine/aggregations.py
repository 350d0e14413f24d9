"""How each aggregation kind splits into additive parts and combines them into a figure.

Only sums are rolled, pooled across areas and averaged over baseline windows; every kind
is a function of its parts, so one code path serves counts, sums, means, proportions and
rates alike.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from framework.model.measure import (
    Aggregation,
    CountAggregation,
    MeanAggregation,
    ProportionAggregation,
    RateAggregation,
    SumAggregation,
)


@dataclass(frozen=True)
class PartSpec:
    """One additive part: the column summed over rows that pass the extra filters."""

    name: str
    column: str | None
    """Column to sum; None counts rows."""
    filters: tuple[tuple[str, tuple[object, ...]], ...] = ()


Combine = Callable[[dict[str, pd.DataFrame], pd.DataFrame | None], pd.DataFrame]


@dataclass(frozen=True)
class AggregationSpec:
    """The parts an aggregation sums, and how the figure and its rate come from them."""

    kind: str
    parts: tuple[PartSpec, ...]
    combine: Combine
    additive: bool
    """True when the figure is itself a sum (counts, sums): it has a rate per 100,000."""
    uses_population: bool = False


def _filters(
    mapping: Mapping[str, Sequence[object]],
) -> tuple[tuple[str, tuple[object, ...]], ...]:
    return tuple(sorted((key, tuple(values)) for key, values in mapping.items()))


def _total(parts: dict[str, pd.DataFrame], population: pd.DataFrame | None) -> pd.DataFrame:
    return parts["total"]


def _ratio(numerator: pd.DataFrame, denominator: pd.DataFrame, scale: float) -> pd.DataFrame:
    with np.errstate(divide="ignore", invalid="ignore"):
        out = numerator / denominator.where(denominator != 0)
    return out * scale


def _proportion(parts: dict[str, pd.DataFrame], population: pd.DataFrame | None) -> pd.DataFrame:
    return _ratio(parts["numerator"], parts["denominator"], 100.0)


def _mean(parts: dict[str, pd.DataFrame], population: pd.DataFrame | None) -> pd.DataFrame:
    return _ratio(parts["total"], parts["rows"], 1.0)


def _rate(per: int) -> Combine:
    def combine(parts: dict[str, pd.DataFrame], population: pd.DataFrame | None) -> pd.DataFrame:
        if population is None:
            raise ValueError("a rate needs a population")
        return _ratio(parts["total"], population, float(per))

    return combine


def spec_for(aggregation: Aggregation) -> AggregationSpec:
    """Return the parts and combination rule of an aggregation definition."""
    if isinstance(aggregation, CountAggregation):
        return AggregationSpec("count", (PartSpec("total", "value"),), _total, additive=True)
    if isinstance(aggregation, SumAggregation):
        return AggregationSpec(
            "sum", (PartSpec("total", aggregation.column),), _total, additive=True
        )
    if isinstance(aggregation, MeanAggregation):
        parts = (PartSpec("total", aggregation.column), PartSpec("rows", None))
        return AggregationSpec("mean", parts, _mean, additive=False)
    if isinstance(aggregation, ProportionAggregation):
        denominator = aggregation.denominator
        parts = (
            PartSpec(
                "numerator", aggregation.numerator.column, _filters(aggregation.numerator.filters)
            ),
            PartSpec(
                "denominator",
                denominator.column if denominator else "value",
                _filters(denominator.filters) if denominator else (),
            ),
        )
        return AggregationSpec("proportion", parts, _proportion, additive=False)
    if isinstance(aggregation, RateAggregation):
        return AggregationSpec(
            "rate",
            (PartSpec("total", aggregation.column),),
            _rate(aggregation.per),
            additive=False,
            uses_population=True,
        )
    raise TypeError(f"unknown aggregation {aggregation!r}")
