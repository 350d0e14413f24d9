"""Counting rows into periods × areas grids, and what is found once per frame, by property."""

from __future__ import annotations

import math
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from framework.engine.evaluate import _area_months, _grid_parts, _period_rows, filter_mask
from framework.sources.frame import area_codes_in

CODES = ("A", "B", "C")
NAMES = st.sampled_from(["A", "B", "C", "X"])  # X: an area that is not among the codes


@given(
    st.lists(st.tuples(st.integers(0, 40), NAMES), max_size=60),
    st.sampled_from([1, 10**7]),  # the second spreads the months too far apart to count
)
def test_area_months_are_the_distinct_cells_in_order(
    rows: list[tuple[int, str]], spread: int
) -> None:
    frame = pd.DataFrame(
        {
            "period": pd.array([month * spread for month, _ in rows], dtype="int64"),
            "area_code": pd.Categorical(
                [area for _, area in rows], categories=["X", "C", "A", "B"]
            ),
        }
    )
    where = {code: i for i, code in enumerate(CODES)}
    expected = sorted({month * spread * len(CODES) + where[a] for month, a in rows if a in where})
    assert _area_months(frame, CODES).tolist() == expected


@given(st.lists(st.one_of(st.none(), NAMES), max_size=30), st.booleans())
def test_area_codes_in_are_the_codes_some_row_has(
    values: list[str | None], categorical: bool
) -> None:
    column = (
        pd.Categorical(values, categories=["X", "C", "A", "B", "unused"])
        if categorical
        else pd.array(values, dtype="string")
    )
    frame = pd.DataFrame({"area_code": column})
    assert area_codes_in(frame) == {value for value in values if value is not None}


@given(
    st.lists(st.one_of(st.none(), NAMES), max_size=30),
    st.sets(st.sampled_from(["A", "B", "X", "Z"])),
)
def test_a_filter_on_categories_keeps_the_rows_a_text_filter_keeps(
    values: list[str | None], wanted: set[str]
) -> None:
    filters = (("area_code", tuple(sorted(wanted))),)
    as_text = pd.DataFrame({"area_code": pd.array(values, dtype="string")})
    as_categories = pd.DataFrame({"area_code": pd.Categorical(values)})
    expected = [value is not None and value in wanted for value in values]
    assert filter_mask(as_text, filters).tolist() == expected
    assert filter_mask(as_categories, filters).tolist() == expected


@given(st.lists(st.integers(-5, 30), max_size=30), st.sampled_from([1, 3]), st.integers(0, 6))
def test_period_rows_find_each_period_end(ends: list[int], step: int, count: int) -> None:
    periods = pd.Index([2 + step * i for i in range(count)])
    found = _period_rows(periods, np.array(ends, dtype=np.int64)).tolist()
    listed = periods.tolist()
    assert found == [listed.index(end) if end in listed else -1 for end in ends]


ROW = st.tuples(
    st.integers(-1, 3),  # the row's period (-1: outside the grid)
    st.integers(-1, 2),  # its area
    st.one_of(st.floats(0, 50, allow_nan=False), st.just(math.nan)),
    st.booleans(),  # whether the numerator's filter keeps it
)


@given(st.lists(ROW, max_size=40), st.lists(st.booleans(), min_size=12, max_size=12))
def test_grid_cells_sum_their_rows_and_a_missing_value_makes_a_cell_unknown(
    rows: list[tuple[int, int, float, bool]], reported: list[bool]
) -> None:
    periods, areas = pd.Index([0, 1, 2, 3]), pd.Index(["A", "B", "C"])
    grid = pd.DataFrame(np.array(reported).reshape(4, 3), index=periods, columns=areas)
    numbers = np.array([number for _, _, number, _ in rows], dtype=np.float64)
    kept = np.array([keep for _, _, _, keep in rows], dtype=bool)
    spec: Any = SimpleNamespace(
        parts=[SimpleNamespace(name="numerator"), SimpleNamespace(name="denominator")]
    )

    def part_rows(part: Any) -> tuple[np.ndarray, np.ndarray | None]:
        return numbers, kept if part.name == "numerator" else None

    parts = _grid_parts(
        spec, periods, grid, areas,
        np.array([r for r, _, _, _ in rows], dtype=np.int64),
        np.array([a for _, a, _, _ in rows], dtype=np.int64),
        part_rows,
    )  # fmt: skip
    assert list(parts) == ["numerator", "_rows", "denominator"]
    for name, only_kept in (("numerator", True), ("denominator", False)):
        for r in range(4):
            for a in range(3):
                mine = [n for rr, aa, n, keep in rows
                        if (rr, aa) == (r, a) and (keep or not only_kept)]  # fmt: skip
                got = float(parts[name].to_numpy()[r, a])
                if not reported[r * 3 + a] or any(math.isnan(n) for n in mine):
                    assert math.isnan(got)
                else:
                    assert got == math.fsum(mine) or math.isclose(got, math.fsum(mine))
                if name == "denominator":
                    assert parts["_rows"].iat[r, a] == len(mine)
