"""The one small interface every source adapter implements, and the report it returns.

An adapter turns a published file (or folder of files) into the *canonical tidy frame*:

=============  ==========================================================================
column         meaning
=============  ==========================================================================
``period``     int month index (``year * 12 + month - 1``) of the **last** month the row
               covers; see :mod:`framework.periods`
``area_code``  ONS code of the area (``E23000017``); rows whose area cannot be resolved
               are excluded with a reason, never guessed
``area``       canonical area name from :class:`framework.areas.registry.AreaRegistry`
dimensions     one string column per dimension the dataset declares
``value``      float count (1.0 per record for record-level files); NaN only when the
               source says the figure is missing, with the reason in ``missing_reason``
``source_row`` int: the 1-based row (or line) number in the source file, for tracing
``source_file`` str: the file the row came from, relative to the catalogue root
``missing_reason`` str or missing: why ``value`` is NaN, when it is
=============  ==========================================================================

The readers in this package store ``period`` and ``source_row`` as int64, ``value`` as
float64 and every text column (area, dimensions, file, reason) as a pandas Categorical.
A row read is one source row; for a reader that takes several value columns from one row
(the ``measure_column`` dimension) it is one (source row, value column) pair.

Nothing is dropped silently: every row read is either in the frame or counted in an
:class:`Exclusion` with its reason.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import pandas as pd

    from framework.areas.registry import AreaRegistry
    from framework.model.dataset import Dataset

CANONICAL_COLUMNS = ("period", "area_code", "area", "value", "source_row", "source_file")
LISTED = 1000
"""How many rows of one unexpected exclusion reason a report lists with file and line."""


@dataclass(frozen=True)
class ExcludedRow:
    """One source row left out: its file and line (or sheet row), the reason, and the cell."""

    file: str
    line: int
    reason: str
    value: str = ""
    """The cell that made the row unusable (the area name, the date, the count), if one did."""


@dataclass(frozen=True)
class Exclusion:
    """Rows an adapter read and left out, with the reason and a few example row numbers.

    An exclusion is *expected* when the rows are left out by design: bodies the reference
    list of areas declares not to be police force areas (British Transport Police, Action
    Fraud, ...) and anti-social behaviour incidents in police.uk files. Anything else (an
    unknown area name, a date or number that cannot be read) is unexpected, and counts
    against the dataset's ``max_excluded_rows``.
    """

    reason: str
    rows: int
    examples: tuple[int, ...] = ()
    expected: bool = False
    listed: tuple[ExcludedRow, ...] = ()
    """The rows themselves with file and line: up to :data:`LISTED` of an unexpected reason,
    a few examples of an expected one."""


@dataclass(frozen=True)
class FileDigest:
    """A file that was read, with its SHA-256, for provenance."""

    path: str
    sha256: str


@dataclass(frozen=True)
class SourceReport:
    """What an adapter read, used and excluded."""

    dataset: str
    files: tuple[FileDigest, ...]
    rows_read: int
    rows_used: int
    exclusions: tuple[Exclusion, ...] = ()
    notes: tuple[str, ...] = ()
    missing: tuple[Exclusion, ...] = ()
    """Rows kept with a NaN ``value`` because the source marks the figure missing, by reason."""

    @property
    def rows_excluded(self) -> int:
        """Return the number of rows left out, over every reason."""
        return sum(exclusion.rows for exclusion in self.exclusions)

    @property
    def rows_unexpected(self) -> int:
        """Return the rows left out for reasons that are not expected by design."""
        return sum(item.rows for item in self.exclusions if not item.expected)

    @property
    def values_missing(self) -> int:
        """Return the number of rows kept with a missing value, over every reason."""
        return sum(missing.rows for missing in self.missing)


@dataclass(frozen=True)
class SourceFrame:
    """The canonical tidy frame of one dataset and the report of how it was read."""

    frame: pd.DataFrame
    report: SourceReport
    dimensions: tuple[str, ...] = field(default=())


class SourceError(Exception):
    """A source that cannot be read: the file is missing, unreadable or not of its format.

    ``path`` names the file; ``detail`` says what is wrong and ``hint`` how to fix it.
    """

    def __init__(self, path: str, detail: str, hint: str = "") -> None:
        super().__init__(f"{path}: {detail}")
        self.path = path
        self.detail = detail
        self.hint = hint


class SourceAdapter(Protocol):
    """Reads one dataset into the canonical tidy frame."""

    def read(self, dataset: Dataset, path: Path, root: Path, areas: AreaRegistry) -> SourceFrame:
        """Read the file or folder at ``path`` (already resolved against the catalogue ``root``)."""
        ...


def sha256_of(path: Path) -> str:
    """Return the hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
