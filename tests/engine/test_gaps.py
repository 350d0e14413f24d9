"""The periods a window lacks are named exactly: those the source did not report, no more."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from framework.engine.gaps import missing_in_window, period_name
from framework.engine.series import rolling
from framework.periods import month_index

FIRST = month_index(2020, 3)


@given(
    st.lists(st.booleans(), min_size=1, max_size=30),
    st.integers(min_value=1, max_value=12),
    st.sampled_from([1, 3]),
)
def test_the_names_are_the_gaps_of_each_window(gaps: list[bool], periods: int, step: int) -> None:
    index = pd.Index([FIRST + step * i for i in range(len(gaps))], name="period")
    table = pd.DataFrame(
        {"A": [np.nan if gap else 1.0 for gap in gaps], "B": [1.0] * len(gaps)}, index=index
    )
    names = missing_in_window({"total": table}, periods, step)
    counted = rolling(table, periods).missing
    for row, end in enumerate(index):
        window = range(max(0, row - periods + 1), row + 1)
        expected = [period_name(int(index[i]), step) for i in window if gaps[i]]
        before = max(0, periods - 1 - row)
        if before:
            expected.append(f"{before} period(s) before the data begin")
        assert names.loc[end, "A"] == ", ".join(expected)
        # As many named (or counted before the start) as the window's missing periods.
        named = sum(gaps[i] for i in window) + before
        assert named == counted.loc[end, "A"]
        assert names.loc[end, "B"] == (
            f"{before} period(s) before the data begin" if before else ""
        )


def test_a_gap_in_any_part_is_a_gap_of_the_window() -> None:
    index = pd.Index([FIRST, FIRST + 1], name="period")
    numerator = pd.DataFrame({"A": [1.0, np.nan]}, index=index)
    denominator = pd.DataFrame({"A": [np.nan, 1.0]}, index=index)
    names = missing_in_window({"numerator": numerator, "denominator": denominator}, 1, 1)
    assert names["A"].tolist() == ["March 2020", "April 2020"]


def test_quarters_are_named_as_financial_quarters() -> None:
    assert period_name(month_index(2015, 6), 3) == "2015/16-Q1"
    assert period_name(month_index(2021, 2), 1) == "February 2021"


@given(
    st.lists(st.lists(st.booleans(), min_size=4, max_size=4), min_size=1, max_size=60),
    st.integers(min_value=1, max_value=48),
)
def test_each_cell_is_named_for_its_own_window(gaps: list[list[bool]], periods: int) -> None:
    # Columns sharing a window's gaps share its name; long windows (past the bit mask) too.
    index = pd.Index([FIRST + i for i in range(len(gaps))], name="period")
    table = pd.DataFrame(
        [[np.nan if gap else 1.0 for gap in row] for row in gaps], index=index, columns=list("ABCD")
    )
    names = missing_in_window({"total": table}, periods, 1)
    for row, end in enumerate(index):
        window = range(max(0, row - periods + 1), row + 1)
        before = max(0, periods - 1 - row)
        for column, code in enumerate("ABCD"):
            expected = [period_name(int(index[i]), 1) for i in window if gaps[i][column]]
            if before:
                expected.append(f"{before} period(s) before the data begin")
            assert names.loc[end, code] == ", ".join(expected)
