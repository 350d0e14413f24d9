"""Read a population table by area: ONS code, name and one column per mid-year estimate.

Each (area row, estimate column) is one frame row, at the month index of June of the
estimate's year (ONS mid-year estimates describe the population at 30 June). Rows without an
ONS code (the bundled table's "Beds Cambs Herts", a sum of three forces) are excluded with
that reason rather than matched by name.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from framework.model.adapters import PopulationTableOptions
from framework.periods import month_index
from framework.sources.base import SourceError, SourceFrame
from framework.sources.files import digest, relative_name, require_file
from framework.sources.frame import canonical_frame, select_dimensions
from framework.sources.ledger import Ledger

if TYPE_CHECKING:
    import pandas as pd

    from framework.areas.registry import AreaRegistry
    from framework.model.dataset import Dataset

MID_YEAR_MONTH = 6
"""Mid-year estimates are for 30 June."""


def _read_text_table(path: Path, root: Path) -> pd.DataFrame:
    """Read a CSV with every column as text (codes keep their leading letters and zeros)."""
    import pyarrow.csv as pacsv

    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = handle.readline()
    names = [name.strip() for name in header.rstrip("\r\n").split(",")]
    if not header.strip():
        raise SourceError(
            relative_name(path, root), "the file is empty", "Give a CSV with a header row."
        )
    import pyarrow as pa

    table = pacsv.read_csv(
        path,
        convert_options=pacsv.ConvertOptions(
            column_types={name: pa.string() for name in names}, strings_can_be_null=True
        ),
    )
    frame: pd.DataFrame = table.to_pandas()
    return frame


def _text(cell: object) -> str:
    """Return a cell's text, stripped; '' for an empty (null) cell."""
    return "" if cell is None or (isinstance(cell, float) and np.isnan(cell)) else str(cell).strip()


def _number(text: object) -> float | None:
    """Return a cell's number ("571,000" allowed), or ``None`` when it is empty or not one."""
    try:
        value = float(str(text).replace(",", "").strip())
    except ValueError:
        return None
    return None if np.isnan(value) else value


MIN_POPULATION = 1_000
MAX_POPULATION = 100_000_000
"""The plausible range of an area's population: a police force area up to a nation."""


def _implausible(value: float) -> str | None:
    """Say why a population value cannot be right, or return ``None``."""
    if not np.isfinite(value):
        return "is not a finite number"
    if not MIN_POPULATION <= value <= MAX_POPULATION:
        bounds = f"{MIN_POPULATION:,} to {MAX_POPULATION:,}"
        return f"is outside the plausible range of a population ({bounds})"
    return None


class PopulationAdapter:
    """Reads a population table (kind ``population``)."""

    def read(self, dataset: Dataset, path: Path, root: Path, areas: AreaRegistry) -> SourceFrame:
        """Read the table at ``path``: one frame row per area and mid-year estimate."""
        options = dataset.adapter
        if not isinstance(options, PopulationTableOptions):
            raise SourceError(dataset.path, "the population reader needs population options")
        require_file(path, root, "the population table")
        name = relative_name(path, root)
        table = _read_text_table(path, root)
        wanted = [options.code_column, options.name_column, *options.estimates]
        absent = [column for column in wanted if column not in table.columns]
        if absent:
            raise SourceError(
                name,
                f"missing column(s): {', '.join(absent)}",
                f"The columns are: {', '.join(map(str, table.columns))}.",
            )
        ledger = Ledger(dataset.id, rows_read=len(table) * len(options.estimates))
        ledger.files.append(digest(path, root))
        periods, codes, names, estimates, values, rows = [], [], [], [], [], []
        seen: dict[tuple[str, str], int] = {}
        for index, record in enumerate(table.itertuples(index=False), start=2):
            row = dict(zip(table.columns, record, strict=True))
            code = _text(row[options.code_column])
            label = _text(row[options.name_column])
            area = areas.resolve(code) if code else None
            if area is None:
                # An uncoded row is a sum or a note (the bundled table's "Beds Cambs Herts"
                # adds three forces up); matching it by name could only be a guess.
                reason = (
                    f"area code {code} is not in the area registry"
                    if code
                    else f"no ONS area code ({label!r}): not a single ONS area"
                )
                # Expected by design when uncoded (a sum, never an area); an unknown code is not.
                ledger.exclude(
                    reason, len(options.estimates), [index], values=code or label, expected=not code
                )
                continue
            if label and areas.resolve(label) not in (area, None):
                ledger.note(
                    f"row {index}: {label!r} is named differently from {code} ({area.name})"
                )
            for column, year in options.estimates.items():
                value = _number(row[column])
                if value is None:
                    ledger.exclude(
                        f"{column} is empty or not a number", 1, [index], values=[row[column]]
                    )
                    continue
                problem = _implausible(value)
                if problem is not None:
                    ledger.exclude(f"{column} {problem}", 1, [index], values=[row[column]])
                    continue
                first = seen.setdefault((area.code, column), index)
                if first != index:
                    # Two values for one area and year: taking either would be a guess.
                    ledger.exclude(
                        f"{column} repeats {area.name} (first on line {first}, again on line "
                        f"{index}): the later row is not used",
                        1,
                        [index],
                        values=[row[column]],
                    )
                    continue
                periods.append(month_index(year, MID_YEAR_MONTH))
                codes.append(area.code)
                names.append(area.name)
                estimates.append(column)
                values.append(value)
                rows.append(index)
        if not values:
            raise SourceError(
                name,
                "the population table has no usable row",
                "Check the table: every row was excluded or it holds only a header.",
            )
        dimensions = select_dimensions({"estimate": estimates}, dataset)
        frame = canonical_frame(
            period=np.asarray(periods, dtype=np.int64),
            area_code=codes,
            area=names,
            dimensions=dimensions,
            value=values,
            source_row=rows,
            source_file=name,
        )
        return SourceFrame(frame, ledger.report(len(frame)), tuple(dimensions))
