"""The CSV series reader behind ``measures spc``: one numeric column, in period order."""

from __future__ import annotations

import datetime as dt
import random as random_module
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from framework.periods import is_orderable, month_label, ordering_keys, parse_period
from framework.sources.csv_series import DataError, read_series

VALUES = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(lambda x: round(x, 3))


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


Located = tuple[str, int | None, int | None]


def _codes(path: Path, value: str = "count", period: str | None = "month") -> list[Located]:
    with pytest.raises(DataError) as caught:
        read_series(path, value, period)
    return [(f.code, f.location.line, f.location.column) for f in caught.value.findings]


def test_rows_are_put_in_period_order(tmp_path: Path) -> None:
    path = _write(tmp_path / "s.csv", "month,count\n2024-03,3\n2024-01,1\n\n2024-02,2.5\n")
    series = read_series(path, "count", "month")
    assert series.periods == ("2024-01", "2024-02", "2024-03")
    assert series.values == (1.0, 2.5, 3.0)


def test_without_a_period_column_rows_keep_file_order(tmp_path: Path) -> None:
    path = _write(tmp_path / "s.csv", "\ufeffcount\n5\n4\n")  # Excel's byte-order mark
    series = read_series(path, "count")
    assert (series.periods, series.values) == ((1, 2), (5.0, 4.0))


def test_each_problem_is_a_finding_at_its_line_and_column(tmp_path: Path) -> None:
    assert _codes(tmp_path / "none.csv") == [("SPC001", None, None)]
    assert _codes(_write(tmp_path / "e.csv", "")) == [("SPC002", 1, None)]
    assert _codes(_write(tmp_path / "h.csv", "month,n\n2024-01,1\n")) == [("SPC003", 1, None)]
    bad = _write(tmp_path / "b.csv", "month,count\n2024-01,1\n2024-02,1,000\n2024-03,\n")
    assert _codes(bad) == [("SPC005", 4, 2)]
    text = _write(tmp_path / "t.csv", "month,count\n2024-01,1\n2024-02,n/a\n2024-03,\n")
    assert _codes(text) == [("SPC004", 3, 2), ("SPC005", 4, 2)]
    one = _write(tmp_path / "o.csv", "month,count\n2024-01,1\n")
    assert _codes(one) == [("SPC007", None, None)]
    twice = _write(tmp_path / "r.csv", "month,count\n2024-01,1\n2024-01,2\n")
    assert _codes(twice) == [("SPC006", 3, 1)]
    mixed = _write(tmp_path / "m.csv", "month,count\n2024-01,1\nJan 24,2\n")
    assert _codes(mixed) == [("SPC006", 3, 1)]


@given(st.lists(VALUES, min_size=2, max_size=30), st.randoms())
def test_shuffled_months_come_back_in_order(
    values: list[float], random: random_module.Random
) -> None:
    months = [month_label(24_200 + i) for i in range(len(values))]
    rows = list(zip(months, values, strict=True))
    random.shuffle(rows)
    body = "".join(f"{month},{value!r}\n" for month, value in rows)
    with tempfile.TemporaryDirectory() as folder:
        path = _write(Path(folder) / "s.csv", "month,count\n" + body)
        series = read_series(path, "count", "month")
    assert series.periods == tuple(months)
    assert series.values == tuple(values)


@given(st.lists(st.integers(min_value=24_000, max_value=25_000), min_size=1, unique=True))
def test_month_keys_order_months_in_time(indexes: list[int]) -> None:
    labels = [month_label(index) for index in indexes]
    keys = ordering_keys(labels)
    assert keys is not None
    ordered = [label for _, label in sorted(zip(keys, labels, strict=True))]
    assert ordered == [month_label(index) for index in sorted(indexes)]


@given(st.lists(st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1)), min_size=1, unique=True))
def test_iso_dates_order_in_time(dates: list[dt.date]) -> None:
    labels = [day.isoformat() for day in dates]
    keys = ordering_keys(labels)
    assert keys is not None
    assert [label for _, label in sorted(zip(keys, labels, strict=True))] == sorted(labels)


def test_a_quarter_sorts_after_the_months_it_ends_with_and_forms_are_not_mixed() -> None:
    keys = ordering_keys(["2022-03", "2021/22-Q4", "2022-02"])
    assert keys is not None
    assert keys[1] > keys[2] and keys[0][0] == keys[1][0] == parse_period("2022-03").last
    assert ordering_keys(["2024-01", "7"]) is None
    assert is_orderable("7") and is_orderable("2024-01-31") and not is_orderable("Jan 24")
