"""The ONS workbooks' cells in the parse cache: a cached read is the parsed read, byte for byte."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from framework.areas.registry import AreaRegistry
from framework.sources.adapters import ons_pfa
from framework.sources.adapters.ons_pfa import OnsPfaAdapter
from framework.sources.base import SourceFrame
from framework.sources.cache import CACHE_ENV
from framework.sources.ons_cache import (
    NotRecordedError,
    RecordingBook,
    ReplayedBook,
    cache_table,
)
from framework.sources.xlsx_values import Cell, XlsxBook
from tests.sources.helpers import make_dataset

TABLES = "data/ons-pfa-tables"
FIREARMS = {"kind": "ons_pfa_table", "table": "firearms", "first_edition": "2021-03"}


@pytest.fixture
def tables(tmp_path: Path, catalogue: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return a folder holding a copy of the bundled editions; the cache is in tmp."""
    shutil.copytree(catalogue / TABLES, tmp_path / "tables")
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Return the names of the workbooks parsed (not answered from the cache), as they open."""
    names: list[str] = []
    real = ons_pfa._open

    def counting(workbook: Path, name: str) -> XlsxBook:
        names.append(name)
        return real(workbook, name)

    monkeypatch.setattr(ons_pfa, "_open", counting)
    return names


def read(root: Path, areas: AreaRegistry) -> SourceFrame:
    dataset = make_dataset(FIREARMS, "tables")
    return OnsPfaAdapter().read(dataset, root / "tables", root, areas)


def entries(root: Path) -> list[Path]:
    return sorted((root / "cache").glob("*.parquet"))


def assert_same(cached: SourceFrame, parsed: SourceFrame) -> None:
    """Figures, provenance, ledger, findings and editions all alike."""
    pd.testing.assert_frame_equal(cached.frame, parsed.frame, check_exact=True)
    assert cached.report == parsed.report
    assert cached.dimensions == parsed.dimensions
    assert cached.editions == parsed.editions


def workbooks(root: Path) -> list[str]:
    return sorted(f"tables/{path.name}" for path in (root / "tables").glob("*.xlsx"))


def test_a_cached_read_is_the_parsed_read(
    tables: Path, areas: AreaRegistry, opened: list[str]
) -> None:
    parsed = read(tables, areas)
    assert sorted(opened) == workbooks(tables)
    assert len(entries(tables)) == len(workbooks(tables))  # one entry per workbook
    opened.clear()
    cached = read(tables, areas)
    assert opened == []  # every workbook answered from the cache
    assert_same(cached, parsed)
    assert any("predates firearms" in note for note in parsed.report.notes)
    assert len(parsed.frame) > 0


def test_a_tampered_entry_is_a_miss_and_the_workbook_is_parsed(
    tables: Path, areas: AreaRegistry, opened: list[str]
) -> None:
    parsed = read(tables, areas)
    entry = max(entries(tables), key=lambda path: path.stat().st_size)
    data = bytearray(entry.read_bytes())
    # A cell's text changed in place: still a well-formed file of the same size.
    at = data.rindex(b"Warwickshire") if b"Warwickshire" in data else len(data) // 2
    data[at] ^= 0x20
    entry.write_bytes(bytes(data))
    opened.clear()
    again = read(tables, areas)
    assert len(opened) == 1  # only the workbook of the tampered entry
    assert_same(again, parsed)
    opened.clear()
    assert_same(read(tables, areas), parsed)  # the entry was written again
    assert opened == []


def test_an_edition_that_fails_is_never_cached(
    tables: Path, areas: AreaRegistry, opened: list[str]
) -> None:
    damaged = tables / "tables" / "pfajun22.xlsx"
    damaged.write_bytes(damaged.read_bytes()[:5000])
    _far_row(tables / "tables" / "pfatablesyedec23.xlsx")
    parsed = read(tables, areas)
    problems = {problem.path: problem.detail for problem in parsed.report.problems}
    assert "tables/pfajun22.xlsx" in problems
    (far,) = [path for path in problems if path.startswith("tables/pfatablesyedec23.xlsx")]
    assert "row" in problems[far]
    assert len(entries(tables)) == len(workbooks(tables)) - 2
    opened.clear()
    cached = read(tables, areas)
    assert sorted(opened) == ["tables/pfajun22.xlsx", "tables/pfatablesyedec23.xlsx"]
    assert_same(cached, parsed)


def _far_row(path: Path) -> None:
    """Give every sheet of a workbook a row beyond Excel's last, at its end."""
    with zipfile.ZipFile(path) as book:
        parts = {info.filename: book.read(info) for info in book.infolist()}
    for name, data in parts.items():
        if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name):
            parts[name] = data.replace(
                b"</sheetData>", b'<row r="2000000"><c r="A2000000"><v>1</v></c></row></sheetData>'
            )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in parts.items():
            book.writestr(name, data)


class _Book:
    """A workbook of given sheets, as the reader sees one."""

    def __init__(self, sheets: dict[str, list[tuple[Cell, ...]]]) -> None:
        self.sheets = sheets

    @property
    def sheetnames(self) -> list[str]:
        return list(self.sheets)

    def rows(self, sheet: str, max_row: int | None = None) -> list[tuple[Cell, ...]]:
        rows = self.sheets[sheet]
        return list(rows if max_row is None else rows[:max_row])


CELLS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.text(),
)
SHEETS = st.dictionaries(
    st.text(min_size=1, max_size=8),
    st.lists(st.lists(CELLS, max_size=5).map(tuple), max_size=6),
    min_size=1,
    max_size=3,
)


@given(SHEETS, st.one_of(st.none(), st.integers(min_value=1, max_value=4)))
def test_replayed_cells_are_the_recorded_cells_type_for_type(
    sheets: dict[str, list[tuple[Cell, ...]]], max_row: int | None
) -> None:
    recording = RecordingBook(_Book(sheets))
    answers = {name: recording.rows(name, max_row) for name in recording.sheetnames}
    replayed = ReplayedBook(cache_table(recording))
    assert replayed.sheetnames == list(sheets)
    for name, rows in answers.items():
        again = replayed.rows(name, max_row)
        assert again == rows
        # 5 and 5.0 and True compare equal; their types must come back as they went.
        assert [[type(cell) for cell in row] for row in again] == [
            [type(cell) for cell in row] for row in rows
        ]
    with pytest.raises(NotRecordedError):
        replayed.rows(next(iter(sheets)), 99 if max_row is None else None)
