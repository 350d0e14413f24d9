"""Read police.uk street-level crime files: one CSV per force and month, 12 columns each.

police.uk lays a download out as month folders (``2019-06/2019-06-warwickshire-street.csv``);
the dataset's path is the top folder and every file matching the options' pattern below it is
read, and so is a gzipped copy of one (``2021-03-warwickshire-street.csv.gz``). A pattern that
could match outside the folder (``..`` segments, an absolute pattern) is refused. Each crime
record becomes one frame row with value 1.0, by month, force ("Falls within") and crime
type, with last outcome category and LSOA code as further dimensions.
With the ``aggregate`` option each file's records are counted instead: one row per file,
month, force and dimension values (see :class:`~framework.model.adapters.PoliceUkStreetOptions`).

Anti-social behaviour incidents carry no Crime ID and are not recorded crimes; they are
excluded with that reason unless the options set ``include_asb``.

Speed matters here (a national year is ~6.5 million rows in ~500 files), so each file is
mapped into memory once, hashed and parsed from the same buffer by pyarrow (only the columns
the dataset needs, text as dictionaries), several files at a time; the books are then kept
on the dictionaries' few labels rather than on every row. What the parse gives (the records'
labels, or their counts) is kept in the Parquet cache of :mod:`framework.sources.cache`,
keyed on each file's SHA-256, so a second read of unchanged files parses nothing.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from framework.model.adapters import PoliceUkStreetOptions
from framework.periods import MONTH_RE, month_index
from framework.sources.base import LISTED, FileDigest, SourceError, SourceFrame
from framework.sources.cache import ParquetCache, cache_folder
from framework.sources.files import files_in, relative_name
from framework.sources.frame import canonical_frame, from_codes, select_dimensions
from framework.sources.ledger import EXAMPLES, Ledger

if TYPE_CHECKING:
    import numpy.typing as npt
    import pyarrow as pa

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
MONTH_REASON = "Month is not a month of the form YYYY-MM"
NO_AREA = "no area given"
HAS_ID, ROWS, LINES = "has Crime ID", "records", "example lines"
"""The columns a parse adds: whether a record has a Crime ID; for counts, how many records
and the first lines of each."""
FORMAT = "police_uk_street/v1"
"""Names the layout of the cached tables; change it when that layout changes."""
WORKERS = 4
"""Files read at once: pyarrow and hashlib release the GIL, so threads overlap them."""

Codes = tuple["npt.NDArray[np.int32]", list[str]]
"""A text column as dictionary codes (-1 for empty) and the labels they stand for."""


@dataclass(frozen=True)
class _Needs:
    """What the read takes from each file: which text columns, and records or counts."""

    columns: tuple[str, ...]
    """Source text columns: Month, Falls within, Crime type, then the declared dimensions'."""
    aggregate: bool

    @property
    def form(self) -> str:
        """Name what is cached, so records and counts of other columns never meet."""
        kind = "counts" if self.aggregate else "records"
        return f"{FORMAT}/{kind}/{'|'.join(self.columns)}"

    def schema(self) -> pa.Schema:
        """Return the schema of the table a parse gives (and the cache must hold)."""
        import pyarrow as pa

        text = pa.dictionary(pa.int32(), pa.string())
        fields = [pa.field(name, text) for name in self.columns] + [pa.field(HAS_ID, pa.bool_())]
        if self.aggregate:
            fields += [
                pa.field(ROWS, pa.int64()),
                pa.field(LINES, pa.list_(pa.int64(), EXAMPLES)),
            ]
        return pa.schema(fields)


@dataclass(frozen=True)
class _Tally:
    """One file's records, or counts of them, as label codes with their line numbers."""

    labels: dict[str, Codes]
    has_id: npt.NDArray[np.bool_]
    lines: npt.NDArray[np.int64]
    """The line of each record, or the first line of each count."""
    rows: npt.NDArray[np.int64] | None = None
    """Records behind each count; None when each entry is one record."""
    examples: npt.NDArray[np.int64] | None = None
    """Counts × the first :data:`EXAMPLES` lines of each (0 past the last); None for records."""

    @property
    def size(self) -> int:
        """Return the number of entries (records, or counts)."""
        return len(self.lines)

    @property
    def total(self) -> int:
        """Return the number of records in the file."""
        return self.size if self.rows is None else int(self.rows.sum())

    def records(self, mask: npt.NDArray[np.bool_]) -> int:
        """Return the number of records behind the entries ``mask`` selects."""
        return int(mask.sum()) if self.rows is None else int(self.rows[mask].sum())

    def example_lines(self, mask: npt.NDArray[np.bool_], limit: int = EXAMPLES) -> list[int]:
        """Return the first lines of the records behind the selected entries, in file order.

        Counts keep only the first :data:`EXAMPLES` lines of each, so they list no more.
        """
        if self.examples is None:
            return [int(line) for line in self.lines[mask][:limit]]
        lines = self.examples[mask].ravel()
        return [int(line) for line in np.sort(lines[lines > 0])[:limit]]


@dataclass(frozen=True)
class _Loaded:
    """A file's tally, its digest, and how the cache served it."""

    tally: _Tally
    digest: FileDigest
    cached: bool = False
    problem: str | None = None
    """Why the file's cache entry could not be used or written, if it could not."""


def _parse(data: pa.Buffer, name: str, needs: _Needs) -> pa.Table:
    """Parse a street file's needed columns; each record is one row, in file order."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    text = pa.dictionary(pa.int32(), pa.string())
    stream: pa.NativeFile = pa.BufferReader(data)
    if name.lower().endswith(".gz"):
        # A gzipped copy of a published file: the hash is of the stored bytes, the parse of
        # the published text inside them.
        stream = pa.CompressedInputStream(stream, "gzip")
    try:
        table = pacsv.read_csv(
            stream,
            read_options=pacsv.ReadOptions(use_threads=False),
            convert_options=pacsv.ConvertOptions(
                include_columns=[CRIME_ID, *needs.columns],
                # Binary, not text: only the ID's presence is used, so skip checking UTF-8.
                column_types={CRIME_ID: pa.binary(), **dict.fromkeys(needs.columns, text)},
                strings_can_be_null=True,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowKeyError, OSError) as error:
        raise SourceError(
            name,
            f"not a police.uk street file: {error}",
            "Street files have the 12 standard police.uk columns.",
        ) from error
    # Only whether a record has a Crime ID matters; the IDs themselves are dropped here.
    has_id = pc.is_valid(table[CRIME_ID])
    table = table.drop_columns([CRIME_ID]).append_column(HAS_ID, has_id)
    return table.select([*needs.columns, HAS_ID])


def _count(records: pa.Table, needs: _Needs) -> tuple[pa.Table, _Tally]:
    """Count a file's records by every needed label and Crime ID presence.

    The counts come in the order of their first record, each with its first lines, so the
    books kept on counts match those kept record by record. Returns the counts as the
    table the cache keeps and as the tally the books take.
    """
    import pyarrow as pa

    tally = _tally(records, needs)
    key = np.zeros(tally.size, dtype=np.int64)
    space = 1
    columns = [(codes, len(labels) + 1) for codes, labels in tally.labels.values()]
    for codes, size in [*columns, (tally.has_id.astype(np.int32) - 1, 2)]:
        if space * size >= 2**62:  # renumber the keys so far before they could overflow
            key = np.unique(key, return_inverse=True)[1].astype(np.int64)
            space = int(key.max()) + 1 if len(key) else 1
        key = key * size + codes + 1  # codes are -1 for an empty value
        space *= size
    if space <= max(4 * len(key), 2**16):
        # Few possible keys (the usual case): count them directly, no sort.
        per_key = np.bincount(key, minlength=space)
        present = np.flatnonzero(per_key)
        dense = np.zeros(space, dtype=np.int64)
        dense[present] = np.arange(len(present))
        group, counts = dense[key], per_key[present]
    else:
        _, group, counts = np.unique(key, return_inverse=True, return_counts=True)
        group = group.ravel()
    # Records grouped, each group in file order; 16-bit keys sort by radix, in linear time.
    order = np.argsort(group.astype(np.uint16) if len(counts) < 2**16 else group, kind="stable")
    starts = np.cumsum(counts) - counts
    by_first = np.argsort(order[starts])  # the groups in the order of their first record
    counts, starts = counts[by_first], starts[by_first]
    lines = np.zeros((len(counts), EXAMPLES), dtype=np.int64)
    for j in range(EXAMPLES):
        more = counts > j
        lines[more, j] = tally.lines[order[starts[more] + j]]
    first = order[starts]
    table = records.take(pa.array(first))
    table = table.append_column(ROWS, pa.array(counts.astype(np.int64)))
    flat = pa.array(lines.ravel())
    table = table.append_column(LINES, pa.FixedSizeListArray.from_arrays(flat, EXAMPLES))
    labels = {name: (codes[first], names) for name, (codes, names) in tally.labels.items()}
    counted = _Tally(labels, tally.has_id[first], lines[:, 0].copy(), counts, lines)
    return table, counted


def _tally(table: pa.Table, needs: _Needs) -> _Tally:
    """Return a parsed (or cached) table as codes, line numbers and counts."""
    import pyarrow.compute as pc

    table = table.unify_dictionaries()
    labels: dict[str, Codes] = {}
    for name in needs.columns:
        column = table.column(name).combine_chunks()
        indices = column.indices if column.null_count == 0 else pc.fill_null(column.indices, -1)
        codes = indices.to_numpy().astype(np.int32, copy=False)
        labels[name] = (codes, [str(label) for label in column.dictionary.to_pylist()])
    has_id = table.column(HAS_ID).to_numpy()
    if ROWS not in table.column_names:
        # Line 1 of each file is its header, so record i (from 0) is on line i + 2.
        return _Tally(labels, has_id, np.arange(2, table.num_rows + 2, dtype=np.int64))
    examples = table.column(LINES).combine_chunks().flatten().to_numpy()
    examples = examples.reshape(-1, EXAMPLES)
    rows = table.column(ROWS).to_numpy()
    return _Tally(labels, has_id, examples[:, 0].copy(), rows, examples)


def _load(path: Path, root: Path, needs: _Needs, cache: ParquetCache) -> _Loaded:
    """Hash a file and take its tally from the cache, or parse it (and cache what it gives)."""
    import pyarrow as pa

    name = relative_name(path, root)
    # Mapped, not read: hashing and parsing see the page cache itself, with no copy.
    with pa.memory_map(str(path)) as mapped:
        data = mapped.read_buffer()
        digest = FileDigest(name, hashlib.sha256(memoryview(data)).hexdigest())
        found = cache.get(digest.sha256, needs.form, needs.schema())
        if found.table is not None:
            return _Loaded(_tally(found.table, needs), digest, cached=True)
        table = _parse(data, name, needs)
    table, tally = _count(table, needs) if needs.aggregate else (table, _tally(table, needs))
    failed = cache.put(digest.sha256, needs.form, table)
    problem = found.problem or (f"not written ({failed})" if failed else None)
    return _Loaded(tally, digest, problem=problem)


@dataclass
class _Books:
    """The running account of a read: the ledger, labels seen so far, and the rows kept."""

    ledger: Ledger
    areas: AreaRegistry
    include_asb: bool
    dimensions: dict[str, str]
    """Frame dimension name -> the source column it comes from."""
    periods: dict[str, int] = field(default_factory=dict)
    resolved: dict[str, tuple[int, str | None]] = field(default_factory=dict)
    """Falls within label -> (index into ``area_codes`` or -1, exclusion reason)."""
    area_codes: list[str] = field(default_factory=list)
    area_names: list[str] = field(default_factory=list)
    label_index: dict[str, dict[str, int]] = field(default_factory=dict)
    kept: dict[str, list[npt.NDArray[np.int64] | npt.NDArray[np.int32]]] = field(
        default_factory=dict
    )
    values: list[npt.NDArray[np.int64]] = field(default_factory=list)
    no_id: int = 0

    def add(self, tally: _Tally, file_index: int) -> None:
        """Account for one file's records and keep the ones the frame will hold."""
        keep = np.ones(tally.size, dtype=bool)
        area_codes, area_labels = tally.labels[FALLS_WITHIN]
        target = np.full(len(area_labels) + 1, -1, dtype=np.int32)  # last slot: empty value
        unresolved: dict[str, list[int]] = {}
        for index, label in enumerate(area_labels):
            target[index], reason = self._area(label)
            if reason is not None:
                unresolved.setdefault(reason, []).append(index)
        names = np.asarray([*area_labels, ""], dtype=object)
        for reason, indexes in unresolved.items():
            self._exclude(reason, np.isin(area_codes, indexes), tally, keep, names[area_codes])
        self._exclude(NO_AREA, area_codes < 0, tally, keep)
        month_codes, month_labels = tally.labels[MONTH]
        lookup = np.array([*(self._period(label) for label in month_labels), -1], dtype=np.int64)
        period = lookup[month_codes]  # code -1 (empty) takes the last slot
        months = np.asarray([*month_labels, ""], dtype=object)
        self._exclude(MONTH_REASON, keep & (period < 0), tally, keep, months[month_codes])
        type_codes, type_labels = tally.labels[CRIME_TYPE]
        asb_label = [label.strip().casefold() == ASB for label in type_labels]
        is_asb = np.array([*asb_label, False], dtype=bool)[type_codes]
        if not self.include_asb:
            self._exclude(ASB_REASON, keep & is_asb, tally, keep, expected=True)
        self.no_id += tally.records(keep & ~tally.has_id & ~is_asb)

        self._keep("period", period[keep])
        self._keep("area", target[area_codes[keep]])
        for column in set(self.dimensions.values()):
            codes, labels = tally.labels[column]
            numbers = self.label_index.setdefault(column, {})
            mapping = np.array(
                [*(numbers.setdefault(label, len(numbers)) for label in labels), -1],
                dtype=np.int32,
            )
            self._keep(column, mapping[codes[keep]])
        self._keep("source_row", tally.lines[keep])
        self._keep("source_file", np.full(int(keep.sum()), file_index, dtype=np.int32))
        if tally.rows is not None:
            self.values.append(tally.rows[keep])

    def _exclude(
        self,
        reason: str,
        mask: npt.NDArray[np.bool_],
        tally: _Tally,
        keep: npt.NDArray[np.bool_],
        values: npt.NDArray[np.object_] | None = None,
        expected: bool | None = None,
    ) -> None:
        if mask.any():
            lines = tally.example_lines(mask, LISTED)
            if values is None:
                cells: list[object] | str = ""
            elif tally.examples is None:
                cells = values[mask][:LISTED].tolist()
            else:  # counts: each listed line is one of a count's first records, in line order
                examples = tally.examples[mask]
                present = examples > 0
                order = np.argsort(examples[present], kind="stable")
                each = np.broadcast_to(values[mask][:, None], examples.shape)[present]
                cells = each[order][:LISTED].tolist()
            self.ledger.exclude(reason, tally.records(mask), lines, values=cells, expected=expected)
            keep &= ~mask

    def _keep(self, name: str, values: npt.NDArray[np.int64] | npt.NDArray[np.int32]) -> None:
        self.kept.setdefault(name, []).append(values)

    def _area(self, label: str) -> tuple[int, str | None]:
        """Resolve a Falls within label once per read."""
        if label not in self.resolved:
            area = self.areas.resolve(label)
            if area is None:
                self.resolved[label] = (-1, self.areas.exclusion_reason(label))
            else:
                if area.code not in self.area_codes:
                    self.area_codes.append(area.code)
                    self.area_names.append(area.name)
                self.resolved[label] = (self.area_codes.index(area.code), None)
        return self.resolved[label]

    def _period(self, label: str) -> int:
        """Return a Month label's month index, or -1 when it is not ``YYYY-MM``."""
        if label not in self.periods:
            match = MONTH_RE.match(label.strip())
            self.periods[label] = (
                month_index(int(match["year"]), int(match["month"])) if match else -1
            )
        return self.periods[label]

    def column(self, name: str) -> npt.NDArray[np.int64]:
        """Return a kept column over every file so far."""
        parts = self.kept.get(name, [])
        return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, np.int64)

    def frame(self, file_names: list[str]) -> tuple[pd.DataFrame, int]:
        """Return the canonical frame of the kept rows and the number of records they hold."""
        area = self.column("area")
        by_code = _ranks(self.area_codes)
        names = [""] * len(self.area_names)
        for old, new in enumerate(by_code[:-1].tolist()):
            names[new] = self.area_names[old]
        dimensions = {
            name: _sorted(self.column(column), list(self.label_index.get(column, {})))
            for name, column in self.dimensions.items()
        }
        if self.values:
            values = np.concatenate(self.values).astype(np.float64)
        else:
            values = np.ones(len(area), dtype=np.float64)
        frame = canonical_frame(
            period=self.column("period"),
            area_code=_sorted(area, self.area_codes),
            area=from_codes(by_code[area], names),
            dimensions=dimensions,
            value=values,
            source_row=self.column("source_row"),
            source_file=from_codes(self.column("source_file"), file_names),
        )
        return frame, int(values.sum())


def _ranks(labels: list[str]) -> npt.NDArray[np.int32]:
    """Return each label's position in sorted order, and -1 last for an empty value."""
    ranks = np.full(len(labels) + 1, -1, dtype=np.int32)
    order = np.argsort(np.array(labels, dtype=object), kind="stable")
    ranks[order] = np.arange(len(labels), dtype=np.int32)
    return ranks


def _sorted(codes: npt.NDArray[np.int64], labels: list[str]) -> pd.Categorical:
    """Return codes into ``labels`` as a Categorical whose categories are sorted.

    Labels are numbered in the order the files first show them, which depends on which
    files came from the cache; sorting them makes the frame the same either way.
    """
    return from_codes(_ranks(labels)[codes], sorted(labels))


class PoliceUkStreetAdapter:
    """Reads police.uk street-level files (kind ``police_uk_street``)."""

    def read(self, dataset: Dataset, path: Path, root: Path, areas: AreaRegistry) -> SourceFrame:
        """Read every matching file under ``path`` into the canonical frame."""
        options = dataset.adapter
        if not isinstance(options, PoliceUkStreetOptions):
            raise SourceError(dataset.path, "the police.uk reader needs police_uk_street options")
        # The declared dimensions decide the columns parsed, so look them up before reading.
        wanted = select_dimensions({name: name for name in DIMENSIONS}, dataset, DIMENSIONS)
        sources = {name: DIMENSIONS[str(reader)] for name, reader in wanted.items()}
        extra = [column for column in DIMENSIONS.values() if column in sources.values()]
        columns = tuple(dict.fromkeys([MONTH, FALLS_WITHIN, CRIME_TYPE, *extra]))
        needs = _Needs(columns, options.aggregate)
        # A gzipped copy of a published file (``*.csv.gz``) matches as the file itself does.
        patterns = (options.pattern, f"{options.pattern}.gz")
        files = files_in(path, root, patterns, "the police.uk folder")
        cache = ParquetCache(cache_folder(root))

        books = _Books(Ledger(dataset.id), areas, options.include_asb, sources)
        reused = 0
        problems: list[tuple[str, str]] = []
        # Each file is accounted for as it arrives and its tally dropped, so with counts
        # only one file's records are held at a time (per worker).
        with ThreadPoolExecutor(max_workers=min(WORKERS, len(files))) as pool:
            try:
                for index, part in enumerate(
                    pool.map(lambda f: _load(f, root, needs, cache), files)
                ):
                    books.ledger.rows_read += part.tally.total
                    books.ledger.files.append(part.digest)
                    books.add(part.tally, index)
                    reused += part.cached
                    if part.problem:
                        problems.append((part.digest.path, part.problem))
            except BaseException:
                pool.shutdown(cancel_futures=True)  # one bad file: do not read the rest
                raise
        if books.no_id:
            books.ledger.note(
                f"{books.no_id} crime rows have no Crime ID; they are kept and counted"
            )
        _note_cache(books.ledger, len(files), reused, problems, cache)
        frame, used = books.frame([item.path for item in books.ledger.files])
        return SourceFrame(frame, books.ledger.report(used), tuple(sources))


def _note_cache(
    ledger: Ledger, files: int, reused: int, problems: list[tuple[str, str]], cache: ParquetCache
) -> None:
    """Say how many files came from the cache, and why any entry could not be used."""
    parsed = files - reused
    ledger.note(f"cache: {reused} of {files} files read from the parse cache, {parsed} parsed")
    if problems:
        name, problem = problems[0]
        # Arrow and OS messages may name the cache folder, a path of this machine only.
        detail = problem.replace(str(cache.folder), "<cache>")
        ledger.note(
            f"cache: {len(problems)} cache entries could not be used or written; the files "
            f"were parsed all the same (first {name}: {detail})"
        )
