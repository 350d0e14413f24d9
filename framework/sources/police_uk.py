"""Read police.uk street-level crime files: one CSV per force and month, 12 columns each.

police.uk lays a download out as month folders (``2019-06/2019-06-warwickshire-street.csv``);
the dataset's path is the top folder and every file matching the options' pattern below it is
read. Each crime record becomes one frame row with value 1.0, by month, force ("Falls
within") and crime type, with last outcome category and LSOA code as further dimensions.

Anti-social behaviour incidents carry no Crime ID and are not recorded crimes; they are
excluded with that reason unless the options set ``include_asb``.

Speed matters here (a national year is ~6.5 million rows in ~500 files), so each file is read
once from bytes (hashed and parsed from the same buffer) by pyarrow, only the needed columns,
text as dictionaries, several files at a time.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from framework.model.adapters import PoliceUkStreetOptions
from framework.periods import MONTH_RE, month_index
from framework.sources.base import FileDigest, SourceError, SourceFrame
from framework.sources.files import files_in, relative_name
from framework.sources.frame import (
    canonical_frame,
    from_codes,
    resolve_areas,
    select_dimensions,
)
from framework.sources.ledger import Ledger

if TYPE_CHECKING:
    from framework.areas.registry import AreaRegistry
    from framework.model.dataset import Dataset

CRIME_ID, MONTH, FALLS_WITHIN, CRIME_TYPE = "Crime ID", "Month", "Falls within", "Crime type"
DIMENSIONS = {
    "crime_type": CRIME_TYPE,
    "last_outcome_category": "Last outcome category",
    "lsoa_code": "LSOA code",
}
"""The reader's dimension names and the police.uk column each comes from."""
ASB = "anti-social behaviour"
ASB_REASON = (
    "anti-social behaviour: an incident with no Crime ID, not a recorded crime "
    "(set include_asb to keep these rows)"
)
TEXT_COLUMNS = (MONTH, FALLS_WITHIN, *DIMENSIONS.values())
WORKERS = 4


@dataclass(frozen=True)
class _FileTable:
    """One file's needed columns, with its digest."""

    table: Any  # pyarrow.Table: Month, Falls within, dimensions and a has_id flag
    digest: FileDigest


def _read_file(path: Path, root: Path) -> _FileTable:
    """Read one street file from its bytes: hash it and parse only the needed columns."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    data = path.read_bytes()
    name = relative_name(path, root)
    dictionary = pa.dictionary(pa.int32(), pa.string())
    try:
        table = pacsv.read_csv(
            pa.BufferReader(data),
            read_options=pacsv.ReadOptions(use_threads=False),
            convert_options=pacsv.ConvertOptions(
                include_columns=[CRIME_ID, *TEXT_COLUMNS],
                column_types={CRIME_ID: pa.string(), **{col: dictionary for col in TEXT_COLUMNS}},
                strings_can_be_null=True,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowKeyError) as error:
        raise SourceError(
            name,
            f"not a police.uk street file: {error}",
            "Street files have the 12 standard police.uk columns.",
        ) from error
    has_id = pc.is_valid(table[CRIME_ID])
    table = table.drop_columns([CRIME_ID]).append_column("has_id", has_id)
    return _FileTable(table, FileDigest(name, hashlib.sha256(data).hexdigest()))


class PoliceUkStreetAdapter:
    """Reads police.uk street-level files (kind ``police_uk_street``)."""

    def read(self, dataset: Dataset, path: Path, root: Path, areas: AreaRegistry) -> SourceFrame:
        """Read every matching file under ``path`` into the canonical frame."""
        import pyarrow as pa

        options = dataset.adapter
        if not isinstance(options, PoliceUkStreetOptions):
            raise SourceError(dataset.path, "the police.uk reader needs police_uk_street options")
        files = files_in(path, root, options.pattern, "the police.uk folder")
        with ThreadPoolExecutor(max_workers=min(WORKERS, len(files))) as pool:
            parts = list(pool.map(lambda item: _read_file(item, root), files))
        lengths = np.array([part.table.num_rows for part in parts], dtype=np.int64)
        table = pa.concat_tables([part.table for part in parts]).unify_dictionaries()
        frame_in = table.to_pandas()

        ledger = Ledger(dataset.id, rows_read=int(lengths.sum()))
        ledger.files.extend(part.digest for part in parts)
        # Row 1 of each file is its header, so a record's row number is its position + 2.
        starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
        source_rows = np.arange(len(frame_in), dtype=np.int64) - starts + 2
        file_codes = np.repeat(np.arange(len(parts), dtype=np.int32), lengths)
        file_names = [part.digest.path for part in parts]

        resolved = resolve_areas(frame_in[FALLS_WITHIN], areas, ledger, source_rows)
        keep = resolved.resolved.copy()
        period = _month_periods(frame_in[MONTH], ledger, source_rows, keep)
        crime_type = pd.Categorical(frame_in[CRIME_TYPE])
        asb_codes = [
            i
            for i, label in enumerate(crime_type.categories)
            if str(label).strip().casefold() == ASB
        ]
        is_asb = np.isin(np.asarray(crime_type.codes), asb_codes)
        if not options.include_asb:
            asb = keep & is_asb
            ledger.exclude_mask(ASB_REASON, asb, source_rows)
            keep &= ~asb
        no_id = int((keep & ~frame_in["has_id"].to_numpy() & ~is_asb).sum())
        if no_id:
            ledger.note(f"{no_id} crime rows have no Crime ID; they are kept and counted")

        dimensions = select_dimensions(
            {name: frame_in[column].array[keep] for name, column in DIMENSIONS.items()},
            dataset,
            DIMENSIONS,
        )
        frame = canonical_frame(
            period=period[keep],
            area_code=resolved.code[keep],
            area=resolved.name[keep],
            dimensions=dimensions,
            value=np.ones(int(keep.sum()), dtype=np.float64),
            source_row=source_rows[keep],
            source_file=from_codes(file_codes[keep], file_names),
        )
        return SourceFrame(frame, ledger.report(len(frame)), tuple(dimensions))


def _month_periods(
    months: pd.Series, ledger: Ledger, source_rows: np.ndarray, keep: np.ndarray
) -> np.ndarray:
    """Return each row's month index; rows whose Month is not ``YYYY-MM`` are excluded."""
    categories = pd.Categorical(months)
    lookup = np.full(len(categories.categories) + 1, -1, dtype=np.int64)
    for index, label in enumerate(categories.categories):
        match = MONTH_RE.match(str(label).strip())
        if match:
            lookup[index] = month_index(int(match["year"]), int(match["month"]))
    codes = np.asarray(categories.codes)
    period = lookup[np.where(codes < 0, len(categories.categories), codes)]
    bad = keep & (period < 0)
    ledger.exclude_mask("Month is not a month of the form YYYY-MM", bad, source_rows)
    keep &= ~bad
    return period
