"""A packed result frame unpacks to the same frame: values, missing values, dtypes, index."""

from __future__ import annotations

import math
import pickle
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framework.engine.compact import compact

WORDS = st.sampled_from(["improving", "worsening", "", "no significant change", "é", "a;b"])


def _object(values: list[Any]) -> pd.Series:
    """Return the values as an object column (the extra ``None`` keeps numpy from nesting)."""
    return pd.Series(np.array([*values, None], dtype=object)[:-1], dtype=object)


@st.composite
def frames(draw: st.DrawFn) -> pd.DataFrame:
    """Frames with the kinds of column a run's rows have, missing values of every kind."""
    n = draw(st.integers(0, 30))

    def cells(values: st.SearchStrategy[Any]) -> list[Any]:
        return draw(st.lists(values, min_size=n, max_size=n))

    columns: dict[str, pd.Series] = {
        "words": pd.Series(cells(st.one_of(WORDS, st.none())), dtype="str"),
        "strings": pd.Series(cells(st.one_of(WORDS, st.none())), dtype="string"),
        "words_or_none": _object(cells(st.one_of(WORDS, st.none()))),
        "words_or_nan": _object(cells(st.one_of(WORDS, st.just(math.nan)))),
        "words_none_and_nan": _object(cells(st.one_of(WORDS, st.none(), st.just(math.nan)))),
        "words_or_numpy_nan": _object(cells(st.one_of(WORDS, st.just(np.float64("nan"))))),
        # 1, 1.0 and True are equal as keys: such a column must come back as it was.
        "mixed": _object(cells(st.one_of(WORDS, st.sampled_from([1, 1.0, True, None])))),
        "figures": pd.Series(cells(st.floats(allow_infinity=True)), dtype="float64"),
        "periods": pd.Series(cells(st.integers(-(2**40), 2**40)), dtype="int64"),
        "flags": pd.Series(cells(st.booleans()), dtype="bool"),
        "significant": pd.Series(cells(st.one_of(st.booleans(), st.none())), dtype="boolean"),
    }
    chosen = draw(st.lists(st.sampled_from(sorted(columns)), unique=True))
    frame = pd.DataFrame({name: columns[name] for name in chosen}, index=pd.RangeIndex(n))
    if draw(st.booleans()):
        frame.index = pd.Index(draw(st.lists(st.integers(0, 5), min_size=n, max_size=n)))
    return frame


def assert_same(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Check the frames are equal cell for cell, missing values of the same kind included."""
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert list(got.dtypes) == list(expected.dtypes)
    for name in expected.columns:
        if expected[name].dtype == object:
            for a, b in zip(got[name], expected[name], strict=True):
                assert type(a) is type(b), (name, a, b)
                assert a == b or (a is None and b is None) or (a != a and b != b)


@settings(max_examples=100)
@given(frames())
def test_a_packed_frame_unpacks_to_the_same_frame(frame: pd.DataFrame) -> None:
    sent = pickle.loads(pickle.dumps(compact(frame), protocol=pickle.HIGHEST_PROTOCOL))
    assert_same(sent.expand(), frame)


def test_text_columns_travel_as_small_codes() -> None:
    words = ["common cause", "improving", "worsening"] * 10_000
    frame = pd.DataFrame({"status": pd.Series(words, dtype="str"), "other": _object(words)})
    packed = compact(frame)
    assert all(column.codes.dtype == np.int8 for column in packed.columns)
    assert len(pickle.dumps(packed)) < len(pickle.dumps(frame)) / 4
    assert_same(packed.expand(), frame)


def test_column_labels_and_a_named_index_are_kept() -> None:
    frame = pd.DataFrame({"a": [1.5, 2.5], "b": ["x", None]}, index=pd.Index([7, 3], name="row"))
    frame.columns = pd.Index(["a", "b"], name="column")
    assert_same(compact(frame).expand(), frame)


@pytest.mark.parametrize("count", [127, 128, 40_000])
def test_the_codes_hold_every_distinct_value(count: int) -> None:
    frame = pd.DataFrame({"words": pd.Series([f"w{i}" for i in range(count)] + [None])})
    assert_same(compact(frame).expand(), frame)
