"""No spreadsheet can hang a read or exhaust memory: every bound is a finding naming the sheet."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest

from framework.areas.registry import AreaRegistry
from framework.sources.adapters.home_office import read_spreadsheet
from framework.sources.base import SourceError
from framework.sources.registry import read_dataset
from framework.sources.spreadsheet_bounds import check_workbook
from framework.sources.xlsx_values import XlsxBook
from tests.hostile.spreadsheets import HOSTILE, hostile_workbook, workbook
from tests.sources.helpers import make_dataset

ROWS = [("period", "area", "value"), ("2021-06", "Warwickshire", 3), ("2021-07", "Norfolk", 4)]
TIDY_EXCEL = {"kind": "tidy", "format": "excel", "value_column": "value"}
SECONDS = 5.0


def _refused(call: object, where: str) -> SourceError:
    started = time.monotonic()
    with pytest.raises(SourceError) as caught:
        call()  # type: ignore[operator]
    assert time.monotonic() - started < SECONDS
    assert caught.value.path.startswith(where), caught.value.path
    return caught.value


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_tidy_workbook_past_a_bound_is_refused_naming_workbook_and_sheet(
    tmp_path: Path, areas: AreaRegistry, name: str
) -> None:
    (tmp_path / "counts.xlsx").write_bytes(hostile_workbook(ROWS, name))
    dataset = make_dataset(TIDY_EXCEL, "counts.xlsx")
    error = _refused(lambda: read_dataset(dataset, tmp_path, areas), "counts.xlsx")
    assert "sheet 'Data'" in error.path or "part xl/worksheets/sheet1.xml" in error.path
    assert error.hint


# The lean reader pads each row only to its own last cell: a far corner costs it little.
@pytest.mark.parametrize("name", sorted(set(HOSTILE) - {"cell-far-corner"}))
def test_the_lean_reader_is_bounded_too(tmp_path: Path, name: str) -> None:
    path = tmp_path / "book.xlsx"
    path.write_bytes(hostile_workbook(ROWS, name))

    def read() -> object:
        with XlsxBook(path, "tables/book.xlsx") as book:
            return book.rows("Data")

    _refused(read, "tables/book.xlsx")


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_the_home_office_reader_checks_before_calamine_allocates(tmp_path: Path, name: str) -> None:
    path = tmp_path / "prc.xlsx"
    path.write_bytes(hostile_workbook(ROWS, name))
    _refused(lambda: read_spreadsheet(path, "prc.xlsx"), "prc.xlsx")


def test_a_plain_workbook_passes_and_reads(tmp_path: Path, areas: AreaRegistry) -> None:
    (tmp_path / "counts.xlsx").write_bytes(workbook(ROWS))
    check_workbook(tmp_path / "counts.xlsx", "counts.xlsx")
    source = read_dataset(make_dataset(TIDY_EXCEL, "counts.xlsx"), tmp_path, areas)
    assert sorted(source.frame["value"].tolist()) == [3.0, 4.0]


def test_the_bundled_workbooks_are_within_the_bounds(catalogue: Path) -> None:
    for path in sorted((catalogue / "data" / "ons-pfa-tables").glob("*.xlsx")):
        check_workbook(path, path.name)


def _ods(rows_repeated: int, columns_repeated: int) -> bytes:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
        '<office:body><office:spreadsheet><table:table table:name="Data">'
        f'<table:table-row table:number-rows-repeated="{rows_repeated}">'
        f'<table:table-cell table:number-columns-repeated="{columns_repeated}"'
        ' office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'
        "</table:table-row>"
        '<table:table-row table:number-rows-repeated="1048000">'
        "<table:table-cell/></table:table-row>"
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        book.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        book.writestr("content.xml", content)
    return out.getvalue()


@pytest.mark.parametrize(
    ("rows", "columns", "refused"),
    [(3, 3, False), (2_000_000, 1, True), (1, 20_000, True), (10_000, 10_000, True)],
)
def test_repeated_ods_cells_count_against_the_bounds(
    tmp_path: Path, rows: int, columns: int, refused: bool
) -> None:
    path = tmp_path / "prc.ods"
    path.write_bytes(_ods(rows, columns))
    if refused:
        error = _refused(lambda: check_workbook(path, "prc.ods"), "prc.ods: sheet 'Data'")
        assert error.detail
    else:
        check_workbook(path, "prc.ods")  # trailing empty rows repeated are not counted


def test_an_xls_file_is_checked_by_size_only(tmp_path: Path) -> None:
    path = tmp_path / "prc.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + bytes(100))  # not a zip: the binary format
    check_workbook(path, "prc.xls")
