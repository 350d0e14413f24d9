"""Decide the status columns' plain rules for whole columns, and write the columns.

A window's :class:`Judgement` is its row's status columns (:data:`STATUS_COLUMNS`). Here
are the column-wise steps around the judging: a column's figures as numbers, the plain
"not comparable" rules for every row at once, the whole counts a count test or a test of
proportions reads, the writing of the judgements into the columns, and the Wilson
intervals of a proportion's rows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final, Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd

from framework.stats.proportions import wilson_interval
from framework.stats.verdict import SIGNIFICANCE, Status

STATUS_COLUMNS: Final = (
    "status", "status_method", "status_reason", "status_p_value", "status_dispersion",
    "baseline_typical", "baseline_unusual",
)  # fmt: skip
TEST_WORDS: Final = {
    "quasi_poisson": "quasi-Poisson test",
    "exact_poisson": "exact Poisson test",
    "two_proportion_z": "two-proportion test",
    "fisher_exact": "Fisher's exact test",
}


@dataclass
class Judgement:
    """One window's status and what it rests on."""

    status: Status
    reason: str
    method: str | None = None
    p_value: float = math.nan
    dispersion: float = math.nan
    ci_low: float = math.nan
    ci_high: float = math.nan
    typical: float = math.nan
    unusual: str | None = None


class BaselineParts(Protocol):
    """What :func:`proportion_parts` reads of a measure: the baseline's windows and parts."""

    windows: int
    """How many windows the baseline spans."""

    def part(self, name: str, code: str) -> object:
        """Return the area's baseline figure of a proportion's part, None when there is none."""
        ...


def count_pairs(
    values: npt.NDArray[np.float64], bases: npt.NDArray[np.float64]
) -> list[tuple[int, int] | None]:
    """Return each window's count and its baseline's, None where either is not a whole count."""
    whole = (are_counts(values) & are_counts(bases)).tolist()
    return [
        (round(value), round(base)) if ok else None
        for ok, value, base in zip(whole, values.tolist(), bases.tolist(), strict=True)
    ]


def proportion_parts(
    table: pd.DataFrame, at: npt.NDArray[np.intp], codes: list[str], context: BaselineParts
) -> list[tuple[int, int, int, int] | None]:
    """Return each window's numerator and denominator and the baseline's, as whole counts.

    The baseline's are the area's baseline parts over all the baseline's windows; None where
    any of the four is not a whole count.
    """
    x1, n1 = column_numbers(table, "numerator", at), column_numbers(table, "denominator", at)
    # The baseline's parts, once per area.
    known: dict[str, tuple[float, float]] = {}
    for code in dict.fromkeys(codes):
        x, n = (
            as_number(context.part("numerator", code)),
            as_number(context.part("denominator", code)),
        )
        known[code] = (
            math.nan if x is None else x * context.windows,
            math.nan if n is None else n * context.windows,
        )
    base = np.array([known[code] for code in codes], dtype=np.float64).reshape(-1, 2)
    x2, n2 = base[:, 0], base[:, 1]
    whole = (are_counts(x1) & are_counts(n1) & are_counts(x2) & are_counts(n2)).tolist()
    return [
        (round(a), round(b), round(c), round(d)) if ok else None
        for ok, a, b, c, d in zip(
            whole, x1.tolist(), n1.tolist(), x2.tolist(), n2.tolist(), strict=True
        )
    ]


def column_numbers(
    table: pd.DataFrame, name: str, at: npt.NDArray[np.intp]
) -> npt.NDArray[np.float64]:
    """Return a column's values at ``at`` as floats, NaN where :func:`as_number` finds none."""
    if name not in table.columns:
        return np.full(len(at), np.nan)
    column = table[name]
    if pd.api.types.is_float_dtype(column.dtype) or pd.api.types.is_integer_dtype(column.dtype):
        numbers = column.to_numpy(dtype="float64", na_value=np.nan)[at]
        return np.where(np.isfinite(numbers), numbers, np.nan)
    # Objects, booleans, strings: each value as the rows' judging reads it.
    found = (as_number(v) for v in column.to_numpy(dtype=object)[at].tolist())
    return np.array([np.nan if v is None else v for v in found], dtype=np.float64)


def plain_reasons(
    method: str,
    last: int | None,
    periods: npt.NDArray[np.int64],
    value: npt.NDArray[np.float64],
    baseline: npt.NDArray[np.float64],
    change: npt.NDArray[np.float64],
) -> npt.NDArray[np.object_]:
    """Return each row's reason for "not comparable" by the plain rules, None where a test decides.

    ``method`` is the measure's status method and ``last`` its baseline's last period (None
    without a baseline). The rules, the first that applies: the measure asks for no status;
    no figure (NaN); no baseline; the window ends before the baseline; no baseline figure
    or no change (NaN).
    """
    reasons = np.full(len(periods), None, dtype=object)
    if method == "none":
        reasons[:] = "The measure asks for no status."
        return reasons
    open_ = ~np.isnan(value)
    reasons[~open_] = "No figure for this window."
    if last is None:
        reasons[open_] = "No baseline to compare with."
        return reasons
    early = open_ & (periods < last)
    reasons[early] = "The window ends before the baseline, so it is not compared."
    open_ &= ~early
    reasons[open_ & (np.isnan(baseline) | np.isnan(change))] = "No baseline figure for this force."
    return reasons


def write_columns(
    rows: pd.DataFrame, positions: npt.NDArray[np.intp], items: list[Judgement]
) -> None:
    """Set the status columns: the judgements at row ``positions``, the other rows empty."""

    def spread(values: list[object], dtype: str) -> npt.NDArray[Any]:
        # As a column reindexed from the judged rows: NaN where no row was judged.
        out = np.full(len(rows), np.nan, dtype=dtype)
        if len(positions):
            out[positions] = np.array(values, dtype=dtype)
        return out

    def words(values: list[object]) -> pd.Series:
        # Words stay plain objects (a bare array of strings would become a string column).
        return pd.Series(spread(values, "object"), index=rows.index, dtype="object", copy=False)

    rows["status"] = words([j.status for j in items])
    rows["status_method"] = words([j.method for j in items])
    rows["status_reason"] = words([j.reason for j in items])
    p_values = spread([j.p_value for j in items], "float64")
    rows["status_p_value"] = p_values
    rows["status_dispersion"] = spread([j.dispersion for j in items], "float64")
    rows["baseline_typical"] = spread([j.typical for j in items], "float64")
    rows["baseline_unusual"] = words([j.unusual for j in items])
    # The change columns carry the status's own test, so no second verdict can disagree.
    tested = np.zeros(len(rows), dtype=bool)
    if len(positions):
        tested[positions] = [j.method in TEST_WORDS for j in items]
    rows["change_p_value"] = np.where(tested, p_values, np.nan)
    rows["change_significant"] = pd.arrays.BooleanArray(p_values < SIGNIFICANCE, ~tested)
    rows["change_pct_ci_low"] = spread([j.ci_low for j in items], "float64")
    rows["change_pct_ci_high"] = spread([j.ci_high for j in items], "float64")


def add_wilson_columns(rows: pd.DataFrame) -> None:
    """Add Wilson 95% intervals, in per cent, to rows with whole numerators and denominators."""
    low = np.full(len(rows), np.nan)
    high = np.full(len(rows), np.nan)
    if {"numerator", "denominator"} <= set(rows.columns):
        x = rows["numerator"].to_numpy(dtype="float64", na_value=np.nan)
        n = rows["denominator"].to_numpy(dtype="float64", na_value=np.nan)
        with np.errstate(invalid="ignore"):
            whole = are_counts(x) & are_counts(n) & (x <= n)
        at = np.flatnonzero(whole)
        # Each distinct (x, n) once: the windows' parts repeat across a run's rows.
        pairs, inverse = np.unique(
            np.stack((np.rint(x[at]), np.rint(n[at])), axis=1).astype(np.int64),
            axis=0,
            return_inverse=True,
        )
        found = np.array(
            [wilson_percent(a, b) for a, b in pairs.tolist()], dtype=np.float64
        ).reshape(-1, 2)
        low[at] = found[inverse.reshape(-1), 0]
        high[at] = found[inverse.reshape(-1), 1]
    rows["ci_low"] = low
    rows["ci_high"] = high


@lru_cache(maxsize=1 << 16)
def wilson_percent(x: int, n: int) -> tuple[float, float]:
    """Return the Wilson 95% interval of ``x`` of ``n``, in per cent."""
    # Every force's run repeats the same windows' intervals: each is worked out once.
    interval = wilson_interval(x, n)
    return interval.low * 100, interval.high * 100


def are_counts(values: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
    """Return whether each value is a whole count: finite, at least 0, within 1e-6 of a whole."""
    with np.errstate(invalid="ignore"):
        return np.isfinite(values) & (values >= 0) & (np.abs(values - np.rint(values)) < 1e-6)


def as_number(value: object) -> float | None:
    """Return a row's figure as a float, None when it is missing, not a number or not finite."""
    if value is None or value is pd.NA:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None
