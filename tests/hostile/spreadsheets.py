"""Build hostile workbooks at run time: small on disk, each breaking one bound when read."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import openpyxl

SHEET = "xl/worksheets/sheet1.xml"
Change = Callable[[bytes], bytes]


def workbook(rows: Sequence[Sequence[object]], title: str = "Data") -> bytes:
    """Return a plain .xlsx workbook of one sheet holding ``rows``."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rewrite_sheet(data: bytes, change: Change) -> bytes:
    """Return the workbook with its first sheet's XML passed through ``change``."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            part = source.read(item.filename)
            if item.filename == SHEET:
                part = change(part)
            target.writestr(item.filename, part, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def last_row_at(number: str) -> Change:
    """Move the sheet's last row to row ``number`` (``2000000000``)."""

    def change(xml: bytes) -> bytes:
        last = max(int(x) for x in re.findall(rb'<row r="(\d+)"', xml))
        xml = xml.replace(b'<row r="%d"' % last, b'<row r="%s"' % number.encode())
        return re.sub(rb'r="([A-Z]+)%d"' % last, rb'r="\g<1>' + number.encode() + b'"', xml)

    return change


def cell_at(reference: str) -> Change:
    """Move the sheet's last cell to ``reference`` (``ZZZZZZZ200``)."""

    def change(xml: bytes) -> bytes:
        cells = re.findall(rb'<c r="([A-Z]+\d+)"', xml)
        return xml.replace(b'<c r="%s"' % cells[-1], b'<c r="%s"' % reference.encode())

    return change


def padded(megabytes: int) -> Change:
    """Pad the sheet's XML with whitespace: it compresses to almost nothing."""

    def change(xml: bytes) -> bytes:
        return xml.replace(b"<sheetData>", b"<sheetData>" + b" " * (megabytes << 20), 1)

    return change


HOSTILE: dict[str, Change] = {
    "row-2000000000": last_row_at("2000000000"),
    "row-1048577": last_row_at("1048577"),
    "row-huge-digits": last_row_at("9" * 40),
    "row-not-a-number": last_row_at("x1"),
    "cell-ZZZZZZZ200": cell_at("ZZZZZZZ200"),
    "cell-XFE2": cell_at("XFE2"),
    "cell-far-corner": cell_at("XFD1048576"),
    "zip-bomb-40mb": padded(40),
}
"""Each change, by name: the corpus and the source tests both use these."""


def hostile_workbook(rows: Sequence[Sequence[object]], name: str) -> bytes:
    """Return a workbook of ``rows`` broken in the way ``name`` of :data:`HOSTILE` says."""
    return rewrite_sheet(workbook(rows), HOSTILE[name])


def write_hostile(path: Path, rows: Sequence[Sequence[object]], name: str) -> None:
    """Write the broken workbook to ``path``."""
    path.write_bytes(hostile_workbook(rows, name))
