"""Read one table of the ONS "Police Force Area data tables" workbooks, edition by edition.

The dataset's path is a folder of workbooks (every ``*.xlsx`` in it is read) or one workbook.
Each workbook is one edition, covering the 12 months ending its month, which is read from its
cover, Notes sheet or first table ("... year ending June 2019"); the options' ``editions`` can
supply it for a workbook that does not say. The table is found by what it is
(:mod:`framework.sources.ons_tables`): by its title in the "Table of Contents" sheet where
there is one, else in cell A1 of each sheet; its columns by their header text.

Each (12-month window, area, value column) is one frame row. Where two editions give the
same window (an edition's previous year, or the older years of a time series), the later
edition's figure is used, as ONS revises earlier figures; a number beats a missing marker and
a complete total beats one that excludes a force, whatever the edition. The figures not
used are counted as excluded with that reason, and each row's ``source_file`` names the
workbook, so the edition, it came from.

A workbook that cannot be read, or lacks the table, is a problem in the report (a finding
naming the workbook, the sheet and what was looked for); the other editions still load. When
no edition can be read, the dataset cannot be, and that is a :class:`SourceError`.
Cells the source marks ('..', '-', 'NA', '[x]') become NaN with the marker's meaning, from
the sheet's own footnotes where it has them, in ``missing_reason``. British Transport Police
has a row but is not a police force area; it is excluded with that reason.
"""

from __future__ import annotations

import dataclasses
import math
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree

import numpy as np

from framework.areas.names import clean_text, split_area_footnotes
from framework.model.adapters import OnsPfaTableOptions
from framework.periods import PeriodError, long_month, month_label, parse_period
from framework.sources.base import Edition, SourceError, SourceFrame, SourceProblem
from framework.sources.cache import ParquetCache, cache_folder
from framework.sources.files import digest, files_in, relative_name
from framework.sources.frame import MEASURE_COLUMN, canonical_frame, select_dimensions
from framework.sources.ledger import Ledger
from framework.sources.ons_cache import (
    FORM,
    NotRecordedError,
    RecordingBook,
    ReplayedBook,
    WorkbookCells,
    cache_table,
)
from framework.sources.ons_cache import schema as cells_schema
from framework.sources.ons_sheet import (
    Row,
    SheetLayout,
    edition_month,
    find_column,
    layout,
    sheet_key,
    text_of,
)
from framework.sources.ons_tables import (
    TABLES,
    OnsTable,
    Pick,
    heading_text,
    mid_year,
    pick_counts,
    sheet_period,
)
from framework.sources.row_checks import DUPLICATE, SAME_KEY
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
    "[x]": "not available",
    "[c]": "suppressed (confidential)",
    "[u]": "low reliability",
    "[z]": "not applicable",
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
NOT_TABLES = {"notes", "cover_sheet", "coversheet", "tableofcontents", "contents", "correction"}
"""Sheets that describe the workbook rather than hold a table."""
_EXCLUDING = re.compile(r"\bexc(?:\.|l\.|luding|ludes)")
_LEAVES_OUT = re.compile(r"\bexclud|not included in the national|totals? (?:do|does) not include")
"""Footnote words saying a national or regional total leaves a force out."""


@dataclass(slots=True)
class _Figure:
    """One value read, before editions are weighed against each other.

    Not frozen: tens of thousands are made a run, and a frozen dataclass's ``__init__`` costs
    several times a plain one's; nothing changes a figure once made.
    """

    period: int
    code: str
    name: str
    label: str
    value: float
    reason: str | None
    row: int
    file: str
    edition: int
    partial: bool
    """The total leaves out a force (its name or the sheet says "excluding ...")."""
    sheet: str = ""
    """The sheet the figure was read from."""

    @property
    def rank(self) -> tuple[bool, bool, int]:
        """Order of preference: a number, a complete total, then the later edition."""
        return (not math.isnan(self.value), not self.partial, self.edition)


@dataclass(frozen=True)
class _LeftOut:
    """An area row of a sheet left out, and why."""

    reason: str
    rows: int
    """Values read from it (one per column picked)."""
    row: int
    name: str
    """The area name as the sheet writes it."""
    expected: bool | None
    """True when left out by design; ``None`` lets the ledger decide (non-force bodies)."""


@dataclass
class _Workbook:
    """What one workbook gave: its edition, figures, and rows it left out."""

    edition: Edition | None = None
    figures: list[_Figure] = field(default_factory=list)
    excluded: list[_LeftOut] = field(default_factory=list)
    """Rows read and left out."""
    caveats: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class OnsPfaAdapter:
    """Reads a table of the ONS Police Force Area workbooks (kind ``ons_pfa_table``)."""

    def read(self, dataset: Dataset, path: Path, root: Path, areas: AreaRegistry) -> SourceFrame:
        """Read every workbook at ``path`` into one frame, one row per window, area and column."""
        options = dataset.adapter
        if not isinstance(options, OnsPfaTableOptions):
            raise SourceError(dataset.path, "the ONS reader needs ons_pfa_table options")
        table = TABLES[options.table]
        if table.columns == "headers" and not options.value_header:
            raise SourceError(
                dataset.path,
                f"the {table.name} table needs value_header: the column to read",
                "Give value_header (and extra_value_headers) as the sheet's column headings.",
            )
        first = _first_edition(options, dataset.path)
        cache = ParquetCache(cache_folder(root))
        ledger = Ledger(dataset.id)
        problems: list[SourceProblem] = []
        editions: list[Edition] = []
        figures: list[_Figure] = []
        caveats: dict[str, list[str]] = {}
        for workbook in files_in(path, root, "*.xlsx", "the ONS workbook folder"):
            if workbook.name.startswith("~$"):
                continue  # Excel's lock file beside an open workbook
            file = digest(workbook, root)
            ledger.files.append(file)
            name = relative_name(workbook, root)
            try:
                read = _read_workbook(
                    workbook, name, options, table, areas, first, file.sha256, cache
                )
            except SourceError as error:
                problems.append(SourceProblem(error.path, error.detail, error.hint))
                ledger.note(f"{name}: not read ({error.detail})")
                continue
            for text in read.notes:
                ledger.note(text)
            if read.edition is None:
                continue
            twin = next((each for each in editions if each.month == read.edition.month), None)
            if twin is not None:
                count = len(read.figures) + sum(left.rows for left in read.excluded)
                ledger.rows_read += count
                ledger.exclude(
                    f"a second workbook for the edition ending {month_label(twin.month)} "
                    f"(already read from {twin.file})",
                    count,
                    sorted({figure.row for figure in read.figures})[:5],
                    file=name,
                )
                continue
            editions.append(read.edition)
            figures.extend(read.figures)
            for left_out in read.excluded:
                ledger.rows_read += left_out.rows
                ledger.exclude(
                    left_out.reason,
                    left_out.rows,
                    [left_out.row],
                    values=left_out.name,
                    expected=left_out.expected,
                    file=name,
                )
            for text in read.caveats:
                labels = caveats.setdefault(text, [])
                labels.append(long_month(read.edition.month))
        if problems and not editions:
            # Not one edition could be read: the dataset as a whole cannot be.
            first_problem = problems[0]
            more = f" (and {len(problems) - 1} more workbook(s) alike)" if len(problems) > 1 else ""
            raise SourceError(first_problem.path, first_problem.detail + more, first_problem.hint)
        kept = _prefer_revised(figures, ledger)
        for text, labels in caveats.items():
            ledger.note(f"{table.name}, year ending {', '.join(labels)}: {text}")
        _note_missing(kept, ledger)
        available = {MEASURE_COLUMN: [figure.label for figure in kept]}
        dimensions = select_dimensions(available, dataset)
        frame = canonical_frame(
            period=[figure.period for figure in kept],
            area_code=[figure.code for figure in kept],
            area=[figure.name for figure in kept],
            dimensions=dimensions,
            value=[figure.value for figure in kept],
            source_row=[figure.row for figure in kept],
            source_file=[figure.file for figure in kept],
            missing_reason=[figure.reason for figure in kept],
        )
        frame = frame.sort_values("period", kind="stable", ignore_index=True)
        report = dataclasses.replace(ledger.report(len(frame)), problems=tuple(problems))
        ordered = tuple(sorted(editions, key=lambda each: each.month))
        return SourceFrame(frame, report, tuple(dimensions), ordered)


def _first_edition(options: OnsPfaTableOptions, where: str) -> int | None:
    if options.first_edition is None:
        return None
    try:
        return parse_period(options.first_edition).last
    except PeriodError as error:
        raise SourceError(where, f"first_edition: {error}") from error


def _prefer_revised(figures: list[_Figure], ledger: Ledger) -> list[_Figure]:
    """Keep one figure per window, area and column: the latest edition's, unless it lacks one.

    Every figure set aside is counted as read and excluded, with the reason.
    """
    best: dict[tuple[int, str, str], _Figure] = {}
    ranks: dict[tuple[int, str, str], tuple[bool, bool, int]] = {}
    ledger.rows_read += len(figures)
    for figure in figures:
        key = (figure.period, figure.code, figure.label)
        rank = figure.rank
        held = ranks.get(key)
        if held is None or rank > held:
            best[key] = figure
            ranks[key] = rank
    kept = list(best.values())
    chosen = {id(figure) for figure in kept}
    # Figures set aside are gathered per reason (in the order first met) and told to the
    # ledger once a reason: the same counts, examples and listed rows as one call a figure.
    set_aside: dict[str, tuple[list[int], list[str], list[str], bool]] = {}
    duplicate = DUPLICATE.format(key="the sheet's column")
    for figure in figures:
        if id(figure) in chosen:
            continue
        winner = best[(figure.period, figure.code, figure.label)]
        if (winner.file, winner.sheet) == (figure.file, figure.sheet):
            # Two rows of one area in one sheet (a relabelled row, say): which is right
            # cannot be told, so the later is left out and both lines are named.
            lines, values, files, _ = set_aside.setdefault(duplicate, ([], [], [], False))
            lines.append(figure.row)
            values.append(f"{SAME_KEY}{winner.file} [{winner.sheet}]:{winner.row}")
            files.append(f"{figure.file} [{figure.sheet}]")
            continue
        if winner.edition == figure.edition:
            reason = "the same 12 months appear twice in one edition; the first is used"
        elif winner.edition > figure.edition:
            reason = (
                "the same 12 months are published again in a later edition; "
                "its revised figure is used"
            )
        else:
            reason = (
                "a later edition gives no complete figure for these 12 months; "
                "an earlier edition's is used"
            )
        # By design: the same figure in another edition, not a row that could not be used.
        lines, values, files, _ = set_aside.setdefault(reason, ([], [], [], True))
        lines.append(figure.row)
        values.append("")
        files.append(figure.file)
    for reason, (lines, values, files, expected) in set_aside.items():
        ledger.exclude(reason, len(lines), lines, values=values, expected=expected, file=files)
    return kept


def _note_missing(kept: list[_Figure], ledger: Ledger) -> None:
    """Say, per area, which windows lack its figures; the reasons are the sheets' own."""
    missing: dict[str, set[int]] = {}
    for figure in kept:
        if figure.reason:
            ledger.mark_missing(figure.reason, 1, [figure.row])
            missing.setdefault(figure.name, set()).add(figure.period)
    for name, periods in sorted(missing.items()):
        ledger.note(
            f"{name}: values missing for the 12 months ending "
            f"{', '.join(map(long_month, sorted(periods)))}; totals pooled from the "
            "forces exclude it there"
        )


def _open(workbook: Path, name: str) -> XlsxBook:
    try:
        return XlsxBook(workbook, name)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError) as error:
        raise SourceError(
            name,
            f"not a readable .xlsx workbook: {error}",
            "Check that the file is an Excel workbook and not damaged.",
        ) from error


def _read_workbook(
    workbook: Path,
    name: str,
    options: OnsPfaTableOptions,
    table: OnsTable,
    areas: AreaRegistry,
    first: int | None,
    sha256: str,
    cache: ParquetCache,
) -> _Workbook:
    """Read the table from one workbook, from its cells in the parse cache when they are there.

    Only the cells come from the cache; everything made of them is computed again, so the
    figures, ledger and findings are those of a parse.
    """
    import pyarrow as pa

    form = f"{FORM}; table {table.name}; first edition {first}"
    found = cache.get(sha256, form, cells_schema())
    if found.table is not None:
        try:
            return _read_book(
                ReplayedBook(found.table), workbook.name, name, options, table, areas, first
            )
        except NotRecordedError:
            pass  # an entry made for other questions: parse the workbook instead
    with _open(workbook, name) as book:
        recording = RecordingBook(book)
        read = _read_book(recording, workbook.name, name, options, table, areas, first)
    try:
        entry = cache_table(recording)
    except (TypeError, ValueError, pa.ArrowException):
        return read  # a cell JSON or Arrow cannot hold: the workbook is parsed each time
    cache.put(sha256, form, entry)
    return read


def _read_book(
    book: WorkbookCells,
    file_name: str,
    name: str,
    options: OnsPfaTableOptions,
    table: OnsTable,
    areas: AreaRegistry,
    first: int | None,
) -> _Workbook:
    """Read the table from one workbook's cells: every sheet whose title says it is that table."""
    out = _Workbook()
    try:
        month = _edition(book, file_name, options, name)
        if first is not None and month < first:
            out.notes.append(
                f"{name}: the edition ending {month_label(month)} predates "
                f"{table.name} (first_edition {options.first_edition}); not read"
            )
            return out
        sheets = _find_sheets(book, table)
        if not sheets:
            raise SourceError(
                name,
                f"no sheet with {table.looks_for} (looked in "
                f"{'the Table of Contents and ' if _contents(book) else ''}cell A1 of "
                f"each sheet: {', '.join(repr(sheet) for sheet in book.sheetnames)})",
                "Check that the workbook is an ONS Police Force Area edition with this "
                "table, or set first_edition if earlier editions do not publish it.",
            )
        estimate: int | None = None
        for sheet in sheets:
            rows = book.rows(sheet)
            found = layout(rows)
            if found is None:
                raise SourceError(
                    f"{name}: sheet {sheet!r}",
                    f"no heading row beginning 'Area Code' in the {table.name} table",
                    "This reader expects the ONS Police Force Area table layout.",
                )
            picks = _picks(table, options, found, rows, month, name, sheet)
            if table.columns == "population":
                estimate = picks[0].period
            _collect(out, found, rows, picks, areas, name, month, sheet)
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile) as error:
        raise SourceError(
            name, f"a part of the workbook is damaged: {error}", "Download it again."
        ) from error
    out.edition = Edition(name, month, estimate)
    return out


def _contents(book: WorkbookCells) -> dict[str, str]:
    """Return table titles by sheet key from the "Table of Contents" sheet, when there is one."""
    sheet = next(
        (each for each in book.sheetnames if sheet_key(each) in ("tableofcontents", "contents")),
        None,
    )
    if sheet is None:
        return {}
    titles: dict[str, str] = {}
    for row in book.rows(sheet):
        cells = [text_of(cell) for cell in row]
        if len(cells) >= 2 and cells[0].casefold().startswith("table") and cells[1]:
            titles[sheet_key(cells[0])] = cells[1]
    return titles


def _find_sheets(book: WorkbookCells, table: OnsTable) -> list[str]:
    """Return the sheets whose title (and the line below it) says they hold ``table``."""
    contents = _contents(book)
    found = []
    for sheet in book.sheetnames:
        key = sheet_key(sheet)
        if key in NOT_TABLES:
            continue
        lines = [text_of(cell) for row in book.rows(sheet, max_row=3) for cell in row]
        lines = [line for line in lines if line]
        title = contents.get(key, lines[0] if lines else "")
        if table.matches(" ".join([title, *lines[:2]])):
            found.append(sheet)
    return found


def _picks(
    table: OnsTable,
    options: OnsPfaTableOptions,
    found: SheetLayout,
    rows: Sequence[Row],
    edition: int,
    name: str,
    sheet: str,
) -> list[Pick]:
    """Choose the sheet's value columns, each with the 12 months (or mid-year) it gives."""
    lines = [found.title, *_lines_above(rows, found.header_row)]
    period = sheet_period(lines)
    where = f"{name}: sheet {sheet!r}"
    if table.columns == "headers":
        picks = []
        for header in [options.value_header or "", *options.extra_value_headers]:
            column = find_column(found.columns, header, None)
            if isinstance(column, str):
                raise SourceError(
                    where, f"{table.name}: {column}", "Match value_header to the sheet's headings."
                )
            picks.append(Pick(column, header, period if period is not None else edition))
        return picks
    if table.columns == "population":
        for column in found.columns:
            if heading_text(column.label).startswith("population figures"):
                estimate = mid_year(column.label)
                if estimate is None:
                    raise SourceError(
                        where,
                        f"the population column {column.label!r} does not say its mid-year",
                        "Expected a heading such as 'Population figures (mid-2020)'.",
                    )
                return [Pick(column, "Population", estimate)]
        raise SourceError(
            where,
            "no column headed 'Population figures (mid-YYYY)'",
            "This reader expects Table P3's population column.",
        )
    picks = [
        Pick(pick.column, table.name, pick.period)
        for pick in pick_counts(table, found.columns, period)
    ]
    if not picks:
        headings = "; ".join(sorted({column.label for column in found.columns} - {""}))
        raise SourceError(
            where,
            f"no count column for {table.name}; the headers are: {headings}",
            "Expected a 12-month window ('Apr 2022 to Mar 2023') or a number-of-offences heading.",
        )
    return picks


def _lines_above(rows: Sequence[Row], header: int) -> list[str]:
    return [text_of(row[0]) for row in rows[1:header] if row and text_of(row[0])]


def _edition(book: WorkbookCells, file_name: str, options: OnsPfaTableOptions, name: str) -> int:
    """Decide the edition's end month from the cover or Notes sheet, else the first table."""
    said: int | None = None
    for sheet in book.sheetnames:
        if sheet_key(sheet) in ("cover_sheet", "coversheet", "notes"):
            text = " ".join(text_of(cell) for row in book.rows(sheet, max_row=3) for cell in row)
            said = edition_month(text)
            if said is not None:
                break
    if said is None:
        for sheet in book.sheetnames:
            if sheet_key(sheet) in NOT_TABLES:
                continue
            rows = book.rows(sheet, max_row=2)
            said = edition_month(" ".join(text_of(cell) for row in rows for cell in row))
            break
    given = options.editions.get(file_name)
    if given is not None:
        try:
            span = parse_period(given)
        except PeriodError as error:
            raise SourceError(name, f"editions[{file_name!r}]: {error}") from error
        if said is not None and said != span.last:
            raise SourceError(
                name,
                f"the workbook says year ending {long_month(said)}, but the options say {given}",
                "Correct or remove the options' editions entry.",
            )
        return span.last
    if said is None:
        raise SourceError(
            name,
            "cannot tell the edition: no 'year ending <Month> <Year>' on the cover, the "
            "Notes sheet or the first table",
            f"Give it in the options: editions: {{{file_name!r}: 'YYYY-MM'}}.",
        )
    return said


def _collect(
    out: _Workbook,
    found: SheetLayout,
    rows: Sequence[Row],
    picks: list[Pick],
    areas: AreaRegistry,
    name: str,
    edition: int,
    sheet: str = "",
) -> None:
    """Read the picked columns of every area row into ``out``."""
    meanings = {**FALLBACK_MEANINGS, **found.marker_meanings()}
    _collect_caveats(found, out.caveats)
    append = out.figures.append
    for index in found.data_rows:
        cells = rows[index]
        code = text_of(cells[found.code_column]) if found.code_column < len(cells) else ""
        raw_name = text_of(cells[found.name_column])
        area = areas.resolve(code) if code else areas.resolve(raw_name)
        if area is None:
            out.excluded.append(_left_out(code, raw_name, areas, len(picks), index + 1))
            continue
        _, notes = split_area_footnotes(raw_name)
        note_texts = [text for note in notes for text in found.footnotes.get(note, ())]
        # A total that leaves a force out says so in its name ("ENGLAND AND WALES (exc.
        # Devon and Cornwall)") or its footnotes; the sheet's heading alone is not enough, as
        # later editions head the sheet so and still give the full total in the coded row.
        partial = not area.is_force and (
            bool(_EXCLUDING.search(raw_name.casefold()))
            or any(_LEAVES_OUT.search(text.casefold()) for text in note_texts)
        )
        width = len(cells)
        for pick in picks:
            column = pick.column.index
            cell = cells[column] if column < width else None
            kind = type(cell)
            if kind is float or kind is int:
                # Most cells are numbers: taken here without a call (as _value would).
                value, missing = float(cell), None  # type: ignore[arg-type]
            else:
                value, missing = _value(cell, meanings, note_texts)
                if missing is not None and text_of(cell).startswith("#"):
                    # A formula's error (#REF!, #DIV/0!): name the cell, so it can be found.
                    place = f"{name} [{sheet}] cell {_letters(column)}{index + 1}"
                    missing = f"an error cell {text_of(cell)!r} in the source, at {place}"
            append(
                _Figure(
                    pick.period,
                    area.code,
                    area.name,
                    pick.label,
                    value,
                    missing,
                    index + 1,
                    name,
                    edition,
                    partial,
                    sheet,
                )
            )


def _letters(index: int) -> str:
    """Return a 0-based column index as its letters (0 → "A", 26 → "AA")."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _left_out(code: str, raw_name: str, areas: AreaRegistry, rows: int, row: int) -> _LeftOut:
    """Say why an area row is left out, and whether that is by design.

    ONS adds uncoded rows beside the coded ones: totals without a force ("England and Wales
    (excluding Greater Manchester Police)", the coded total being used), and in the Action
    Fraud table offences it could not allocate to a force area ("Unknown"). Those are left out
    by design; an unknown code or name is not.
    """
    name = split_area_footnotes(clean_text(raw_name))[0]
    if code:
        return _LeftOut(f"area code {code} is not in the area registry", rows, row, raw_name, None)
    if _EXCLUDING.search(name.casefold()):
        reason = "a total without a force, beside the coded total that is used"
        return _LeftOut(reason, rows, row, raw_name, True)
    if name.casefold() == "unknown":
        reason = "offences not allocated to a police force area (area 'Unknown')"
        return _LeftOut(reason, rows, row, raw_name, True)
    return _LeftOut(areas.exclusion_reason(name), rows, row, raw_name, None)


def _value(
    cell: object, meanings: dict[str, str], area_notes: list[str]
) -> tuple[float, str | None]:
    """Return a cell's number, or NaN with the reason the source gives for its absence."""
    kind = type(cell)
    if kind is float or kind is int:
        return float(cell), None  # type: ignore[arg-type]  # the common case, checked first
    if isinstance(cell, bool):
        return np.nan, "a true/false cell where a number should be"
    if isinstance(cell, int | float):
        return float(cell), None
    text = text_of(cell)
    if not text:
        reason = "the cell is empty in the source"
    else:
        try:
            return float(text.replace(",", "")), None
        except ValueError:
            meaning = meanings.get(text, "not a number")
            reason = f"{text!r} in the source: {meaning}"
    context = [note for note in area_notes if "indicates" not in note.casefold()]
    if context:
        reason += f" (footnote: {' '.join(context)})"
    return np.nan, reason


def _collect_caveats(found: SheetLayout, caveats: list[str]) -> None:
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
        if text not in caveats:
            caveats.append(text)
