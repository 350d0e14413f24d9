"""Read one table of the ONS "Police Force Area data tables" workbooks, edition by edition.

The dataset's path is a folder of workbooks (every ``*.xlsx`` in it is read) or one workbook.
Each edition covers the 12 months ending its month, which is read from the table's title
("... year ending June 2019") and checked against the workbook's Notes sheet; the options'
``editions`` can supply it for a workbook whose title does not say.

Each (edition, area, value column) is one frame row. Cells the source marks ('..', '-',
'NA', '+') become NaN with the marker's meaning, taken from the sheet's own footnotes, in
``missing_reason``. British Transport Police has a row but is not a police force area; it is
excluded with that reason.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree

import numpy as np

from framework.areas.names import split_area_footnotes
from framework.model.adapters import OnsPfaTableOptions
from framework.periods import PeriodError, long_month, month_label, parse_period
from framework.sources.base import SourceError, SourceFrame
from framework.sources.files import digest, files_in, relative_name
from framework.sources.frame import MEASURE_COLUMN, canonical_frame, select_dimensions
from framework.sources.ledger import Ledger
from framework.sources.ons_sheet import (
    Column,
    Row,
    SheetLayout,
    edition_month,
    find_column,
    layout,
    sheet_key,
    text_of,
)
from framework.sources.xlsx_values import XlsxBook

if TYPE_CHECKING:
    from framework.areas.registry import AreaRegistry
    from framework.model.dataset import Dataset

FALLBACK_MEANINGS = {
    "..": "data not available",
    "-": "not shown (in Table P4: a base of fewer than 50 offences)",
    "NA": "not available",
    "+": "suppressed",
    "*": "suppressed",
}
"""What a marker means when the sheet has no footnote defining it."""
CAVEAT_WORDS = (
    "not included in the national",
    "imputed",
    "not comparable",
    "unable to supply",
    "undercount",
)
"""Footnotes that contain these words are copied into the report's notes."""


@dataclass(frozen=True)
class _Value:
    """One cell read: its number, or NaN and why."""

    value: float
    reason: str | None


@dataclass
class _Rows:
    """The frame's columns, gathered edition by edition."""

    period: list[int]
    code: list[str]
    name: list[str]
    measure: list[str]
    value: list[float]
    reason: list[str | None]
    row: list[int]
    file: list[str]


class OnsPfaAdapter:
    """Reads a table of the ONS Police Force Area workbooks (kind ``ons_pfa_table``)."""

    def read(self, dataset: Dataset, path: Path, root: Path, areas: AreaRegistry) -> SourceFrame:
        """Read every workbook at ``path`` into one frame, one row per edition, area and column."""
        options = dataset.adapter
        if not isinstance(options, OnsPfaTableOptions):
            raise SourceError(dataset.path, "the ONS reader needs ons_pfa_table options")
        ledger = Ledger(dataset.id)
        rows = _Rows([], [], [], [], [], [], [], [])
        editions: dict[int, str] = {}
        caveats: dict[str, list[str]] = {}
        for workbook in files_in(path, root, "*.xlsx", "the ONS workbook folder"):
            if workbook.name.startswith("~$"):
                continue  # Excel's lock file beside an open workbook
            ledger.files.append(digest(workbook, root))
            _read_workbook(workbook, root, options, areas, ledger, rows, editions, caveats)
        for text, labels in caveats.items():
            ledger.note(f"{options.table}, year ending {', '.join(labels)}: {text}")
        # Say, per area, which editions lack its figures: the reasons are the sheets' own
        # footnotes (the caveat notes above), not text kept here.
        missing: dict[str, set[int]] = {}
        for period, name, reason in zip(rows.period, rows.name, rows.reason, strict=True):
            if reason:
                missing.setdefault(name, set()).add(period)
        for name, periods in sorted(missing.items()):
            ledger.note(
                f"{name}: values missing in the edition(s) ending "
                f"{', '.join(map(long_month, sorted(periods)))}; totals pooled from the "
                "forces exclude it there"
            )
        available = {MEASURE_COLUMN: rows.measure}
        dimensions = select_dimensions(available, dataset)
        frame = canonical_frame(
            period=rows.period,
            area_code=rows.code,
            area=rows.name,
            dimensions=dimensions,
            value=rows.value,
            source_row=rows.row,
            source_file=rows.file,
            missing_reason=rows.reason,
        )
        # Workbooks are read in file-name order; present the editions in time order.
        frame = frame.sort_values("period", kind="stable", ignore_index=True)
        return SourceFrame(frame, ledger.report(len(frame)), tuple(dimensions))


def _read_workbook(
    workbook: Path,
    root: Path,
    options: OnsPfaTableOptions,
    areas: AreaRegistry,
    ledger: Ledger,
    rows: _Rows,
    editions: dict[int, str],
    caveats: dict[str, list[str]],
) -> None:
    """Read the options' table from one workbook into ``rows``."""
    name = relative_name(workbook, root)
    try:
        book = XlsxBook(workbook)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as error:
        raise SourceError(
            name,
            f"not a readable .xlsx workbook: {error}",
            "Check that the file is an Excel workbook and not damaged.",
        ) from error
    with book:
        sheet_name = next(
            (sheet for sheet in book.sheetnames if sheet_key(sheet) == sheet_key(options.table)),
            None,
        )
        if sheet_name is None:
            raise SourceError(
                name,
                f"no sheet {options.table!r}; sheets: {', '.join(book.sheetnames)}",
                "Sheet names are matched with spaces ignored; check the table option.",
            )
        sheet_rows: list[Row] = list(book.rows(sheet_name))
        notes_sheet = next((each for each in book.sheetnames if sheet_key(each) == "notes"), None)
        notes_title = _first_text(book.rows(notes_sheet, max_row=10)) if notes_sheet else ""
    found = layout(sheet_rows)
    if found is None:
        raise SourceError(
            name,
            f"sheet {sheet_name!r} has no row beginning 'Area Code'",
            "This reader expects the ONS Police Force Area table layout.",
        )
    period = _edition(found, notes_title, workbook.name, options, name, ledger)
    if period in editions:
        ledger.rows_read += len(found.data_rows) * (1 + len(options.extra_value_headers))
        ledger.exclude(
            f"a second workbook for the edition ending {month_label(period)} "
            f"(already read from {editions[period]})",
            len(found.data_rows) * (1 + len(options.extra_value_headers)),
            [index + 1 for index in found.data_rows],
        )
        return
    editions[period] = name
    headers = [options.value_header, *options.extra_value_headers]
    columns: list[Column] = []
    for header in headers:
        column = find_column(found.columns, header, options.offence)
        if isinstance(column, str):
            raise SourceError(
                name,
                f"sheet {sheet_name!r}: {column}",
                "Match the options' value_header (and offence) to the sheet's headings.",
            )
        columns.append(column)
    meanings = {**FALLBACK_MEANINGS, **found.marker_meanings()}
    _collect_caveats(found, long_month(period), caveats)
    for index in found.data_rows:
        cells = sheet_rows[index]
        code = text_of(cells[found.code_column]) if found.code_column < len(cells) else ""
        raw_name = text_of(cells[found.name_column])
        area = areas.resolve(code) if code else areas.resolve(raw_name)
        ledger.rows_read += len(columns)
        if area is None:
            reason = (
                f"area code {code} is not in the area registry"
                if code
                else areas.exclusion_reason(split_area_footnotes(raw_name)[0])
            )
            ledger.exclude(reason, len(columns), [index + 1])
            continue
        _, notes = split_area_footnotes(raw_name)
        for header, column in zip(headers, columns, strict=True):
            cell = cells[column.index] if column.index < len(cells) else None
            read = _value(
                cell, meanings, [text for note in notes for text in found.footnotes.get(note, ())]
            )
            if read.reason:
                ledger.mark_missing(read.reason, 1, [index + 1])
            rows.period.append(period)
            rows.code.append(area.code)
            rows.name.append(area.name)
            rows.measure.append(header)
            rows.value.append(read.value)
            rows.reason.append(read.reason)
            rows.row.append(index + 1)
            rows.file.append(name)


def _first_text(rows: Sequence[Row]) -> str:
    """Return the first non-empty cell text ("Crime in England and Wales, year ending ...")."""
    return next((text_of(cell) for row in rows for cell in row if text_of(cell)), "")


def _edition(
    found: SheetLayout,
    notes_title: str,
    file_name: str,
    options: OnsPfaTableOptions,
    name: str,
    ledger: Ledger,
) -> int:
    """Decide the edition's end month from the title, the Notes sheet and the options."""
    from_title = edition_month(found.title)
    from_notes = edition_month(notes_title)
    given = options.editions.get(file_name)
    if given is not None:
        try:
            span = parse_period(given)
        except PeriodError as error:
            raise SourceError(name, f"editions[{file_name!r}]: {error}") from error
        for seen, where in ((from_title, "title"), (from_notes, "Notes sheet")):
            if seen is not None and seen != span.last:
                raise SourceError(
                    name,
                    f"the {where} says year ending {long_month(seen)}, but the options say {given}",
                    "Correct or remove the options' editions entry.",
                )
        return span.last
    if from_title is not None and from_notes is not None and from_title != from_notes:
        raise SourceError(
            name,
            f"the table title says year ending {long_month(from_title)} but the "
            f"Notes sheet says {long_month(from_notes)}",
            "Give the edition in the options' editions mapping.",
        )
    period = from_title if from_title is not None else from_notes
    if period is None:
        raise SourceError(
            name,
            "cannot tell the edition: no 'year ending <Month> <Year>' in the title",
            f"Give it in the options: editions: {{{file_name!r}: 'YYYY-MM'}}.",
        )
    if from_title is None:
        ledger.note(f"{file_name}: edition taken from the Notes sheet ({long_month(period)})")
    return period


def _value(cell: object, meanings: dict[str, str], area_notes: list[str]) -> _Value:
    """Return a cell's number, or NaN with the reason the source gives for its absence."""
    if isinstance(cell, bool):
        return _Value(np.nan, "a true/false cell where a number should be")
    if isinstance(cell, int | float):
        return _Value(float(cell), None)
    text = text_of(cell)
    if not text:
        reason = "the cell is empty in the source"
    else:
        try:
            return _Value(float(text.replace(",", "")), None)
        except ValueError:
            meaning = meanings.get(text, "not a number")
            reason = f"{text!r} in the source: {meaning}"
    context = [note for note in area_notes if "indicates" not in note.casefold()]
    if context:
        reason += f" (footnote: {' '.join(context)})"
    return _Value(np.nan, reason)


def _collect_caveats(found: SheetLayout, edition: str, caveats: dict[str, list[str]]) -> None:
    """Keep the footnotes that qualify the figures (totals excluding a force, imputed data)."""
    texts = [
        text
        for group in found.footnotes.values()
        for text in group
        if any(word in text.casefold() for word in CAVEAT_WORDS)
    ]
    if "excluding" in found.subtitle.casefold():
        texts.insert(0, f"the sheet is headed {found.subtitle!r}")
    for text in texts:
        editions = caveats.setdefault(text, [])
        if edition not in editions:
            editions.append(edition)
