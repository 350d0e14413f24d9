"""The status of a tested change: one significance level, the direction, p-values as words."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framework.stats.verdict import SIGNIFICANCE, STATUSES, format_p, judge

SWAP = {"improving": "worsening", "worsening": "improving"}


@pytest.mark.parametrize(
    ("change", "improvement", "status"),
    [
        (-10.0, "lower_is_better", "improving"),
        (-10.0, "higher_is_better", "worsening"),
        (10.0, "lower_is_better", "worsening"),
        (10.0, "higher_is_better", "improving"),
        (-10.0, "neutral", "not comparable"),
        (10.0, "neutral", "not comparable"),
    ],
)
def test_a_significant_change_is_judged_by_the_improvement_direction(
    change: float, improvement: str, status: str
) -> None:
    got, why = judge(change, 0.001, improvement, "quasi-Poisson test")  # type: ignore[arg-type]
    assert got == status
    assert "quasi-Poisson test, p = 0.001" in why


@pytest.mark.parametrize("p_value", [SIGNIFICANCE, 0.051, 0.38, 1.0])
def test_p_at_or_above_the_level_is_no_significant_change(p_value: float) -> None:
    for improvement in ("lower_is_better", "higher_is_better", "neutral"):
        status, why = judge(-50.0, p_value, improvement, "test")
        assert status == "no significant change"
        assert format_p(p_value) in why


def test_just_below_the_level_is_significant() -> None:
    assert judge(-1.0, 0.0499, "lower_is_better", "test")[0] == "improving"


def test_no_change_is_never_improving_or_worsening() -> None:
    for improvement in ("lower_is_better", "higher_is_better", "neutral"):
        assert judge(0.0, 0.0, improvement, "test")[0] == "no significant change"


@pytest.mark.parametrize(
    ("p_value", "text"),
    [(0.0, "p < 0.001"), (0.0004, "p < 0.001"), (0.001, "p = 0.001"), (0.0213, "p = 0.021"),
     (0.38, "p = 0.38"), (1.0, "p = 1.00"), (math.nan, "p not available")],
)  # fmt: skip
def test_p_values_never_read_as_zero(p_value: float, text: str) -> None:
    assert format_p(p_value) == text


def test_a_note_follows_the_p_value() -> None:
    _, why = judge(5.0, 0.3, "lower_is_better", "quasi-Poisson test", "dispersion 8.2")
    assert "(quasi-Poisson test, p = 0.30; dispersion 8.2)" in why


finite = st.floats(allow_nan=False, allow_infinity=False, width=64)
p_values = st.floats(min_value=0.0, max_value=1.0)


@settings(max_examples=300, deadline=None)
@given(change=finite, p_value=p_values)
def test_the_status_is_symmetric_under_swapping_the_improvement_direction(
    change: float, p_value: float
) -> None:
    lower, _ = judge(change, p_value, "lower_is_better", "test")
    higher, _ = judge(change, p_value, "higher_is_better", "test")
    assert lower in STATUSES and higher in STATUSES
    assert higher == SWAP.get(lower, lower)
    if p_value < SIGNIFICANCE and change != 0:
        assert lower in SWAP  # a significant, non-zero change always has a direction


def test_explain_states_the_one_significance_level() -> None:
    from framework.engine.status_method import SIGNIFICANCE_TEXT

    assert float(SIGNIFICANCE_TEXT) == SIGNIFICANCE
