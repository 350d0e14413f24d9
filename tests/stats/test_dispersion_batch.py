"""The batched dispersion estimates are the scalar ones, series by series, whatever the data."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framework.stats.dispersion import (
    Dispersion,
    _Model,
    _seasonal_step,
    _sure_limit,
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


def _same(scalar: Dispersion | None, batched: Dispersion | None, floor: float = 1e-12) -> None:
    assert (scalar is None) == (batched is None)
    if scalar is None or batched is None:
        return
    assert (batched.periods, batched.residual_df, batched.seasonal) == (
        scalar.periods, scalar.residual_df, scalar.seasonal,
    )  # fmt: skip
    assert batched.mean == scalar.mean
    assert math.isclose(batched.phi, scalar.phi, rel_tol=1e-9, abs_tol=floor)


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


@st.composite
def hard_series(draw: st.DrawFn) -> Series:
    """Draw a badly conditioned series: empty seasons, a late start, one spike, odd seasons."""
    n = draw(st.integers(8, 72))
    cycle = draw(st.sampled_from([4, 12]))
    places = [i % cycle for i in range(n)]
    if draw(st.booleans()):  # a season pattern of no regular cycle, some levels only once
        places = draw(st.lists(st.integers(0, 5), min_size=n, max_size=n))
    level = draw(st.sampled_from([1, 30, 5_000, 100_000]))
    counts = [float(level + draw(st.integers(0, max(1, level // 10)))) for _ in range(n)]
    shape = draw(st.sampled_from(["empty_first", "empty_other", "late_start", "spike", "ramp"]))
    if shape == "empty_first":  # the level without a column of its own has no events
        counts = [0.0 if p == min(places) else c for p, c in zip(places, counts, strict=True)]
    elif shape == "empty_other":
        empty = draw(st.sampled_from(sorted(set(places))))
        counts = [0.0 if p == empty else c for p, c in zip(places, counts, strict=True)]
    elif shape == "late_start":  # nothing for most of the history, then the counts
        start = draw(st.integers(1, n - 1))
        counts = [0.0] * start + counts[start:]
    elif shape == "spike":
        counts = [0.0] * n
        counts[draw(st.integers(0, n - 1))] = float(level)
    else:  # a steep exponential rise: the weights crowd into the last periods
        counts = [round(level * math.exp(12 * (i / n - 1))) * 1.0 for i in range(n)]
    return counts, places


@settings(max_examples=150, deadline=None)
@given(st.lists(hard_series(), min_size=1, max_size=8))
def test_badly_conditioned_series_get_their_own_estimate_in_a_batch(many: list[Series]) -> None:
    # Empty seasons (their means fall to the floor), weights crowded into a few periods,
    # irregular seasons: the closed-form steps and lstsq's steps must both be each series' own.
    # A lone spike fits exactly: its phi is only the means left in its empty periods when
    # the fit stops (some 1e-11, and never used: a test takes at least 1), so there the
    # estimates agree to 1e-9 absolute rather than relative.
    batched = estimate_dispersions(many)
    for (counts, season), estimate in zip(many, batched, strict=True):
        _same(estimate_dispersion(counts, season), estimate, floor=1e-9)


@st.composite
def weighted_problem(draw: st.DrawFn) -> tuple[_Model, np.ndarray, np.ndarray]:
    """Draw a model and a reweighted least-squares step on it: weights of any size."""
    n = draw(st.integers(8, 60))
    season = draw(st.sampled_from(["none", "quarters", "months", "irregular"]))
    if season == "none":
        places = None
    elif season == "irregular":
        places = np.array(draw(st.lists(st.integers(0, 4), min_size=n, max_size=n)))
    else:
        cycle = 4 if season == "quarters" else 12
        places = np.arange(n) % cycle
    model = _Model.of(n, places)
    exponents = np.array(draw(st.lists(st.floats(-28, 12), min_size=n, max_size=n)))
    if model.seasonal and draw(st.booleans()):  # one level's means near the floor
        exponents[model.cells == draw(st.integers(0, int(model.cells.max())))] = -27.6
    z = np.array(draw(st.lists(st.floats(-40, 15), min_size=n, max_size=n)))
    return model, np.exp(exponents), z


@settings(max_examples=200, deadline=None)
@given(weighted_problem())
def test_a_closed_form_step_is_lstsq_and_only_where_lstsq_drops_nothing(
    problem: tuple[_Model, np.ndarray, np.ndarray],
) -> None:
    model, weights, z = problem
    n, columns = model.design.shape
    limit = _sure_limit(np.array([n]), columns)
    eta, sure = _seasonal_step(
        z[None],
        weights[None],
        model.design[None, :, 1],
        model.cells[None],
        np.array([columns - 1]),
        limit,
    )
    root = np.sqrt(weights)
    a = model.design * root[:, None]
    if not sure[0]:
        return
    # Sure: the design is a thousand times inside lstsq's cut-off (so it keeps every
    # direction), and the fit is lstsq's, in the weighted norm the step minimises.
    cut_off = np.finfo(np.float64).eps * max(n, columns)
    singular = np.linalg.svd(a, compute_uv=False)
    assert singular[-1] > 1000 * cut_off * singular[0]
    beta = np.linalg.lstsq(a, z * root, rcond=None)[0]
    # lstsq's own fitted values are good to about eps times the condition number (relative
    # to the data's size): within that, or 1e-9 where that is smaller, the two agree.
    own = max(1e-9, 100 * np.finfo(np.float64).eps * singular[0] / singular[-1])
    np.testing.assert_allclose(
        eta[0] * root, a @ beta, rtol=1e-9, atol=own * float(np.linalg.norm(z * root))
    )


def test_the_closed_form_takes_ordinary_steps_and_leaves_crowded_ones_to_lstsq() -> None:
    model = _Model.of(48, np.arange(48) % 12)
    limit = _sure_limit(np.array([48, 48]), 13)
    rng = np.random.default_rng(7)
    z = rng.normal(5, 1, size=(2, 48))
    ordinary = rng.uniform(50, 500, 48)
    crowded = np.full(48, 1e-12)
    crowded[-1] = 1e4  # one period carries all the weight: the design is near singular
    _, sure = _seasonal_step(
        z, np.stack([ordinary, crowded]), np.tile(model.design[:, 1], (2, 1)),
        np.tile(model.cells, (2, 1)), np.array([12, 12]), limit,
    )  # fmt: skip
    assert sure.tolist() == [True, False]


def test_a_series_whose_steps_go_by_lstsq_gets_its_own_estimate(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import framework.stats.dispersion as dispersion

    solved: list[int] = []
    real = dispersion._lstsq_stack

    def spy(a: np.ndarray, b: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        solved.append(len(a))
        return real(a, b, rows)

    monkeypatch.setattr(dispersion, "_lstsq_stack", spy)
    spike = [0.0] * 30 + [40.0]
    ordinary = [float(20 + (i * 7) % 5) for i in range(31)]
    batched = estimate_dispersions([(spike, None), (ordinary, None)])
    assert solved and max(solved) == 1  # the spike's steps, never the ordinary series'
    _same(estimate_dispersion(spike), batched[0])
    _same(estimate_dispersion(ordinary), batched[1])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.floats(100.0, 1000.0), min_size=8, max_size=30),
            st.sampled_from([0.0, 0.5]),
            st.booleans(),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_fractional_counts_keep_their_own_estimate_and_mean_to_the_bit(
    drawn: list[tuple[list[float], float, bool]],
) -> None:
    # Whole counts are summed at once; with any fraction, each series' mean is its own.
    many: list[Series] = [
        ([c + level for c in counts], [i % 4 for i in range(len(counts))] if seasonal else None)
        for counts, level, seasonal in drawn
    ]
    for (counts, season), estimate in zip(many, estimate_dispersions(many), strict=True):
        _same(estimate_dispersion(counts, season), estimate)


def test_whole_counts_past_two_to_the_53_keep_their_own_mean_to_the_bit() -> None:
    # Their sums round, and the order of the adding would show: each is summed alone.
    huge = [3e15 + 1_000_003.0 * (i % 5) for i in range(24)]
    both = [(huge, None), ([float(c) for c in range(10, 40)], None)]
    for (counts, season), estimate in zip(both, estimate_dispersions(both), strict=True):
        alone = estimate_dispersion(counts, season)
        assert alone is not None and estimate is not None
        assert estimate.mean == alone.mean
        # Means of 3e15 carry rounding of some units, so phi agrees only so far.
        assert math.isclose(estimate.phi, alone.phi, rel_tol=1e-6)
