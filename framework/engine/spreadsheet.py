"""Write run results as an Excel workbook, and keep text cells from running as formulas.

A workbook has one sheet per measure (header row frozen, numbers formatted) and a
``Provenance`` sheet naming each measure's definition and source files with their SHA-256.
Text from definitions or sources that begins with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return would be read by a spreadsheet as a formula; such text is prefixed with an
apostrophe, as OWASP's advice on CSV injection says, in the workbook and in CSV output alike.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet takes as the start of a formula (OWASP, CSV injection)."""

PROVENANCE_COLUMNS = (
    "measure", "definition_file", "definition_sha256", "dataset", "source_files",
    "source_sha256", "source_rows_read", "source_rows_used",
)  # fmt: skip

_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_SHEET_MAX = 31
_INTEGER = "#,##0"
_DECIMAL = "#,##0.0##"
_P_VALUE = "0.0000"


def neutralise(value: Any) -> Any:
    """Return ``value`` with an apostrophe before it when it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_LEADS):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with every text cell neutralised; numbers are left as numbers.

    Each column's distinct values are checked once (a run's text columns repeat a few
    names, windows and reasons over tens of thousands of rows), and only a column with a
    value to neutralise is copied.
    """
    out = frame.copy(deep=False)
    for column in out.columns:
        values = out[column]
        if not (values.dtype == object or pd.api.types.is_string_dtype(values)):
            continue
        cells = values.to_numpy(dtype=object)
        codes, distinct = pd.factorize(cells)
        leads = np.fromiter(
            (isinstance(v, str) and v.startswith(FORMULA_LEADS) for v in distinct),
            dtype=bool,
            count=len(distinct),
        )
        if not leads.any():
            continue
        hit = np.zeros(len(cells), dtype=bool)
        known = codes >= 0  # a missing cell has no distinct value, and stays missing
        hit[known] = leads[codes[known]]
        cells = cells.copy()
        cells[hit] = ["'" + value for value in cells[hit]]
        out[column] = pd.Series(cells, index=values.index, dtype=object, name=values.name)
    return out


def sheet_names(measures: list[str]) -> dict[str, str]:
    """Return a valid, unique sheet name (31 characters at most) for each measure id."""
    names: dict[str, str] = {}
    used = {"provenance"}
    for measure in measures:
        base = _SHEET_BAD.sub("_", measure)[:_SHEET_MAX] or "measure"
        name, n = base, 2
        while name.casefold() in used:
            suffix = f"~{n}"
            name, n = base[: _SHEET_MAX - len(suffix)] + suffix, n + 1
        used.add(name.casefold())
        names[measure] = name
    return names


def number_format(column: str, values: pd.Series) -> str | None:
    """Return the Excel number format of a numeric column, or None for other columns."""
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return None
    if column.endswith("p_value"):
        return _P_VALUE
    finite = [float(v) for v in values.dropna() if math.isfinite(float(v))]
    return _INTEGER if all(v.is_integer() for v in finite) else _DECIMAL


def _cell(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item"):  # numpy scalars become plain Python numbers
        value = value.item()
    return neutralise(value)


def _write_sheet(sheet: Any, frame: pd.DataFrame) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet.append([neutralise(str(c)) for c in frame.columns])
    for record in frame.itertuples(index=False, name=None):
        sheet.append([_cell(v) for v in record])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(frame.columns, start=1):
        letter = get_column_letter(index)
        fmt = number_format(str(column), frame[column])
        if fmt is not None:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = fmt
        width = max([len(str(column)), *(len(str(v)) for v in frame[column].head(200))])
        sheet.column_dimensions[letter].width = min(max(width + 2, 8), 60)
    for cell in sheet[1]:
        cell.font = Font(bold=True)


def provenance(frame: pd.DataFrame) -> pd.DataFrame:
    """Return one row per measure: its definition and sources, with their SHA-256."""
    columns = [c for c in PROVENANCE_COLUMNS if c in frame.columns]
    if "measure" not in columns:
        return pd.DataFrame(columns=list(PROVENANCE_COLUMNS))
    return frame[columns].drop_duplicates("measure").reset_index(drop=True)


def write_workbook(frame: pd.DataFrame, write: Callable[[Callable[[Path], None]], None]) -> None:
    """Build the workbook of ``frame`` and hand its saving to ``write`` (an atomic writer)."""
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    measures = list(dict.fromkeys(frame["measure"])) if "measure" in frame else []
    names = sheet_names([str(m) for m in measures])
    for measure in measures:
        sheet = book.create_sheet(names[str(measure)])
        _write_sheet(sheet, frame.loc[frame["measure"] == measure])
    _write_sheet(book.create_sheet("Provenance"), provenance(frame))
    book.remove(first)
    write(lambda path: book.save(path))
