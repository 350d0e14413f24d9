"""The batched dispersion estimates are the scalar ones, series by series, whatever the data."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framework.stats.dispersion import (
    Dispersion,
    design_matrix,
    estimate_dispersion,
    estimate_dispersions,
    fit_poisson,
    fit_poisson_stack,
)

Series = tuple[list[float], list[int] | None]


@st.composite
def count_series(draw: st.DrawFn) -> Series:
    """Draw a count series (zeros, short, seasonal or flat, any size) and its season."""
    n = draw(st.integers(1, 48))
    shape = draw(st.sampled_from(["any", "small", "zeros", "seasonal", "one_season_empty"]))
    if shape == "any":
        counts = draw(st.lists(st.integers(0, 100_000), min_size=n, max_size=n))
    elif shape == "small":
        counts = draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    elif shape == "zeros":
        counts = [0] * n
        counts[draw(st.integers(0, n - 1))] = draw(st.integers(1, 50))
    else:
        level = draw(st.integers(1, 5_000))
        peaks = draw(st.lists(st.floats(0.2, 3.0), min_size=4, max_size=4))
        counts = [round(level * peaks[i % 4]) for i in range(n)]
        if shape == "one_season_empty":
            counts = [0 if i % 4 == 1 else c for i, c in enumerate(counts)]
    cycle = draw(st.sampled_from([None, 4, 12]))
    offset = draw(st.integers(0, 11))
    step = 3 if cycle == 4 else 1
    season = None if cycle is None else [(offset + i * step) % 12 for i in range(n)]
    return [float(c) for c in counts], season


def _same(scalar: Dispersion | None, batched: Dispersion | None) -> None:
    assert (scalar is None) == (batched is None)
    if scalar is None or batched is None:
        return
    assert (batched.periods, batched.residual_df, batched.seasonal) == (
        scalar.periods, scalar.residual_df, scalar.seasonal,
    )  # fmt: skip
    assert batched.mean == scalar.mean
    assert math.isclose(batched.phi, scalar.phi, rel_tol=1e-9, abs_tol=1e-12)


@settings(max_examples=100, deadline=None)
@given(st.lists(count_series(), min_size=1, max_size=12))
def test_each_batched_estimate_is_the_series_own(many: list[Series]) -> None:
    batched = estimate_dispersions(many)
    assert len(batched) == len(many)
    for (counts, season), estimate in zip(many, batched, strict=True):
        _same(estimate_dispersion(counts, season), estimate)


@settings(max_examples=60, deadline=None)
@given(count_series(), st.integers(2, 20))
def test_series_sharing_a_design_fit_together_as_alone(first: Series, copies: int) -> None:
    # Many series of one length and season: one stacked fit, each to its own answer.
    counts, season = first
    rng = np.random.default_rng(len(counts) * copies)
    many: list[Series] = [(counts, season)] + [
        ([float(c) for c in rng.poisson(max(float(np.mean(counts)), 0.1), len(counts))], season)
        for _ in range(copies)
    ]
    for (c, s), estimate in zip(many, estimate_dispersions(many), strict=True):
        _same(estimate_dispersion(c, s), estimate)


@settings(max_examples=60, deadline=None)
@given(st.lists(count_series(), min_size=1, max_size=6))
def test_the_stacked_fit_gives_each_row_its_own_fitted_means(many: list[Series]) -> None:
    counts, season = many[0]
    n = len(counts)
    design, _ = design_matrix(n, season)
    rows = [counts] + [c for c, _ in many[1:] if len(c) == n]
    fitted = fit_poisson_stack(np.array(rows), design)
    for row, means in zip(rows, fitted, strict=True):
        alone = fit_poisson(np.array(row), design)
        np.testing.assert_allclose(means, alone, rtol=1e-9, atol=1e-9)


def test_a_batch_of_nothing_is_nothing() -> None:
    assert estimate_dispersions([]) == []


def test_the_batch_refuses_what_the_scalar_refuses() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        estimate_dispersions([([1.0] * 10, None), ([1.0, -1.0] * 5, None)])


def test_too_short_and_empty_series_give_none_in_their_place() -> None:
    long = [float(c) for c in range(10, 30)]
    assert estimate_dispersions([([3, 4, 5, 6, 7, 8, 9], None), (long, None), ([0] * 20, None)])[
        ::2
    ] == [None, None]
    _same(estimate_dispersion(long), estimate_dispersions([(long, None)])[0])


@settings(max_examples=60, deadline=None)
@given(
    st.integers(6, 30),
    st.integers(1, 4),
    st.floats(1e-9, 1e3),
    st.booleans(),
    st.integers(0, 2**32 - 1),
)
def test_each_stacked_least_squares_step_is_lstsq(
    n: int, columns: int, scale: float, deficient: bool, seed: int
) -> None:
    # Well-conditioned problems take the normal equations, others the SVD: both are lstsq's.
    from framework.stats.dispersion import _lstsq_stack

    rng = np.random.default_rng(seed)
    a = rng.normal(size=(3, n, columns + 1))
    a[:, :, -1] *= scale  # a column of very different size: an ill-conditioned problem
    if deficient:
        a[:, :, 0] = a[:, :, -1]  # two equal columns: lstsq's minimum-norm answer
    b = rng.normal(size=(3, n))
    for x, (one_a, one_b) in zip(_lstsq_stack(a, b), zip(a, b, strict=True), strict=True):
        expected = np.linalg.lstsq(one_a, one_b, rcond=None)[0]
        np.testing.assert_allclose(x, expected, rtol=1e-7, atol=1e-9 * np.abs(expected).max())


@settings(max_examples=60, deadline=None)
@given(st.lists(count_series(), min_size=1, max_size=6))
def test_a_padded_stack_fits_each_row_on_its_own_length(many: list[Series]) -> None:
    # Rows of different lengths: each padded with zero-weight rows to the longest.
    longest = max(len(c) for c, _ in many)
    designs = [design_matrix(len(c), None)[0] for c, _ in many]
    counts = np.zeros((len(many), longest))
    padded = np.zeros((len(many), longest, 2))
    for row, ((c, _), design) in enumerate(zip(many, designs, strict=True)):
        counts[row, : len(c)] = c
        padded[row, : len(c)] = design
    lengths = np.array([len(c) for c, _ in many])
    fitted = fit_poisson_stack(counts, padded, lengths)
    for row, ((c, _), design) in enumerate(zip(many, designs, strict=True)):
        alone = fit_poisson(np.array(c), design)
        np.testing.assert_allclose(fitted[row, : len(c)], alone, rtol=1e-9, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.integers(3, 20), st.integers(0, 10), st.booleans(), st.integers(0, 2**32 - 1))
def test_padding_a_least_squares_problem_with_zero_rows_changes_nothing(
    n: int, extra: int, deficient: bool, seed: int
) -> None:
    from framework.stats.dispersion import _lstsq_stack

    rng = np.random.default_rng(seed)
    a = rng.normal(size=(2, n, 3))
    if deficient:
        a[:, :, 0] = a[:, :, 2]
    b = rng.normal(size=(2, n))
    padded_a = np.concatenate((a, np.zeros((2, extra, 3))), axis=1)
    padded_b = np.concatenate((b, np.zeros((2, extra))), axis=1)
    solved = _lstsq_stack(padded_a, padded_b, np.array([n, n]))
    for x, one_a, one_b in zip(solved, a, b, strict=True):
        expected = np.linalg.lstsq(one_a, one_b, rcond=None)[0]
        np.testing.assert_allclose(x, expected, rtol=1e-7, atol=1e-9 * np.abs(expected).max())
