"""XmR (individuals and moving range) process limits, the Making Data Count way.

For each segment of a series (a new segment starts at every rebase):

* the mean and the moving ranges ``|x[i] - x[i-1]|`` are taken over the segment's first
  ``fix_after`` points (all of them when the profile does not fix the limits);
* with screening on, moving ranges of ``screen_factor`` (3.267) times their mean or more are
  dropped and the mean moving range is taken again over the rest (Nelson, 1982), as
  NHSRplotthedots does; with screening off this is the Making Data Count Excel tool;
* the process limits are ``mean ± limit_factor × mean moving range`` (2.66) and the near
  limits sit at ``near_limit_fraction`` (two thirds) of that distance.

Limits are held per point, because rebasing makes them differ from segment to segment.
A moving range never spans a rebase: the first point of each segment has none. A moving
range within ``1e-9`` (relative) of the screening threshold counts as reaching it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from framework.model.spc import SpcProfile
from framework.stats.arrays import BoolArray, FloatArray, IntArray, frozen

RELATIVE_TOLERANCE: Final = 1e-9
"""Values this close, relative to their size, are treated as equal (floating-point rounding)."""


@dataclass(frozen=True)
class Rebase:
    """A deliberate recalculation of the limits from point ``at`` (0-based) on, and why."""

    at: int
    """Position of the first point of the new segment; the first point cannot be rebased."""
    reason: str
    """Why the process changed (a new recording standard, a policy); required."""

    def __post_init__(self) -> None:
        if isinstance(self.at, bool) or not isinstance(self.at, int | np.integer) or self.at < 1:
            raise ValueError(f"a rebase must start at position 1 or later, not {self.at!r}")
        if not isinstance(self.reason, str) or not self.reason.strip():
            raise ValueError(f"the rebase at position {self.at} needs a reason")


@dataclass(frozen=True)
class Segment:
    """One stretch of a series with its own limits: points ``start`` to ``stop - 1``."""

    start: int
    stop: int
    reason: str | None
    """The rebase reason, or None for the first segment."""
    mean: float
    mean_moving_range: float
    """Mean of the moving ranges kept after screening; NaN for a one-point segment."""
    upper_limit: float
    lower_limit: float
    near_upper: float
    near_lower: float
    points_used: int
    """How many points the limits were computed from (``fix_after`` caps it)."""
    screened: tuple[int, ...]
    """Positions whose moving range (from the point before) was screened out."""
    trial: bool
    """True when the limits rest on fewer points than the profile's ``minimum_points``."""

    @property
    def fixed(self) -> bool:
        """Return True when later points of the segment did not feed its limits."""
        return self.points_used < self.stop - self.start


@dataclass(frozen=True, eq=False)
class XmrResult:
    """Per-point XmR limits of a series, and the segments they come from.

    Every array has one entry per point, in series order, and is read-only.
    """

    values: FloatArray
    segment: IntArray
    """Index into :attr:`segments` of each point's segment."""
    mean: FloatArray
    upper_limit: FloatArray
    lower_limit: FloatArray
    near_upper: FloatArray
    near_lower: FloatArray
    moving_range: FloatArray
    """``|x[i] - x[i-1]|`` within a segment; NaN at each segment's first point."""
    screened: BoolArray
    """True where the point's moving range was screened out of the limits."""
    trial: BoolArray
    segments: tuple[Segment, ...]

    def __len__(self) -> int:
        return len(self.values)

    @property
    def current(self) -> Segment:
        """Return the last segment: the limits the latest point is judged against."""
        return self.segments[-1]


def as_series(values: Sequence[float] | npt.ArrayLike) -> FloatArray:
    """Return the values as a 1-D float array, refusing missing or infinite ones by position."""
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 1:
        raise ValueError(f"a series must be one-dimensional, not of shape {array.shape}")
    bad = np.flatnonzero(~np.isfinite(array))
    if bad.size:
        raise ValueError(
            f"a series must have no missing or infinite values; see position(s) {bad[:5].tolist()}"
        )
    return array


def xmr_limits(
    values: Sequence[float] | npt.ArrayLike,
    profile: SpcProfile,
    rebases: Sequence[Rebase] = (),
) -> XmrResult:
    """Compute the XmR mean, process limits and near limits of every point of a series."""
    y = as_series(values)
    n = len(y)
    if n < 2:
        raise ValueError(f"an XmR chart needs at least 2 points, not {n}")
    starts = _segment_starts(rebases, n)
    reasons: list[str | None] = [None, *(rebase.reason for rebase in sorted(rebases, key=_at))]
    segment_of = np.zeros(n, dtype=np.int64)
    moving_range = np.full(n, np.nan)
    screened = np.zeros(n, dtype=np.bool_)
    segments: list[Segment] = []
    for index, (start, stop) in enumerate(zip(starts, [*starts[1:], n], strict=True)):
        segment_of[start:stop] = index
        moving_range[start + 1 : stop] = np.abs(np.diff(y[start:stop]))
        segment = _segment(y, start, stop, reasons[index], profile, moving_range)
        screened[list(segment.screened)] = True
        segments.append(segment)
    table = np.array(
        [
            (s.mean, s.upper_limit, s.lower_limit, s.near_upper, s.near_lower, s.trial)
            for s in segments
        ],
        dtype=np.float64,
    )[segment_of]
    return XmrResult(
        values=frozen(y.copy()),
        segment=frozen(segment_of),
        mean=frozen(table[:, 0].copy()),
        upper_limit=frozen(table[:, 1].copy()),
        lower_limit=frozen(table[:, 2].copy()),
        near_upper=frozen(table[:, 3].copy()),
        near_lower=frozen(table[:, 4].copy()),
        moving_range=frozen(moving_range),
        screened=frozen(screened),
        trial=frozen(table[:, 5].astype(np.bool_)),
        segments=tuple(segments),
    )


def _segment(
    y: FloatArray,
    start: int,
    stop: int,
    reason: str | None,
    profile: SpcProfile,
    moving_range: FloatArray,
) -> Segment:
    used = min(stop - start, profile.fix_after or stop - start)
    mean, average, keep = centre_and_range(y, start, used, profile, moving_range)
    spread = profile.limit_factor * average
    near = profile.near_limit_fraction * spread
    return Segment(
        start=start,
        stop=stop,
        reason=reason,
        mean=mean,
        mean_moving_range=average,
        upper_limit=mean + spread,
        lower_limit=mean - spread,
        near_upper=mean + near,
        near_lower=mean - near,
        points_used=used,
        screened=tuple(int(i) for i in np.flatnonzero(~keep) + start + 1),
        trial=used < profile.minimum_points,
    )


def centre_and_range(
    y: FloatArray, start: int, used: int, profile: SpcProfile, moving_range: FloatArray
) -> tuple[float, float, BoolArray]:
    """Return the mean, the (screened) mean moving range and which ranges were kept.

    They come from the ``used`` points from ``start`` on; ``moving_range`` holds each
    point's range from the one before (``moving_range[start]`` is not read).
    """
    mean = float(np.mean(y[start : start + used]))
    # Moving ranges of the points the limits are computed from: positions start+1 .. start+used-1.
    ranges = moving_range[start + 1 : start + used]
    keep = np.ones(ranges.shape, dtype=np.bool_)
    average = float(np.mean(ranges)) if ranges.size else math.nan
    # A zero mean moving range (a flat stretch) would screen every range; there is nothing to drop.
    if profile.screen_outliers and average > 0:
        # A range equal to the threshold up to rounding is screened, as one exactly equal is.
        keep = ranges < profile.screen_factor * average * (1 - RELATIVE_TOLERANCE)
        average = float(np.mean(ranges[keep]))
    return mean, average, keep


def _segment_starts(rebases: Sequence[Rebase], n: int) -> list[int]:
    positions = sorted(_at(rebase) for rebase in rebases)
    if len(set(positions)) != len(positions):
        raise ValueError(f"two rebases share a position: {positions}")
    if positions and positions[-1] >= n:
        raise ValueError(f"a rebase at position {positions[-1]} is past the end of {n} points")
    return [0, *positions]


def _at(rebase: Rebase) -> int:
    return int(rebase.at)
