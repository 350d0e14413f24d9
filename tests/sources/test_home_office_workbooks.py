"""The Home Office table as published: ODS or xlsx split over sheets, or CSV: same figures."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import pandas as pd
import pytest

from framework.areas.registry import AreaRegistry
from framework.sources.adapters.home_office import COLUMNS, HomeOfficeAdapter
from framework.sources.base import SourceError, SourceFrame
from tests.sources.helpers import CATALOGUE, assert_books_balance, make_dataset

BUNDLED = CATALOGUE / "data" / "home-office-prc" / "prc_pfa_quarterly.parquet"
FORCES = ["Warwickshire", "British Transport Police", "Northamptonshire"]
YEARS = ["2019/20", "2021/22"]
DIMENSIONS = ["offence_code", "offence_description", "offence_group", "offence_subgroup"]


@cache
def bundled_rows() -> pd.DataFrame:
    """Return a subset of the bundled rows: Warwickshire, a neighbour and BTP, two years."""
    table = pd.read_parquet(BUNDLED)
    rows = table.loc[table["Force Name"].isin(FORCES) & table["Financial Year"].isin(YEARS)]
    return rows.astype({name: "object" for name in rows.columns if name not in _NUMBERS})


_NUMBERS = ("Financial Quarter", "Number of Offences")


def _as_published(rows: pd.DataFrame) -> pd.DataFrame:
    # Spreadsheets hold numeric offence codes as numbers (8, 4.1) and the rest as text.
    def code(value: object) -> object:
        try:
            return float(str(value))
        except ValueError:
            return value

    return rows.assign(**{"Offence Code": rows["Offence Code"].map(code)})


def write_workbook(path: Path, engine: Literal["odf", "openpyxl"]) -> None:
    """Write the subset split by financial year over sheets, with a cover and a title row."""
    rows = _as_published(bundled_rows())
    with pd.ExcelWriter(path, engine=engine) as writer:
        pd.DataFrame({"About": ["Police recorded crime, Police Force Area open data"]}).to_excel(
            writer, sheet_name="Cover", index=False
        )
        for number, year in enumerate(YEARS):
            sheet = rows.loc[rows["Financial Year"] == year]
            # The first data sheet has a title row above its headers, as published sheets do.
            title = [["Title of the table", *[None] * 7]] if number == 0 else []
            cells = [*title, list(COLUMNS), *sheet.itertuples(index=False, name=None)]
            pd.DataFrame(cells).to_excel(
                writer, sheet_name=year.replace("/", "-"), index=False, header=False
            )


def read(path: Path, root: Path, areas: AreaRegistry) -> SourceFrame:
    dataset = make_dataset(
        {"kind": "home_office_prc"}, path.name, grain="quarter", dimensions=DIMENSIONS
    )
    source = HomeOfficeAdapter().read(dataset, path, root, areas)
    assert_books_balance(source)
    return source


def figures(source: SourceFrame) -> pd.DataFrame:
    frame = source.frame[["period", "area_code", *DIMENSIONS, "value"]]
    frame = frame.astype({name: "string" for name in ["area_code", *DIMENSIONS]})
    return frame.sort_values(["period", "area_code", *DIMENSIONS, "value"]).reset_index(drop=True)


@pytest.fixture(scope="module")
def from_csv(tmp_path_factory: pytest.TempPathFactory) -> SourceFrame:
    folder = tmp_path_factory.mktemp("csv")
    bundled_rows().to_csv(folder / "prc.csv", index=False)
    from framework.sources.area_list import default_registry

    return read(folder / "prc.csv", folder, default_registry(CATALOGUE))


@pytest.mark.parametrize(("suffix", "engine"), [("ods", "odf"), ("xlsx", "openpyxl")])
def test_a_multi_sheet_workbook_gives_the_figures_of_the_csv(
    suffix: str,
    engine: Literal["odf", "openpyxl"],
    tmp_path: Path,
    areas: AreaRegistry,
    from_csv: SourceFrame,
) -> None:
    path = tmp_path / f"prc-pfa.{suffix}"
    write_workbook(path, engine)
    source = read(path, tmp_path, areas)
    pd.testing.assert_frame_equal(figures(source), figures(from_csv))
    assert source.report.rows_read == from_csv.report.rows_read == len(bundled_rows())
    assert source.report.rows_used == from_csv.report.rows_used
    # British Transport Police: left out by design, in both forms alike.
    (btp,) = source.report.exclusions
    assert btp.expected and btp.rows == (bundled_rows()["Force Name"] == FORCES[1]).sum()
    # A row is traced to its sheet and its row number there: the first sheet's header is on
    # row 2 (a title above it), so its rows start on row 3; the others' on row 2.
    rows = bundled_rows()
    for number, year in enumerate(YEARS):
        sheet = f"prc-pfa.{suffix} [{year.replace('/', '-')}]"
        written = rows.loc[rows["Financial Year"] == year, "Force Name"].to_numpy()
        first = 3 if number == 0 else 2
        expected = [first + i for i, force in enumerate(written) if force != FORCES[1]]
        traced = source.frame.loc[source.frame["source_file"] == sheet, "source_row"]
        assert sorted(traced) == expected
    assert btp.listed[0].file.startswith(f"prc-pfa.{suffix} [")
    assert any("Cover" in note for note in source.report.notes)


def test_a_workbook_without_the_headers_is_refused_with_what_was_looked_for(
    tmp_path: Path, areas: AreaRegistry
) -> None:
    path = tmp_path / "other.xlsx"
    pd.DataFrame({"Force": ["Warwickshire"], "Count": [3]}).to_excel(path, index=False)
    with pytest.raises(SourceError, match="no sheet has the Home Office table's headers") as error:
        read(path, tmp_path, areas)
    assert all(column in error.value.detail for column in COLUMNS)
    assert "Sheet1" in error.value.detail
