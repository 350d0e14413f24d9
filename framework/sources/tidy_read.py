"""Read a force-held tidy table (CSV, Parquet or Excel) into pandas, cells left as found.

CSV cells are all read as text, so that codes keep their leading zeros and a stray word in a
number column is reported, not silently turned into a missing value by type inference.
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from framework.sources.base import SourceError
from framework.sources.files import relative_name

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

SUFFIXES = {
    "csv": (".csv", ".csv.gz"),
    "parquet": (".parquet", ".parq"),
    "excel": (".xlsx", ".xlsm"),
}
"""The file endings each tidy format is read from (a gzipped CSV is still CSV)."""


def is_format(path: Path, file_format: str) -> bool:
    """Return True when the file's name ends as the format's files do."""
    return path.name.lower().endswith(SUFFIXES[file_format])


def read_tidy_file(path: Path, root: Path, file_format: str, sheet: str | None) -> pd.DataFrame:
    """Return the table in one file as a DataFrame; raise :class:`SourceError` if it is not one.

    The index holds each row's number as a spreadsheet shows it (the header is row 1), and
    wholly empty rows are dropped, since they hold no record.
    """
    table = _read_any(path, root, file_format, sheet)
    table.index = table.index + 2
    return table.dropna(how="all")


def _read_any(path: Path, root: Path, file_format: str, sheet: str | None) -> pd.DataFrame:
    name = relative_name(path, root)
    if not is_format(path, file_format):
        raise SourceError(
            name,
            f"a {path.suffix or 'suffix-less'} file, but the format is {file_format}",
            f"Set the adapter's format to match, or give a {SUFFIXES[file_format][0]} file.",
        )
    if file_format == "csv":
        return _read_csv(path, name)
    if file_format == "parquet":
        import pyarrow.parquet as pq

        frame: pd.DataFrame = pq.read_table(path).to_pandas()
        return frame
    import pandas as pd
    from openpyxl import load_workbook

    from framework.sources.spreadsheet_bounds import check_workbook

    check_workbook(path, name)  # openpyxl pads every row up to the sheet's claimed extent
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise SourceError(name, f"no sheet {sheet!r}; sheets: {', '.join(book.sheetnames)}")
        rows = list(book[sheet or book.sheetnames[0]].iter_rows(values_only=True))
    finally:
        book.close()
    if not rows:
        raise SourceError(name, "the sheet is empty", "Put the column names in the first row.")
    header = ["" if cell is None else str(cell).strip() for cell in rows[0]]
    # openpyxl pads read-only rows to the sheet's width; keep only named columns.
    named = [index for index, text in enumerate(header) if text]
    body = [[row[index] if index < len(row) else None for index in named] for row in rows[1:]]
    return pd.DataFrame(body, columns=[header[index] for index in named], dtype=object)


def _read_csv(path: Path, name: str) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    gzipped = path.name.lower().endswith(".gz")
    opener = gzip.open if gzipped else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle), None)
    if not header:
        raise SourceError(name, "the file is empty", "Put the column names in the first line.")
    source: Path | pa.BufferReader = path  # pyarrow decompresses a .gz path itself, ...
    if gzipped:
        try:
            # ... on one thread: decompressed first, the text is parsed on several.
            source = pa.BufferReader(gzip.decompress(path.read_bytes()))
        except (OSError, EOFError):
            source = path  # a damaged archive: pyarrow's own reading says what is wrong
    try:
        table = pacsv.read_csv(
            source,
            # Blank lines are kept as empty rows so that a row's index is still its line number.
            parse_options=pacsv.ParseOptions(ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types={column: pa.string() for column in header}, strings_can_be_null=True
            ),
        )
    except pa.ArrowInvalid as error:
        from framework.sources.csv_lines import refused_csv

        raise refused_csv(name, error, path) from error
    frame: pd.DataFrame = table.to_pandas(types_mapper=_text_types())
    return frame


def _text_types() -> Callable[[pa.DataType], pd.api.extensions.ExtensionDtype | None] | None:
    """Map Arrow text to pandas' own text dtype, when it has one: no Python string per cell.

    The frame is the one ``to_pandas()`` gives by default (the columns are equal, dtype
    included), without building a Python object for every cell on the way.
    """
    import pandas as pd
    import pyarrow as pa

    text = pd.Series(["text"]).dtype
    if not isinstance(text, pd.StringDtype) or text.storage != "pyarrow":
        return None  # text is held as Python objects: the default conversion builds them
    return {pa.string(): text}.get
