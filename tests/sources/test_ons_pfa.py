"""The ONS Police Force Area workbooks: eighteen editions, each table found by its title."""

from __future__ import annotations

import math
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from framework.areas.registry import AreaRegistry
from framework.periods import month_index
from framework.sources.adapters.ons_pfa import OnsPfaAdapter, _Figure, _find_sheets, _prefer_revised
from framework.sources.base import SourceError, SourceFrame
from framework.sources.ledger import Ledger
from framework.sources.ons_sheet import edition_month, sheet_key
from framework.sources.ons_tables import TABLES as ONS_TABLES
from framework.sources.registry import read_dataset
from framework.sources.xlsx_values import XlsxBook
from tests.sources.helpers import assert_books_balance, make_dataset

ReadRegistered = Callable[[str], SourceFrame]
WARWICKSHIRE, GREATER_MANCHESTER, ENGLAND_AND_WALES = "E23000017", "E23000005", "K04000001"
OLD_EDITIONS = {month_index(year, month) for year in (2018, 2019) for month in (3, 6, 9, 12)}
NEW_EDITIONS = (
    {month_index(2021, 3)}
    | {month_index(year, month) for year in (2022, 2023) for month in (3, 6, 9, 12)}
    | {month_index(2024, 3)}
)
EDITIONS = OLD_EDITIONS | NEW_EDITIONS
JUNE_2019, SEPTEMBER_2019, DECEMBER_2019 = (month_index(2019, m) for m in (6, 9, 12))
SEPTEMBER_2021 = month_index(2021, 9)
TABLES = "data/ons-pfa-tables"
SEP22 = f"{TABLES}/policeforceareatablesyesep22.xlsx"
MAR24 = f"{TABLES}/pfatablesyemar24final.xlsx"

# Where each table sits in each edition: the numbers move, the titles find them.
SHEETS: dict[str, dict[str, tuple[str, ...]]] = {
    "policeforceareatablesyearendingmarch2018v2.xlsx": {
        "offences_by_group": ("Table P1",),
        "population": ("Table P3",),
        "knife_selected_offences": ("Table P4", "Table P5"),
    },
    "policeforceareatablesyearendingjune2019.xlsx": {
        "offences_by_group": ("Table P1",),
        "population": ("Table P3",),
        "knife_selected_offences": ("Table P4 ", "Table P5"),
    },
    "pfatablesdec19.xlsx": {
        "knife_selected_offences": ("Table P4  ", "Table P5 "),
    },
    "pfatablescorrectionmar21.xlsx": {
        "offences_by_group": ("Table P1", "Table P4 previous year"),
        "population": ("Table P3",),
        "knife_selected_offences": ("Table P5 ", "Table P6 "),
        "firearms": ("Table P9 ",),
        "fraud_computer_misuse": ("Table P10",),
    },
    "pfafinalmar22.xlsx": {
        "offences_by_group": ("Table P1", "Table P4 previous"),
        "knife_selected_offences": ("Table P5 ", "Table P7 "),
        "firearms": ("Table P10 ",),
        "fraud_computer_misuse": ("Table P11",),
    },
    "policeforceareatablesyesep22.xlsx": {
        "offences_by_group": ("Table P1", "Table P4"),
        "population": ("Table P3",),
        "knife_selected_offences": ("Table P5 ", "Table P6 "),
        "firearms": ("Table P9 ",),
        "fraud_computer_misuse": ("Table P10",),
    },
    "pfatablesfinaljun23.xlsx": {
        "firearms": ("Table P8 ",),
        "fraud_computer_misuse": ("Table P9",),
    },
    "pfatablesyemar24final.xlsx": {
        "knife_selected_offences": ("Table P5 ", "Table P6 "),
        "firearms": ("Table P8 ",),
        "fraud_computer_misuse": ("Table P9",),
    },
}


def _value(frame: pd.DataFrame, period: int, code: str, measure: str | None = None) -> float:
    rows = frame[(frame["period"] == period) & (frame["area_code"] == code)]
    if measure is not None:
        rows = rows[rows["measure_column"] == measure]
    assert len(rows) == 1
    return float(rows["value"].iloc[0])


def _file(frame: pd.DataFrame, period: int, code: str) -> str:
    rows = frame[(frame["period"] == period) & (frame["area_code"] == code)]
    assert len(rows) == 1
    return str(rows["source_file"].iloc[0])


@pytest.mark.parametrize(
    ("workbook", "table", "sheets"),
    [
        (workbook, table, sheets)
        for workbook, tables in SHEETS.items()
        for table, sheets in tables.items()
    ],
)
def test_each_table_is_found_by_title(
    catalogue: Path, workbook: str, table: str, sheets: tuple[str, ...]
) -> None:
    with XlsxBook(catalogue / TABLES / workbook) as book:
        assert tuple(_find_sheets(book, ONS_TABLES[table])) == sheets


@pytest.mark.parametrize(
    "dataset_id",
    ["ons_pfa_p1", "ons_pfa_p4_knife", "ons_population", "ons_pfa_firearms", "ons_pfa_fraud"],
)
def test_every_bundled_edition_reads(read_registered: ReadRegistered, dataset_id: str) -> None:
    source = read_registered(dataset_id)
    assert_books_balance(source)
    assert source.report.problems == ()
    editions = {edition.month for edition in source.editions}
    tables_from_2021 = dataset_id in ("ons_pfa_firearms", "ons_pfa_fraud")
    assert editions == (NEW_EDITIONS if tables_from_2021 else EDITIONS)
    assert len(source.report.files) == 18
    assert not source.frame.duplicated(["period", "area_code", *source.dimensions]).any(), (
        "one figure per window, area and column"
    )
    if tables_from_2021:
        notes = " ".join(source.report.notes)
        assert notes.count("predates") == 8


def test_p1_june_2019_warwickshire(read_registered: ReadRegistered) -> None:
    frame = read_registered("ons_pfa_p1").frame
    assert _value(frame, JUNE_2019, WARWICKSHIRE, "Homicide") == 1
    assert _value(frame, JUNE_2019, WARWICKSHIRE, "Violence with injury") == 4644
    assert _value(frame, JUNE_2019, WARWICKSHIRE, "Robbery") == 493
    assert _value(frame, JUNE_2019, WARWICKSHIRE, "Total recorded crime (excluding fraud)") == 41923
    assert _value(frame, JUNE_2019, ENGLAND_AND_WALES, "Homicide") == 681


def test_p1_previous_year_tables_fill_the_year_before(read_registered: ReadRegistered) -> None:
    source = read_registered("ons_pfa_p1")
    frame = source.frame
    # From 2021 each edition repeats the previous year ("Table P4 previous year"), revised;
    # the 12 months to September 2021 exist only as the September 2022 edition's previous year.
    assert _value(frame, SEPTEMBER_2021, WARWICKSHIRE, "Violence with injury") == 4082
    assert _value(frame, SEPTEMBER_2021, WARWICKSHIRE, "Homicide") == 10
    assert (
        _file(frame.loc[frame["measure_column"] == "Homicide"], SEPTEMBER_2021, WARWICKSHIRE)
        == SEP22
    )
    assert month_index(2020, 3) in set(frame["period"])  # the March 2021 edition's year before
    assert frame["area_code"].nunique() == 55
    assert source.dimensions == ("measure_column",)


def test_british_transport_police_is_excluded(read_registered: ReadRegistered) -> None:
    report = read_registered("ons_pfa_p1").report
    btp = [item for item in report.exclusions if "British Transport Police" in item.reason]
    assert len(btp) == 1
    assert "not a territorial police force area" in btp[0].reason


def test_knife_crime_september_2021_from_the_september_2022_edition(
    read_registered: ReadRegistered,
) -> None:
    frame = read_registered("ons_pfa_p4_knife").frame
    assert _value(frame, SEPTEMBER_2021, WARWICKSHIRE) == 290
    assert _value(frame, SEPTEMBER_2021, ENGLAND_AND_WALES) == 45_595  # the published row
    assert _file(frame, SEPTEMBER_2021, WARWICKSHIRE) == SEP22
    assert _value(frame, JUNE_2019, WARWICKSHIRE) == 306
    assert _value(frame, DECEMBER_2019, WARWICKSHIRE) == 341
    assert _value(frame, JUNE_2019, ENGLAND_AND_WALES) == 47513


def test_knife_crime_runs_from_2017_to_march_2024(read_registered: ReadRegistered) -> None:
    frame = read_registered("ons_pfa_p4_knife").frame
    warwickshire = frame[frame["area_code"] == WARWICKSHIRE]
    periods = set(warwickshire["period"])
    quarters = {month_index(2017, 6) + 3 * step for step in range(28)}  # June 2017 to March 2024
    gaps = {month_index(2020, month) for month in (6, 9, 12)}  # no 2020 editions are bundled
    assert quarters - gaps <= periods
    assert not gaps & periods
    assert max(periods) == month_index(2024, 3)
    assert warwickshire["value"].notna().all()


def test_the_later_edition_revised_figure_wins(read_registered: ReadRegistered) -> None:
    source = read_registered("ons_pfa_p4_knife")
    frame = source.frame
    # The March 2021 edition gave 349 for the 12 months to March 2020 (the old method);
    # the March 2024 edition restates it as 412, and that is used.
    march_2020 = month_index(2020, 3)
    assert _value(frame, march_2020, WARWICKSHIRE) == 412
    assert _file(frame, march_2020, WARWICKSHIRE) == MAR24
    reasons = {item.reason: item.rows for item in source.report.exclusions}
    assert any("later edition" in reason and "revised" in reason for reason in reasons)


def test_greater_manchester_missing_with_reason_from_september_2019(
    read_registered: ReadRegistered,
) -> None:
    source = read_registered("ons_pfa_p1")
    frame = source.frame
    gmp = frame[frame["area_code"] == GREATER_MANCHESTER]
    missing = gmp[gmp["value"].isna()]
    assert {SEPTEMBER_2019, DECEMBER_2019} <= set(missing["period"])
    assert missing["missing_reason"].notna().all()
    assert gmp[gmp["period"] == JUNE_2019]["value"].notna().all()
    assert frame["value"].isna().sum() == source.report.values_missing
    notes = " ".join(source.report.notes)
    assert "Greater Manchester" in notes and "exclude" in notes


def test_firearm_offences(read_registered: ReadRegistered) -> None:
    frame = read_registered("ons_pfa_firearms").frame
    assert _value(frame, SEPTEMBER_2021, WARWICKSHIRE) == 47
    assert _file(frame, SEPTEMBER_2021, WARWICKSHIRE) == SEP22
    assert _value(frame, month_index(2024, 3), WARWICKSHIRE) == 58
    assert _value(frame, month_index(2010, 3), ENGLAND_AND_WALES) == 8082
    periods = set(frame.loc[frame["area_code"] == WARWICKSHIRE, "period"])
    assert {month_index(year, 3) for year in range(2010, 2025)} <= periods


def test_fraud_and_computer_misuse(read_registered: ReadRegistered) -> None:
    frame = read_registered("ons_pfa_fraud").frame
    assert _value(frame, month_index(2021, 3), WARWICKSHIRE) == 4006
    assert _value(frame, month_index(2022, 9), WARWICKSHIRE) == 2938
    assert _value(frame, month_index(2024, 3), WARWICKSHIRE) == 3046


def test_population_every_mid_year_estimate(read_registered: ReadRegistered) -> None:
    source = read_registered("ons_population")
    frame = source.frame
    expected = {2016: 559_000, 2017: 564_600, 2018: 571_000, 2019: 577_900, 2020: 583_800}
    expected |= {2021: 599_200, 2022: 607_600}
    for year, value in expected.items():
        assert _value(frame, month_index(year, 6), WARWICKSHIRE) == value
    assert _value(frame, month_index(2020, 6), ENGLAND_AND_WALES) == 59_719_700
    # The September and December 2019 editions give England and Wales without Greater
    # Manchester (56,303,200); the complete June 2019 figure is kept.
    assert _value(frame, month_index(2018, 6), ENGLAND_AND_WALES) == 59_115_800
    estimates = {edition.month: edition.population_estimate for edition in source.editions}
    assert estimates[month_index(2022, 9)] == month_index(2020, 6)
    assert estimates[month_index(2021, 3)] == month_index(2019, 6)
    assert estimates[month_index(2024, 3)] == month_index(2022, 6)
    assert frame["area_code"].nunique() == 55


def _copy_tables(catalogue: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "tables"
    shutil.copytree(catalogue / TABLES, folder)
    return folder


def test_a_damaged_edition_is_a_problem_and_the_rest_load(
    tmp_path: Path, areas: AreaRegistry, catalogue: Path
) -> None:
    folder = _copy_tables(catalogue, tmp_path)
    damaged = folder / "pfajun22.xlsx"
    damaged.write_bytes(damaged.read_bytes()[:5000])
    dataset = make_dataset(
        {"kind": "ons_pfa_table", "table": "firearms", "first_edition": "2021-03"}, "tables"
    )
    source = OnsPfaAdapter().read(dataset, folder, tmp_path, areas)
    (problem,) = source.report.problems
    assert problem.path == "tables/pfajun22.xlsx"
    assert "not a readable .xlsx workbook" in problem.detail
    assert_books_balance(source)
    editions = {edition.month for edition in source.editions}
    assert month_index(2022, 6) not in editions
    assert NEW_EDITIONS - {month_index(2022, 6)} <= editions
    assert _value(source.frame, SEPTEMBER_2021, WARWICKSHIRE) == 47


def test_a_renamed_table_names_the_workbook_and_what_was_looked_for(
    tmp_path: Path, areas: AreaRegistry, catalogue: Path
) -> None:
    folder = _copy_tables(catalogue, tmp_path)
    renamed = folder / "policeforceareatablesyesep22.xlsx"
    book = openpyxl.load_workbook(renamed)
    for row in book["Table of Contents"].iter_rows():
        if row[0].value == "Table P9":
            row[1].value = "Offences with guns by area"
    book["Table P9 "]["A1"] = "Table P9: Offences with guns by area"
    book.save(renamed)
    dataset = make_dataset(
        {"kind": "ons_pfa_table", "table": "firearms", "first_edition": "2021-03"}, "tables"
    )
    source = OnsPfaAdapter().read(dataset, folder, tmp_path, areas)
    (problem,) = source.report.problems
    assert problem.path == "tables/policeforceareatablesyesep22.xlsx"
    assert "firearm offences (excluding air weapons)" in problem.detail
    assert "Table of Contents" in problem.detail and "'Table P9 '" in problem.detail
    # The 12 months to September 2021 were only in that edition; the rest still load.
    periods = set(source.frame["period"])
    assert SEPTEMBER_2021 not in periods and month_index(2024, 3) in periods


def test_a_sheet_without_the_table_layout_names_the_sheet(
    tmp_path: Path, areas: AreaRegistry, catalogue: Path
) -> None:
    folder = tmp_path / "tables"
    folder.mkdir()
    name = "pfatablesyedec23.xlsx"
    for each in (name, "pfatablesyemar24final.xlsx"):
        shutil.copyfile(catalogue / TABLES / each, folder / each)
    book = openpyxl.load_workbook(folder / name)
    sheet = book["Table P8 "]
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value in ("Area code", "Area Code"):
                cell.value = "Code"
    book.save(folder / name)
    dataset = make_dataset({"kind": "ons_pfa_table", "table": "firearms"}, "tables")
    source = OnsPfaAdapter().read(dataset, folder, tmp_path, areas)
    (problem,) = source.report.problems
    assert problem.path == "tables/pfatablesyedec23.xlsx: sheet 'Table P8 '"
    assert "'Area Code'" in problem.detail and "firearms" in problem.detail
    assert {edition.month for edition in source.editions} == {month_index(2024, 3)}


def test_marker_cells_give_missing_values_with_reasons(read_registered: ReadRegistered) -> None:
    source = read_registered("ons_pfa_firearms")
    reasons = {item.reason for item in source.report.missing}
    assert reasons, "Devon and Cornwall's firearms figures are marked missing"
    assert source.frame["value"].isna().sum() == source.report.values_missing > 0


def test_header_not_found_says_what_is_there(areas: AreaRegistry, catalogue: Path) -> None:
    dataset = make_dataset(
        {"kind": "ons_pfa_table", "table": "offences_by_group", "value_header": "Knife crime"},
        TABLES,
        grain="quarter",
    )
    with pytest.raises(SourceError) as caught:
        read_dataset(dataset, catalogue, areas)  # no edition has it: the dataset fails
    detail = caught.value.detail
    assert "Knife crime" in detail and "Homicide" in detail
    assert "and 17 more workbook(s) alike" in detail


def test_offences_by_group_needs_a_value_header(areas: AreaRegistry, catalogue: Path) -> None:
    dataset = make_dataset(
        {"kind": "ons_pfa_table", "table": "offences_by_group"}, TABLES, grain="quarter"
    )
    with pytest.raises(SourceError, match="value_header"):
        read_dataset(dataset, catalogue, areas)


def test_editions_option_must_agree_with_the_workbook(
    tmp_path: Path, areas: AreaRegistry, catalogue: Path
) -> None:
    name = "policeforceareatablesyearendingjune2019.xlsx"
    folder = tmp_path / "tables"
    folder.mkdir()
    shutil.copyfile(catalogue / TABLES / name, folder / name)
    adapter = {"kind": "ons_pfa_table", "table": "offences_by_group", "value_header": "Homicide"}
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
        {"kind": "ons_pfa_table", "table": "offences_by_group", "value_header": "Homicide"},
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
        ("Police force area data tables - year ending March 2022", month_index(2022, 3)),
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


_FIGURES = st.lists(
    st.tuples(
        st.integers(0, 3),  # period
        st.sampled_from(["A", "B"]),  # area
        st.one_of(st.just(math.nan), st.integers(0, 50).map(float)),
        st.booleans(),  # partial total
        st.integers(0, 5),  # edition
    ),
    max_size=40,
)


@given(_FIGURES)
def test_revision_precedence_property(
    drawn: list[tuple[int, str, float, bool, int]],
) -> None:
    figures = [
        _Figure(period, code, code, "count", value, None, row, f"e{edition}", edition, partial)
        for row, (period, code, value, partial, edition) in enumerate(drawn)
    ]
    ledger = Ledger("test")
    kept = _prefer_revised(figures, ledger)
    # One figure per window and area, and every other figure accounted for as excluded.
    keys = [(figure.period, figure.code) for figure in kept]
    assert len(keys) == len(set(keys)) == len({(f.period, f.code) for f in figures})
    assert ledger.rows_read == len(figures) == len(kept) + ledger.rows_excluded
    for winner in kept:
        rivals = [f for f in figures if (f.period, f.code) == (winner.period, winner.code)]
        # A number beats a missing value, a complete total a partial one, then the later
        # edition wins; between equals the first read stays.
        assert winner.rank == max(f.rank for f in rivals)
        assert winner is next(f for f in rivals if f.rank == winner.rank)
