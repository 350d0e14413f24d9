"""Comparator figures: England and Wales and regions pooled, the most similar group averaged.

A group's figure is the table's own row where it publishes one (England and Wales, a
region), else pooled from its forces, and only when the data cover every member for the
window (:mod:`framework.engine.coverage`); otherwise it is empty, with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from framework.engine.coverage import uncovered_reason, window_reasons
from framework.engine.evaluate import Evaluated, _align_population


def rate_per_100k(evaluated: Evaluated) -> pd.DataFrame | None:
    """Return the windowed total per 100,000 residents, for kinds whose figure is a total."""
    spec = evaluated.plan.aggregation
    if not (spec.additive or spec.uses_population):
        return None
    # The rows and the most similar group's average both read them: worked out once.
    if ("rates",) not in evaluated.laid_out:
        total = evaluated.totals.parts["total"]
        pop = _align_population(evaluated.population, total)
        evaluated.laid_out[("rates",)] = total / pop.where(pop > 0) * 100_000
    rates: pd.DataFrame = evaluated.laid_out[("rates",)]
    return rates


def totals_population(evaluated: Evaluated) -> pd.DataFrame:
    """Return the population of each window's last period, laid out as the totals' figure."""
    if ("totals population",) not in evaluated.laid_out:
        evaluated.laid_out[("totals population",)] = _align_population(
            evaluated.population, evaluated.totals.figure
        )
    population: pd.DataFrame = evaluated.laid_out[("totals population",)]
    return population


@dataclass(frozen=True)
class GroupFigures:
    """One comparator group's figure and rate per period, where they come from, or why not."""

    figure: pd.Series
    rate: pd.Series | None
    members_with_data: pd.Series
    members: int
    population: pd.Series | None
    """The residents the rate divides by: the published area's, or the members' summed."""
    source: pd.Series
    """``published`` (the table's own row), ``pooled`` (from the forces), or None when empty."""
    empty_reason: pd.Series
    """Why the figure is empty, for the windows where it is; None elsewhere."""


def _gaps(
    evaluated: Evaluated,
    group: str,
    members: tuple[str, ...],
    has_data: pd.DataFrame,
    names: Mapping[str, str],
) -> pd.Series:
    """Return, per window, why the group cannot be formed from its members, else None."""
    whole = uncovered_reason(group, members, evaluated.coverage, names)
    if whole is not None:
        return pd.Series(whole, index=has_data.index, dtype="object")
    return window_reasons(group, has_data, names)


def pooled(
    evaluated: Evaluated,
    members: tuple[str, ...],
    group: str = "group",
    published_code: str | None = None,
    names: Mapping[str, str] | None = None,
) -> GroupFigures:
    """Return the group's figure: its published row, else its members' parts pooled.

    Pooled parts and populations are summed, then combined: the group's own figure. A
    window in which any member has no figure (or the data do not cover a member) is empty.
    """
    names = names or {}
    spec = evaluated.plan.aggregation
    totals = evaluated.totals
    columns = [code for code in members if code in totals.figure.columns]
    index = totals.figure.index
    # On arrays: a member has data in a window where every part has a figure.
    has = np.ones((len(index), len(members)), dtype=bool)
    for wide in totals.parts.values():
        where = wide.columns.get_indexer(pd.Index(list(members)))
        values = wide.to_numpy(dtype="float64")
        has &= (where >= 0) & ~np.isnan(values[:, np.maximum(where, 0)])
    present = pd.DataFrame(has, index=index, columns=list(members))
    reasons = _gaps(evaluated, group, members, present, names)
    whole = reasons.isna().to_numpy(dtype=bool)
    # The pooled sums on arrays: a member's column is found once for all the parts.
    parts = {}
    for name, wide in totals.parts.items():
        chosen = _columns_of(wide, columns)
        summed = np.where(np.isnan(chosen), 0.0, chosen).sum(axis=1)
        # As ``sum(min_count=1)``: no member with a figure is no sum, not zero.
        summed[(~np.isnan(chosen)).sum(axis=1) == 0] = np.nan
        summed[~whole] = np.nan
        parts[name] = pd.DataFrame({"group": summed}, index=index)
    residents = _columns_of(totals_population(evaluated), columns)
    pooled_population = np.where(np.isnan(residents), 0.0, residents).sum(axis=1)
    pooled_population[(~np.isnan(residents)).sum(axis=1) == 0] = np.nan
    pooled_population[~whole] = np.nan
    pop = pd.DataFrame({"group": pooled_population}, index=index)
    figures = spec.combine(parts, pop)["group"].to_numpy(dtype="float64")
    rates = people = None
    if spec.additive or spec.uses_population:
        people = pooled_population
        with np.errstate(divide="ignore", invalid="ignore"):
            usable = np.where(people > 0, people, np.nan)
            rates = parts["total"]["group"].to_numpy(dtype="float64") / usable * 100_000
    source = np.full(len(index), "pooled", dtype=object)
    why = reasons.to_numpy(dtype=object).copy()
    own = _published_figures(evaluated, published_code)
    if own is not None:
        use = own.figure.notna().to_numpy(dtype=bool)
        figures = np.where(use, own.figure.to_numpy(dtype="float64"), figures)
        if rates is not None and people is not None and own.rate is not None:
            rates = np.where(use, own.rate.to_numpy(dtype="float64"), rates)
            people = np.where(use, own.population.to_numpy(dtype="float64"), people)
        source[use] = "published"
        why[use] = None
    none = np.isnan(figures)
    # A figure the members cover but cannot combine (no population) still says why.
    why[none & pd.isna(why)] = "no figure for this window"
    why[~none] = None
    source[none] = None
    return GroupFigures(
        pd.Series(figures, index=index),
        pd.Series(rates, index=index) if rates is not None else None,
        pd.Series(has.sum(axis=1), index=index),
        len(members),
        pd.Series(np.where(none, np.nan, people), index=index) if people is not None else None,
        pd.Series(source, index=index, dtype="object"),
        pd.Series(why, index=index, dtype="object"),
    )


def _columns_of(wide: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """Return the ``columns`` of a periods × areas table as an array of floats."""
    where = wide.columns.get_indexer(pd.Index(columns, dtype=object))
    if (where < 0).any():
        return wide[columns].to_numpy(dtype="float64")  # as selecting them would, it fails
    chosen: np.ndarray = wide.to_numpy(dtype="float64")[:, where]
    return chosen


@dataclass(frozen=True)
class _Published:
    """The table's own figure for an area, and its rate over the area's own population."""

    figure: pd.Series
    rate: pd.Series | None
    population: pd.Series


def _published_figures(evaluated: Evaluated, code: str | None) -> _Published | None:
    """Return the table's own figure and rate for the area ``code``, when it publishes one."""
    published = evaluated.published
    if code is None or published is None or code not in published.figure.columns:
        return None
    spec = evaluated.plan.aggregation
    index = evaluated.totals.figure.index
    figure = published.figure[code].reindex(index)
    # The published count over the published area's own population, not the forces'.
    pop = _align_population(evaluated.population, published.figure)[code].reindex(index)
    rate = None
    if spec.additive or spec.uses_population:
        total = published.parts["total"][code].reindex(index)
        rate = total / pop.where(pop > 0) * 100_000
    return _Published(figure, rate, pop)


@dataclass(frozen=True)
class GroupAverage:
    """The mean of the members' rates (or figures), and the force's rank within the group."""

    mean: pd.Series
    rank: pd.Series
    size: pd.Series
    member_values: pd.DataFrame
    empty_reason: pd.Series
    """Why the mean (and the rank) is empty, for the windows where it is; None elsewhere."""


def averaged(
    evaluated: Evaluated,
    members: tuple[str, ...],
    force_code: str,
    higher_is_better: bool,
    names: Mapping[str, str] | None = None,
) -> GroupAverage:
    """Average the members' rates (figures when there is no rate) and rank the force.

    Rank 1 is the best performer by the measure's improvement direction. A window in
    which any member (the force included) has no value gives no mean and no rank.
    """
    rates = rate_per_100k(evaluated)
    values = rates if rates is not None else evaluated.totals.figure
    everyone = tuple(dict.fromkeys((force_code, *members)))
    columns = [code for code in everyone if code in values.columns]
    table = values[columns]
    reasons = _gaps(
        evaluated, "msg", everyone, values.reindex(columns=list(everyone)).notna(), names or {}
    )
    whole = reasons.isna()
    ranks = table.rank(axis=1, ascending=not higher_is_better, method="min")
    force_rank = ranks[force_code] if force_code in ranks else pd.Series(np.nan, index=table.index)
    mean = table.mean(axis=1, skipna=True).where(whole)
    reasons = reasons.mask(mean.isna() & reasons.isna(), "no figure for this window")
    return GroupAverage(
        mean,
        force_rank.where(whole),
        table.notna().sum(axis=1),
        table,
        reasons.where(mean.isna(), None),
    )
