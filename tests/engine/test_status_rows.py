"""The status's column-wise steps give what judging each row by itself gives.

The plain "not comparable" rules, the whole counts a test reads, the sums of a history's
counts and the Wilson intervals are worked out for whole columns at once; each is checked
here against the rule stated for one row at a time.
"""

from __future__ import annotations

import math
from typing import Any, cast

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framework.engine import status, status_typical
from framework.engine.status_columns import (
    add_wilson_columns,
    column_numbers,
    count_pairs,
    plain_reasons,
    proportion_parts,
)
from framework.engine.status_series import AreaSeries
from framework.stats.proportions import wilson_interval
from framework.stats.verdict import judge

# Figures as the rows carry them: missing, infinite, negative, fractional, near-whole, large.
FIGURES = st.one_of(
    st.none(),
    st.sampled_from([math.nan, math.inf, -math.inf, -1.0, 0.0, 0.5, 2.0000001, 1e17]),
    st.integers(-3, 60).map(float),
    st.floats(-10, 1e6, allow_nan=False),
)


def _number(value: object) -> float | None:
    """Return the row's figure as the judging reads it: None when missing or not finite."""
    if value is None or value is pd.NA:
        return None
    try:
        number = float(cast(Any, value))
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _is_count(value: float | None) -> bool:
    return (
        value is not None
        and math.isfinite(value)
        and value >= 0
        and abs(value - round(value)) < 1e-6
    )


def _plain_reason(
    method: str, last: int | None, period: int, value: object, base: object, change: object
) -> str | None:
    """Return the row's reason by the plain rules (the first that applies), None for a test."""
    if method == "none":
        return "The measure asks for no status."
    if _number(value) is None:
        return "No figure for this window."
    if last is None:
        return "No baseline to compare with."
    if period < last:
        return "The window ends before the baseline, so it is not compared."
    if _number(base) is None or _number(change) is None:
        return "No baseline figure for this force."
    return None


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["none", "quasi_poisson", "exact_poisson", "two_proportion", "spc"]),
    st.none() | st.integers(0, 20),
    st.lists(st.tuples(st.integers(0, 30), FIGURES, FIGURES, FIGURES), max_size=25),
    st.booleans(),
)
def test_the_plain_reasons_of_a_column_are_each_rows(
    method: str,
    last: int | None,
    rows: list[tuple[int, float | None, float | None, float | None]],
    as_objects: bool,
) -> None:
    # A figure column is float (missing as NaN), or objects (None, numbers, words).
    def column(values: list[object]) -> pd.Series:
        if as_objects:
            mixed = [("x" if i % 5 == 4 else v) for i, v in enumerate(values)]
            return pd.Series(mixed, dtype=object)
        return pd.Series([math.nan if v is None else v for v in values], dtype="float64")

    table = pd.DataFrame(
        {
            "period": pd.Series([r[0] for r in rows], dtype="int64"),
            "value": column([r[1] for r in rows]),
            "baseline": column([r[2] for r in rows]),
            "change": column([r[3] for r in rows]),
        }
    )
    at = np.arange(len(rows), dtype=np.intp)[::-1]  # any order of positions
    value, base, change = (
        column_numbers(table, name, at) for name in ("value", "baseline", "change")
    )
    periods = table["period"].to_numpy(dtype="int64")[at]
    reasons = plain_reasons(method, last, periods, value, base, change)
    for got, i in zip(reasons.tolist(), at.tolist(), strict=True):
        row = table.iloc[i]
        expected = _plain_reason(
            method, last, int(row["period"]), row["value"], row["baseline"], row["change"]
        )
        assert got == expected
    # A tested row's figures are the numbers the row holds.
    for j, i in enumerate(at.tolist()):
        if reasons[j] is None:
            assert value[j] == _number(table["value"].iloc[i])
            assert change[j] == _number(table["change"].iloc[i])


def test_a_missing_column_reads_as_no_figure() -> None:
    table = pd.DataFrame({"period": [1, 2], "value": [3.0, 4.0]})
    at = np.array([0, 1], dtype=np.intp)
    assert np.isnan(column_numbers(table, "baseline", at)).all()
    nullable = pd.DataFrame({"value": pd.array([1, None, 3], dtype="Int64")})
    numbers = column_numbers(nullable, "value", np.array([2, 1, 0], dtype=np.intp))
    np.testing.assert_array_equal(numbers, [3.0, np.nan, 1.0])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(FIGURES, FIGURES), max_size=25), st.integers(1, 12))
def test_the_count_pairs_are_each_rows_whole_counts(
    rows: list[tuple[float | None, float | None]], windows: int
) -> None:
    values = np.array([math.nan if v is None else v for v, _ in rows], dtype=np.float64)
    bases = np.array([math.nan if b is None else b for _, b in rows], dtype=np.float64)
    pairs = count_pairs(values, bases * windows)
    for (value, base), pair in zip(rows, pairs, strict=True):
        total = None if base is None else base * windows
        if _is_count(value) and _is_count(total):
            assert value is not None and total is not None
            assert pair == (round(value), round(total))
            assert all(type(v) is int for v in pair)
        else:
            assert pair is None


class _Parts:
    """A context's baseline parts, by area: what :func:`proportion_parts` reads."""

    def __init__(self, windows: int, parts: dict[str, dict[str, object]]) -> None:
        self.windows = windows
        self.parts = parts

    def part(self, name: str, code: str) -> object:
        return self.parts.get(name, {}).get(code)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from("ABC"), FIGURES, FIGURES), max_size=20),
    st.dictionaries(st.sampled_from("ABC"), st.tuples(FIGURES, FIGURES)),
    st.integers(1, 4),
)
def test_the_proportion_parts_are_each_rows_whole_counts(
    rows: list[tuple[str, float | None, float | None]],
    baseline: dict[str, tuple[float | None, float | None]],
    windows: int,
) -> None:
    table = pd.DataFrame(
        {
            "numerator": pd.Series([r[1] for r in rows], dtype=object),
            "denominator": pd.Series([r[2] for r in rows], dtype="float64"),
        }
    )
    context = _Parts(
        windows,
        {
            "numerator": {code: x for code, (x, _) in baseline.items()},
            "denominator": {code: n for code, (_, n) in baseline.items()},
        },
    )
    at = np.arange(len(rows), dtype=np.intp)
    codes = [code for code, _, _ in rows]
    found = proportion_parts(table, at, codes, context)
    for (code, x1, n1), parts in zip(rows, found, strict=True):
        x2, n2 = (_number(context.part(name, code)) for name in ("numerator", "denominator"))
        four = [
            _number(x1),
            _number(n1),
            None if x2 is None else x2 * windows,
            None if n2 is None else n2 * windows,
        ]
        if all(_is_count(v) for v in four):
            assert parts == tuple(round(cast(float, v)) for v in four)
        else:
            assert parts is None


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.none() | st.integers(-5, 500) | st.floats(-5, 500), min_size=1, max_size=30),
    st.lists(st.tuples(st.integers(-3, 35), st.integers(0, 30), st.integers(0, 30)), max_size=6),
)
def test_a_runs_sums_are_its_slices_sums(
    values: list[float | None], asks: list[tuple[int, int, int]]
) -> None:
    numbers = np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)
    series = AreaSeries("E23000017", np.arange(len(values), dtype=np.int64) * 3, numbers)
    for last, a, b in asks:
        run = series.run(last)
        # A run knows where it lies in the whole series.
        assert run.whole is series
        np.testing.assert_array_equal(series.values[run.start : run.start + len(run)], run.values)
        start, stop = sorted((min(a, len(run)), min(b, len(run))))
        counts = np.clip(run.values, 0, None)
        expected = (
            float(counts[start:stop].sum()),
            float(counts[:start].sum()),
            float(counts[stop:].sum()),
            float(np.concatenate((counts[:start], counts[stop:])).sum()),
        )
        got = status_typical._sums(run, start, stop)
        if series.running_totals() is None:
            assert got == expected  # summed as before
        else:
            assert got == pytest.approx(expected, rel=0, abs=0)  # exact: whole counts


def test_running_totals_are_kept_only_for_whole_counts() -> None:
    labels = np.arange(4, dtype=np.int64)
    whole = AreaSeries("a", labels, np.array([1.0, np.nan, -2.0, 4.0]))
    assert whole.running_totals() == [0.0, 1.0, 1.0, 1.0, 5.0]
    assert AreaSeries("a", labels, np.array([1.0, 0.5, 2.0, 3.0])).running_totals() is None
    assert AreaSeries("a", labels, np.array([1.0, np.inf, 2.0, 3.0])).running_totals() is None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(FIGURES, FIGURES), max_size=30))
def test_the_wilson_columns_are_each_rows_interval(
    rows: list[tuple[float | None, float | None]],
) -> None:
    frame = pd.DataFrame(
        {
            "numerator": [math.nan if x is None else x for x, _ in rows],
            "denominator": [math.nan if n is None else n for _, n in rows],
        },
        dtype="float64",
    )
    add_wilson_columns(frame)
    for (x, n), low, high in zip(rows, frame["ci_low"], frame["ci_high"], strict=True):
        if _is_count(x) and _is_count(n) and cast(float, x) <= cast(float, n):
            interval = wilson_interval(round(cast(float, x)), round(cast(float, n)))
            assert (low, high) == (interval.low * 100, interval.high * 100)
        else:
            assert math.isnan(low) and math.isnan(high)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(-50, 50, allow_nan=False) | st.just(0.0),
            st.sampled_from([0.0004, 0.01, 0.049, 0.05, 0.2, 1.0, math.nan]),
            st.sampled_from(["quasi-Poisson test", "exact Poisson test"]),
            st.sampled_from(["", "dispersion 3.2 from 40 periods"]),
        ),
        max_size=20,
    ),
    st.sampled_from(["lower_is_better", "higher_is_better", "neutral"]),
)
def test_a_verdict_worked_out_once_is_judges(
    asks: list[tuple[float, float, str, str]], improvement: str
) -> None:
    context = cast(Any, status._Context.__new__(status._Context))
    context.improvement = improvement
    context._verdicts = {}
    for change, p_value, words, note in asks:
        expected = judge(change, p_value, cast(Any, improvement), words, note)
        assert context.verdict(change, p_value, words, note) == expected
