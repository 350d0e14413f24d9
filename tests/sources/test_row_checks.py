"""Rows that cannot be right: duplicate keys, non-finite and negative values, odd populations."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framework.areas.registry import AreaRegistry
from framework.model.dataset import Dataset
from framework.sources.base import SourceError, SourceFrame, SourceReport
from framework.sources.frame import canonical_frame
from framework.sources.registry import read_dataset
from framework.sources.row_checks import (
    NEGATIVE,
    NOT_FINITE,
    SAME_KEY,
    check_rows,
    duplicates_policy,
    negatives_allowed,
)
from tests.sources.helpers import assert_books_balance, load_dataset, make_dataset

WARWICKSHIRE, WEST_MERCIA = "E23000017", "E23000016"
TIDY = {"kind": "tidy", "format": "csv", "value_column": "value"}


def _tidy(tmp_path: Path, text: str, **fields: object) -> SourceFrame:
    (tmp_path / "counts.csv").write_text(text, encoding="utf-8")
    dataset = make_dataset(TIDY, "counts.csv", **fields)
    return read_dataset(dataset, tmp_path, _areas())


def _areas() -> AreaRegistry:
    from framework.sources.area_list import default_registry
    from tests.sources.helpers import CATALOGUE

    return default_registry(CATALOGUE)


def _listed(source: SourceFrame, reason_start: str) -> list[tuple[str, int, str]]:
    return [
        (row.file, row.line, row.value)
        for item in source.report.exclusions
        if item.reason.startswith(reason_start)
        for row in item.listed
    ]


def test_a_repeated_key_in_a_tidy_table_names_both_lines(tmp_path: Path) -> None:
    text = "period,area,value\n2021-06,Warwickshire,3\n2021-06,Norfolk,4\n2021-06,Warwickshire,9\n"
    source = _tidy(tmp_path, text)
    assert_books_balance(source)
    warwickshire = source.frame.loc[source.frame["area_code"] == WARWICKSHIRE, "value"]
    assert warwickshire.tolist() == [3.0]  # not 12: the repeat is not summed
    assert _listed(source, "a second row") == [("counts.csv", 4, f"{SAME_KEY}counts.csv:2")]
    assert source.report.rows_unexpected == 1  # a finding unless max_excluded_rows allows it


def test_a_declared_key_tells_rows_apart_and_sum_adds_them(tmp_path: Path) -> None:
    text = "period,area,kind,value\n2021-06,Warwickshire,a,3\n2021-06,Warwickshire,b,9\n"
    keyed = _tidy(tmp_path, text, dimensions=["kind"])
    assert len(keyed.frame) == 2 and not keyed.report.exclusions
    narrowed = _tidy(tmp_path, text, dimensions=["kind"], key=[])
    assert len(narrowed.frame) == 1 and narrowed.report.rows_unexpected == 1
    summed = _tidy(tmp_path, text, duplicates="sum")
    assert summed.frame["value"].sum() == 12 and not summed.report.exclusions


def test_a_key_naming_no_dimension_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="'offence' is not a dimension"):
        _tidy(tmp_path, "period,area,value\n2021-06,Warwickshire,3\n", key=["offence"])


def test_record_level_data_sums_by_default() -> None:
    assert duplicates_policy(load_dataset("police_uk_street")) == "sum"
    assert duplicates_policy(load_dataset("force_victim_satisfaction")) == "sum"
    assert duplicates_policy(load_dataset("home_office_prc")) == "finding"
    assert duplicates_policy(load_dataset("ons_pfa_p4_knife")) == "finding"
    assert negatives_allowed(load_dataset("home_office_prc"))
    assert not negatives_allowed(load_dataset("force_ocg_disruptions"))


def test_police_uk_records_of_one_key_are_distinct_crimes(
    tmp_path: Path, catalogue: Path, areas: AreaRegistry
) -> None:
    folder = tmp_path / "street" / "2019-06"
    shutil.copytree(catalogue / "data" / "police-uk" / "2019-06", folder)
    dataset = load_dataset("police_uk_street").model_copy(update={"path": "street"})
    before = read_dataset(dataset, tmp_path, areas)
    file = next(folder.glob("*.csv"))
    lines = file.read_text(encoding="utf-8").splitlines()
    crime = next(line for line in lines[1:] if line.split(",")[0])
    file.write_text("\n".join([*lines, crime]) + "\n", encoding="utf-8")
    after = read_dataset(dataset, tmp_path, areas)
    assert after.frame["value"].sum() == before.frame["value"].sum() + 1
    assert after.report.rows_unexpected == 0


def test_a_repeated_home_office_row_is_a_finding_not_a_sum(
    tmp_path: Path, catalogue: Path, areas: AreaRegistry
) -> None:
    bundled = catalogue / "data" / "home-office-prc" / "prc_pfa_quarterly.parquet"
    whole = pq.read_table(bundled)
    wanted = pc.and_(
        pc.equal(whole["Financial Year"], "2019/20"), pc.equal(whole["Force Name"], "Warwickshire")
    )
    table = whole.filter(wanted)
    rows = table.to_pylist()
    target = next(row for row in rows if row["Force Name"] == "Warwickshire")
    pacsv.write_csv(table.from_pylist([*rows, target], schema=table.schema), tmp_path / "ho.csv")
    dataset = load_dataset("home_office_prc").model_copy(update={"path": "ho.csv"})
    source = read_dataset(dataset, tmp_path, areas)
    assert_books_balance(source)
    (listed,) = _listed(source, "a second row")
    assert listed[0] == "ho.csv" and listed[1] == len(rows) + 2
    first = rows.index(target) + 2
    assert listed[2] == f"{SAME_KEY}ho.csv:{first}"


def test_a_relabelled_ons_row_does_not_change_warwickshire(
    tmp_path: Path, catalogue: Path, areas: AreaRegistry
) -> None:
    folder = tmp_path / "tables"
    folder.mkdir()
    name = "pfatablesyemar24final.xlsx"
    shutil.copyfile(catalogue / "data" / "ons-pfa-tables" / name, folder / name)
    dataset = make_dataset(
        {"kind": "ons_pfa_table", "table": "knife_selected_offences"}, "tables", grain="quarter"
    )
    before = read_dataset(dataset, tmp_path, areas)
    book = openpyxl.load_workbook(folder / name)
    relabelled: dict[str, int] = {}
    for sheet in book.worksheets:  # West Mercia's row of every table now says Warwickshire
        row = next((row for row in sheet.iter_rows() if row[0].value == WEST_MERCIA), None)
        if row is not None:
            row[0].value, row[1].value = WARWICKSHIRE, "Warwickshire"
            relabelled[sheet.title] = row[0].row
    book.save(folder / name)
    after = read_dataset(dataset, tmp_path, areas)
    assert_books_balance(after)

    def figure(source: SourceFrame) -> float:
        frame = source.frame
        mask = (frame["area_code"] == WARWICKSHIRE) & (frame["period"] == frame["period"].max())
        return float(frame.loc[mask, "value"].sum())

    assert figure(after) == figure(before)  # 272, not 272 plus West Mercia's
    listed = _listed(after, "a second row")
    assert listed
    for file, line, first in listed:
        sheet = file.split(" [", 1)[1].rstrip("]")
        assert file == f"tables/{name} [{sheet}]" and line == relabelled[sheet]
        assert first.startswith(f"{SAME_KEY}tables/{name} [{sheet}]:")
    assert after.report.rows_unexpected >= 1


@pytest.mark.parametrize(
    ("cell", "reason"),
    [("inf", NOT_FINITE), ("1e309", NOT_FINITE), ("-inf", NOT_FINITE), ("-5", NEGATIVE)],
)
def test_values_that_cannot_be_counts_are_left_out_with_the_reason(
    tmp_path: Path, cell: str, reason: str
) -> None:
    text = f"period,area,value\n2021-05,Warwickshire,2\n2021-06,Warwickshire,{cell}\n"
    source = _tidy(tmp_path, text)
    assert_books_balance(source)
    assert source.frame["value"].tolist() == [2.0]
    listed = [(row.line, row.reason) for item in source.report.exclusions for row in item.listed]
    assert listed and listed[0][0] == 3
    assert any(reason in why or "finite" in why for _, why in listed)


def test_negative_counts_are_kept_where_the_dataset_allows_them(tmp_path: Path) -> None:
    text = "period,area,value\n2021-06,Warwickshire,-5\n"
    source = _tidy(tmp_path, text, negative_values="keep")
    assert source.frame["value"].tolist() == [-5.0]


def test_a_population_outside_its_areas_range_is_left_out(tmp_path: Path) -> None:
    (tmp_path / "population.csv").write_text(
        "code,name,MYE2018\nE23000017,Warwickshire,30000000\nK04000001,England and Wales,"
        "59000000\nE23000016,West Mercia,1290000\n",
        encoding="utf-8",
    )
    dataset = make_dataset({"kind": "population", "estimates": {"MYE2018": 2018}}, "population.csv")
    source = read_dataset(dataset, tmp_path, _areas())
    assert_books_balance(source)
    assert set(source.frame["area_code"]) == {"K04000001", "E23000016"}
    (listed,) = _listed(source, "the population is outside")
    assert listed[1] == 2


def _frame(rows: list[tuple[int, str, float]]) -> SourceFrame:
    frame = canonical_frame(
        period=np.asarray([row[0] for row in rows], dtype=np.int64),
        area_code=[row[1] for row in rows],
        area=[row[1] for row in rows],
        dimensions={},
        value=[row[2] for row in rows],
        source_row=list(range(2, len(rows) + 2)),
        source_file="x.csv",
    )
    report = SourceReport("x", (), rows_read=len(rows), rows_used=len(rows))
    return SourceFrame(frame, report, ())


_row = st.tuples(
    st.integers(24_000, 24_004),
    st.sampled_from([WARWICKSHIRE, WEST_MERCIA]),
    st.one_of(
        st.floats(-10, 1e6, allow_nan=False),
        st.sampled_from([math.inf, -math.inf, math.nan]),
    ),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_row, max_size=30))
def test_books_balance_and_no_key_repeats_after_the_checks(
    rows: list[tuple[int, str, float]],
) -> None:
    dataset: Dataset = make_dataset(TIDY, "x.csv")
    checked = check_rows(dataset, _frame(rows), _areas())
    assert_books_balance(checked)
    frame = checked.frame
    assert not frame.duplicated(["period", "area_code"]).any()
    values = frame["value"].to_numpy()
    assert np.isfinite(values).all() and (values >= 0).all()
    # The first row of each key that holds a usable value is the one kept.
    usable = [row for row in rows if math.isfinite(row[2]) and row[2] >= 0]
    expected: dict[tuple[int, str], float] = {}
    for period, code, value in usable:
        expected.setdefault((period, code), value)
    got = {
        (int(p), str(c)): float(v)
        for p, c, v in zip(frame["period"], frame["area_code"], frame["value"], strict=True)
    }
    assert got == expected
    assert isinstance(frame, pd.DataFrame)


def test_an_error_cell_names_the_workbook_sheet_and_cell(
    tmp_path: Path, catalogue: Path, areas: AreaRegistry
) -> None:
    folder = tmp_path / "tables"
    folder.mkdir()
    name = "pfatablesyemar24final.xlsx"
    shutil.copyfile(catalogue / "data" / "ons-pfa-tables" / name, folder / name)
    book = openpyxl.load_workbook(folder / name)
    places = []
    for title in ("Table P5 ", "Table P6 "):  # both give the year; a number in one would win
        row = next(row for row in book[title].iter_rows() if row[0].value == WARWICKSHIRE)
        row[2].value = "#REF!"
        places.append(f"tables/{name} [{title}] cell C{row[0].row}")
    book.save(folder / name)
    dataset = make_dataset(
        {"kind": "ons_pfa_table", "table": "knife_selected_offences"}, "tables", grain="quarter"
    )
    source = read_dataset(dataset, tmp_path, areas)
    reasons = [item.reason for item in source.report.missing]
    assert any(
        "'#REF!'" in reason and any(place in reason for place in places) for reason in reasons
    ), reasons


def test_a_period_outside_the_years_of_any_series_is_left_out_whatever_the_adapter() -> None:
    from framework.sources.row_checks import OUT_OF_YEARS

    source = _frame([(1900 * 12, WARWICKSHIRE, 1.0), (2021 * 12, WARWICKSHIRE, 2.0)])
    dataset = make_dataset({"kind": "home_office_prc"}, "x.csv", grain="quarter")
    checked = check_rows(dataset, source, _areas())
    assert_books_balance(checked)
    assert checked.frame["value"].tolist() == [2.0]
    (item,) = checked.report.exclusions
    assert item.reason == OUT_OF_YEARS and item.listed[0].value == "1900-01"
