"""Read cell values from an .xlsx workbook quickly: sheet names and rows, nothing else.

openpyxl parses every style, defined name and external link before it gives a single value,
which costs ~0.2 s per ONS workbook; the tables need only values. An .xlsx file is a zip of
XML parts, and values live in the sheet parts and the shared-strings part, so this reads just
those. Numbers come back as int or float, text as str, booleans as bool, error cells as their
code ("#N/A"); dates are not converted (the ONS tables hold none).
"""

from __future__ import annotations

import posixpath
import re
import threading
import time
import zipfile
from collections import OrderedDict
from pathlib import Path
from xml.etree import ElementTree

from framework.sources import spreadsheet_bounds as bounds

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_DOC_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL_REF = re.compile(r"^(?P<column>[A-Z]+)(?P<row>\d+)$")

Cell = str | int | float | bool | None

_MEMO: OrderedDict[tuple[object, ...], list[tuple[Cell, ...]]] = OrderedDict()
"""Rows already read in this process, by file identity, sheet and row limit.

Several datasets read the same ONS workbooks (five tables of eighteen editions): each
sheet is parsed once per process. The key holds the file's path, size and modification
time, so a changed file is read again."""
_MEMO_SIZE = 1024
_MEMO_LOCK = threading.Lock()


def _column_index(letters: str) -> int:
    """Return the 0-based index of a column's letters ("A" → 0, "AA" → 26)."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _text_of(element: ElementTree.Element) -> str:
    """Join the text runs of a string item, leaving out phonetic guides (``rPh``)."""
    parts = []
    for child in element:
        if child.tag == f"{_MAIN}t":
            parts.append(child.text or "")
        elif child.tag == f"{_MAIN}r":
            parts.extend(run.text or "" for run in child if run.tag == f"{_MAIN}t")
    return "".join(parts)


def _number(text: str) -> int | float:
    """Return a stored number as int when it is written as a whole number, else float."""
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    return float(text)


def sheet_parts(book: zipfile.ZipFile) -> dict[str, str]:
    """Return each sheet's name and the zip part holding it, in workbook order."""
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_PKG_REL}Relationship")}
    parts: dict[str, str] = {}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_DOC_REL}id"), "")
        part = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join("xl", target))
        )
        parts[sheet.get("name", "")] = part
    return parts


class XlsxBook:
    """An open .xlsx file: its sheet names, and the values of any sheet's rows."""

    def __init__(self, path: Path, name: str | None = None) -> None:
        stat = path.stat()
        self._identity = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
        self.name = name or path.name
        """How findings name the workbook."""
        self._zip = zipfile.ZipFile(path)
        budget = bounds.Budget(self.name, time.monotonic())
        for info in self._zip.infolist():
            bounds.check_ratio(info, budget)
        self._parts = self._sheet_parts()
        self._strings: list[str] | None = None

    def __enter__(self) -> XlsxBook:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the underlying zip file."""
        self._zip.close()

    @property
    def sheetnames(self) -> list[str]:
        """Return the sheet names in workbook order, exactly as written (spaces kept)."""
        return list(self._parts)

    def _sheet_parts(self) -> dict[str, str]:
        return sheet_parts(self._zip)

    def _shared_strings(self) -> list[str]:
        if self._strings is None:
            try:
                data = self._zip.read("xl/sharedStrings.xml")
            except KeyError:
                data = b""
            root = ElementTree.fromstring(data) if data else None
            self._strings = (
                [] if root is None else [_text_of(item) for item in root.iter(f"{_MAIN}si")]
            )
        return self._strings

    def rows(self, sheet: str, max_row: int | None = None) -> list[tuple[Cell, ...]]:
        """Return a sheet's rows as tuples of values; ``rows[i]`` is spreadsheet row ``i + 1``.

        Empty rows in between are included (as empty tuples), so positions match row numbers.
        """
        key = (*self._identity, sheet, max_row)
        with _MEMO_LOCK:
            if key in _MEMO:
                _MEMO.move_to_end(key)
                return list(_MEMO[key])
        out = self._read_rows(sheet, max_row)
        with _MEMO_LOCK:
            _MEMO[key] = out
            while len(_MEMO) > _MEMO_SIZE:
                _MEMO.popitem(last=False)
        return list(out)

    def _read_rows(self, sheet: str, max_row: int | None) -> list[tuple[Cell, ...]]:
        strings = self._shared_strings()
        grid: dict[int, dict[int, Cell]] = {}
        last_row = 0
        where = f": sheet {sheet!r}"
        budget = bounds.Budget(self.name, time.monotonic())
        info = self._zip.getinfo(self._parts[sheet])
        stream = bounds.ChunkStream(bounds.chunks(self._zip, info, where, budget))
        # The row and column numbers are the file's word: each is checked against the
        # bounds before the grid is built, so an edited one cannot grow it without limit.
        for _, element in ElementTree.iterparse(stream):
            if element.tag != f"{_MAIN}row":
                continue
            text = element.get("r")
            row_number = bounds.bounded_row(text.encode(), where, budget) if text else last_row + 1
            last_row = row_number
            if max_row is not None and row_number > max_row:
                break
            cells: dict[int, Cell] = {}
            position = -1
            for cell in element.iter(f"{_MAIN}c"):
                match = _CELL_REF.match(cell.get("r") or "")
                position = _column_index(match["column"]) if match else position + 1
                if position >= bounds.MAX_COLUMNS:
                    raise budget.breach(where, f"a cell lies beyond column XFD in row {row_number}")
                cells[position] = self._value(cell, strings)
            grid[row_number] = cells
            element.clear()  # keep memory flat on big sheets
            if row_number % 1024 == 0:
                budget.tick(where)
        out: list[tuple[Cell, ...]] = []
        padded = 0
        for row_number in range(1, max(grid, default=0) + 1):
            cells = grid.get(row_number, {})
            width = max(cells, default=-1) + 1
            padded += width + 1
            if padded > bounds.MAX_CELLS:
                raise budget.breach(where, f"the sheet spans over {bounds.MAX_CELLS:,} cells")
            out.append(tuple(cells.get(index) for index in range(width)))
        return out

    @staticmethod
    def _value(cell: ElementTree.Element, strings: list[str]) -> Cell:
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            inline = cell.find(f"{_MAIN}is")
            return _text_of(inline) if inline is not None else ""
        value = cell.find(f"{_MAIN}v")
        if value is None or value.text is None:
            return None
        text = value.text
        if kind == "s":
            return strings[int(text)]
        if kind == "b":
            return text.strip() == "1"
        if kind in ("str", "e"):
            return text
        return _number(text)
