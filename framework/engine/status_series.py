"""Hold an area's per-period series and find its unbroken runs, for the status.

A window's count test reads the area's latest unbroken run before the window (its
history); the typical-level check sums slices of that run; the SPC readings take runs up to
each judged period. :class:`AreaSeries` finds each run by bisection of plain lists and
keeps, once for the whole series, the running totals, the counts and months of the year
that every run of it slices.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Final

import numpy as np
import numpy.typing as npt

_EXACT_SUM: Final = 2.0**52
"""Sums of whole numbers below this are exact in a float, whatever the order of the additions."""


class AreaSeries:
    """A force's per-period figures: period labels and values (NaN where missing).

    A run of it (:meth:`run`) keeps where it starts in the area's whole series, so the
    whole series' running totals serve every run's sums.
    """

    def __init__(
        self,
        code: str,
        labels: npt.NDArray[np.int64],
        values: npt.NDArray[np.float64],
        start: int = 0,
        whole: AreaSeries | None = None,
    ) -> None:
        self.code = code
        self.labels = labels
        self.values = values
        self.start = start
        """Where this series begins in ``whole`` (0 for a whole series)."""
        self.whole: AreaSeries = self if whole is None else whole
        self._bounds: tuple[list[int], list[int], list[int]] | None = None
        self._totals: list[float] | None = None
        self._exact: bool | None = None
        self._counts: tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]] | None = None

    def run(self, last: int) -> AreaSeries:
        """Return the latest unbroken run of values up to period ``last`` (as ``latest_run``)."""
        labels, last_valued, last_gap = self._lists()
        stop = bisect_right(labels, last)
        end = last_valued[stop - 1] + 1 if stop else 0
        if end == 0:
            return AreaSeries(self.code, self.labels[:0], self.values[:0], self.start, self.whole)
        start = last_gap[end - 1] + 1
        return AreaSeries(
            self.code, self.labels[start:end], self.values[start:end], self.start + start,
            self.whole,
        )  # fmt: skip

    def counts(self) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]:
        """Return the values as counts (a negative one as 0) and each period's month of the year.

        A negative period is a publisher's correction of earlier counts: it counts as none.
        Worked out once for the whole series; a run's are slices of it.
        """
        whole = self.whole
        if whole._counts is None:
            whole._counts = (np.clip(whole.values, 0, None), whole.labels % 12)
        counts, season = whole._counts
        stop = self.start + len(self)
        return counts[self.start : stop], season[self.start : stop]

    def label_list(self) -> list[int]:
        """Return the period labels as a plain list (made once)."""
        return self._lists()[0]

    def _lists(self) -> tuple[list[int], list[int], list[int]]:
        # The labels; for each position, the last valued position up to it and the last gap
        # up to it. Plain lists: a run is asked for once or twice per window, and a list's
        # bisection costs less than a numpy call.
        if self._bounds is None:
            positions = np.arange(len(self.values), dtype=np.int64)
            valued = ~np.isnan(self.values)
            self._bounds = (
                self.labels.tolist(),
                np.maximum.accumulate(np.where(valued, positions, -1)).tolist(),
                np.maximum.accumulate(np.where(valued, -1, positions)).tolist(),
            )
        return self._bounds

    def running_totals(self) -> list[float] | None:
        """Return the running totals of the values clipped at 0 (NaN as 0), from 0, once.

        None when the values are not all whole numbers of a size a float holds exactly: only
        then is a difference of two running totals the same number as the sum of its slice,
        whatever the order of the additions.
        """
        if self._exact is None:
            counts = np.clip(np.where(np.isnan(self.values), 0.0, self.values), 0, None)
            self._exact = bool(
                np.isfinite(counts).all()
                and (counts == np.floor(counts)).all()
                and float(counts.sum()) < _EXACT_SUM
            )
            if self._exact:
                self._totals = [0.0, *np.cumsum(counts).tolist()]
        return self._totals

    def __len__(self) -> int:
        return len(self.labels)
