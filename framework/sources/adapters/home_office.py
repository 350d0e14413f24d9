"""Read the Home Office police recorded crime open data table by force and financial quarter.

The table has eight columns (Financial Year, Financial Quarter, Force Name, Offence
Description, Offence Group, Offence Subgroup, Offence Code, Number of Offences), one row per
force, quarter and offence code. It is read as published, told apart by the suffix: the
Home Office's ODS (or xlsx) workbook, whose rows may be split over several sheets with the
same headers (every such sheet is read; others, such as a cover sheet, are skipped and
named in the notes), or CSV; or Parquet, as the bundled copy is (the CSV's rows unchanged,
``scripts/bundle_data.py``). A workbook row is traced as ``file [sheet]`` and its row
number in the sheet.

Each row becomes one frame row: period = last month of the quarter, value = the count
(negative counts are Home Office adjustments and are kept). The fraud bodies and British
Transport Police are not police force areas and are excluded with that reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from framework.sources.base import SourceError, SourceFrame
from framework.sources.files import digest, relative_name, require_file
from framework.sources.frame import canonical_frame, resolve_areas, select_dimensions
from framework.sources.ledger import Ledger
from framework.sources.quarters import financial_year_start

if TYPE_CHECKING:
    import numpy.typing as npt

    from framework.areas.registry import AreaRegistry
    from framework.model.dataset import Dataset

YEAR, QUARTER, FORCE, COUNT = (
    "Financial Year",
    "Financial Quarter",
    "Force Name",
    "Number of Offences",
)
DIMENSIONS = {
    "offence_code": "Offence Code",
    "offence_description": "Offence Description",
    "offence_group": "Offence Group",
    "offence_subgroup": "Offence Subgroup",
}
"""The reader's dimension names and the source column each comes from."""
TEXT_COLUMNS = (YEAR, FORCE, *DIMENSIONS.values())
SPREADSHEETS = (".ods", ".xlsx", ".xlsm", ".xls")
"""Workbook suffixes, read with python-calamine (far faster than odfpy or openpyxl)."""
HEADER_SEARCH = 20
"""Rows searched for a sheet's header row (title rows may stand above it)."""
COLUMNS = (
    YEAR,
    QUARTER,
    FORCE,
    "Offence Description",
    "Offence Group",
    "Offence Subgroup",
    "Offence Code",
    COUNT,
)


@dataclass(frozen=True)
class Table:
    """The rows of the table, with the line (or sheet row) and file (or sheet) of each."""

    frame: pd.DataFrame
    source_rows: npt.NDArray[np.int64]
    source_files: npt.NDArray[np.object_] | str
    """One name for a CSV or Parquet file; ``file [sheet]`` per row for a spreadsheet."""
    skipped: tuple[str, ...] = ()
    """Sheets without the table's headers (a cover or notes sheet), left out whole."""


def read_table(path: Path, root: Path) -> Table:
    """Read the CSV, Parquet, ODS or xlsx file into pandas, text columns as Categoricals."""
    import pyarrow as pa

    suffix = path.suffix.lower()
    name = relative_name(path, root)
    if suffix in SPREADSHEETS:
        return read_spreadsheet(path, name)
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        names = pq.read_schema(path).names
        _check_columns(names, name)
        table = pq.read_table(path, columns=list(COLUMNS), read_dictionary=list(TEXT_COLUMNS))
    elif suffix == ".csv":
        import pyarrow.csv as pacsv

        dictionary = pa.dictionary(pa.int32(), pa.string())
        table = pacsv.read_csv(
            path,
            convert_options=pacsv.ConvertOptions(
                column_types={name: dictionary for name in TEXT_COLUMNS},
                strings_can_be_null=True,
            ),
        )
        _check_columns(table.column_names, name)
        table = table.select(list(COLUMNS))
    else:
        raise SourceError(
            name,
            f"cannot read a {suffix or 'suffix-less'} file",
            "The Home Office table is read from .ods, .xlsx, .csv or .parquet.",
        )
    frame: pd.DataFrame = table.to_pandas()
    rows = np.arange(2, len(frame) + 2, dtype=np.int64)  # line 1 is the header
    return Table(frame, rows, name)


def read_spreadsheet(path: Path, name: str) -> Table:
    """Read every sheet of an ODS or xlsx workbook that carries the table's eight headers.

    The Home Office splits the table over several sheets (by years) with the same columns;
    each sheet's header row is found by its text (title rows above it are allowed), and
    sheets without it are skipped and named in the report's notes.
    """
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    parts: list[pd.DataFrame] = []
    rows: list[npt.NDArray[np.int64]] = []
    files: list[npt.NDArray[np.object_]] = []
    skipped: list[str] = []
    for sheet in workbook.sheet_names:
        cells = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        header = _header_row(cells)
        if header is None:
            skipped.append(sheet)
            continue
        first, found = header
        positions = [found[column] for column in COLUMNS]
        # Blank rows are not rows (a CSV reader skips blank lines too); the others keep
        # their row number in the sheet, the header being row ``first + 1``.
        kept: list[list[str]] = []
        lines: list[int] = []
        for line, row in enumerate(cells[first + 1 :], start=first + 2):
            texts = [_cell(row[at]) if at < len(row) else "" for at in positions]
            if any(texts):
                kept.append(texts)
                lines.append(line)
        parts.append(pd.DataFrame(kept, columns=list(COLUMNS), dtype=object))
        rows.append(np.asarray(lines, dtype=np.int64))
        files.append(np.full(len(lines), f"{name} [{sheet}]", dtype=object))
    if not parts:
        raise SourceError(
            name,
            f"no sheet has the Home Office table's headers ({', '.join(COLUMNS)}); "
            f"sheets: {', '.join(workbook.sheet_names)}",
            "Download the Police Force Area open data table, whose sheets carry these eight "
            "columns.",
        )
    frame = pd.concat(parts, ignore_index=True)
    for column in TEXT_COLUMNS:
        frame[column] = pd.Categorical(frame[column].replace("", None))
    return Table(frame, np.concatenate(rows), np.concatenate(files), tuple(skipped))


def _header_row(cells: Sequence[Sequence[object]]) -> tuple[int, dict[str, int]] | None:
    """Return the index of the first row holding all eight headers, and each one's column."""
    for index, row in enumerate(cells[:HEADER_SEARCH]):
        found = {str(cell).strip(): at for at, cell in enumerate(row) if isinstance(cell, str)}
        if all(column in found for column in COLUMNS):
            return index, found
    return None


def _cell(cell: object) -> str:
    """Return a cell as the CSV would hold it: whole numbers without ``.0``, empty as ""."""
    if cell is None:
        return ""
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    return str(cell).strip()


def _check_columns(names: list[str], name: str) -> None:
    absent = [column for column in COLUMNS if column not in names]
    if absent:
        raise SourceError(
            name,
            f"missing column(s): {', '.join(absent)}",
            "This reader expects the Home Office open data table's eight columns.",
        )


class HomeOfficeAdapter:
    """Reads the Home Office open data table (kind ``home_office_prc``)."""

    def read(self, dataset: Dataset, path: Path, root: Path, areas: AreaRegistry) -> SourceFrame:
        """Read the table at ``path`` into the canonical frame, one row per source row."""
        require_file(path, root, "the Home Office table")
        read = read_table(path, root)
        table = read.frame
        ledger = Ledger(dataset.id, rows_read=len(table))
        ledger.files.append(digest(path, root))
        ledger.row_files = read.source_files
        if read.skipped:
            ledger.note(f"sheet(s) without the table's headers skipped: {', '.join(read.skipped)}")
        source_rows = read.source_rows

        resolved = resolve_areas(table[FORCE], areas, ledger, source_rows)
        keep = resolved.resolved.copy()
        period = _periods(table, ledger, source_rows, keep)
        counts = pd.to_numeric(table[COUNT], errors="coerce").to_numpy(
            dtype=np.float64, na_value=np.nan
        )
        bad_count = keep & np.isnan(counts)
        ledger.exclude_mask(
            f"{COUNT} is empty or not a number", bad_count, source_rows, values=table[COUNT]
        )
        keep &= ~bad_count

        _note_quirks(table, keep, counts, ledger)
        dimensions = select_dimensions(
            {name: table[column].array[keep] for name, column in DIMENSIONS.items()},
            dataset,
            DIMENSIONS,
        )
        frame = canonical_frame(
            period=period[keep],
            area_code=resolved.code[keep],
            area=resolved.name[keep],
            dimensions=dimensions,
            value=counts[keep],
            source_row=source_rows[keep],
            source_file=(
                read.source_files if isinstance(read.source_files, str) else read.source_files[keep]
            ),
        )
        return SourceFrame(frame, ledger.report(len(frame)), tuple(dimensions))


def _periods(
    table: pd.DataFrame, ledger: Ledger, source_rows: np.ndarray, keep: np.ndarray
) -> np.ndarray:
    """Return each row's period; rows with a bad year or quarter are excluded (``keep`` updated)."""
    years = pd.Categorical(table[YEAR])
    starts = np.full(len(years.categories) + 1, -1, dtype=np.int64)
    for index, label in enumerate(years.categories):
        try:
            starts[index] = financial_year_start(str(label))
        except ValueError:
            starts[index] = -1
    year_codes = np.asarray(years.codes)
    start = starts[np.where(year_codes < 0, len(years.categories), year_codes)]
    bad_year = keep & (start < 0)
    ledger.exclude_mask(
        f"{YEAR} is not a financial year such as 2019/20",
        bad_year,
        source_rows,
        values=table[YEAR],
    )
    keep &= ~bad_year
    quarter = pd.to_numeric(table[QUARTER], errors="coerce").to_numpy(
        dtype=np.float64, na_value=np.nan
    )
    bad_quarter = keep & ~np.isin(quarter, (1.0, 2.0, 3.0, 4.0))
    ledger.exclude_mask(
        f"{QUARTER} is not 1, 2, 3 or 4", bad_quarter, source_rows, values=table[QUARTER]
    )
    keep &= ~bad_quarter
    # financial_quarter_end(start, q) = month_index(start, 4) + 3q - 1, done for every row at once
    quarters = np.where(np.isnan(quarter), 0, quarter).astype(np.int64)
    return start * 12 + 3 * quarters + 2


def _note_quirks(table: pd.DataFrame, keep: np.ndarray, counts: np.ndarray, ledger: Ledger) -> None:
    """Note the table's known quirks: shared offence codes, negative counts, missing years."""
    kept = table.loc[keep, ["Offence Code", "Offence Description", YEAR]]
    pairs = kept[["Offence Code", "Offence Description"]].drop_duplicates()
    described = pairs.groupby("Offence Code", observed=True)["Offence Description"].agg(list)
    shared = {
        str(code): sorted(map(str, names)) for code, names in described.items() if len(names) > 1
    }
    if shared:
        ledger.note(
            f"{len(shared)} offence codes carry more than one offence_description (mostly "
            "descriptions reworded over the years); filter on offence_description, not only "
            "offence_code, when the wording matters"
        )
    if "4.1" in shared:
        ledger.note(
            f"offence_code 4.1 covers {' and '.join(shared['4.1'])}: the source stored codes as "
            "numbers, so 4.10 (Corporate manslaughter) reads as 4.1; tell them apart by "
            "offence_description"
        )
    negative = int((counts[keep] < 0).sum())
    if negative:
        ledger.note(
            f"{negative} rows have negative counts (Home Office adjustments); they are kept"
        )
    starts = sorted({financial_year_start(str(y)) for y in kept[YEAR].unique()})
    if starts:
        gaps = [year for year in range(starts[0], starts[-1] + 1) if year not in starts]
        if gaps:
            names = ", ".join(f"{year}/{(year + 1) % 100:02d}" for year in gaps)
            ledger.note(
                f"no rows for financial year(s) {names}: a gap in the source, not zero crime"
            )
