"""Comparator figures: England and Wales and regions pooled, the most similar group averaged."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from framework.engine.evaluate import Evaluated, _align_population


def rate_per_100k(evaluated: Evaluated) -> pd.DataFrame | None:
    """Return the windowed total per 100,000 residents, for kinds whose figure is a total."""
    spec = evaluated.plan.aggregation
    if not (spec.additive or spec.uses_population):
        return None
    total = evaluated.totals.parts["total"]
    pop = _align_population(evaluated.population, total)
    return total / pop.where(pop > 0) * 100_000


@dataclass(frozen=True)
class GroupFigures:
    """One comparator group's figure and rate per period, and how many members had data."""

    figure: pd.Series
    rate: pd.Series | None
    members_with_data: pd.Series
    members: int


def pooled(evaluated: Evaluated, members: tuple[str, ...]) -> GroupFigures:
    """Pool the group's parts and population, then combine: the group's own figure."""
    spec = evaluated.plan.aggregation
    columns = [code for code in members if code in evaluated.totals.figure.columns]
    present = evaluated.totals.figure[columns].notna()
    parts = {
        name: wide[columns].where(present).sum(axis=1, min_count=1).to_frame("group")
        for name, wide in evaluated.totals.parts.items()
    }
    pop_all = _align_population(evaluated.population, evaluated.totals.figure)[columns]
    pop = pop_all.where(present).sum(axis=1, min_count=1).to_frame("group")
    figure = spec.combine(parts, pop)["group"]
    rate = None
    if spec.additive or spec.uses_population:
        rate = parts["total"]["group"] / pop["group"].where(pop["group"] > 0) * 100_000
    return GroupFigures(figure, rate, present.sum(axis=1), len(columns))


@dataclass(frozen=True)
class GroupAverage:
    """The mean of the members' rates (or figures), and the force's rank within the group."""

    mean: pd.Series
    rank: pd.Series
    size: pd.Series
    member_values: pd.DataFrame


def averaged(
    evaluated: Evaluated, members: tuple[str, ...], force_code: str, higher_is_better: bool
) -> GroupAverage:
    """Average the members' rates (figures when there is no rate) and rank the force.

    Rank 1 is the best performer by the measure's improvement direction.
    """
    rates = rate_per_100k(evaluated)
    values = rates if rates is not None else evaluated.totals.figure
    columns = [code for code in dict.fromkeys((force_code, *members)) if code in values.columns]
    table = values[columns]
    ranks = table.rank(axis=1, ascending=not higher_is_better, method="min")
    force_rank = ranks[force_code] if force_code in ranks else pd.Series(np.nan, index=table.index)
    return GroupAverage(
        table.mean(axis=1, skipna=True), force_rank, table.notna().sum(axis=1), table
    )
