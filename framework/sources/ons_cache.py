"""Keep the cells the ONS reader took from a workbook in the parse cache, and replay them.

Reading the ONS Police Force Area workbooks is mostly unzipping and parsing sheet XML: 18
editions take seconds on every run though they never change. The reader asks a workbook
for two things only, its sheet names and the rows of a sheet (whole, or its first few
rows), so a :class:`RecordingBook` notes each answer while the workbook is parsed, and
:func:`cache_table` stores them in the content-addressed cache
(:mod:`framework.sources.cache`) under the workbook's SHA-256. On the next run a
:class:`ReplayedBook` gives the same answers from the entry, and everything after the cells
(finding the table, its columns, areas, figures, the ledger, the findings) is computed again
as before, so a cached read and a parsed one cannot differ.

Only a workbook read to the end without an error is stored: one that breaches the
spreadsheet bounds, is damaged or lacks the table is parsed (and reported) on every run. A
question the entry cannot answer (another sheet, more rows) raises :class:`NotRecordedError` and
the reader parses the workbook instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from framework.sources.xlsx_values import Cell

if TYPE_CHECKING:
    import pyarrow as pa

FORM = "ons-pfa workbook cells v1"
"""The cache form's prefix: what is kept and its format version (change it with the format)."""
_SHEETS = "sheets"
_ROWS = "rows"


class WorkbookCells(Protocol):
    """What the ONS reader asks of a workbook."""

    @property
    def sheetnames(self) -> list[str]:
        """Return the sheet names in workbook order."""
        ...

    def rows(self, sheet: str, max_row: int | None = None) -> list[tuple[Cell, ...]]:
        """Return a sheet's rows (up to ``max_row``) as tuples of cell values."""
        ...


class NotRecordedError(Exception):
    """A cache entry was asked for cells it does not hold."""


def schema() -> pa.Schema:
    """Return the columns of an entry: one row per answer the workbook gave."""
    import pyarrow as pa

    return pa.schema(
        [
            pa.field("part", pa.string(), nullable=False),
            pa.field("sheet", pa.string()),
            pa.field("max_row", pa.int64()),
            pa.field("cells", pa.string(), nullable=False),
        ]
    )


@dataclass
class RecordingBook:
    """A workbook that notes every answer it gives, to be stored once the read succeeds."""

    book: WorkbookCells
    answers: dict[tuple[str, int | None], list[tuple[Cell, ...]]] = field(default_factory=dict)

    @property
    def sheetnames(self) -> list[str]:
        """Return the workbook's sheet names."""
        return self.book.sheetnames

    def rows(self, sheet: str, max_row: int | None = None) -> list[tuple[Cell, ...]]:
        """Return the workbook's rows of ``sheet``, noting them."""
        found = self.book.rows(sheet, max_row)
        self.answers.setdefault((sheet, max_row), list(found))
        return found


def cache_table(recording: RecordingBook) -> pa.Table:
    """Return what a recording holds as an entry's table.

    Cells are kept as JSON, which tells a whole number (``5``) from a float (``5.0``), text
    from numbers and booleans, and an empty cell (``null``) from an empty row (``[]``), so
    each value comes back with its own type and ``rows[i]`` is again spreadsheet row
    ``i + 1``. Floats are written with ``repr``, which reads back to the same float.
    """
    import pyarrow as pa

    parts = [_SHEETS]
    sheets: list[str | None] = [None]
    limits: list[int | None] = [None]
    cells = [json.dumps(recording.sheetnames, ensure_ascii=False)]
    for (sheet, max_row), rows in recording.answers.items():
        parts.append(_ROWS)
        sheets.append(sheet)
        limits.append(max_row)
        cells.append(json.dumps(rows, ensure_ascii=False))
    return pa.table(
        {"part": parts, "sheet": sheets, "max_row": limits, "cells": cells}, schema=schema()
    )


class ReplayedBook:
    """A workbook answered from a cache entry: its sheet names and the rows recorded."""

    def __init__(self, table: pa.Table) -> None:
        parts = table.column("part").to_pylist()
        sheets = table.column("sheet").to_pylist()
        limits = table.column("max_row").to_pylist()
        cells = table.column("cells").to_pylist()
        self._names: list[str] | None = None
        self._answers: dict[tuple[str, int | None], str] = {}
        for part, sheet, max_row, text in zip(parts, sheets, limits, cells, strict=True):
            if part == _SHEETS:
                self._names = [str(name) for name in json.loads(text)]
            elif part == _ROWS and sheet is not None:
                self._answers[(sheet, max_row)] = text
        if self._names is None:
            raise NotRecordedError("the entry holds no sheet names")

    @property
    def sheetnames(self) -> list[str]:
        """Return the sheet names recorded."""
        assert self._names is not None  # checked when the entry was opened
        return list(self._names)

    def rows(self, sheet: str, max_row: int | None = None) -> list[tuple[Cell, ...]]:
        """Return the rows recorded for ``sheet`` and ``max_row``, or raise NotRecordedError."""
        text = self._answers.get((sheet, max_row))
        if text is None:
            raise NotRecordedError(f"no rows of sheet {sheet!r} (to row {max_row}) in the entry")
        return [tuple(row) for row in json.loads(text)]
