"""Property-based tests of the engine's aggregations, windows and baselines."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framework.engine.series import rolling, window_ends_in
from tests.engine.builders import AREAS, dataset, evaluate, frame, measure, population

pytestmark = pytest.mark.slow  # make test-fast leaves it out; make test runs it

START = 24_201  # October 2016: a quarter starts here, so 36 months are 12 whole quarters

rows_strategy = st.lists(
    st.tuples(
        st.integers(START, START + 35),
        st.sampled_from(AREAS),
        st.sampled_from(["a", "b", "c"]),
        st.integers(-3, 50).map(float),
    ),
    min_size=1,
    max_size=120,
)


def _complete(rows: list[tuple[int, str, str, float]]) -> list[tuple[int, str, str, float]]:
    """Add a zero row for every month and area so no window has a gap."""
    pad = [(p, a, "a", 0.0) for p in range(START, START + 36) for a in AREAS]
    return rows + pad


@settings(max_examples=60, deadline=None)
@given(rows_strategy)
def test_components_sum_to_the_total(rows: list[tuple[int, str, str, float]]) -> None:
    result = evaluate(measure(breakdown=["kind"]), frame(_complete(rows)))
    assert result.components is not None
    by_area = result.components.figure.T.groupby(level=0).sum(min_count=1).T
    pd.testing.assert_frame_equal(
        by_area.reindex(columns=AREAS),
        result.totals.figure.reindex(columns=AREAS),
        check_names=False,
        check_freq=False,
    )


@settings(max_examples=60, deadline=None)
@given(rows_strategy, st.integers(1, 12))
def test_rolling_window_equals_direct_sum(
    rows: list[tuple[int, str, str, float]], months: int
) -> None:
    data = frame(_complete(rows))
    result = evaluate(measure(window={"kind": "rolling", "months": months}), data)
    # Each month's total once, then each window summed directly (a filter per cell was slow).
    monthly: dict[tuple[str, int], float] = {}
    for area, period, value in zip(data.area_code, data.period, data.value, strict=True):
        monthly[(area, int(period))] = monthly.get((area, int(period)), 0.0) + float(value)
    for end in range(START + months - 1, START + 36):
        for area in AREAS:
            inside = sum(monthly.get((area, p), 0.0) for p in range(end - months + 1, end + 1))
            assert result.totals.figure.loc[end, area] == pytest.approx(inside, rel=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 40).map(float), min_size=24, max_size=24), st.integers(1, 11))
def test_a_gap_empties_the_window_rather_than_shortening_it(values: list[float], gap: int) -> None:
    wide = pd.DataFrame({"x": values}, index=pd.Index(range(24)))
    wide.iloc[gap] = np.nan
    windowed = rolling(wide, 12)
    for end in range(24):
        covers_gap = end - 11 <= gap <= end
        if end >= 11 and not covers_gap:
            assert windowed.totals.iloc[end, 0] == sum(values[end - 11 : end + 1])
            assert windowed.missing.iloc[end, 0] == 0
        else:
            assert np.isnan(windowed.totals.to_numpy()[end, 0])
            assert windowed.missing.to_numpy()[end, 0] >= 1


@settings(max_examples=40, deadline=None)
@given(rows_strategy, st.floats(0.1, 1000.0))
def test_rate_scales_inversely_with_population(
    rows: list[tuple[int, str, str, float]], factor: float
) -> None:
    data = frame(_complete(rows))
    m = measure(aggregation={"kind": "rate", "per": 100000})
    base = evaluate(m, data, pop=population(dict.fromkeys(AREAS, 5000.0)))
    scaled = evaluate(m, data, pop=population(dict.fromkeys(AREAS, 5000.0 * factor)))
    np.testing.assert_allclose(
        scaled.totals.figure.to_numpy() * factor, base.totals.figure.to_numpy(), rtol=1e-9
    )


@settings(max_examples=40, deadline=None)
@given(rows_strategy)
def test_baseline_window_is_inclusive_at_both_ends(rows: list[tuple[int, str, str, float]]) -> None:
    data = frame(_complete(rows))
    first, last = START + 12, START + 23  # one 12-month window
    m = measure(baseline={"label": "b", "start": _label(first), "end": _label(last)})
    result = evaluate(m, data)
    assert result.baseline is not None
    for area in AREAS:
        inside = data[(data.area_code == area) & (data.period >= first) & (data.period <= last)]
        assert result.baseline[area] == inside.value.sum()


@settings(max_examples=40, deadline=None)
@given(rows_strategy, st.permutations(range(3)))
def test_an_area_does_not_depend_on_the_others(
    rows: list[tuple[int, str, str, float]], order: list[int]
) -> None:
    data = frame(_complete(rows))
    alone = evaluate(measure(), data[data.area_code == AREAS[0]], areas=[AREAS[0]])
    together = evaluate(measure(), data, areas=[AREAS[i] for i in order])
    pd.testing.assert_series_equal(
        alone.totals.figure[AREAS[0]], together.totals.figure[AREAS[0]], check_names=False
    )


@settings(max_examples=40, deadline=None)
@given(rows_strategy, st.randoms(use_true_random=False))
def test_row_order_is_irrelevant(rows: list[tuple[int, str, str, float]], rng: object) -> None:
    data = frame(_complete(rows))
    shuffled = data.sample(frac=1.0, random_state=np.random.RandomState(len(rows))).reset_index(
        drop=True
    )
    a = evaluate(measure(breakdown=["kind"]), data)
    b = evaluate(measure(breakdown=["kind"]), shuffled)
    pd.testing.assert_frame_equal(a.totals.figure, b.totals.figure)
    assert a.components is not None and b.components is not None
    pd.testing.assert_frame_equal(
        a.components.figure.sort_index(axis=1), b.components.figure.sort_index(axis=1)
    )


@settings(max_examples=40, deadline=None)
@given(rows_strategy)
def test_zero_filling_never_changes_a_total(rows: list[tuple[int, str, str, float]]) -> None:
    data = frame(rows)
    m = measure(window={"kind": "period"})
    filled = evaluate(m, data, ds=dataset(complete=True))
    plain = evaluate(m, data, ds=dataset(complete=False))
    assert filled.totals.figure.sum().sum() == plain.totals.figure.sum().sum() == data.value.sum()


@settings(max_examples=40, deadline=None)
@given(rows_strategy)
def test_quarterly_and_monthly_paths_agree(rows: list[tuple[int, str, str, float]]) -> None:
    monthly = frame(_complete(rows))
    quarter_end = monthly.period + (2 - monthly.period % 3)
    quarterly = monthly.assign(period=quarter_end)
    from_months = evaluate(measure(grain="quarter"), monthly)
    from_quarters = evaluate(measure(grain="quarter"), quarterly, ds=dataset(grain="quarter"))
    pd.testing.assert_frame_equal(from_months.totals.figure, from_quarters.totals.figure)


@given(st.integers(24_000, 24_400), st.sampled_from([1, 3]), st.sampled_from([3, 6, 12]))
def test_window_ends_tile_the_span(first_raw: int, step: int, months: int) -> None:
    first = first_raw - first_raw % step
    last = first + 4 * months - 1
    ends = window_ends_in(first, last, months, step)
    assert len(ends) == 4
    assert ends[-1] == last and ends[0] - months + 1 == first


def _label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"
