"""Estimate how much more variable a count series is than Poisson: the quasi-Poisson dispersion.

Recorded crime is not Poisson: a force's quarterly counts vary around their trend and
season several times more than a Poisson process of the same mean would. The dispersion
``phi`` says by how much: the variance of a count is ``phi`` times its mean.

:func:`estimate_dispersion` fits a Poisson log-linear model to the force's own history
(an intercept, a linear trend, and a factor for the season when there are enough cycles
to estimate it) by iteratively reweighted least squares, and returns Pearson's estimate

    phi = sum((y - mu)^2 / mu) / (n - p)

as quasi-Poisson regression does (McCullagh and Nelder 1989, section 4.5; statsmodels'
``GLM(..., family=Poisson()).fit(scale="X2")``; R's ``glm(family = quasipoisson)``). Trend
and season are allowed for so that a steady rise or a summer peak is not read as noise.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

MINIMUM_RESIDUAL_DF: Final = 6
"""Fewer residual degrees of freedom than this give no estimate: the series is too short."""
SEASON_CYCLES: Final = 3
"""A seasonal factor is fitted only with at least this many whole cycles of history."""
_MAX_ITERATIONS: Final = 100
_TOLERANCE: Final = 1e-10
_MU_FLOOR: Final = 1e-12


@dataclass(frozen=True)
class Dispersion:
    """A dispersion estimate and what it rests on."""

    phi: float
    """Pearson's chi-squared over the residual degrees of freedom (may be below 1)."""
    periods: int
    """How many periods of history the model was fitted to."""
    residual_df: int
    seasonal: bool
    """True when the model had a seasonal factor."""
    mean: float
    """The mean count per period over the fitted history."""

    @property
    def used(self) -> float:
        """Return the dispersion a test uses: never below 1 (Poisson is the least variation)."""
        return max(1.0, self.phi)


def design_matrix(
    n: int, season: Sequence[int] | npt.ArrayLike | None
) -> tuple[npt.NDArray[np.float64], bool]:
    """Return the model's columns (intercept, centred trend, season dummies) and if seasonal.

    ``season`` gives each period's place in the year (0 to cycle - 1), or None for no season.
    """
    trend = (np.arange(n, dtype=np.float64) - (n - 1) / 2) / max(n, 1)
    columns = [np.ones(n), trend]
    seasonal = False
    if season is not None:
        places = np.asarray(season, dtype=np.int64)
        levels = np.unique(places)
        cycle = len(levels)
        if cycle > 1 and n >= SEASON_CYCLES * cycle and n - 2 - (cycle - 1) >= MINIMUM_RESIDUAL_DF:
            seasonal = True
            columns += [(places == level).astype(np.float64) for level in levels[1:]]
    return np.column_stack(columns), seasonal


def fit_poisson(
    counts: npt.NDArray[np.float64], design: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Return the fitted means of a Poisson log-linear model, by reweighted least squares."""
    y = counts
    mu = np.maximum(y, 0.5)  # the usual start: the data, kept off zero
    eta = np.log(mu)
    previous = math.inf
    for _ in range(_MAX_ITERATIONS):
        z = eta + (y - mu) / mu
        weights = np.sqrt(mu)
        beta, *_ = np.linalg.lstsq(design * weights[:, None], z * weights, rcond=None)
        eta = np.clip(design @ beta, -700, 700)
        mu = np.maximum(np.exp(eta), _MU_FLOOR)
        deviance = float(2 * np.sum(_xlogy(y, y / mu) - (y - mu)))
        if abs(deviance - previous) <= _TOLERANCE * (abs(deviance) + 0.1):
            break
        previous = deviance
    return mu


def estimate_dispersion(
    counts: Sequence[float] | npt.ArrayLike,
    season: Sequence[int] | npt.ArrayLike | None = None,
) -> Dispersion | None:
    """Estimate the quasi-Poisson dispersion of a count series allowing for trend and season.

    Returns None when the series is too short (fewer than :data:`MINIMUM_RESIDUAL_DF`
    residual degrees of freedom after an intercept and a trend) or has no events at all,
    where there is nothing to estimate from.
    """
    y = np.asarray(counts, dtype=np.float64)
    if y.ndim != 1 or not np.all(np.isfinite(y)) or np.any(y < 0):
        raise ValueError("counts must be a one-dimensional series of finite, non-negative numbers")
    n = len(y)
    if n - 2 < MINIMUM_RESIDUAL_DF or float(y.sum()) == 0:
        return None
    design, seasonal = design_matrix(n, season)
    mu = fit_poisson(y, design)
    df = n - design.shape[1]
    pearson = float(np.sum((y - mu) ** 2 / mu))
    return Dispersion(
        phi=pearson / df, periods=n, residual_df=df, seasonal=seasonal, mean=float(y.mean())
    )


def _xlogy(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Return ``x * log(y)``, taken as 0 where ``x`` is 0."""
    out = np.zeros_like(x)
    positive = x > 0
    out[positive] = x[positive] * np.log(y[positive])
    return out
