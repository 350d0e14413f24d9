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

:func:`estimate_dispersions` does the same for many series at once, as one stacked IRLS
(shorter series padded with periods of zero weight; each series keeping its own stopping
rule), and each estimate is the one :func:`estimate_dispersion` gives for that series
alone. Its steps are solved in closed form where that is provably ``lstsq``'s answer: the
intercept, trend and season columns span the same fits as a mean per season and a common
trend, whose weighted least squares is per-season sums (:func:`_seasonal_step`).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final, TypeAlias

import numpy as np
import numpy.typing as npt

MINIMUM_RESIDUAL_DF: Final = 6
"""Fewer residual degrees of freedom than this give no estimate: the series is too short."""
SEASON_CYCLES: Final = 3
"""A seasonal factor is fitted only with at least this many whole cycles of history."""
_MAX_ITERATIONS: Final = 100
_TOLERANCE: Final = 1e-10
_MU_FLOOR: Final = 1e-12
_WELL_CONDITIONED: Final = 1e4
"""A weighted design whose scaled normal equations' condition number is below this solves by
them: their rounding error (this times machine precision) stays far below the fit's tolerance."""
_FULL_RANK: Final = 1e20
"""Below this bound on the squared condition number, ``lstsq`` keeps every direction."""
_SURE_SHARE: Final = 1e-8
"""The closed-form step (:func:`_seasonal_step`) is taken only when at least this share of
the trend's weighted sum of squares is left inside the season cells: the slope then loses
no more than about its square root's reciprocal times machine precision."""

Season: TypeAlias = Sequence[int] | npt.ArrayLike | None
"""Each period's place in the year (0 to cycle - 1), or None for no season."""
_Array: TypeAlias = npt.NDArray[np.float64]
_Step: TypeAlias = Callable[[npt.NDArray[np.int64], _Array, _Array, npt.NDArray[np.bool_]], _Array]
"""One reweighted least-squares step: the rows still iterating, their working responses,
their means and which of their periods are real (not padding); returns the fitted ``eta``."""


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


def design_matrix(n: int, season: Season) -> tuple[npt.NDArray[np.float64], bool]:
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
    season: Season = None,
) -> Dispersion | None:
    """Estimate the quasi-Poisson dispersion of a count series allowing for trend and season.

    Returns None when the series is too short (fewer than :data:`MINIMUM_RESIDUAL_DF`
    residual degrees of freedom after an intercept and a trend) or has no events at all,
    where there is nothing to estimate from.
    """
    y = _counts(counts)
    n = len(y)
    if not _estimable(y):
        return None
    design, seasonal = design_matrix(n, season)
    mu = fit_poisson(y, design)
    return _dispersion(y, mu, design.shape[1], seasonal)


def estimate_dispersions(
    series: Sequence[tuple[Sequence[float] | npt.ArrayLike, Season]],
) -> list[Dispersion | None]:
    """Estimate the dispersion of each ``(counts, season)`` series, as :func:`estimate_dispersion`.

    Every series is fitted in one stacked reweighted least squares, whatever its length and
    model (a shorter series is padded with periods of zero weight, which add nothing to its
    least squares), each with its own stopping rule, so every estimate is the one the series
    would get alone (to rounding). Each step is solved in closed form (see
    :func:`_seasonal_step`) when it is sure to be the one ``lstsq`` gives, and by
    :func:`_lstsq_stack` on the series' design otherwise.
    """
    results: list[Dispersion | None] = [None] * len(series)
    arrays = [np.asarray(counts, dtype=np.float64) for counts, _ in series]
    for y in arrays:
        if y.ndim != 1:
            _counts(y)  # refused, as one series alone
    if not arrays:
        return results
    values = _counts(np.concatenate(arrays))  # every series checked at once, as one alone
    sizes = np.array([len(y) for y in arrays], dtype=np.int64)
    ends = np.cumsum(sizes)
    starts = ends - sizes
    events = np.concatenate(([0], np.cumsum(values > 0)))
    # As :func:`_estimable`: long enough, and a sum of non-negative counts is 0 only when
    # every count is.
    chosen = np.flatnonzero(
        (sizes - 2 >= MINIMUM_RESIDUAL_DF) & (events[ends] > events[starts])
    ).tolist()
    if not chosen:
        return results
    running = np.concatenate(([0.0], np.cumsum(values)))
    # Whole counts whose total is below 2^53 add up exactly in any order: each series' sum
    # is then its own, and its mean, that sum over its length, is ``y.mean()`` to the bit.
    exact = bool(running[-1] < 2.0**53) and bool(np.all(values == np.floor(values)))
    models: dict[tuple[int, bytes | None], _Model] = {}
    chosen_models: list[_Model] = []
    for i in chosen:
        season = series[i][1]
        places = None if season is None else np.asarray(season, dtype=np.int64)
        key = (int(sizes[i]), None if places is None else places.tobytes())
        model = models.get(key)
        if model is None:  # series of one length and season pattern share their model
            model = models[key] = _Model.of(int(sizes[i]), places)
        chosen_models.append(model)
    lengths = sizes[chosen]
    longest = int(lengths.max())
    inside = np.arange(longest)[None, :] < lengths[:, None]
    stacked = np.zeros((len(chosen), longest))
    stacked[inside] = values[(starts[chosen][:, None] + np.arange(longest))[inside]]
    fitted = _fit_models(stacked, lengths, chosen_models)
    # Pearson's chi-squared of every row at once (the padding adds nothing to it).
    residuals = np.where(inside, (stacked - fitted) ** 2 / fitted, 0.0)
    pearson = residuals.sum(axis=1).tolist()
    if exact:
        means = ((running[ends] - running[starts])[chosen] / lengths).tolist()
    else:
        means = [float(arrays[i].mean()) for i in chosen]
    for row, (i, model) in enumerate(zip(chosen, chosen_models, strict=True)):
        n = int(lengths[row])
        df = n - model.columns
        results[i] = Dispersion(
            phi=pearson[row] / df, periods=n, residual_df=df, seasonal=model.seasonal,
            mean=means[row],
        )  # fmt: skip
    return results


@dataclass(frozen=True)
class _Model:
    """A series' design and the same model told as season cells and a trend."""

    design: _Array
    seasonal: bool
    cells: npt.NDArray[np.int64]
    """Each period's season as the index of its level (0 is the level without a column)."""

    @property
    def columns(self) -> int:
        """Return the number of the design's columns."""
        return int(self.design.shape[1])

    @classmethod
    def of(cls, n: int, places: npt.NDArray[np.int64] | None) -> _Model:
        """Return the model of a series of ``n`` periods at these places in the year."""
        design, seasonal = design_matrix(n, places)
        if seasonal and places is not None:
            cells = np.unique(places, return_inverse=True)[1].reshape(n)
        else:
            cells = np.zeros(n, dtype=np.int64)
        return cls(design, seasonal, cells.astype(np.int64))


def fit_poisson_stack(
    counts: npt.NDArray[np.float64],
    design: npt.NDArray[np.float64],
    lengths: npt.NDArray[np.int64] | None = None,
) -> npt.NDArray[np.float64]:
    """Return the fitted means of a Poisson log-linear model for each row of ``counts``.

    ``design`` is one design for every row, or one per row (stacked); with ``lengths``,
    row ``i`` is only its first ``lengths[i]`` counts and design rows (the rest are padding
    and left out). Each row's iterations are those of :func:`fit_poisson` on it alone (the
    same start, the same least-squares step, the same stopping rule), done for all the
    rows still iterating at once. A row stops when its deviance settles.
    """
    y_all = np.asarray(counts, dtype=np.float64)
    k, n = y_all.shape
    designs = np.broadcast_to(design, (k, *design.shape[-2:])) if design.ndim == 2 else design
    sizes = np.full(k, n, dtype=np.int64) if lengths is None else np.asarray(lengths)

    def step(
        active: npt.NDArray[np.int64], z: _Array, mu: _Array, inside: npt.NDArray[np.bool_]
    ) -> _Array:
        x = designs[active]
        weights = np.where(inside, np.sqrt(mu), 0.0)  # padding weighs nothing
        beta = _lstsq_stack(x * weights[:, :, None], z * weights, sizes[active])
        eta: _Array = np.einsum("knp,kp->kn", x, beta)
        return eta

    return _irls_stack(y_all, sizes, step)


def _fit_models(counts: _Array, lengths: npt.NDArray[np.int64], models: Sequence[_Model]) -> _Array:
    """Return :func:`fit_poisson_stack`'s fitted means, each row with its own model.

    Row ``i`` is its first ``lengths[i]`` counts, with the model ``models[i]``: an
    intercept, a trend and a column for each season level but the first. A step is solved
    in closed form (:func:`_seasonal_step`) where that is sure to be the least-squares fit
    ``lstsq`` gives, the rest by :func:`_lstsq_stack` on their designs.
    """
    k, n = counts.shape
    sizes = np.asarray(lengths, dtype=np.int64)
    columns = np.empty(k, dtype=np.int64)
    trend = np.zeros((k, n))
    cells = np.zeros((k, n), dtype=np.int64)
    rows_of: dict[int, list[int]] = {}
    for row, model in enumerate(models):  # rows sharing a model are filled in together
        rows_of.setdefault(id(model), []).append(row)
    for rows in rows_of.values():
        model = models[rows[0]]
        size = len(model.cells)
        columns[rows] = model.columns
        trend[rows, :size] = model.design[:, 1]
        cells[rows, :size] = model.cells
    levels = columns - 1  # one for no season
    limit = _sure_limit(sizes, columns)

    def step(
        active: npt.NDArray[np.int64], z: _Array, mu: _Array, inside: npt.NDArray[np.bool_]
    ) -> _Array:
        weights = np.where(inside, mu, 0.0)  # squared weights; padding weighs nothing
        eta, sure = _seasonal_step(
            z, weights, trend[active], cells[active], levels[active], limit[active]
        )
        unsure = np.flatnonzero(~sure)
        for width in np.unique(columns[active[unsure]]).tolist():  # lstsq's way, by model size
            at = unsure[columns[active[unsure]] == width]
            x = np.zeros((len(at), n, width))
            for place, row in enumerate(active[at].tolist()):
                x[place, : sizes[row]] = models[row].design
            root = np.sqrt(weights[at])
            beta = _lstsq_stack(x * root[:, :, None], z[at] * root, sizes[active[at]])
            eta[at] = np.einsum("knp,kp->kn", x, beta)
        return np.where(inside, eta, 0.0)

    return _irls_stack(counts, sizes, step)


def _irls_stack(y_all: _Array, sizes: npt.NDArray[np.int64], step: _Step) -> _Array:
    """Run :func:`fit_poisson`'s iterations on every row at once, each with ``step``'s fits.

    Row ``i`` is its first ``sizes[i]`` counts; a row stops when its deviance settles.
    """
    k, n = y_all.shape
    inside_all = np.arange(n)[None, :] < sizes[:, None]
    mu_all = np.maximum(y_all, 0.5)
    eta_all = np.log(mu_all)
    previous = np.full(k, math.inf)
    active = np.arange(k)
    for _ in range(_MAX_ITERATIONS):
        if not len(active):
            break
        y, mu, eta = y_all[active], mu_all[active], eta_all[active]
        inside = inside_all[active]
        z = eta + (y - mu) / mu
        eta = np.clip(step(active, z, mu, inside), -700, 700)
        mu = np.maximum(np.exp(eta), _MU_FLOOR)
        deviance = 2 * np.sum(np.where(inside, _xlogy(y, y / mu) - (y - mu), 0.0), axis=1)
        mu_all[active], eta_all[active] = mu, eta
        settled = np.abs(deviance - previous[active]) <= _TOLERANCE * (np.abs(deviance) + 0.1)
        previous[active] = deviance
        active = active[~settled]
    return mu_all


def _seasonal_step(
    z: _Array,
    weights: _Array,
    trend: _Array,
    cells: npt.NDArray[np.int64],
    levels: npt.NDArray[np.int64],
    limit: _Array,
) -> tuple[_Array, npt.NDArray[np.bool_]]:
    """Return each row's weighted least-squares fit of ``z`` on season cells and a trend.

    The model's columns span what a mean for each season level and a common trend span, so
    the fit is each level's weighted mean plus the slope of the deviations from them: sums,
    with no matrix to factorise. Also returns, for each row, whether the fit is sure to be
    ``lstsq``'s on the model's own design (an intercept, the trend and a column for each
    level but the first): that design's squared condition number is then provably below
    ``limit`` times the squared condition number of the change of basis between the two
    (:func:`_change_of_basis_condition`; :func:`_sure_limit` gives the ``limit``).
    """
    k, n = z.shape
    stride = int(levels.max())  # each row's levels take ``stride`` places, its own first
    index = (cells + stride * np.arange(k)[:, None]).ravel()
    flat_weights = weights.ravel()
    total = np.bincount(index, flat_weights, k * stride)
    safe = np.where(total > 0, total, 1.0)
    cell_trend = np.bincount(index, flat_weights * trend.ravel(), k * stride) / safe
    z_mean = (np.bincount(index, flat_weights * z.ravel(), k * stride) / safe)[index]
    deviation = trend - cell_trend[index].reshape(k, n)
    weighted = weights * deviation
    within = np.einsum("kn,kn->k", weighted, deviation)  # the trend's spread inside the cells
    slope = np.einsum("kn,kn->k", weighted, z - z_mean.reshape(k, n)) / np.where(
        within > 0, within, 1.0
    )
    eta = z_mean.reshape(k, n) + slope[:, None] * deviation
    # With each column of the cells-and-trend design scaled to unit length, its normal
    # equations are [[I, c], [c', 1]], of eigenvalues 1 and 1 -+ |c|, where 1 - |c|^2 is
    # the share of the trend's weighted sum of squares left inside the cells (``share``):
    # so that design's squared condition number is at most 4 / share times the ratio of its
    # columns' largest squared length to their smallest, and the model's own design's at
    # most that times the change of basis's squared condition number.
    cell_totals = total.reshape(k, stride)
    # The trend's whole weighted sum of squares: inside the cells and between them.
    squares = within + np.einsum("kj,kj->k", cell_totals, cell_trend.reshape(k, stride) ** 2)
    own = np.arange(stride)[None, :] < levels[:, None]
    smallest = np.minimum(np.where(own, cell_totals, np.inf).min(axis=1), squares)
    largest = np.maximum(cell_totals.max(axis=1), squares)
    share = within / np.where(squares > 0, squares, 1.0)
    sure = (smallest > 0) & (share > _SURE_SHARE)
    sure &= 4 * largest < limit * share * np.where(sure, smallest, 1.0)
    return eta, sure


def _sure_limit(sizes: npt.NDArray[np.int64], columns: npt.NDArray[np.int64] | int) -> _Array:
    """Return :func:`_seasonal_step`'s ``limit`` for designs of these lengths and columns.

    ``lstsq`` keeps every direction whose singular value is above ``eps * max(n, p)`` times
    the largest: a design whose condition number is a thousand times inside that keeps
    them all, whatever the rounding of its singular values.
    """
    widths = np.broadcast_to(np.asarray(columns, dtype=np.int64), np.shape(sizes))
    distinct, place = np.unique(widths, return_inverse=True)
    change = np.array([_change_of_basis_condition(w - 1) for w in distinct.tolist()])
    bound = 1 / (1000 * np.finfo(np.float64).eps * np.maximum(sizes, widths))
    limit: _Array = (bound / change[place.reshape(widths.shape)]) ** 2
    return limit


@functools.cache
def _change_of_basis_condition(levels: int) -> float:
    """Return the condition number of the map from the cells-and-trend model's coefficients.

    :func:`design_matrix`'s columns are the cells-and-trend columns (one per level, then
    the trend) times this matrix: the intercept is the sum of every level's column.
    """
    size = levels + 1
    change = np.zeros((size, size))
    change[:levels, 0] = 1.0
    change[levels, 1] = 1.0
    for level in range(1, levels):
        change[level, level + 1] = 1.0
    return float(np.linalg.cond(change))


def _lstsq_stack(
    a: npt.NDArray[np.float64],
    b: npt.NDArray[np.float64],
    rows: npt.NDArray[np.int64] | None = None,
) -> npt.NDArray[np.float64]:
    """Solve each least-squares problem ``a[i] @ x = b[i]`` as ``np.linalg.lstsq`` does.

    ``rows`` gives each problem's own number of rows when ``a`` and ``b`` are padded with
    zero rows (for ``lstsq``'s cut-off on small singular values); by default, all of them.

    A problem whose normal equations, once each column is scaled to unit length, are
    well-conditioned is solved by them: a season with no events makes its column tiny, and
    the scaling keeps that from costing precision. The rest, and any problem near the rank
    deficiency at which ``lstsq`` drops a direction, go by the singular value decomposition.
    """
    transposed = a.transpose(0, 2, 1)
    gram = transposed @ a
    right = (transposed @ b[:, :, None])[:, :, 0]
    lengths = np.einsum("kii->ki", gram)
    positive = lengths.min(axis=1) > 0
    scale = 1 / np.sqrt(np.where(positive[:, None], lengths, 1.0))
    scaled = gram * scale[:, :, None] * scale[:, None, :]
    eigenvalues = np.linalg.eigvalsh(scaled)  # ascending
    condition = eigenvalues[:, -1] / np.where(eigenvalues[:, 0] > 0, eigenvalues[:, 0], np.nan)
    spread = lengths.max(axis=1) / np.where(positive, lengths.min(axis=1), np.nan)
    # cond(a) is at most sqrt(condition * spread): far from lstsq's cut-off, no direction drops.
    well = positive & (condition < _WELL_CONDITIONED) & (condition * spread < _FULL_RANK)
    beta = np.empty_like(right)
    if well.any():
        unscaled = np.linalg.solve(scaled[well], (right * scale)[well][:, :, None])[:, :, 0]
        beta[well] = unscaled * scale[well]
    if not well.all():
        own = None if rows is None else rows[~well]
        beta[~well] = _lstsq_svd(a[~well], b[~well], own)
    return beta


def _lstsq_svd(
    a: npt.NDArray[np.float64],
    b: npt.NDArray[np.float64],
    rows: npt.NDArray[np.int64] | None = None,
) -> npt.NDArray[np.float64]:
    """Solve each least-squares problem by the singular value decomposition, as ``lstsq``.

    Singular values at most ``eps * max(n, p)`` times the largest are taken as zero
    (``lstsq``'s default ``rcond``; ``n`` is the problem's own number of rows, ``rows``,
    when it is padded), so a rank-deficient problem gets the same minimum-norm solution.
    """
    u, s, vt = np.linalg.svd(a, full_matrices=False)
    n = np.full(len(a), a.shape[1]) if rows is None else np.asarray(rows)
    cutoff = np.finfo(np.float64).eps * np.maximum(n, a.shape[2])[:, None] * s[:, :1]
    inverse = np.zeros_like(s)
    kept = s > cutoff
    inverse[kept] = 1 / s[kept]
    projected = np.einsum("knp,kn->kp", u, b) * inverse
    solution: npt.NDArray[np.float64] = np.einsum("kqp,kq->kp", vt, projected)
    return solution


def _counts(counts: Sequence[float] | npt.ArrayLike) -> npt.NDArray[np.float64]:
    y = np.asarray(counts, dtype=np.float64)
    if y.ndim != 1 or not np.all(np.isfinite(y)) or np.any(y < 0):
        raise ValueError("counts must be a one-dimensional series of finite, non-negative numbers")
    return y


def _estimable(y: npt.NDArray[np.float64]) -> bool:
    """Return True when the series is long enough and has any events to estimate from."""
    return len(y) - 2 >= MINIMUM_RESIDUAL_DF and float(y.sum()) != 0


def _dispersion(
    y: npt.NDArray[np.float64], mu: npt.NDArray[np.float64], columns: int, seasonal: bool
) -> Dispersion:
    """Return Pearson's estimate from the counts and their fitted means."""
    n = len(y)
    df = n - columns
    pearson = float(np.sum((y - mu) ** 2 / mu))
    return Dispersion(
        phi=pearson / df, periods=n, residual_df=df, seasonal=seasonal, mean=float(y.mean())
    )


def _xlogy(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Return ``x * log(y)``, taken as 0 where ``x`` is 0."""
    out: npt.NDArray[np.float64] = x * np.log(np.where(x > 0, y, 1.0))
    return out
