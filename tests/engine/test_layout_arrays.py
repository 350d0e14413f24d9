"""Property tests of the array shortcuts the engine lays its figures out with."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from framework.engine.evaluate import _period_rows
from framework.engine.results import _by_area, without
from framework.engine.signals import _words
from tests.engine.builders import AREAS, evaluate, frame, measure

START = 24_201

rows_strategy = st.lists(
    st.tuples(
        st.integers(START, START + 35),
        st.sampled_from(AREAS),
        st.sampled_from(["a", "b", "c"]),
        st.integers(0, 30).map(float),
    ),
    min_size=1,
    max_size=60,
)


@settings(max_examples=80, deadline=None)
@given(
    st.integers(20_000, 30_000),
    st.integers(0, 40),
    st.sampled_from([1, 3, 12]),
    st.lists(st.integers(19_900, 30_600), max_size=40),
)
def test_period_rows_find_what_a_lookup_finds(
    first: int, count: int, step: int, ends: list[int]
) -> None:
    periods = pd.Index(np.arange(first, first + count * step, step, dtype="int64"), name="period")
    values = np.asarray(ends + periods.tolist()[:3], dtype="int64")
    expected = periods.get_indexer(pd.Index(values))
    np.testing.assert_array_equal(_period_rows(periods, values), expected)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 500), min_size=1, max_size=20, unique=True))
def test_period_rows_of_uneven_periods_are_looked_up(ends: list[int]) -> None:
    periods = pd.Index(sorted(ends), dtype="int64")
    values = np.arange(-2, 503, dtype="int64")
    expected = periods.get_indexer(pd.Index(values))
    np.testing.assert_array_equal(_period_rows(periods, values), expected)


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(st.sampled_from([*AREAS, "W15000001"]), st.floats(-1e6, 1e6), max_size=4),
    st.lists(st.sampled_from([*AREAS, "E99999999"]), min_size=1, max_size=5),
    st.integers(0, 6),
)
def test_by_area_is_the_mapping_of_each_cells_area(
    by_code: dict[str, float], columns: list[str], periods: int
) -> None:
    wide = pd.DataFrame(np.zeros((periods, len(columns))), columns=columns)
    series = pd.Series(by_code, dtype="float64")
    cells = pd.Series(np.tile(np.asarray(columns, dtype=object), periods))
    np.testing.assert_array_equal(
        _by_area(series, wide), cells.map(series).to_numpy(dtype="float64")
    )


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.sampled_from(list("abcdef")), min_size=1, max_size=6, unique=True),
    st.lists(st.sampled_from(list("abcxyz")), max_size=4),
)
def test_without_drops_only_the_columns_present(columns: list[str], names: list[str]) -> None:
    data = pd.DataFrame({column: [1.0, 2.0] for column in columns})
    before = data.copy()
    kept = without(data, names)
    pd.testing.assert_frame_equal(kept, data.drop(columns=names, errors="ignore"))
    pd.testing.assert_frame_equal(data, before)  # the caller's frame is untouched
    if not set(names) & set(columns):
        assert kept is data


@settings(max_examples=30, deadline=None)
@given(rows_strategy, st.sampled_from(["a", "b", "c"]), st.sampled_from(["a", "b", "c"]))
def test_a_table_read_again_with_other_filters_gives_a_fresh_tables_figures(
    rows: list[tuple[int, str, str, float]], first: str, second: str
) -> None:
    # Masks and numbers are kept per table and filter: a second measure must not reuse the
    # first one's selection.
    data = frame([*rows, *((START, AREAS[0], kind, 1.0) for kind in "abc")])
    for kind in (first, second):
        chosen = measure(source={"dataset": "test_data", "filters": {"kind": [kind]}})
        shared = evaluate(chosen, data)
        fresh = evaluate(chosen, data.copy())
        pd.testing.assert_frame_equal(shared.totals.figure, fresh.totals.figure)
        pd.testing.assert_frame_equal(shared.totals.rows, fresh.totals.rows)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.sampled_from(["shift", "trend", None]), min_size=1, max_size=6),
    st.lists(st.tuples(st.integers(0, 5), st.booleans()), min_size=1, max_size=12),
)
def test_spc_words_are_the_labels_taken_typed_as_those_values_infer(
    labels: list[str | None], cells: list[tuple[int, bool]]
) -> None:
    take = np.asarray([at % len(labels) for at, _ in cells], dtype=np.intp)
    found = np.asarray([hit for _, hit in cells], dtype=bool)
    index = pd.RangeIndex(len(cells))
    # The column as taking each row's label into an array of objects would infer it.
    taken = np.full(len(cells), np.nan, dtype=object)
    taken[found] = np.asarray(labels, dtype=object)[take[found]]
    expected = pd.Series(taken, index=index)
    got = _words(list(labels), take, found, index)
    assert got.dtype == expected.dtype
    assert [repr(v) for v in got.tolist()] == [repr(v) for v in expected.tolist()]
