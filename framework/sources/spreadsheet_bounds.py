"""Refuse a spreadsheet whose size or shape could hang the process or exhaust its memory.

An .xlsx or .ods file is a zip of XML parts, and a reader trusts what the XML says: one
edited cell (``<row r="2000000000">``, ``r="ZZZZZZZ200"``) makes a reader allocate the whole
grid up to it, and a small file can hold a sheet that expands to gigabytes. Every workbook
is checked here before a reader opens it, by streaming its parts once:

- no part expands beyond :data:`MAX_PART_BYTES`, or more than :data:`MAX_RATIO` times its
  compressed size when it is larger than :data:`RATIO_FLOOR`, and the whole book not beyond
  :data:`MAX_BOOK_BYTES`;
- no sheet addresses a row beyond :data:`MAX_ROWS` or a column beyond :data:`MAX_COLUMNS`
  (Excel's own limits), and no sheet's grid (rows by columns) beyond :data:`MAX_CELLS`;
- the check ends within :data:`MAX_SECONDS`.

A breach is a :class:`~framework.sources.base.SourceError` naming the workbook and sheet.
"""

from __future__ import annotations

import re
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from framework.sources.base import SourceError

MAX_ROWS = 1_048_576
"""Excel's own limit of rows in a sheet."""
MAX_COLUMNS = 16_384
"""Excel's own limit of columns (XFD)."""
MAX_CELLS = 10_000_000
"""The largest grid (last row by last column) a sheet may span."""
MAX_PART_BYTES = 256 * 1024 * 1024
"""The most one part of a workbook may expand to."""
MAX_BOOK_BYTES = 1024 * 1024 * 1024
"""The most all parts of a workbook together may expand to."""
MAX_RATIO = 200
"""How many times its compressed size a large part may expand to (XML compresses ~10-30x)."""
RATIO_FLOOR = 16 * 1024 * 1024
"""Parts smaller than this may compress as well as they like."""
MAX_SECONDS = 20.0
"""How long the check of one workbook may take."""
HINT = (
    "Open the workbook and save it again, or export the sheet as CSV: a sheet this large or "
    "this shaped is refused so that reading it cannot exhaust the machine."
)
_CHUNK = 1 << 20
_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*?\sr=\"([^\"]*)\"")
_CELL = re.compile(rb"<(?:\w+:)?c\b[^>]*?\sr=\"([A-Za-z]+)(\d+)\"")
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


@dataclass
class Budget:
    """The bytes and seconds left for one workbook."""

    name: str
    started: float
    bytes_left: int = MAX_BOOK_BYTES

    def breach(self, where: str, detail: str) -> SourceError:
        """Return the error naming the workbook and ``where`` in it (a sheet, a part)."""
        return SourceError(f"{self.name}{where}", detail, HINT)

    def tick(self, where: str) -> None:
        """Raise when the workbook has taken longer than :data:`MAX_SECONDS`."""
        if time.monotonic() - self.started > MAX_SECONDS:
            raise self.breach(where, f"checking the workbook took over {MAX_SECONDS:.0f} s")


def check_workbook(path: Path, name: str) -> None:
    """Raise :class:`SourceError` when the .xlsx or .ods workbook breaches a bound.

    An .xls file is not a zip but a binary format whose row and column numbers are 16 and
    8 bits wide, so its grid cannot pass 65,536 by 256 cells; only its size is checked.
    """
    budget = Budget(name, time.monotonic())
    if path.suffix.lower() == ".xls":
        size = path.stat().st_size
        if size > MAX_PART_BYTES:
            raise budget.breach("", f"the file is {size:,} bytes (at most {MAX_PART_BYTES:,})")
        return
    try:
        with zipfile.ZipFile(path) as book:
            sheets = _xlsx_sheet_names(book)
            for info in book.infolist():
                check_ratio(info, budget)
            for info in book.infolist():
                part = info.filename
                if part in sheets:
                    _scan_xlsx_sheet(book, info, f": sheet {sheets[part]!r}", budget)
                elif part == "content.xml":
                    _scan_ods_content(book, info, budget)
                else:
                    _drain(book, info, budget)
    except zipfile.BadZipFile as error:
        raise SourceError(name, f"not a readable workbook: {error}", HINT) from error


def check_ratio(info: zipfile.ZipInfo, budget: Budget) -> None:
    """Refuse a part whose declared size already breaches a bound."""
    where = f": part {info.filename}"
    if info.file_size > MAX_PART_BYTES:
        raise budget.breach(
            where, f"expands to {info.file_size:,} bytes (at most {MAX_PART_BYTES:,})"
        )
    if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise budget.breach(
            where,
            f"expands {info.file_size // max(info.compress_size, 1):,} times, from "
            f"{info.compress_size:,} to {info.file_size:,} bytes: a compression bomb",
        )


def chunks(
    book: zipfile.ZipFile, info: zipfile.ZipInfo, where: str, budget: Budget
) -> Iterator[bytes]:
    """Yield a part's bytes, counting them against the part's and the book's bounds."""
    seen = 0
    with book.open(info) as handle:
        while chunk := handle.read(_CHUNK):
            seen += len(chunk)
            budget.bytes_left -= len(chunk)
            if seen > MAX_PART_BYTES or seen > max(info.file_size, 0) + _CHUNK:
                raise budget.breach(where, f"expands beyond {MAX_PART_BYTES:,} bytes")
            if budget.bytes_left < 0:
                raise budget.breach(where, f"the workbook expands beyond {MAX_BOOK_BYTES:,} bytes")
            budget.tick(where)
            yield chunk


def _drain(book: zipfile.ZipFile, info: zipfile.ZipInfo, budget: Budget) -> None:
    for _ in chunks(book, info, f": part {info.filename}", budget):
        pass


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
        if number > MAX_COLUMNS:
            return MAX_COLUMNS + 1  # no need to grow a number for ZZZZZZZ
    return number


def _scan_xlsx_sheet(
    book: zipfile.ZipFile, info: zipfile.ZipInfo, where: str, budget: Budget
) -> None:
    """Check every row and cell address of a sheet part against the bounds."""
    last_row = last_column = 0
    tail = b""
    for chunk in chunks(book, info, where, budget):
        text = tail + chunk
        # An address cut by the chunk's end is matched with the next chunk.
        cut = max(text.rfind(b"<"), len(text) - 256)
        for match in _ROW.finditer(text, 0, cut):
            last_row = max(last_row, bounded_row(match.group(1), where, budget))
        for match in _CELL.finditer(text, 0, cut):
            last_row = max(last_row, bounded_row(match.group(2), where, budget))
            column = _column_number(match.group(1))
            if column > MAX_COLUMNS:
                letters = match.group(1)[:12].decode("ascii", "replace")
                raise budget.breach(
                    where,
                    f"a cell in column {letters} lies beyond column XFD ({MAX_COLUMNS:,}), "
                    "the last a sheet can have",
                )
            last_column = max(last_column, column)
        tail = text[cut:]
    _check_grid(last_row, last_column, where, budget)


def bounded_row(digits: bytes, where: str, budget: Budget) -> int:
    """Return a row number read from the sheet, or raise when it is past the last row."""
    if not digits.isdigit():
        shown = digits[:20].decode("ascii", "replace")
        raise budget.breach(where, f"the row number {shown!r} is not a number")
    if len(digits) > 8 or int(digits) > MAX_ROWS:
        shown = digits[:20].decode("ascii")
        raise budget.breach(
            where,
            f"row {shown} lies beyond row {MAX_ROWS:,}, the last a sheet can have",
        )
    return int(digits)


def _check_grid(rows: int, columns: int, where: str, budget: Budget) -> None:
    if rows * columns > MAX_CELLS:
        raise budget.breach(
            where,
            f"the sheet spans {rows:,} rows by {columns:,} columns, over {MAX_CELLS:,} cells",
        )


def _scan_ods_content(book: zipfile.ZipFile, info: zipfile.ZipInfo, budget: Budget) -> None:
    """Check an OpenDocument spreadsheet's tables: repeated rows and cells that hold values."""
    stream = ChunkStream(chunks(book, info, ": content.xml", budget))
    table = ""
    rows = width = position = 0
    try:
        for event, element in ElementTree.iterparse(stream, events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == f"{_TABLE}table":
                    table, rows, width, position = element.get(f"{_TABLE}name", ""), 0, 0, 0
                continue
            if tag == f"{_TABLE}table-row":
                repeat = int(element.get(f"{_TABLE}number-rows-repeated", "1") or 1)
                columns = _ods_row_width(element)
                position += repeat
                if columns:
                    rows, width = position, max(width, columns)
                    where = f": sheet {table!r}"
                    if rows > MAX_ROWS:
                        raise budget.breach(
                            where,
                            f"rows reach {rows:,}, beyond {MAX_ROWS:,}, the most a sheet can have",
                        )
                    if width > MAX_COLUMNS:
                        raise budget.breach(
                            where, f"a row spans {width:,} columns, beyond {MAX_COLUMNS:,}"
                        )
                    _check_grid(rows, width, where, budget)
                element.clear()
                budget.tick(f": sheet {table!r}")
    except ElementTree.ParseError as error:
        raise budget.breach(
            ": content.xml", f"the spreadsheet's XML is damaged: {error}"
        ) from error


def _ods_row_width(row: ElementTree.Element) -> int:
    """Return the columns a row spans up to its last cell holding a value (0 if none)."""
    width = last = 0
    for cell in row:
        repeat = int(cell.get(f"{_TABLE}number-columns-repeated", "1") or 1)
        width += repeat
        if cell.get(f"{_OFFICE}value-type") is not None or len(cell):
            last = width
    return last


class ChunkStream:
    """A file-like view of an iterator of byte chunks, for ``iterparse``."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks

    def read(self, size: int = -1) -> bytes:
        """Return the next chunk (a parser takes any amount), or ``b""`` at the end."""
        return next(self._chunks, b"")


def _xlsx_sheet_names(book: zipfile.ZipFile) -> dict[str, str]:
    """Return each worksheet part of an .xlsx file and its sheet's name (empty for .ods)."""
    names = set(book.namelist())
    if "xl/workbook.xml" not in names:
        return {}
    from framework.sources.xlsx_values import sheet_parts

    try:
        return {part: sheet for sheet, part in sheet_parts(book).items()}
    except (KeyError, ElementTree.ParseError):
        # The reader reports the damage; every worksheet part is still checked.
        return {
            name: name.rsplit("/", 1)[-1]
            for name in names
            if name.startswith("xl/worksheets/") and name.endswith(".xml")
        }
