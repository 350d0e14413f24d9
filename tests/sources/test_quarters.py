"""Financial quarters as the Home Office writes them, to month indexes and back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from framework.periods import (
    PeriodError,
    financial_quarter_label,
    month_index,
    parse_period,
    year_month,
)
from framework.sources.quarters import financial_quarter_period, financial_year_start


def test_known_quarters() -> None:
    assert financial_quarter_period("2019/20", 1) == month_index(2019, 6)
    assert financial_quarter_period("2019/20", 2) == month_index(2019, 9)
    assert financial_quarter_period("2019/20", 3) == month_index(2019, 12)
    assert financial_quarter_period("2019/20", 4) == month_index(2020, 3)
    assert financial_quarter_period("1999/00", 4) == month_index(2000, 3)


@pytest.mark.parametrize("text", ["2019/21", "2019", "19/20", "2019/2021", "next year"])
def test_bad_financial_years(text: str) -> None:
    with pytest.raises(PeriodError):
        financial_year_start(text)


def test_bad_quarter() -> None:
    with pytest.raises(PeriodError):
        financial_quarter_period("2019/20", 5)


@given(st.integers(1990, 2100), st.integers(1, 4))
def test_round_trip_from_year_and_quarter(start: int, quarter: int) -> None:
    year_text = f"{start}/{(start + 1) % 100:02d}"
    period = financial_quarter_period(year_text, quarter)
    label = financial_quarter_label(period)
    assert label == f"{year_text}-Q{quarter}"
    assert parse_period(label).last == period
    assert parse_period(label).months == 3
    year, month = year_month(period)
    assert month == (6, 9, 12, 3)[quarter - 1]
    assert year == (start if quarter < 4 else start + 1)
    assert financial_quarter_period(f"{start}/{start + 1}", quarter) == period  # 2019/2020


@given(st.integers(month_index(1990, 1), month_index(2100, 12)).filter(lambda p: p % 3 == 2))
def test_round_trip_from_month_index(period: int) -> None:
    label = financial_quarter_label(period)
    year_text, quarter = label.split("-Q")
    assert financial_quarter_period(year_text, int(quarter)) == period
