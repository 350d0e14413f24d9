"""Keep the books of a read: rows read, rows left out by reason, values missing by reason.

Readers mark rows with boolean masks; the ledger turns them into :class:`Exclusion` records
with a few example row numbers and, for reasons not expected by design, the rows themselves
(file, line and the offending cell, up to :data:`~framework.sources.base.LISTED` a reason),
and refuses to build a report whose rows do not add up. Rows are listed against the file
last added to :attr:`Ledger.files` unless the reader names another.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from framework.areas.registry import NOT_A_FORCE
from framework.sources.base import LISTED, ExcludedRow, Exclusion, FileDigest, SourceReport

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

EXAMPLES = 5
"""How many example row numbers an exclusion keeps."""


@dataclass
class Ledger:
    """The running account of one dataset's read."""

    dataset: str
    rows_read: int = 0
    exclusions: dict[str, list[int]] = field(default_factory=dict)
    excluded: dict[str, int] = field(default_factory=dict)
    missing: dict[str, list[int]] = field(default_factory=dict)
    missing_rows: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    files: list[FileDigest] = field(default_factory=list)
    listed: dict[str, list[ExcludedRow]] = field(default_factory=dict)
    expected: set[str] = field(default_factory=set)
    row_files: npt.NDArray[np.object_] | str | None = None
    """The file (``file [sheet]``) of each row the masks cover, when rows come from several."""

    def exclude(
        self,
        reason: str,
        rows: int,
        examples: Iterable[int] = (),
        *,
        values: Iterable[object] | str = "",
        expected: bool | None = None,
        file: str | Iterable[str] | None = None,
    ) -> None:
        """Count ``rows`` left out for ``reason``, keeping example row numbers and the rows.

        ``examples`` are the rows' lines (as many as should be listed), ``values`` the cell
        of each that made it unusable (one text for all). ``expected`` says whether the
        exclusion is by design; when omitted, rows of bodies the area registry declares not
        to be police force areas are expected and all else is not.
        """
        if rows <= 0:
            return
        lines = [int(line) for line in examples]
        _keep_examples(self.exclusions.setdefault(reason, []), lines)
        self.excluded[reason] = self.excluded.get(reason, 0) + rows
        if expected is None:
            expected = reason.startswith(NOT_A_FORCE)
        if expected:
            self.expected.add(reason)
        kept = self.listed.setdefault(reason, [])
        limit = EXAMPLES if expected else LISTED
        if len(kept) >= limit:
            return
        cells = [values] * len(lines) if isinstance(values, str) else list(values)
        if file is None:
            file = self.files[-1].path if self.files else ""
        names = [file] * len(lines) if isinstance(file, str) else list(file)
        for line, cell, name in zip(lines, cells, names, strict=False):
            if len(kept) >= limit:
                break
            kept.append(ExcludedRow(name, line, reason, _cell_text(cell)))

    def exclude_mask(
        self,
        reason: str,
        mask: npt.NDArray[np.bool_],
        source_rows: npt.NDArray[np.int64],
        weight: int = 1,
        *,
        values: npt.NDArray[np.object_] | object | str = "",
        expected: bool | None = None,
    ) -> None:
        """Count the rows where ``mask`` is true as left out for ``reason``.

        ``weight`` is the number of rows read per source row, for readers that take several
        value columns from each (a source row left out loses all of them). ``values`` is
        the column whose cell made each row unusable (or one text for all).
        """
        count = int(mask.sum())
        if not count:
            return
        lines = source_rows[mask][:LISTED].tolist()
        if isinstance(values, str):
            cells: Iterable[object] | str = values
        else:
            import numpy as np

            cells = np.asarray(values, dtype=object)[mask][:LISTED].tolist()
        files: list[str] | None = None
        if self.row_files is not None and not isinstance(self.row_files, str):
            import numpy as np

            files = [str(name) for name in np.asarray(self.row_files)[mask][:LISTED]]
        self.exclude(reason, count * weight, lines, values=cells, expected=expected, file=files)

    def mark_missing(self, reason: str, rows: int, examples: Iterable[int] = ()) -> None:
        """Count ``rows`` kept with a NaN value for ``reason``."""
        if rows <= 0:
            return
        _keep_examples(self.missing.setdefault(reason, []), examples)
        self.missing_rows[reason] = self.missing_rows.get(reason, 0) + rows

    def note(self, text: str) -> None:
        """Add a note to the report, once."""
        if text not in self.notes:
            self.notes.append(text)

    @property
    def rows_excluded(self) -> int:
        """Return the rows left out so far."""
        return sum(self.excluded.values())

    def report(self, rows_used: int) -> SourceReport:
        """Return the finished report; raise if read, used and left-out rows do not add up."""
        if self.rows_read != rows_used + self.rows_excluded:
            raise RuntimeError(
                f"{self.dataset}: {self.rows_read} rows read but {rows_used} used and "
                f"{self.rows_excluded} excluded; a reader dropped rows without a reason"
            )
        return SourceReport(
            dataset=self.dataset,
            files=tuple(self.files),
            rows_read=self.rows_read,
            rows_used=rows_used,
            exclusions=tuple(
                Exclusion(
                    reason,
                    self.excluded[reason],
                    tuple(examples),
                    expected=reason in self.expected,
                    listed=tuple(self.listed.get(reason, ())),
                )
                for reason, examples in self.exclusions.items()
            ),
            notes=tuple(self.notes),
            missing=tuple(
                Exclusion(reason, self.missing_rows[reason], tuple(examples))
                for reason, examples in self.missing.items()
            ),
        )


def _cell_text(cell: object) -> str:
    """Return a cell as text for a listing: empty for a missing cell."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell != cell:  # NaN: an empty cell
        return ""
    return str(cell)


def _keep_examples(kept: list[int], examples: Iterable[int]) -> None:
    """Add distinct example row numbers until there are :data:`EXAMPLES` of them."""
    for example in examples:
        if len(kept) >= EXAMPLES:
            return
        if int(example) not in kept:
            kept.append(int(example))
