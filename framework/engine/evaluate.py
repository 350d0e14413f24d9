"""Execute an evaluation plan on a canonical tidy frame, for every force at once.

All forces are evaluated together because the comparators (England and Wales, the
region, the most similar group) need them; selecting one force happens at the end.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import pandas as pd

from framework.engine.aggregations import AggregationSpec, PartSpec
from framework.engine.coverage import Coverage, coverage_of
from framework.engine.plan import CompareBaseline, EvaluationPlan, KeepRows, Roll
from framework.engine.series import (
    bucket,
    period_range,
    rolling,
    rolling_sum,
    window_ends_in,
)
from framework.findings.codes import Code
from framework.sources.frame import area_codes_in

if TYPE_CHECKING:
    from framework.engine.status import Judgement

T = TypeVar("T")

_MEMO: dict[int, tuple[weakref.ref[pd.DataFrame], dict[object, Any]]] = {}
"""What each source frame's measures share (where its rows' areas are, which months each
area reported), by the frame's identity: every measure of one table reads it again."""


def derived(frame: pd.DataFrame, key: object, work: Callable[[], T]) -> T:
    """Return ``work()`` for ``frame`` and ``key``, worked out once while the frame lives.

    A source frame is never changed once read, so what is derived from it holds for it.
    """
    held = _MEMO.get(id(frame))
    if held is None or held[0]() is not frame:
        held = (weakref.ref(frame), {})
        _MEMO[id(frame)] = held
        weakref.finalize(frame, _forget, id(frame), held[0])
    store = held[1]
    if key not in store:
        store[key] = work()
    result: T = store[key]
    return result


def forget_derived() -> None:
    """Forget what was derived from every source frame (a fresh command starts without it)."""
    _MEMO.clear()


def _forget(identity: int, ref: weakref.ref[pd.DataFrame]) -> None:
    """Drop a collected frame's memo (unless its identity is already another frame's)."""
    held = _MEMO.get(identity)
    if held is not None and held[0] is ref:
        del _MEMO[identity]


def _area_positions(frame: pd.DataFrame, codes: tuple[str, ...]) -> np.ndarray:
    """Return where each row's area is among ``codes`` (-1 where it is not), once a frame."""
    index = pd.Index(list(codes), name="area_code")
    found = derived(frame, ("areas", codes), lambda: positions(frame["area_code"], index))
    return found


class EvaluationError(Exception):
    """The data cannot serve the plan: a column or dimension it needs is not there."""

    def __init__(self, message: str, hint: str = "", code: str = Code.RUN002) -> None:
        super().__init__(message)
        self.hint = hint
        self.code = code


@dataclass(frozen=True)
class Figures:
    """Windowed parts and the figure for one set of keys (areas, or areas × components)."""

    parts: dict[str, pd.DataFrame]
    figure: pd.DataFrame
    missing: pd.DataFrame
    rows: pd.DataFrame
    """Source rows behind each window, for tracing."""


@dataclass
class Evaluated:
    """Everything computed for one measure: totals, components, per-period series, baseline."""

    plan: EvaluationPlan
    periods: pd.Index
    totals: Figures
    per_period: Figures
    components: Figures | None
    population: pd.DataFrame
    baseline: pd.Series | None = None
    baseline_population: pd.Series | None = None
    """By area: the population of the baseline's last window, for its rate per 100,000."""
    baseline_parts: dict[str, pd.Series] = field(default_factory=dict)
    component_baseline: pd.Series | None = None
    coverage: Coverage = field(default_factory=lambda: Coverage(frozenset(), "rows"))
    """The forces the dataset reports for: comparators need every member covered."""
    published: Figures | None = None
    """Figures of the table's own England and Wales, country and region rows, where it has any."""
    judged: dict[tuple[str, int], Judgement] = field(
        default_factory=dict, compare=False, repr=False
    )
    """Each window's status once judged, by area code and period: a status rests on the area's
    own series alone, so every run's copy of the evaluation (each force's) shares these."""
    laid_out: dict[tuple[object, ...], Any] = field(default_factory=dict, compare=False, repr=False)
    """Parts of the result rows that do not depend on the running force (each area's figures,
    England and Wales), kept by :func:`framework.engine.results.total_rows` for later runs."""


def filter_rows(
    frame: pd.DataFrame, filters: tuple[tuple[str, tuple[object, ...]], ...]
) -> pd.DataFrame:
    """Keep rows whose dimensions take one of the listed values (compared as text)."""
    if not filters:
        return frame
    return frame.loc[filter_mask(frame, filters)]


def filter_mask(
    frame: pd.DataFrame, filters: tuple[tuple[str, tuple[object, ...]], ...]
) -> np.ndarray:
    """Return which rows' dimensions take one of the listed values (compared as text)."""
    mask = np.ones(len(frame), dtype=bool)
    for column, values in filters:
        if column not in frame.columns:
            raise EvaluationError(
                f"the data has no column {column!r} to filter on",
                f"Columns present: {', '.join(map(str, frame.columns))}.",
            )
        wanted = {str(value) for value in values}
        series = frame[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            # Compare the few categories as text, then select rows by code: no per-row strings.
            categories = pd.Index(series.cat.categories.astype(str))
            # Which codes are wanted, looked up by code (the last place is a missing value's).
            wanted_code = np.append(categories.isin(wanted), False)
            mask &= wanted_code[series.cat.codes.to_numpy()]
        else:
            mask &= series.astype("string").isin(wanted).to_numpy(dtype=bool, na_value=False)
    return mask


def positions(values: pd.Series, index: pd.Index) -> np.ndarray:
    """Return where each value is in ``index`` (-1 where it is not), reading categories once."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        found = index.get_indexer(pd.Index(values.cat.categories.astype(str), dtype=object))
        codes = values.cat.codes.to_numpy()
        return np.where(codes >= 0, found[codes], -1)
    return index.get_indexer(pd.Index(values.astype("string").to_numpy(dtype=object)))


def part_values(frame: pd.DataFrame, part: PartSpec) -> pd.Series:
    """Return the numbers a part sums: its column, or 1 per row."""
    if part.column is None:
        return pd.Series(1.0, index=frame.index)
    if part.column not in frame.columns:
        raise EvaluationError(
            f"the data has no column {part.column!r} for the {part.name}",
            f"Columns present: {', '.join(map(str, frame.columns))}.",
        )
    return pd.to_numeric(frame[part.column], errors="coerce").astype("float64")


def evaluate_plan(
    plan: EvaluationPlan,
    frame: pd.DataFrame,
    force_codes: list[str],
    population: pd.DataFrame,
    coverage: Coverage | None = None,
    published: Sequence[str] = (),
) -> Evaluated:
    """Run the plan over the canonical frame; ``population`` is periods × area codes.

    ``coverage`` is the forces the dataset reports for (by default, from its declaration
    and its rows); ``published`` lists the codes of areas that are not forces (England and
    Wales, countries, regions) whose own rows, where the table has them, are evaluated too.
    """
    if coverage is None:
        coverage = coverage_of(plan.dataset, frame, force_codes, plan.force_code, lambda text: text)
    keep = next(s for s in plan.steps if isinstance(s, KeepRows))
    areas = pd.Index(force_codes, name="area_code")
    area_at = _area_positions(frame, tuple(force_codes))
    chosen = area_at >= 0
    if keep.filters:
        chosen &= _filter_mask(frame, keep.filters)
    # The kept rows by position: their columns are read from the frame's, never copied whole.
    at = np.flatnonzero(chosen)
    if not len(at) and len(frame):
        raise EvaluationError(
            f"no row of {plan.dataset.id} passes the filters {dict(keep.filters)}",
            "A filter value is probably misspelt: `measures validate --data` names the nearest "
            "real values.",
            code=Code.RUN003,
        )
    step = plan.step
    if frame.empty:
        raise EvaluationError(f"the dataset {plan.dataset.id} has no rows")
    # bucket() keeps the order of months, so the first and last periods bucket the extremes.
    first, last = derived(frame, "months", lambda: _month_span(frame))
    periods = period_range(_bucket_one(first, step), _bucket_one(last, step), step)
    months = _month_column(frame)[at]
    period = months if step == 1 else months + (step - 1 - months % step)  # as bucket()
    roll = next(s for s in plan.steps if isinstance(s, Roll))
    spec = plan.aggregation
    # Monthly rows bucketed into quarters: a quarter counts as reported only with all 3 months.
    months_each = step if plan.dataset.grain == "month" else 1
    reported = _reported(
        frame, force_codes, periods, step, months_each, plan.dataset.complete, coverage.forces
    )

    def part_rows(part: PartSpec) -> tuple[np.ndarray, np.ndarray | None]:
        numbers = derived(frame, ("numbers", part.column), lambda: _numbers(frame, part))[at]
        return numbers, _filter_mask(frame, part.filters)[at] if part.filters else None

    totals_grain = _grid_parts(
        spec, periods, reported, areas, _period_rows(periods, period), area_at[at], part_rows
    )
    per_period = _figures(totals_grain, spec, 1, population)
    totals = _figures(totals_grain, spec, roll.periods, population)
    components = None
    if plan.measure.breakdown:
        keys = ["area_code", *plan.measure.breakdown]
        kept = frame.loc[chosen].assign(period=period)
        comp_grain = _parts_wide(kept, spec, keys, periods, reported, None)
        components = _figures(comp_grain, spec, roll.periods, population)
    result = Evaluated(plan, periods, totals, per_period, components, population)
    result.coverage = coverage
    result.published = _published(plan, frame, published, periods, months_each, population)
    baseline = next((s for s in plan.steps if isinstance(s, CompareBaseline)), None)
    if baseline is not None:
        _attach_baseline(result, baseline)
    return result


def _month_span(frame: pd.DataFrame) -> tuple[int, int]:
    """Return the first and last month index of the frame's rows."""
    months = frame["period"].to_numpy(dtype="int64")
    return int(months.min()), int(months.max())


def _bucket_one(month: int, step: int) -> int:
    """Return the last month of the ``step``-month period holding ``month``, as bucket()."""
    return month if step == 1 else month + (step - 1 - month % step)


def _month_column(frame: pd.DataFrame) -> np.ndarray:
    """Return the frame's month indexes as integers, once a frame."""
    months: np.ndarray = derived(
        frame, "month column", lambda: frame["period"].to_numpy(dtype="int64")
    )
    return months


def _filter_mask(
    frame: pd.DataFrame, filters: tuple[tuple[str, tuple[object, ...]], ...]
) -> np.ndarray:
    """Return :func:`filter_mask` of the frame, worked out once for each filter a table meets."""
    mask: np.ndarray = derived(frame, ("filter", filters), lambda: filter_mask(frame, filters))
    return mask


def _numbers(frame: pd.DataFrame, part: PartSpec) -> np.ndarray:
    """Return the numbers a part sums over the frame's rows, as floats."""
    return part_values(frame, part).to_numpy(dtype="float64")


def _period_rows(periods: pd.Index, period: np.ndarray) -> np.ndarray:
    """Return where each period end is in ``periods`` (-1 where it is not).

    The grid's periods are evenly spaced, so a position is arithmetic, not a lookup.
    """
    ends = periods.to_numpy(dtype="int64")
    step = int(ends[1] - ends[0]) if len(ends) > 1 else 1
    if len(ends) and step > 0 and np.array_equal(ends, ends[0] + step * np.arange(len(ends))):
        offset = period - ends[0]
        if step == 1:  # monthly: the offset is the row
            return np.where((offset >= 0) & (offset < len(ends)), offset, -1)
        row = offset // step
        inside = (offset % step == 0) & (row >= 0) & (row < len(ends))
        return np.where(inside, row, -1)
    found: np.ndarray = periods.get_indexer(pd.Index(period))
    return found


def _published(
    plan: EvaluationPlan,
    frame: pd.DataFrame,
    codes: Sequence[str],
    periods: pd.Index,
    months_each: int,
    population: pd.DataFrame,
) -> Figures | None:
    """Evaluate the table's own rows for areas that are not forces, as it publishes them."""
    present = derived(frame, "area codes", lambda: area_codes_in(frame))
    wanted = [code for code in codes if code in present]
    if not wanted:
        return None
    keep = next(s for s in plan.steps if isinstance(s, KeepRows))
    chosen = _area_positions(frame, tuple(wanted)) >= 0
    if keep.filters:
        chosen &= _filter_mask(frame, keep.filters)
    rows = frame.loc[chosen]
    rows = rows.assign(period=bucket(rows["period"].astype("int64"), plan.step))
    roll = next(s for s in plan.steps if isinstance(s, Roll))
    # A published total is never zero-filled: only the windows the table gives count.
    reported = _reported(frame, wanted, periods, plan.step, months_each, False, frozenset())
    areas = pd.Index(wanted, name="area_code")
    grain = _parts_wide(rows, plan.aggregation, ["area_code"], periods, reported, areas)
    return _figures(grain, plan.aggregation, roll.periods, population)


def _reported(
    frame: pd.DataFrame,
    force_codes: Sequence[str],
    periods: pd.Index,
    step: int,
    months_each: int,
    complete: bool,
    covered: frozenset[str],
) -> pd.DataFrame:
    """Return periods × areas: True where the source reported the area for the whole period.

    Within a reported period, rows that the filters leave out mean zero; a period the
    source did not report for an area (or reported only some months of) stays missing,
    unless the source is complete, and then only for the areas it covers: a force's own
    extract does not make every other force's crime zero.
    """
    columns = pd.Index(force_codes, name="area_code")
    if complete:
        return pd.DataFrame(
            np.broadcast_to(columns.isin(list(covered)), (len(periods), len(columns))).copy(),
            index=periods,
            columns=columns,
        )
    # Each area's distinct months, counted in the period holding them.
    width = len(columns)
    codes = tuple(force_codes)
    distinct = derived(frame, ("reported", codes), lambda: _area_months(frame, codes))
    month = distinct // width
    if step > 1:
        month = month + (step - 1 - month % step)  # the period's last month, as bucket()
    row = periods.get_indexer(pd.Index(month))
    cells = row * width + distinct % width
    months = np.bincount(cells[row >= 0], minlength=len(periods) * width)
    return pd.DataFrame(
        months.reshape(len(periods), width) >= months_each, index=periods, columns=columns
    )


def _area_months(frame: pd.DataFrame, codes: tuple[str, ...]) -> np.ndarray:
    """Return each distinct (month, area) of the rows as ``month * len(codes) + area``."""
    area = _area_positions(frame, codes)
    inside = area >= 0
    month = frame["period"].to_numpy(dtype="int64")[inside]
    cells: np.ndarray = month * len(codes) + area[inside]
    if not len(cells):
        return cells
    low = int(cells.min())
    span = int(cells.max()) - low + 1
    if span > 4 * len(cells) + 1_000_000:
        found: np.ndarray = np.unique(cells)  # too sparse a range to count
        return found
    # The distinct cells in order, as np.unique gives them, by counting over their range.
    return np.flatnonzero(np.bincount(cells - low, minlength=span)) + low


def _parts_wide(
    kept: pd.DataFrame,
    spec: AggregationSpec,
    keys: list[str],
    periods: pd.Index,
    reported: pd.DataFrame,
    areas: pd.Index | None,
) -> dict[str, pd.DataFrame]:
    if areas is not None:
        return _area_parts(kept, spec, periods, reported, areas)
    parts: dict[str, pd.DataFrame] = {}
    for part in spec.parts:
        rows = filter_rows(kept, part.filters)
        numbers = part_values(rows, part)
        values = rows[["period", *keys]].assign(
            _value=numbers, _rows=1.0, _unknown=numbers.isna().astype("float64")
        )
        # The three sums in one grouping: their groups, hence their columns, are the same.
        summed = values.groupby(["period", *keys], observed=True, sort=False)[
            ["_value", "_rows", "_unknown"]
        ].sum(min_count=1)
        blocks = _unstacked(summed, keys, periods)
        wide = blocks["_value"].astype("float64")
        count = blocks["_rows"].fillna(0.0).astype("float64")
        unknown = blocks["_unknown"].fillna(0.0).astype("float64")
        # No row in a reported period is a zero; a row the source marks missing ('..')
        # makes the period's total unknown, never a zero or a partial sum.
        filled = wide.fillna(0.0).mask(unknown.reindex_like(wide).fillna(0.0) > 0)
        parts[part.name] = filled.where(_spread(reported, wide))
        parts["_rows"] = count  # the last part: the denominator of a proportion
    return parts


def _unstacked(summed: pd.DataFrame, keys: list[str], periods: pd.Index) -> dict[str, pd.DataFrame]:
    """Spread each summed column into a periods × keys table, unstacking them all at once."""
    if summed.empty:
        # No group: unstacking the whole table would leave no column to name the sums by.
        return {
            str(name): _table(summed[name].unstack(keys)).reindex(periods)
            for name in summed.columns
        }
    spread_out = _table(summed.unstack(keys)).reindex(periods)
    return {str(name): _table(spread_out[name]) for name in summed.columns}


def _table(table: pd.DataFrame | pd.Series) -> pd.DataFrame:
    """Return the unstacked table (the keys' columns), checked to be one."""
    assert isinstance(table, pd.DataFrame)
    return table


def _area_parts(
    kept: pd.DataFrame,
    spec: AggregationSpec,
    periods: pd.Index,
    reported: pd.DataFrame,
    areas: pd.Index,
    column: np.ndarray | None = None,
) -> dict[str, pd.DataFrame]:
    """Sum each part by period and area into periods × areas tables, as :func:`_parts_wide`.

    The cells are counted straight into a grid: no row means zero in a reported period, a
    row the source marks missing makes the cell unknown, an unreported period stays NaN.
    ``column`` is where each row's area is in ``areas``, when the caller knows it already.
    """
    row = _period_rows(periods, kept["period"].to_numpy(dtype="int64"))
    if column is None:
        column = positions(kept["area_code"], areas)

    def part_rows(part: PartSpec) -> tuple[np.ndarray, np.ndarray | None]:
        numbers = part_values(kept, part).to_numpy(dtype="float64")
        return numbers, filter_mask(kept, part.filters) if part.filters else None

    return _grid_parts(spec, periods, reported, areas, row, column, part_rows)


def _grid_parts(
    spec: AggregationSpec,
    periods: pd.Index,
    reported: pd.DataFrame,
    areas: pd.Index,
    row: np.ndarray,
    column: np.ndarray,
    part_rows: Callable[[PartSpec], tuple[np.ndarray, np.ndarray | None]],
) -> dict[str, pd.DataFrame]:
    """Count each part's rows into periods × areas grids, as :func:`_area_parts` describes.

    ``row`` and ``column`` are where each row falls in ``periods`` and ``areas`` (-1 outside);
    ``part_rows`` gives a part's number for each row and which rows its filters keep.
    """
    shape = (len(periods), len(areas))
    size = shape[0] * shape[1]
    # Each row's cell, or one past the grid's end for a row outside it (counted, then dropped).
    cell = np.where((row >= 0) & (column >= 0), row * shape[1] + column, size)
    if reported.index.equals(periods) and reported.columns.equals(areas):
        unreported = ~reported.to_numpy(dtype=bool)  # already the grid's shape
    else:
        like = pd.DataFrame(index=periods, columns=areas)
        unreported = ~_spread(reported, like).to_numpy(dtype=bool)
    grids: list[tuple[str, pd.DataFrame]] = []
    at = cell
    for part in spec.parts:
        numbers, kept_by_part = part_rows(part)
        at = cell if kept_by_part is None else np.where(kept_by_part, cell, size)
        # A row the source marks missing (NaN) makes its cell's sum NaN: the cell is unknown.
        total = np.bincount(at, weights=numbers, minlength=size + 1)[:size]
        # An empty selection counts as integers: the grid must hold NaN.
        total = total.reshape(shape).astype("float64")
        total[unreported] = np.nan
        grids.append((part.name, pd.DataFrame(total, index=periods, columns=areas)))
    # The rows of the last part: the denominator of a proportion.
    count = np.bincount(at, minlength=size + 1)[:size].reshape(shape).astype("float64")
    rows = pd.DataFrame(count, index=periods, columns=areas)
    if not grids:
        return {}
    # In the order the parts were always given: the first, its rows, then the others.
    return dict([grids[0], ("_rows", rows), *grids[1:]])


def _spread(reported: pd.DataFrame, like: pd.DataFrame) -> pd.DataFrame:
    """Align the areas' reported mask to ``like``'s columns (areas, or areas × components)."""
    codes = (
        like.columns.get_level_values(0)
        if isinstance(like.columns, pd.MultiIndex)
        else like.columns
    )
    mask = reported.reindex(index=like.index, columns=codes, fill_value=False)
    mask.columns = like.columns
    return mask


def _figures(
    grain: dict[str, pd.DataFrame],
    spec: AggregationSpec,
    periods: int,
    population: pd.DataFrame | None,
) -> Figures:
    rolled: dict[str, pd.DataFrame] = {}
    missing: pd.DataFrame | None = None
    for name, wide in grain.items():
        if name == "_rows":
            continue
        windowed = rolling(wide, periods)
        rolled[name] = windowed.totals
        if missing is None:
            missing = windowed.missing
        elif not missing.columns.equals(windowed.missing.columns):
            # Parts over different keys (a component only one part has): align them.
            missing = missing.combine(windowed.missing, np.maximum)
        else:
            gaps = np.maximum(missing.to_numpy(), windowed.missing.to_numpy())
            missing = pd.DataFrame(gaps, index=missing.index, columns=missing.columns)
    pop = None
    if population is not None:
        first = next(iter(rolled.values()))
        pop = _align_population(population, first)
    figure = spec.combine(rolled, pop)
    # Rows are counted only for windows that have a figure, as `measures trace` lists them.
    counted = grain["_rows"]
    summed = rolling_sum(counted.to_numpy(dtype="float64"), periods)
    summed[figure.reindex_like(counted).isna().to_numpy()] = np.nan
    rows = pd.DataFrame(summed, index=counted.index, columns=counted.columns)
    assert missing is not None
    return Figures(rolled, figure, missing, rows)


def _align_population(population: pd.DataFrame, like: pd.DataFrame) -> pd.DataFrame:
    """Spread areas × periods population over ``like``'s columns (which may add components)."""
    at = population.index.get_indexer(like.index)
    values = population.to_numpy(dtype="float64")[at] if len(at) and (at >= 0).all() else None
    if values is not None and not np.isnan(values).any():
        # Every period is in the table and has a figure: nothing to fill, so take the rows.
        codes = (
            like.columns.get_level_values(0)
            if isinstance(like.columns, pd.MultiIndex)
            else like.columns
        )
        where = population.columns.get_indexer(codes)
        taken = values[:, where]
        taken[:, where < 0] = np.nan
        return pd.DataFrame(taken, index=like.index, columns=like.columns)
    pop = population.reindex(like.index).ffill().bfill()
    if isinstance(like.columns, pd.MultiIndex):
        codes = like.columns.get_level_values(0)
        aligned = pop.reindex(columns=codes)
        aligned.columns = like.columns
        return aligned
    return pop.reindex(columns=like.columns)


def _attach_baseline(result: Evaluated, baseline: CompareBaseline) -> None:
    ends = window_ends_in(baseline.first, baseline.last, baseline.window_months, result.plan.step)
    index = pd.Index(ends, name="period")
    spec = result.plan.aggregation
    for name, wide in result.totals.parts.items():
        # skipna=False: a baseline window with a gap gives no baseline rather than a short one.
        result.baseline_parts[name] = wide.reindex(index).mean(skipna=False)
    last_pop = _align_population(result.population, result.totals.figure).reindex(index[-1:])
    frames = {name: series.to_frame().T for name, series in result.baseline_parts.items()}
    for frame in frames.values():
        frame.index = last_pop.index
    result.baseline = spec.combine(frames, last_pop).iloc[0]
    result.baseline_population = last_pop.iloc[0] if len(last_pop) else None
    if result.components is not None:
        comp_parts = {
            name: wide.reindex(index).mean(skipna=False).to_frame().T
            for name, wide in result.components.parts.items()
        }
        for frame in comp_parts.values():
            frame.index = last_pop.index
        comp_pop = None
        if spec.uses_population:
            comp_pop = _align_population(result.population, result.components.figure).reindex(
                index[-1:]
            )
        result.component_baseline = spec.combine(comp_parts, comp_pop).iloc[0]
