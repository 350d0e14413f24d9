"""The ONS Police Force Area workbooks: eight editions of Tables P1, P3 and P4."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from framework.areas.registry import AreaRegistry
from framework.periods import month_index
from framework.sources.base import SourceError, SourceFrame
from framework.sources.ons_pfa import OnsPfaAdapter
from framework.sources.ons_sheet import edition_month, sheet_key
from framework.sources.registry import read_dataset
from framework.sources.xlsx_values import XlsxBook
from tests.sources.helpers import assert_books_balance, make_dataset

ReadRegistered = Callable[[str], SourceFrame]
WARWICKSHIRE, GREATER_MANCHESTER, ENGLAND_AND_WALES = "E23000017", "E23000005", "K04000001"
EDITIONS = {month_index(year, month) for year in (2018, 2019) for month in (3, 6, 9, 12)}
JUNE_2019, SEPTEMBER_2019, DECEMBER_2019 = (month_index(2019, m) for m in (6, 9, 12))
TABLES = "national/data/ons-pfa-tables"


def _value(frame: pd.DataFrame, period: int, code: str, measure: str | None = None) -> float:
    rows = frame[(frame["period"] == period) & (frame["area_code"] == code)]
    if measure is not None:
        rows = rows[rows["measure_column"] == measure]
    assert len(rows) == 1
    return float(rows["value"].iloc[0])


def test_p1_june_2019_warwickshire(read_registered: ReadRegistered) -> None:
    frame = read_registered("ons_pfa_p1").frame
    assert _value(frame, JUNE_2019, WARWICKSHIRE, "Homicide") == 1
    assert _value(frame, JUNE_2019, WARWICKSHIRE, "Violence with injury") == 4644
    assert _value(frame, JUNE_2019, WARWICKSHIRE, "Robbery") == 493
    assert _value(frame, JUNE_2019, WARWICKSHIRE, "Total recorded crime (excluding fraud)") == 41923
    assert _value(frame, JUNE_2019, ENGLAND_AND_WALES, "Homicide") == 681


def test_p1_one_row_per_edition_area_and_column(read_registered: ReadRegistered) -> None:
    source = read_registered("ons_pfa_p1")
    frame = source.frame
    assert_books_balance(source)
    assert set(frame["period"].unique()) == EDITIONS
    assert not frame.duplicated(["period", "area_code", "measure_column"]).any()
    # 55 areas (43 forces, 9 regions, England, Wales, England and Wales) x 20 columns x 8.
    assert frame["area_code"].nunique() == 55
    assert len(frame) == 55 * 20 * 8
    assert source.dimensions == ("measure_column",)
    assert len(source.report.files) == 8


def test_british_transport_police_is_excluded(read_registered: ReadRegistered) -> None:
    report = read_registered("ons_pfa_p4_knife").report
    assert len(report.exclusions) == 1
    exclusion = report.exclusions[0]
    assert "British Transport Police" in exclusion.reason
    assert "not a territorial police force area" in exclusion.reason
    assert exclusion.rows == 8  # one row in each edition


def test_p4_knife_figures_for_warwickshire_in_every_edition(
    read_registered: ReadRegistered,
) -> None:
    source = read_registered("ons_pfa_p4_knife")
    assert_books_balance(source)
    frame = source.frame
    warwickshire = frame[frame["area_code"] == WARWICKSHIRE]
    assert set(warwickshire["period"]) == EDITIONS
    assert warwickshire["value"].notna().all()
    assert _value(frame, JUNE_2019, WARWICKSHIRE) == 306
    assert _value(frame, DECEMBER_2019, WARWICKSHIRE) == 341
    assert _value(frame, JUNE_2019, ENGLAND_AND_WALES) == 47513


@pytest.mark.parametrize("dataset_id", ["ons_pfa_p1", "ons_pfa_p4_knife"])
def test_greater_manchester_missing_with_reason_from_september_2019(
    read_registered: ReadRegistered, dataset_id: str
) -> None:
    source = read_registered(dataset_id)
    frame = source.frame
    gmp = frame[frame["area_code"] == GREATER_MANCHESTER]
    missing = gmp[gmp["value"].isna()]
    assert set(missing["period"]) == {SEPTEMBER_2019, DECEMBER_2019}
    assert missing["missing_reason"].notna().all()
    assert all("not available" in str(reason) for reason in missing["missing_reason"])
    assert gmp[gmp["period"] == JUNE_2019]["value"].notna().all()
    # Only the source's own markers make a value missing, and each is counted by reason.
    assert frame["value"].isna().sum() == source.report.values_missing
    notes = " ".join(source.report.notes)
    assert "Greater Manchester" in notes and "exclude" in notes


def test_p3_population_and_the_gmp_exclusion(areas: AreaRegistry, catalogue: Path) -> None:
    dataset = make_dataset(
        {"kind": "ons_pfa_table", "table": "Table P3", "value_header": "Population figures"},
        TABLES,
        grain="quarter",
        covers_months=12,
    )
    source = read_dataset(dataset, catalogue, areas)
    frame = source.frame
    assert _value(frame, JUNE_2019, ENGLAND_AND_WALES) == 59_115_800
    assert _value(frame, SEPTEMBER_2019, ENGLAND_AND_WALES) == 56_303_200  # less GMP
    assert _value(frame, month_index(2018, 3), ENGLAND_AND_WALES) == 58_381_200  # mid-2016
    assert _value(frame, JUNE_2019, WARWICKSHIRE) == 571_000  # = the population table
    # City of London's rates are '+' (suppressed), but its population is given.
    assert frame[frame["area_code"] == "E23000034"]["value"].notna().all()


def test_marker_cells_give_missing_values_with_reasons(
    areas: AreaRegistry, catalogue: Path
) -> None:
    dataset = make_dataset(
        {
            "kind": "ons_pfa_table",
            "table": "Table P4",
            "offence": "Homicide",
            "value_header": "% involving a knife",
        },
        TABLES,
        grain="quarter",
    )
    source = read_dataset(dataset, catalogue, areas)
    reasons = {item.reason for item in source.report.missing}
    # The meaning comes from the sheet's own footnote: "'-' indicates that the base number ..."
    assert any(
        reason.startswith("'-' in the source: the base number is fewer than 50")
        for reason in reasons
    )
    assert source.frame["value"].isna().sum() == source.report.values_missing > 0


def test_header_not_found_says_what_is_there(areas: AreaRegistry, catalogue: Path) -> None:
    dataset = make_dataset(
        {"kind": "ons_pfa_table", "table": "Table P1", "value_header": "Knife crime"},
        TABLES,
        grain="quarter",
    )
    with pytest.raises(SourceError) as caught:
        read_dataset(dataset, catalogue, areas)
    assert "Knife crime" in caught.value.detail and "Homicide" in caught.value.detail


def test_p4_needs_the_offence_group(areas: AreaRegistry, catalogue: Path) -> None:
    dataset = make_dataset(
        {
            "kind": "ons_pfa_table",
            "table": "Table P4",
            "value_header": "Number of offences involving a knife",
        },
        TABLES,
        grain="quarter",
    )
    with pytest.raises(SourceError, match="several columns"):
        read_dataset(dataset, catalogue, areas)


def test_editions_option_must_agree_with_the_title(
    tmp_path: Path, areas: AreaRegistry, catalogue: Path
) -> None:
    name = "policeforceareatablesyearendingjune2019.xlsx"
    folder = tmp_path / "tables"
    folder.mkdir()
    shutil.copyfile(catalogue / TABLES / name, folder / name)
    adapter = {"kind": "ons_pfa_table", "table": "Table P1", "value_header": "Homicide"}
    agreeing = make_dataset({**adapter, "editions": {name: "2019-06"}}, "tables", grain="quarter")
    source = OnsPfaAdapter().read(agreeing, folder, tmp_path, areas)
    assert set(source.frame["period"]) == {JUNE_2019}
    wrong = make_dataset({**adapter, "editions": {name: "2019-09"}}, "tables", grain="quarter")
    with pytest.raises(SourceError, match="June 2019"):
        OnsPfaAdapter().read(wrong, folder, tmp_path, areas)


def test_two_workbooks_of_one_edition(tmp_path: Path, areas: AreaRegistry, catalogue: Path) -> None:
    name = "policeforceareatablesyearendingjune2019.xlsx"
    shutil.copyfile(catalogue / TABLES / name, tmp_path / "a.xlsx")
    shutil.copyfile(catalogue / TABLES / name, tmp_path / "b.xlsx")
    dataset = make_dataset(
        {"kind": "ons_pfa_table", "table": "Table P1", "value_header": "Homicide"},
        ".",
        grain="quarter",
    )
    source = OnsPfaAdapter().read(dataset, tmp_path, tmp_path, areas)
    assert_books_balance(source)
    assert any("second workbook" in item.reason for item in source.report.exclusions)
    assert not source.frame.duplicated(["period", "area_code"]).any()


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Table P1: ..., number of offences, year ending June 20191,2", month_index(2019, 6)),
        ("Table P1: ..., year ending March 181,2,3", month_index(2018, 3)),
        ("Table P1: ..., year ending December 181,2", month_index(2018, 12)),
        ("Table P4: ..., year ending September 20191,2,3", month_index(2019, 9)),
        ("Crime in England & Wales, year ending June 2018 - PFA tables", month_index(2018, 6)),
        ("Table P9: no edition here", None),
    ],
)
def test_edition_month_from_titles(title: str, expected: int | None) -> None:
    assert edition_month(title) == expected


def test_sheet_names_match_without_spaces() -> None:
    assert sheet_key("Table P4  ") == sheet_key("Table P4") == sheet_key("table p4")


def test_lean_xlsx_reader_matches_openpyxl(catalogue: Path) -> None:
    path = catalogue / TABLES / "pfatablesdec19.xlsx"
    book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    try:
        expected = [tuple(row) for row in book["Table P4  "].iter_rows(values_only=True)]
        names = book.sheetnames
    finally:
        book.close()
    with XlsxBook(path) as lean:
        assert lean.sheetnames == names
        rows = lean.rows("Table P4  ")

    def trim(row: tuple[object, ...]) -> tuple[object, ...]:
        values = list(row)
        while values and values[-1] is None:
            values.pop()
        return tuple(values)

    def trim_rows(table: Sequence[tuple[object, ...]]) -> list[tuple[object, ...]]:
        trimmed = [trim(row) for row in table]
        while trimmed and not trimmed[-1]:
            trimmed.pop()
        return trimmed

    assert trim_rows(rows) == trim_rows(expected)
    assert rows[6][3] == pytest.approx(6.1574732591814865)  # E&W, % of selected offences
