"""Read force-held tidy tables: one row per record, or per period, area and category.

The options name the period column (``YYYY-MM`` or a quarter, see
:mod:`framework.sources.period_values`), the area column (a force name in any registered
spelling, or an ONS code) and the value column; without a value column every row counts one.
With ``value_columns`` each source row gives one frame row per column, named in the
``measure_column`` dimension. Every column the dataset lists in ``dimensions`` (after the
``columns`` renaming) is kept as text.

Rows whose area is unknown, whose period cannot be read or whose value is not a number are
excluded with that reason. The dataset's path is a file, or a folder whose files of the
format are all read.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from framework.model.adapters import TidyTableOptions
from framework.sources.base import SourceError, SourceFrame
from framework.sources.files import digest, files_in, relative_name
from framework.sources.frame import (
    FRAME_COLUMNS,
    MEASURE_COLUMN,
    canonical_frame,
    concat_frames,
    from_codes,
    resolve_areas,
    select_dimensions,
)
from framework.sources.ledger import Ledger
from framework.sources.period_values import period_of
from framework.sources.tidy_read import SUFFIXES, is_format, read_tidy_file

if TYPE_CHECKING:
    import numpy.typing as npt

    from framework.areas.registry import AreaRegistry
    from framework.model.dataset import Dataset

MAX_VALUE = 1e12
"""The largest figure a cell of a police table may hold; larger ones are excluded."""


class TidyAdapter:
    """Reads tidy CSV, Parquet or Excel tables (kind ``tidy``)."""

    def read(self, dataset: Dataset, path: Path, root: Path, areas: AreaRegistry) -> SourceFrame:
        """Read the file, or every file of the format in the folder, into the canonical frame."""
        options = dataset.adapter
        if not isinstance(options, TidyTableOptions):
            raise SourceError(dataset.path, "the tidy reader needs tidy options")
        if options.value_column and options.value_columns:
            raise SourceError(
                dataset.path,
                "both value_column and value_columns are set",
                "Give one value column, or several in value_columns.",
            )
        value_columns = list(options.value_columns) or (
            [options.value_column] if options.value_column else []
        )
        files = files_in(path, root, "*", "the tidy table")
        if path.is_dir():
            files = [file for file in files if is_format(file, options.format)]
            if not files:
                raise SourceError(
                    relative_name(path, root),
                    f"the folder holds no {', '.join(SUFFIXES[options.format])} files",
                )
        ledger = Ledger(dataset.id)
        frames = []
        for file in files:
            name = relative_name(file, root)
            ledger.files.append(digest(file, root))
            table = read_tidy_file(file, root, options.format, options.sheet)
            _check_columns(table, options, value_columns, name)
            frames.append(_read_table(table, dataset, options, value_columns, areas, ledger, name))
        frame = concat_frames(frames)
        dimensions = tuple(column for column in frame.columns if column not in FRAME_COLUMNS)
        return SourceFrame(frame, ledger.report(len(frame)), dimensions)


def _read_table(
    table: pd.DataFrame,
    dataset: Dataset,
    options: TidyTableOptions,
    value_columns: list[str],
    areas: AreaRegistry,
    ledger: Ledger,
    file_name: str,
) -> pd.DataFrame:
    """Read one file's rows; each (row, value column) pair counts as a row read."""
    width = max(1, len(value_columns))
    ledger.rows_read += len(table) * width
    source_rows = table.index.to_numpy(dtype=np.int64)
    resolved = resolve_areas(table[options.area_column], areas, ledger, source_rows, width)
    keep = resolved.resolved.copy()
    periods = _periods(
        table[options.period_column], dataset.grain, keep, ledger, source_rows, width
    )
    sources = [
        column
        for column in table.columns
        if column not in {options.period_column, options.area_column, *value_columns}
    ]
    parts = []
    columns: list[str | None] = [*value_columns] or [None]
    for column in columns:
        values, usable = _values(table, column, keep, ledger, source_rows)
        available: dict[str, object] = {name: _cells(table[name], usable) for name in sources}
        available[MEASURE_COLUMN] = np.full(int(usable.sum()), column or "value", dtype=object)
        dimensions = select_dimensions(available, dataset)
        parts.append(
            canonical_frame(
                period=periods[usable],
                area_code=resolved.code[usable],
                area=resolved.name[usable],
                dimensions={name: _as_text(cells) for name, cells in dimensions.items()},
                value=values[usable],
                source_row=source_rows[usable],
                source_file=file_name,
            )
        )
    return concat_frames(parts)


def _periods(
    cells: pd.Series,
    grain: str,
    keep: npt.NDArray[np.bool_],
    ledger: Ledger,
    source_rows: npt.NDArray[np.int64],
    width: int,
) -> npt.NDArray[np.int64]:
    """Return each kept row's month index; rows whose period cannot be used are excluded."""
    # Each distinct period is parsed once: a month of records shares one string.
    codes, uniques = pd.factorize(_cells(cells, None), use_na_sentinel=True)
    parsed = [period_of(cell, grain) for cell in uniques]
    lookup = np.array(
        [-1 if isinstance(result, str) else result for result in parsed] + [-1], dtype=np.int64
    )
    periods = lookup[np.where(codes < 0, len(uniques), codes)]
    reasons = {result for result in parsed if isinstance(result, str)}
    for reason in sorted(reasons):
        indexes = [index for index, result in enumerate(parsed) if result == reason]
        failed = keep & np.isin(codes, indexes)
        ledger.exclude_mask(reason, failed, source_rows, width, values=cells)
        keep &= ~failed
    empty = keep & (codes < 0)
    ledger.exclude_mask("period is empty", empty, source_rows, width)
    keep &= ~empty
    return periods


def _values(
    table: pd.DataFrame,
    column: str | None,
    keep: npt.NDArray[np.bool_],
    ledger: Ledger,
    source_rows: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """Return one value column as floats and the rows to use; bad cells are excluded."""
    if column is None:
        return np.ones(len(table), dtype=np.float64), keep
    raw = table[column]
    text = raw.astype("string").str.strip()
    empty = text.isna().to_numpy() | (text == "").to_numpy(dtype=bool, na_value=True)
    numbers = pd.to_numeric(text.str.replace(",", "", regex=False), errors="coerce")
    values = numbers.to_numpy(dtype=np.float64, na_value=np.nan)
    bad_empty = keep & empty
    bad_text = keep & ~empty & np.isnan(values)
    ledger.exclude_mask(f"{column} is empty", bad_empty, source_rows)
    ledger.exclude_mask(f"{column} is not a number", bad_text, source_rows, values=raw)
    # inf, 1e309 and figures no police table holds would overflow every sum after them.
    with np.errstate(invalid="ignore"):
        bad_size = keep & ~np.isnan(values) & ~(np.abs(values) <= MAX_VALUE)
    ledger.exclude_mask(
        f"{column} is not a finite number of plausible size (at most {MAX_VALUE:.0e})",
        bad_size,
        source_rows,
        values=raw,
    )
    return values, keep & ~bad_empty & ~bad_text & ~bad_size


def _cells(column: pd.Series, rows: npt.NDArray[np.bool_] | None) -> Any:
    """Return a column's cells (of ``rows``): Arrow-backed text as it is, else Python objects.

    Text read from a CSV stays in Arrow, where grouping it into categories needs no Python
    string per cell; cells of other types (from a spreadsheet) are handed over as objects.
    """
    if isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow":
        return column.array if rows is None else column.array[rows]
    cells = column.to_numpy(dtype=object)
    return cells if rows is None else cells[rows]


def _as_text(cells: object) -> pd.Categorical[Any]:
    """Return dimension cells as text categories ("1", not "1.0", for whole numbers from Excel)."""
    if isinstance(cells, pd.api.extensions.ExtensionArray):
        categories = pd.Categorical(cells)
        labels = [_cell_text(cell) for cell in categories.categories]
        if len(set(labels)) == len(labels):
            return from_codes(np.asarray(categories.codes), labels)
        cells = np.asarray(cells, dtype=object)
    series = pd.Series(cells, dtype=object)
    categories = pd.Categorical(series)
    # Name each distinct cell once; a record-level table repeats a handful of values.
    labels = [_cell_text(cell) for cell in categories.categories]
    if len(set(labels)) == len(labels):
        return from_codes(np.asarray(categories.codes), labels)
    return pd.Categorical(series.map(_cell_text, na_action="ignore"))


def _cell_text(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _check_columns(
    table: pd.DataFrame, options: TidyTableOptions, value_columns: list[str], name: str
) -> None:
    """Raise :class:`SourceError` when a column the options name is not in the table."""
    needed = [options.period_column, options.area_column, *value_columns]
    absent = [column for column in needed if column not in table.columns]
    if absent:
        raise SourceError(
            name,
            f"missing column(s): {', '.join(absent)}",
            f"The columns are: {', '.join(map(str, table.columns))}.",
        )
