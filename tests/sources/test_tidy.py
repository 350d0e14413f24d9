"""Tidy force-held tables: the synthetic demo data, and every way a row can be left out."""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framework.areas.registry import AreaRegistry
from framework.periods import month_index
from framework.sources.adapters.tidy import TidyAdapter
from framework.sources.base import SourceError, SourceFrame
from tests.sources.helpers import assert_books_balance, make_dataset

ReadRegistered = Callable[[str], SourceFrame]
FIRST, LAST = month_index(2018, 4), month_index(2023, 6)
MONTHS = LAST - FIRST + 1


def _read(
    areas: AreaRegistry, folder: Path, name: str, adapter: Mapping[str, object], **fields: object
) -> SourceFrame:
    dataset = make_dataset({"kind": "tidy", **adapter}, name, **fields)
    return TidyAdapter().read(dataset, folder / name, folder, areas)


@pytest.mark.parametrize(
    "dataset_id",
    [
        "force_victim_satisfaction",
        "force_ocg_disruptions",
        "force_cyber_victims",
        "force_drug_related_homicides",
    ],
)
def test_synthetic_tables_cover_all_forces(
    read_registered: ReadRegistered, dataset_id: str
) -> None:
    source = read_registered(dataset_id)
    assert_books_balance(source)
    assert not source.report.exclusions
    frame = source.frame
    assert frame["area_code"].nunique() == 43
    assert frame["period"].min() in (FIRST, FIRST + 2)  # 2018-04, or 2018/19 Q1 = June 2018
    assert frame["period"].max() == LAST


def test_synthetic_victim_satisfaction(read_registered: ReadRegistered) -> None:
    frame = read_registered("force_victim_satisfaction").frame
    assert set(frame["victim_type"]) == {"domestic abuse", "other"}
    assert set(frame["satisfied"]) == {"yes", "no"}
    per_month = frame.groupby(["area_code", "period"], observed=True).size()
    assert len(per_month) == 43 * MONTHS
    assert 40 <= per_month.median() <= 160
    rate = (frame["satisfied"] == "yes").mean()
    assert 0.72 <= rate <= 0.86


def test_synthetic_counts_scale_with_population(read_registered: ReadRegistered) -> None:
    frame = read_registered("force_drug_related_homicides").frame
    totals = frame.groupby("area", observed=True)["value"].sum()
    assert totals["Metropolitan Police"] > 10 * totals["Warwickshire"]
    assert len(frame) == 43 * MONTHS  # zero months are written


def test_synthetic_cyber_victims_two_columns(read_registered: ReadRegistered) -> None:
    source = read_registered("force_cyber_victims")
    frame = source.frame
    assert source.dimensions == ("measure_column",)
    assert set(frame["measure_column"]) == {"victims", "advised"}
    wide = frame.pivot_table(
        index=["area_code", "period"], columns="measure_column", values="value", observed=True
    )
    assert (wide["advised"] <= wide["victims"]).all()
    assert wide["advised"].sum() / wide["victims"].sum() > 0.95
    assert source.report.rows_read == 2 * 43 * MONTHS


def test_bad_rows_are_excluded_with_reasons(tmp_path: Path, areas: AreaRegistry) -> None:
    (tmp_path / "t.csv").write_text(
        "period,area,kind,count\n"
        "2019-06,Warwickshire,a,3\n"  # 2 kept
        "2019-06,Gotham,a,1\n"  # 3 unknown area
        "2019-13,Warwickshire,a,1\n"  # 4 not a period
        "2019/20-Q1,Warwickshire,a,1\n"  # 5 a quarter in a monthly table
        "2019-07,Warwickshire Police,b,lots\n"  # 6 not a number
        "2019-07,Action Fraud,b,2\n"  # 7 not a force
        "2019-07,Warwickshire,b,\n"  # 8 empty value
        "\n"  # 9 a blank line, not a record
        '2019-07-15,E23000017,b,"1,200"\n'  # 10 an ISO date and a thousands separator
    )
    source = _read(areas, tmp_path, "t.csv", {"value_column": "count"}, dimensions=["kind"])
    assert_books_balance(source)
    reasons = {item.reason: item.examples for item in source.report.exclusions}
    assert reasons == {
        "area 'Gotham' is not in the area registry": (3,),
        "not a territorial police force area of England and Wales (Action Fraud)": (7,),
        "period is not a month (YYYY-MM) or a quarter (YYYY/YY-Qn)": (4,),
        "period is a quarter but the dataset's grain is month": (5,),
        "count is empty": (8,),
        "count is not a number": (6,),
    }
    frame = source.frame
    assert list(frame["source_row"]) == [2, 10]
    assert list(frame["value"]) == [3.0, 1200.0]
    assert list(frame["period"]) == [month_index(2019, 6), month_index(2019, 7)]
    assert list(frame["kind"]) == ["a", "b"]


def test_record_level_and_quarter_grain(tmp_path: Path, areas: AreaRegistry) -> None:
    (tmp_path / "q.csv").write_text(
        "when,force,outcome\n2019/20-Q1,Kent,yes\n2019/20-Q1,Kent,no\n2019-06,Kent,no\n"
    )
    source = _read(
        areas,
        tmp_path,
        "q.csv",
        {"period_column": "when", "area_column": "force"},
        grain="quarter",
        dimensions=["result"],
        columns={"outcome": "result"},
    )
    assert list(source.frame["value"]) == [1.0, 1.0]
    assert list(source.frame["result"]) == ["yes", "no"]
    assert (
        "period is a month but the dataset's grain is quarter" in source.report.exclusions[0].reason
    )


def test_excel_and_parquet(tmp_path: Path, areas: AreaRegistry) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Data"
    sheet.append(["period", "area", "value", "band"])
    sheet.append([dt.datetime(2019, 6, 1), "Devon & Cornwall", 5, 1])
    sheet.append(["2019-07", "Dorset", 2.5, 2])
    book.save(tmp_path / "t.xlsx")
    source = _read(
        areas,
        tmp_path,
        "t.xlsx",
        {"format": "excel", "sheet": "Data", "value_column": "value"},
        dimensions=["band"],
    )
    assert list(source.frame["period"]) == [month_index(2019, 6), month_index(2019, 7)]
    assert list(source.frame["area_code"]) == ["E23000035", "E23000039"]
    assert list(source.frame["band"]) == ["1", "2"]
    pd.DataFrame({"period": ["2019-06"], "area": ["Kent"], "value": [4]}).to_parquet(
        tmp_path / "t.parquet"
    )
    source = _read(areas, tmp_path, "t.parquet", {"format": "parquet", "value_column": "value"})
    assert list(source.frame["value"]) == [4.0]


def test_source_errors(tmp_path: Path, areas: AreaRegistry) -> None:
    (tmp_path / "t.csv").write_text("period,area\n2019-06,Kent\n")
    with pytest.raises(SourceError, match="missing column"):
        _read(areas, tmp_path, "t.csv", {"value_column": "count"})
    with pytest.raises(SourceError, match="declares dimension"):
        _read(areas, tmp_path, "t.csv", {}, dimensions=["category"])
    with pytest.raises(SourceError, match="format is parquet"):
        _read(areas, tmp_path, "t.csv", {"format": "parquet"})
    with pytest.raises(SourceError, match="both value_column and value_columns"):
        _read(areas, tmp_path, "t.csv", {"value_column": "a", "value_columns": ["b"]})


# -- properties -------------------------------------------------------------------------

FORCES = ["Warwickshire", "Kent", "Devon & Cornwall", "London, City of", "Gotham", "CIFAS"]
PERIODS = ["2019-01", "2019-02", "2020-12", "2019-13", "June"]
ROWS = st.lists(
    st.tuples(
        st.sampled_from(PERIODS),
        st.sampled_from(FORCES),
        st.sampled_from(["x", "y"]),
        st.one_of(st.integers(-5, 50).map(str), st.sampled_from(["", "n/a"])),
    ),
    min_size=1,
    max_size=40,
)


def _write(folder: Path, rows: list[tuple[str, str, str, str]]) -> None:
    with (folder / "t.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["period", "area", "kind", "value"])
        writer.writerows(rows)


def _canonical(source: SourceFrame) -> pd.DataFrame:
    frame = source.frame[["period", "area_code", "kind", "value"]].astype(str)
    return frame.sort_values(list(frame.columns), ignore_index=True)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ROWS, st.randoms(use_true_random=False))
def test_row_order_is_irrelevant(
    areas: AreaRegistry, rows: list[tuple[str, str, str, str]], shuffler: object
) -> None:
    shuffled = list(rows)
    shuffler.shuffle(shuffled)  # type: ignore[attr-defined]
    with tempfile.TemporaryDirectory() as first, tempfile.TemporaryDirectory() as second:
        _write(Path(first), rows)
        _write(Path(second), shuffled)
        adapter = {"value_column": "value"}
        one = _read(areas, Path(first), "t.csv", adapter, dimensions=["kind"])
        two = _read(areas, Path(second), "t.csv", adapter, dimensions=["kind"])
    assert _canonical(one).equals(_canonical(two))
    assert one.report.rows_excluded == two.report.rows_excluded


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ROWS)
def test_sum_is_preserved_minus_exclusions(
    areas: AreaRegistry, rows: list[tuple[str, str, str, str]]
) -> None:
    usable = {"Warwickshire", "Kent", "Devon & Cornwall", "London, City of"}
    expected = sum(
        int(value)
        for period, area, _, value in rows
        if area in usable and period not in ("2019-13", "June") and value not in ("", "n/a")
    )
    with tempfile.TemporaryDirectory() as folder:
        _write(Path(folder), rows)
        source = _read(areas, Path(folder), "t.csv", {"value_column": "value"})
    assert_books_balance(source)
    assert source.frame["value"].sum() == expected
    kept = sum(
        1
        for period, area, _, value in rows
        if area in usable and period not in ("2019-13", "June") and value not in ("", "n/a")
    )
    assert source.report.rows_used == kept
