"""Lay an evaluated measure out as tidy rows: one per area, period and component."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from framework.engine.as_of import as_of_note
from framework.engine.comparators import averaged, pooled, rate_per_100k, totals_population
from framework.engine.evaluate import Evaluated
from framework.engine.gaps import missing_in_window
from framework.engine.plan import CompareBaseline, Roll
from framework.periods import month_end_iso, month_label, month_start_iso


def _select(wide: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """Keep the columns of the areas ``codes`` (the first level when there are components)."""
    if isinstance(wide.columns, pd.MultiIndex):
        return wide.loc[:, wide.columns.get_level_values(0).isin(codes)]
    if wide.columns.equals(pd.Index(codes)):
        return wide  # already the areas asked for, in their order
    return wide.reindex(columns=codes)


def _flat(wide: pd.DataFrame) -> np.ndarray:
    """Return the cells period-major, matching :func:`_keys`."""
    return wide.to_numpy(dtype="float64").ravel()


def _keys(wide: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Return period, area code and component label of each cell, period-major."""
    periods, columns = len(wide.index), len(wide.columns)
    period = np.repeat(wide.index.to_numpy(dtype="int64"), columns)
    if isinstance(wide.columns, pd.MultiIndex):
        codes = np.asarray(wide.columns.get_level_values(0).astype(str))
        labels = np.asarray(
            [" / ".join(str(part) for part in key[1:]) for key in wide.columns], dtype=object
        )
        return period, np.tile(codes, periods), np.tile(labels, periods)
    return period, np.tile(np.asarray(wide.columns.astype(str)), periods), None


def total_rows(
    evaluated: Evaluated,
    codes: list[str],
    names: dict[str, str],
    force_code: str,
    group_areas: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Return the rows of the measure's totals for the areas ``codes``, with comparators.

    ``group_areas`` maps a group (``national``, ``region``) to the ONS code of its own area,
    whose published row, where the table has one, is the group's figure.
    """
    group_areas = group_areas or {}
    plan = evaluated.plan
    key = ("areas", tuple(codes), tuple(sorted(names.items())))
    if key not in evaluated.laid_out:
        evaluated.laid_out[key] = _area_rows(evaluated, codes, names)
    frame: pd.DataFrame = evaluated.laid_out[key]
    by_period: dict[str, pd.Series] = {}
    for group, members in plan.groups.items():
        if group == "msg":
            average = averaged(
                evaluated,
                members,
                force_code,
                plan.measure.improvement == "higher_is_better",
                names,
            )
            by_period["msg_average"] = average.mean
            by_period["msg_rank"] = average.rank
            by_period["msg_size"] = average.size
            by_period["msg_empty_reason"] = average.empty_reason
            continue
        # A group's pooled figures depend only on its members: kept for other forces' runs.
        pooled_key = ("pooled", group, tuple(members), group_areas.get(group))
        if pooled_key not in evaluated.laid_out:
            evaluated.laid_out[pooled_key] = pooled(
                evaluated, members, group, group_areas.get(group), names
            )
        figures = evaluated.laid_out[pooled_key]
        by_period[f"{group}_value"] = figures.figure
        if figures.rate is not None:
            by_period[f"{group}_rate"] = figures.rate
        if figures.population is not None:
            by_period[f"{group}_population"] = figures.population
        by_period[f"{group}_members_with_data"] = figures.members_with_data
        by_period[f"{group}_members"] = pd.Series(figures.members, index=figures.figure.index)
        by_period[f"{group}_source"] = figures.source
        by_period[f"{group}_empty_reason"] = figures.empty_reason
    named = ("area names", *key[1:])
    if named not in evaluated.laid_out:
        # Each distinct code's name once, taken for its rows: the same for every force.
        at, codes_seen = pd.factorize(frame["area_code"])
        spelt = [names.get(str(code)) for code in codes_seen.tolist()]
        evaluated.laid_out[named] = spread(spelt, at, frame.index)
    area = pd.DataFrame({"area": evaluated.laid_out[named]}, index=frame.index)
    if not by_period:
        return pd.concat([frame, area], axis=1)
    comparators = pd.DataFrame(by_period)
    # Only England and Wales is every area's comparator; the region, the MSG and named
    # groups are the chosen force's, so other areas' rows leave them empty.
    own_groups = [column for column in comparators.columns if not column.startswith("national_")]
    return pd.concat([frame, _by_row(comparators, frame, own_groups, force_code), area], axis=1)


def _by_row(
    comparators: pd.DataFrame, frame: pd.DataFrame, own_groups: list[str], force_code: str
) -> pd.DataFrame:
    """Spread the comparators by period over the rows, emptying other areas' own groups."""
    at = comparators.index.get_indexer(pd.Index(frame["period"].to_numpy()))
    others = (frame["area_code"] != force_code).to_numpy()
    columns: dict[str, object] = {}
    for name in comparators.columns:
        series = comparators[name]
        values = series.to_numpy()
        kind = values.dtype.kind
        missing = (at < 0) | others if name in own_groups else at < 0
        if missing.any() and kind in "iub":
            values = values.astype("float64")  # an emptied cell is NaN, as a merge leaves it
        taken = values[np.maximum(at, 0)] if len(values) else np.full(len(at), np.nan)
        if missing.any():
            taken[missing] = np.nan
        # Numbers go in as arrays (one block for them all); text keeps its object type.
        text = taken.dtype.kind == "O"
        columns[name] = pd.Series(taken, index=frame.index, dtype=taken.dtype) if text else taken
    return pd.DataFrame(columns, index=frame.index)


def _area_rows(evaluated: Evaluated, codes: list[str], names: dict[str, str]) -> pd.DataFrame:
    """Return each area's rows of the totals, before comparators: the same for every force."""
    totals = evaluated.totals
    figure = _select(totals.figure, codes)
    period, area_code, _ = _keys(figure)
    columns: dict[str, object] = {
        "period": period,
        "area_code": area_code,
        "component": pd.Series(pd.NA, index=range(len(period)), dtype="string"),
        "value": _flat(figure),
        "missing_periods": _flat(_select(totals.missing, codes)),
        "missing_in_window": _missing_names(evaluated, codes),
        "rows_in_window": _flat(_select(totals.rows, codes)),
    }
    for part, wide in totals.parts.items():
        columns[part] = _flat(_select(wide, codes))
    rates = rate_per_100k(evaluated)
    if rates is not None:
        columns["rate_per_100k"] = _flat(_select(rates, codes))
        columns["population"] = _flat(_select(totals_population(evaluated), codes))
    if evaluated.baseline is not None:
        # Each area's baseline, repeated for each of its rows (the cells are period-major).
        baseline = _by_area(evaluated.baseline, figure)
        columns["baseline"] = baseline
        if rates is not None and evaluated.baseline_population is not None:
            # The baseline's rate divides by the baseline's own population, not the latest.
            base_pop = _by_area(evaluated.baseline_population, figure)
            usable = np.where(base_pop > 0, base_pop, np.nan)
            columns["baseline_rate_per_100k"] = baseline / usable * 1e5
    return pd.DataFrame(columns)


def _by_area(by_code: pd.Series, wide: pd.DataFrame) -> np.ndarray:
    """Return each cell's area's value in ``by_code`` (NaN where it has none), as :func:`_flat`."""
    where = by_code.index.get_indexer(pd.Index(np.asarray(wide.columns.astype(str), dtype=object)))
    values = by_code.to_numpy(dtype="float64")
    per_column = np.where(
        where >= 0, values[np.maximum(where, 0)] if len(values) else np.nan, np.nan
    )
    return np.tile(per_column, len(wide.index))


def _missing_names(evaluated: Evaluated, codes: list[str]) -> np.ndarray:
    """Return the names of the periods each window lacks, cell by cell as :func:`_flat`."""
    roll = next(step for step in evaluated.plan.steps if isinstance(step, Roll))
    names = missing_in_window(evaluated.per_period.parts, roll.periods, evaluated.plan.step)
    if names.empty:
        return np.full(len(evaluated.totals.figure.index) * len(codes), "", dtype=object)
    where = names.columns.get_indexer(pd.Index(codes))
    chosen = names.to_numpy(dtype=object)[:, where]
    chosen[:, where < 0] = ""
    return chosen.ravel()


def component_rows(evaluated: Evaluated, codes: list[str], names: dict[str, str]) -> pd.DataFrame:
    """Return one row per area, period and component of the measure's breakdown."""
    components = evaluated.components
    if components is None:
        return pd.DataFrame()
    figure = _select(components.figure, codes)
    period, area_code, component = _keys(figure)
    frame = pd.DataFrame(
        {
            "period": period,
            "area_code": area_code,
            "component": component,
            "value": _flat(figure),
            "missing_periods": _flat(_select(components.missing, codes)),
            "rows_in_window": _flat(_select(components.rows, codes)),
        }
    )
    if evaluated.component_baseline is not None:
        lookup = {
            (key[0], " / ".join(map(str, key[1:]))): value
            for key, value in evaluated.component_baseline.items()
            if isinstance(key, tuple)
        }
        # The cells are period-major: each column's baseline, repeated for every period.
        per_column = [
            lookup.get((str(key[0]), " / ".join(str(part) for part in key[1:])), np.nan)
            for key in figure.columns
        ]
        frame["baseline"] = np.tile(np.asarray(per_column, dtype="float64"), len(figure.index))
    # Each column's area named once, then repeated for every period as the cells are.
    per_area = [names.get(str(code)) for code in figure.columns.get_level_values(0)]
    at = np.tile(np.arange(len(per_area)), len(figure.index))
    frame["area"] = spread(per_area, at, frame.index)
    return frame


def finish(frame: pd.DataFrame, evaluated: Evaluated, as_of: int | None) -> pd.DataFrame:
    """Add the change columns, period labels and flags, and cut the rows at ``as_of``."""
    plan = evaluated.plan
    if as_of is not None:
        frame = frame.loc[frame["period"] <= as_of]
    # The new columns are gathered and joined once: setting them one by one copies the frame.
    added: dict[str, object] = {}
    baseline = next((s for s in plan.steps if isinstance(s, CompareBaseline)), None)
    if "baseline" in frame and baseline is not None:
        # A window that ends before the baseline does is not compared with it.
        period = frame["period"].to_numpy(dtype="int64")
        base = frame["baseline"].to_numpy(dtype="float64")
        after = period >= baseline.last
        change = np.where(after, frame["value"].to_numpy(dtype="float64") - base, np.nan)
        added["change"] = pd.Series(change, index=frame.index)
        with np.errstate(divide="ignore", invalid="ignore"):
            usable = np.where(base != 0, base, np.nan)
            added["change_pct"] = pd.Series(change / usable * 100, index=frame.index)
    period = frame["period"].to_numpy(dtype="int64")
    ends, at = np.unique(period, return_inverse=True)
    at = at.reshape(-1)
    firsts, first_at = np.unique(period - (plan.window_months - 1), return_inverse=True)
    added["window_start"] = _labels(firsts, first_at.reshape(-1), month_start_iso, frame.index)
    for column, label in (
        ("period_end", month_end_iso),
        ("period_label", month_label),
        ("window", plan.window_label),
    ):
        added[column] = _labels(ends, at, label, frame.index)
    added["unit"] = plan.measure.presentation.unit
    added["baseline_label"] = plan.measure.baseline.label if plan.measure.baseline else None
    if as_of is not None:
        added["as_of"] = month_label(as_of)
        added["as_of_note"] = as_of_note(plan, frame, as_of)
    measure = pd.DataFrame({"measure": plan.measure.id}, index=frame.index)
    kept = without(frame, ["measure", *added])
    return pd.concat([measure, kept, pd.DataFrame(added, index=frame.index)], axis=1)


def _labels(
    periods: np.ndarray, at: np.ndarray, label: Callable[[int], str], index: pd.Index
) -> pd.Series:
    """Label each row's period, spelling each distinct period once."""
    spelt = [label(int(p)) for p in periods.tolist()]
    return spread(spelt, at, index)


def without(frame: pd.DataFrame, columns: Sequence[object]) -> pd.DataFrame:
    """Return ``frame`` without those of ``columns`` it has (a view where it has none).

    Deleting from a shallow copy leaves the other columns' data where they are, which
    ``drop`` (a new frame taken column by column) does not.
    """
    present = [column for column in dict.fromkeys(columns) if column in frame.columns]
    if not present:
        return frame
    kept = frame.copy(deep=False)
    for column in present:
        del kept[column]
    return kept


def spread(distinct: Sequence[str | None], at: np.ndarray, index: pd.Index) -> pd.Series:
    """Return ``distinct[at]`` as a column, its type inferred from the few distinct values.

    Taking from a small typed column is much cheaper than inferring the type of every row's
    text, and gives the same column.
    """
    if not distinct:
        return pd.Series(np.array([], dtype=object), index=index)
    return pd.Series(pd.Series(list(distinct)).array.take(at), index=index)
