"""Margin labels of reference lines: a nice domain that covers the data, labels kept apart."""

from __future__ import annotations

import itertools
import math

from hypothesis import assume, given
from hypothesis import strategies as st

from renderers.vegalite.labels import nice_domain, pixel, spread

finite = st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False)


@given(st.lists(finite, min_size=1, max_size=20), st.booleans())
def test_the_domain_covers_every_value_and_zero_when_asked(values: list[float], zero: bool) -> None:
    low, high = nice_domain(values, zero=zero)
    assert low < high
    assert low <= min(values) and high >= max(values)
    if zero:
        assert low <= 0 <= high


@given(st.lists(finite, min_size=1, max_size=20))
def test_pixels_run_from_the_bottom_to_the_top(values: list[float]) -> None:
    domain = nice_domain(values)
    assert math.isclose(pixel(domain[0], domain, 320), 320)
    assert math.isclose(pixel(domain[1], domain, 320), 0, abs_tol=1e-6)


@given(
    st.lists(st.floats(-50, 400, allow_nan=False), min_size=1, max_size=8),
    st.floats(5, 20),
)
def test_spread_labels_never_overlap_and_keep_their_order(
    positions: list[float], gap: float
) -> None:
    low, high = 5.0, 315.0
    assume(gap * (len(positions) - 1) <= high - low)  # there is room for all of them
    placed = spread(positions, gap, low, high)
    order = sorted(range(len(positions)), key=lambda i: (positions[i], i))
    ys = [placed[i] for i in order]
    assert all(b - a >= gap - 1e-9 for a, b in itertools.pairwise(ys))
    assert all(low - 1e-9 <= y <= high + 1e-9 for y in ys)


@given(st.lists(st.floats(0, 300, allow_nan=False), min_size=1, max_size=6))
def test_labels_far_apart_stay_at_their_lines(positions: list[float]) -> None:
    ordered = sorted(positions)
    assume(all(b - a >= 20 for a, b in itertools.pairwise(ordered)))
    assume(all(10 <= p <= 300 for p in positions))
    assert spread(positions, 14, 5, 315) == positions
