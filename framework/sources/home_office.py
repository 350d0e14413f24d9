"""Read the Home Office police recorded crime open data table by force and financial quarter.

The table has eight columns (Financial Year, Financial Quarter, Force Name, Offence
Description, Offence Group, Offence Subgroup, Offence Code, Number of Offences), one row per
force, quarter and offence code. It is read as CSV or Parquet, told apart by the suffix; the
bundled copy is a Parquet file holding the CSV's rows unchanged (``scripts/bundle_data.py``).

Each row becomes one frame row: period = last month of the quarter, value = the count
(negative counts are Home Office adjustments and are kept). The fraud bodies and British
Transport Police are not police force areas and are excluded with that reason.
"""

from __future__ import annotations

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


def read_table(path: Path, root: Path) -> pd.DataFrame:
    """Read the CSV or Parquet file into pandas, text columns as Categoricals."""
    import pyarrow as pa

    suffix = path.suffix.lower()
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        names = pq.read_schema(path).names
        _check_columns(names, path, root)
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
        _check_columns(table.column_names, path, root)
        table = table.select(list(COLUMNS))
    else:
        raise SourceError(
            relative_name(path, root),
            f"cannot read a {suffix or 'suffix-less'} file",
            "The Home Office table is read from .csv or .parquet.",
        )
    frame: pd.DataFrame = table.to_pandas()
    return frame


def _check_columns(names: list[str], path: Path, root: Path) -> None:
    absent = [name for name in COLUMNS if name not in names]
    if absent:
        raise SourceError(
            relative_name(path, root),
            f"missing column(s): {', '.join(absent)}",
            "This reader expects the Home Office open data table's eight columns.",
        )


class HomeOfficeAdapter:
    """Reads the Home Office open data table (kind ``home_office_prc``)."""

    def read(self, dataset: Dataset, path: Path, root: Path, areas: AreaRegistry) -> SourceFrame:
        """Read the table at ``path`` into the canonical frame, one row per source row."""
        require_file(path, root, "the Home Office table")
        table = read_table(path, root)
        ledger = Ledger(dataset.id, rows_read=len(table))
        ledger.files.append(digest(path, root))
        source_rows = np.arange(2, len(table) + 2, dtype=np.int64)  # line 1 is the header

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
            source_file=relative_name(path, root),
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
