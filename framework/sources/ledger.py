"""Keep the books of a read: rows read, rows left out by reason, values missing by reason.

Readers mark rows with boolean masks; the ledger turns them into :class:`Exclusion` records
with a few example row numbers, and refuses to build a report whose rows do not add up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from framework.sources.base import Exclusion, FileDigest, SourceReport

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

    def exclude(self, reason: str, rows: int, examples: Iterable[int] = ()) -> None:
        """Count ``rows`` left out for ``reason``, keeping a few example row numbers."""
        if rows <= 0:
            return
        _keep_examples(self.exclusions.setdefault(reason, []), examples)
        self.excluded[reason] = self.excluded.get(reason, 0) + rows

    def exclude_mask(
        self,
        reason: str,
        mask: npt.NDArray[np.bool_],
        source_rows: npt.NDArray[np.int64],
        weight: int = 1,
    ) -> None:
        """Count the rows where ``mask`` is true as left out for ``reason``.

        ``weight`` is the number of rows read per source row, for readers that take several
        value columns from each (a source row left out loses all of them).
        """
        count = int(mask.sum())
        if count:
            self.exclude(reason, count * weight, source_rows[mask][:EXAMPLES].tolist())

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
                Exclusion(reason, self.excluded[reason], tuple(examples))
                for reason, examples in self.exclusions.items()
            ),
            notes=tuple(self.notes),
            missing=tuple(
                Exclusion(reason, self.missing_rows[reason], tuple(examples))
                for reason, examples in self.missing.items()
            ),
        )


def _keep_examples(kept: list[int], examples: Iterable[int]) -> None:
    """Add distinct example row numbers until there are :data:`EXAMPLES` of them."""
    for example in examples:
        if len(kept) >= EXAMPLES:
            return
        if int(example) not in kept:
            kept.append(int(example))
