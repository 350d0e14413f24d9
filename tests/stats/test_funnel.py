"""Funnel limits and overdispersion against Spiegelhalter's (2005) formulas."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framework.stats.funnel import funnel_dispersion, funnel_limits


def test_limits_follow_spiegelhalters_formula() -> None:
    # theta ± z * sqrt(phi * theta * per / n): 500 per 100,000 at a population of 600,000.
    low, high = funnel_limits(500.0, [600_000], 0.95, dispersion=4.0)
    spread = 1.959964 * math.sqrt(4.0 * 500.0 * 100_000 / 600_000)
    assert high[0] == pytest.approx(500 + spread, rel=1e-6)
    assert low[0] == pytest.approx(500 - spread, rel=1e-6)
    _, high3 = funnel_limits(500.0, [600_000], 0.998)
    assert high3[0] - 500 == pytest.approx(3.090232 * math.sqrt(500 * 100_000 / 600_000), rel=1e-6)


def test_poisson_data_show_no_overdispersion() -> None:
    rng = np.random.default_rng(5)
    populations = rng.integers(300_000, 3_000_000, 43).astype(float)
    counts = rng.poisson(0.01 * populations)
    dispersion = funnel_dispersion(counts, populations, 1000.0)
    assert dispersion.phi < 1.5 and dispersion.used >= 1.0


def test_overdispersed_data_are_estimated_near_their_dispersion() -> None:
    rng = np.random.default_rng(9)
    populations = np.full(400, 1_000_000.0)
    # Gamma-Poisson with variance = 10 * mean: a dispersion of 10.
    means = rng.gamma(shape=10_000 / 9, scale=9, size=400)
    counts = rng.poisson(means)
    phi = funnel_dispersion(counts, populations, 1000.0).phi
    assert 5 < phi < 12  # winsorising trims the tails, so it reads a little low


@settings(max_examples=200, deadline=None)
@given(
    target=st.floats(0.01, 10_000),
    population=st.floats(1_000, 1e7),
    dispersion=st.floats(0.1, 50),
)
def test_limits_are_never_negative_and_widen_with_dispersion(
    target: float, population: float, dispersion: float
) -> None:
    low, high = funnel_limits(target, [population], 0.998, dispersion)
    low2, high2 = funnel_limits(target, [population], 0.998, dispersion * 2)
    assert low[0] >= 0 and low[0] <= target <= high[0]
    assert low2[0] <= low[0] + 1e-9 and high2[0] >= high[0] - 1e-9
    inner_low, inner_high = funnel_limits(target, [population], 0.95, dispersion)
    assert low[0] <= inner_low[0] and inner_high[0] <= high[0]
