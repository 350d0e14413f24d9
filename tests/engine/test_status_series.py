"""The status's latest unbroken run of a series is the SPC's (``latest_run``), whatever the gaps."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from framework.engine.signals import latest_run
from framework.engine.status_series import AreaSeries


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.none() | st.integers(-5, 500), max_size=30),
    st.lists(st.integers(-3, 40), min_size=1, max_size=6),
    st.integers(1, 3),
)
def test_each_run_is_latest_runs(values: list[int | None], lasts: list[int], step: int) -> None:
    labels = np.arange(len(values), dtype=np.int64) * step
    numbers = np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)
    series = AreaSeries("E23000017", labels, numbers)
    frame = pd.Series(numbers, index=labels)
    for last in lasts:  # one series asked again and again, as the status does
        run = series.run(last)
        expected = latest_run(frame, last)
        np.testing.assert_array_equal(run.labels, expected.index.to_numpy())
        np.testing.assert_array_equal(run.values, expected.to_numpy())
        assert not np.isnan(run.values).any()
        assert run.code == "E23000017"
