"""Turn input frames into JSON-safe inline records: ISO dates, gaps made explicit, NaN as null."""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

import numpy as np
import pandas as pd

Record = dict[str, Any]

Inputs = TypeVar("Inputs")
Built = TypeVar("Built")


def once_per_inputs(build: Callable[[Inputs], Built]) -> Callable[[Inputs], Built]:
    """Return ``build`` made to run once per inputs object, its result kept while they live.

    A chart and the words and table that tell it (:mod:`renderers.chart_text`) are made
    from the same rows: this builds those rows once for both. Chart inputs are frozen and
    compared by identity, and the renderers never change their frames, so what was built
    from an inputs object stays right for it; callers only read what they are given.
    """
    kept: WeakKeyDictionary[Any, Built] = WeakKeyDictionary()

    @functools.wraps(build)
    def once(inputs: Inputs) -> Built:
        try:
            return kept[inputs]
        except KeyError:
            built = kept[inputs] = build(inputs)
            return built

    return once


def parse_dates(column: pd.Series) -> pd.Series:
    """Return ``column`` as timestamps, raising ``ValueError`` on anything not a date."""
    if column.dtype.kind == "M":  # already parsed (a frame filled by group, say)
        if column.isna().any():
            raise ValueError("period_end has blank dates; a period without a figure needs its date")
        return column
    try:
        dates = pd.to_datetime(column, format="ISO8601")
    except (TypeError, ValueError) as error:
        raise ValueError(f"period_end must hold ISO dates 'YYYY-MM-DD': {error}") from error
    if dates.isna().any():
        raise ValueError("period_end has blank dates; a period without a figure needs its date")
    return dates


def iso(day: pd.Timestamp) -> str:
    """Return a timestamp as ``'YYYY-MM-DD'``."""
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


def day_label(day: pd.Timestamp) -> str:
    """Return a date as readers write it, e.g. ``'30 Jun 2019'``."""
    return f"{day.day} {day.strftime('%b %Y')}"


def quarter_label(day: pd.Timestamp) -> str:
    """Return the three months that end on ``day``'s month, e.g. ``'Jan–Mar 2023'``."""
    start = day - pd.DateOffset(months=2)
    return f"{start.strftime('%b')}–{day.strftime('%b %Y')}"


def month_end(month_index: int) -> pd.Timestamp:
    """Return the last day of the month ``year * 12 + month - 1``."""
    year, month0 = divmod(month_index, 12)
    return pd.Timestamp(year=year, month=month0 + 1, day=1) + pd.offsets.MonthEnd(0)


def month_index(day: pd.Timestamp) -> int:
    """Return ``year * 12 + month - 1``, the position of ``day``'s month on a month line."""
    return day.year * 12 + day.month - 1


def month_start(day: pd.Timestamp) -> pd.Timestamp:
    """Return the first day of ``day``'s month: where the chart plots the period."""
    return pd.Timestamp(year=day.year, month=day.month, day=1)


def span_months(days: Iterable[pd.Timestamp]) -> int:
    """Return the months between the first and last of ``days`` (0 for none or one)."""
    months = [month_index(d) for d in days]
    return max(months) - min(months) if months else 0


def month_step(dates: Iterable[pd.Timestamp]) -> int | None:
    """Return the smallest gap in months between distinct dates: 1 monthly, 3 quarterly.

    ``None`` when there are fewer than two distinct months to tell it from.
    """
    return _smallest_step([month_index(d) for d in dates])


def _smallest_step(months: Iterable[int]) -> int | None:
    """Return the smallest gap between distinct month indexes, ``None`` for fewer than two."""
    months = sorted(set(months))
    steps = [b - a for a, b in itertools.pairwise(months)]
    return min(steps) if steps else None


def _month_indexes(dates: pd.Series) -> list[int]:
    """Return :func:`month_index` of each timestamp of ``dates``, computed a column at a time."""
    if not isinstance(dates.dtype, np.dtype):  # timestamps with a time zone: one at a time
        return [month_index(d) for d in dates]
    months = dates.to_numpy().astype("datetime64[M]").astype("int64") + 1970 * 12
    indexes: list[int] = months.tolist()
    return indexes


def fill_gaps(frame: pd.DataFrame, by: str | None = None, step: int | None = None) -> pd.DataFrame:
    """Return ``frame`` sorted by date with a NaN row for each period missing between its rows.

    ``step`` is the months between periods; when ``None`` it is :func:`month_step` of all the
    frame's dates. A wider gap gets blank rows so a line breaks there rather than joining the
    points either side. ``period_end`` comes back as timestamps. With ``by``, each group is
    filled on its own, at the step of the whole frame (so a group of two points a quarter
    apart in a monthly frame still shows its gap).
    """
    frame = frame.copy()
    frame["period_end"] = parse_dates(frame["period_end"])
    if step is None:
        step = _smallest_step(_month_indexes(frame["period_end"]))
    if by is not None:
        parts = [
            fill_gaps(part, None, step).assign(**{by: key})
            for key, part in frame.groupby(by, sort=False)
        ]
        return pd.concat(parts, ignore_index=True) if parts else frame
    frame = frame.sort_values("period_end", kind="stable").reset_index(drop=True)
    if step is None or step < 1:
        return frame
    months = _month_indexes(frame["period_end"])
    present = set(months)
    blanks = [
        month_end(m)
        for a, b in itertools.pairwise(months)
        for m in range(a + step, b, step)
        if m not in present
    ]
    if not blanks:
        return frame
    extra = pd.DataFrame({"period_end": blanks})
    return (
        pd.concat([frame, extra], ignore_index=True)
        .sort_values("period_end", kind="stable")
        .reset_index(drop=True)
    )


def clean(value: Any) -> Any:
    """Return ``value`` as a plain JSON value: NaN, NA and infinities become ``None``."""
    kind = type(value)
    if kind is str or kind is int:  # the common cases first: a chart has thousands of values
        return value
    if kind is float:
        return value if math.isfinite(value) else None
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return iso(value)
    if isinstance(value, bool):
        return value
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, int | str | bool):
        return value
    return str(value)


def column_values(values: pd.Series) -> list[Any]:
    """Return a column's values made JSON-safe, as :func:`clean` makes each."""
    if isinstance(values.dtype, np.dtype) and values.dtype.kind in "fiub":
        # numpy numbers: ``tolist`` gives Python's own, as iterating would one at a time
        return [clean(v) for v in values.to_numpy().tolist()]
    return [clean(v) for v in values]


def records(frame: pd.DataFrame, columns: Sequence[str]) -> list[Record]:
    """Return the rows of ``frame`` as dicts of the given columns, JSON-safe."""
    present = [c for c in columns if c in frame.columns]
    if not present:
        return [{} for _ in range(len(frame))]
    cleaned = [column_values(frame[c]) for c in present]
    return [dict(zip(present, row, strict=True)) for row in zip(*cleaned, strict=True)]


def finite(values: Iterable[Any]) -> list[float]:
    """Return the finite numbers among ``values``, dropping None and NaN."""
    out: list[float] = []
    for v in values:
        v = clean(v)
        if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v):
            out.append(float(v))
    return out
