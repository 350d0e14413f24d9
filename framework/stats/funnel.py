"""Funnel plots: each force's rate against its population, with control limits around a target.

Following Spiegelhalter (2005), *Funnel plots for comparing institutional performance*,
Stat Med 24:1185-1202, and *Handling over-dispersion of performance indicators*, Qual Saf
Health Care 14:347-351, for a rate per ``per`` residents of a Poisson count:

* the target ``theta`` is the England and Wales rate; a force of population ``n`` has the
  expected count ``E = theta * n / per`` and, under the null, a rate with standard error
  ``sqrt(theta * per / n)``;
* the limits at confidence ``1 - alpha`` are ``theta ± z(1 - alpha/2) * sqrt(phi * theta *
  per / n)``, never below zero: 95% (z = 1.96) and 99.8% (z = 3.09);
* the overdispersion ``phi`` is estimated from the forces themselves: the mean of the
  squared z-scores ``(y - E) / sqrt(E)`` after winsorising them at the 10th and 90th
  percentiles (so that outlying forces do not inflate it), and used only when it exceeds
  1 (the multiplicative model, Spiegelhalter 2005 section 3.1).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Final

import numpy as np
import numpy.typing as npt

LEVELS: Final = (0.95, 0.998)
"""The two funnels drawn: 95% (about 2 standard errors) and 99.8% (about 3)."""
WINSOR: Final = 0.10
"""The share of z-scores winsorised at each end before estimating the dispersion."""


@dataclass(frozen=True)
class FunnelDispersion:
    """The overdispersion of the forces' counts around the target, and whether it is used."""

    phi: float
    """The winsorised mean squared z-score."""
    units: int

    @property
    def used(self) -> float:
        """Return the dispersion the limits use: ``phi`` above 1, else 1."""
        return max(1.0, self.phi)


def funnel_dispersion(
    counts: Sequence[float] | npt.ArrayLike,
    populations: Sequence[float] | npt.ArrayLike,
    target: float,
    per: float = 100_000,
) -> FunnelDispersion:
    """Estimate the overdispersion of counts around ``target`` (a rate per ``per``)."""
    y = np.asarray(counts, dtype=np.float64)
    n = np.asarray(populations, dtype=np.float64)
    keep = np.isfinite(y) & np.isfinite(n) & (n > 0)
    expected = target * n[keep] / per
    if not keep.any() or target <= 0:
        return FunnelDispersion(math.nan, 0)
    z = (y[keep] - expected) / np.sqrt(expected)
    low, high = np.quantile(z, [WINSOR, 1 - WINSOR])
    winsorised = np.clip(z, low, high)
    return FunnelDispersion(float(np.mean(winsorised**2)), int(keep.sum()))


def funnel_limits(
    target: float,
    populations: Sequence[float] | npt.ArrayLike,
    confidence: float,
    dispersion: float = 1.0,
    per: float = 100_000,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Return the lower and upper limits of the rate at each population (lower never below 0)."""
    n = np.asarray(populations, dtype=np.float64)
    z = NormalDist().inv_cdf(1 - (1 - confidence) / 2)
    spread = z * np.sqrt(max(dispersion, 1.0) * target * per / n)
    return np.maximum(target - spread, 0.0), target + spread
