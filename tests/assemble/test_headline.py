"""A measure's headline: the direction-aware status, the formatting of figures, the latest row."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renderers.assemble.headline import comparators, headline_for, status_of
from renderers.assemble.numbers import figure, signed
from renderers.report.statement import STATUSES

FORCE = "E23000017"


def row(**values: Any) -> pd.Series:
    """Return one result row with a figure and a baseline, overriding any column."""
    base: dict[str, Any] = {"value": 90.0, "baseline": 100.0, "change": -10.0}
    base.update(values)
    return pd.Series(base, dtype="object")


# -- status_of --------------------------------------------------------------------------------


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
    got, why = status_of(row(change=change, change_p_value=0.001), improvement)
    assert got == status
    assert "exact Poisson test, p = 0.001" in why


@pytest.mark.parametrize("p_value", [0.05, 0.051, 0.38, 1.0])
def test_p_at_or_above_005_is_no_significant_change(p_value: float) -> None:
    for improvement in ("lower_is_better", "higher_is_better", "neutral"):
        status, why = status_of(row(change=-50.0, change_p_value=p_value), improvement)
        assert status == "no significant change"
        assert f"p = {p_value:.2f}" in why


def test_just_below_005_is_significant() -> None:
    assert status_of(row(change_p_value=0.0499), "lower_is_better")[0] == "improving"


@pytest.mark.parametrize("missing", [None, math.nan, pd.NA])
def test_no_baseline_is_not_comparable(missing: object) -> None:
    status, why = status_of(row(baseline=missing, change=missing), "lower_is_better")
    assert status == "not comparable"
    assert "baseline" in why


def test_a_row_without_change_columns_is_not_comparable() -> None:
    assert status_of(pd.Series({"value": 4.0}), "lower_is_better")[0] == "not comparable"


@pytest.mark.parametrize("missing", [None, math.nan, pd.NA, math.inf])
def test_no_value_is_no_data(missing: object) -> None:
    status, _ = status_of(row(value=missing, change_p_value=0.001), "lower_is_better")
    assert status == "no data"


@pytest.mark.parametrize(
    ("variation", "status"),
    [
        ("improvement", "improving"),
        ("concern", "worsening"),
        ("common_cause", "no significant change"),
        ("neutral", "not comparable"),
    ],
)
def test_spc_variation_decides_when_there_is_no_p_value(variation: str, status: str) -> None:
    for p_value in (None, math.nan):
        got, why = status_of(row(change_p_value=p_value, spc_variation=variation), "neutral")
        assert got == status
        assert "SPC" in why


def test_the_p_value_comes_before_spc() -> None:
    # A count's exact test outranks the SPC reading of its latest period.
    reading = row(change=-10.0, change_p_value=0.4, spc_variation="improvement")
    assert status_of(reading, "lower_is_better")[0] == "no significant change"


def test_no_test_at_all_is_not_comparable() -> None:
    status, why = status_of(row(spc_variation=math.nan), "lower_is_better")
    assert status == "not comparable"
    assert "No statistical test" in why


def test_no_change_is_never_improving_or_worsening() -> None:
    for improvement in ("lower_is_better", "higher_is_better", "neutral"):
        status, _ = status_of(row(value=100.0, change=0.0, change_p_value=0.01), improvement)
        assert status == "no significant change"


finite = st.floats(allow_nan=False, allow_infinity=False, width=64)
p_values = st.floats(min_value=0.0, max_value=1.0)


@settings(max_examples=200, deadline=None)
@given(change=finite, p_value=p_values, value=finite)
def test_any_change_and_p_value_gives_one_of_the_statuses(
    change: float, p_value: float, value: float
) -> None:
    reading = row(value=value, change=change, change_p_value=p_value)
    for improvement in ("lower_is_better", "higher_is_better", "neutral"):
        assert status_of(reading, improvement)[0] in STATUSES


SWAP = {"improving": "worsening", "worsening": "improving"}


@settings(max_examples=200, deadline=None)
@given(
    change=finite,
    p_value=st.one_of(p_values, st.just(math.nan)),
    variation=st.sampled_from(["common_cause", "neutral", None]),
)
def test_flipping_the_direction_swaps_improving_and_worsening(
    change: float, p_value: float, variation: str | None
) -> None:
    reading = row(change=change, change_p_value=p_value, spc_variation=variation)
    lower, _ = status_of(reading, "lower_is_better")
    higher, _ = status_of(reading, "higher_is_better")
    assert higher == SWAP.get(lower, lower)
    if not math.isnan(p_value) and p_value < 0.05 and change != 0:
        assert lower in SWAP  # a significant, non-zero change always has a direction


# -- numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "suffix", "text"),
    [
        (12, 0, "", "+12"),
        (-304, 0, "", "-304"),
        (0, 0, "", "0"),
        (-0.0, 0, "", "0"),
        (0.4, 0, "", "0"),
        (-0.4, 0, "", "0"),
        (-0.6, 0, "", "-1"),
        (1997.0, 0, "", "+1,997"),
        (-1997.0, 0, "", "-1,997"),
        (-5.24, 1, "%", "-5.2%"),
        (300.0, 1, "%", "+300.0%"),
        (0.04, 1, "%", "0.0%"),
    ],
)
def test_signed(value: float, decimals: int, suffix: str, text: str) -> None:
    assert signed(value, decimals, suffix) == text


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [(4690, 0, "4,690"), (4690.0, 0, "4,690"), (1_234_567, 0, "1,234,567"), (75.34, 1, "75.3"),
     (0.7, 1, "0.7"), (0, 0, "0"), ("12", 0, "12")],
)  # fmt: skip
def test_figure(value: object, decimals: int, text: str) -> None:
    assert figure(value, decimals) == text


@pytest.mark.parametrize("missing", [None, math.nan, math.inf, -math.inf, pd.NA, "n/a"])
def test_no_number_formats_as_none(missing: object) -> None:
    assert figure(missing) is None
    assert signed(missing) is None


@settings(max_examples=200, deadline=None)
@given(value=finite, decimals=st.integers(0, 3))
def test_signed_carries_the_sign_of_what_it_shows(value: float, decimals: int) -> None:
    text = signed(value, decimals)
    assert text is not None
    shown = float(text.replace(",", "").lstrip("+"))
    assert shown == pytest.approx(round(value, decimals), abs=10.0**-decimals)
    assert text.startswith("+") == (shown > 0)
    assert text.startswith("-") == (shown < 0)
    assert figure(abs(value), decimals) == text.lstrip("+-")


# -- the headline of a measure's rows -------------------------------------------------------


def rows() -> pd.DataFrame:
    """Return four windows of the force and one of another force, the last window empty."""
    own = pd.DataFrame(
        {
            "area_code": FORCE,
            "component": pd.Series([pd.NA] * 4, dtype="string"),
            "period_end": ["2019-06-30", "2022-12-31", "2023-03-31", "2023-06-30"],
            "window_start": ["2018-07-01", "2022-01-01", "2022-04-01", "2022-07-01"],
            "window": [f"12 months to {m}" for m in ("June 2019", "December 2022",
                                                      "March 2023", "June 2023")],
            "value": [4994.0, 4800.0, 4690.0, math.nan],
            "unit": "offences",
            "baseline": 4994.0,
            "baseline_label": "12 months to June 2019",
            "rate_per_100k": [874.6, 840.6, 821.4, math.nan],
            "national_rate": [1000.0, 990.0, 980.25, math.nan],
            "region_rate": [1100.0, 1090.0, 1080.0, math.nan],
            "msg_average": [700.0, 710.0, 720.0, math.nan],
            "msg_rank": [5.0, 6.0, 7.0, math.nan],
            "msg_size": [8.0, 8.0, 8.0, 8.0],
        }
    )  # fmt: skip
    own["change"] = own["value"] - own["baseline"]
    own["change_pct"] = own["change"] / own["baseline"] * 100
    own["change_p_value"] = [1.0, 0.01, 0.0001, math.nan]
    other = own.iloc[[2]].assign(area_code="E23000001", value=1.0, change=-4993.0)
    component = own.iloc[[2]].assign(component="Burglary", value=10.0)
    return pd.concat([own, other, component], ignore_index=True)


def test_the_headline_is_the_latest_window_with_a_figure() -> None:
    headline = headline_for(rows(), FORCE, "lower_is_better", 0, "West Midlands")
    assert headline is not None
    assert headline.value == "4,690"
    assert headline.unit == "offences"
    assert headline.window == "12 months to March 2023"
    assert headline.status == "improving"
    assert headline.baseline_label == "12 months to June 2019"
    assert headline.baseline_value == "4,994"
    assert headline.change == "-304"
    assert headline.change_pct == "-6.1%"
    assert headline.rate_per_100k == "821.4"
    # The data behind the figure: the latest window's own months, not the series' start.
    assert headline.data_from == date(2022, 4, 1)
    assert headline.data_to == date(2023, 3, 1)


def test_the_headline_status_follows_the_direction() -> None:
    headline = headline_for(rows(), FORCE, "higher_is_better", 0, "West Midlands")
    assert headline is not None and headline.status == "worsening"


def test_the_headline_comparators_in_order() -> None:
    headline = headline_for(rows(), FORCE, "lower_is_better", 0, "West Midlands")
    assert headline is not None
    assert [(c.label, c.value) for c in headline.comparators] == [
        ("England and Wales", "980.2 per 100,000"),
        ("West Midlands", "1,080.0 per 100,000"),
        ("Most similar group average", "720.0 per 100,000 (force ranked 7 of 8)"),
    ]


def test_comparators_leave_out_what_the_row_lacks() -> None:
    assert comparators(pd.Series({"national_rate": 12.34}), "North East") == (
        comparators(pd.Series({"national_rate": 12.34, "region_rate": math.nan}), "North East")
    )
    (only,) = comparators(pd.Series({"msg_average": 3.0}), "North East")
    assert only.value == "3.0 per 100,000"  # no rank without the rank and size


def test_no_figure_gives_no_headline() -> None:
    frame = rows()
    frame["value"] = math.nan
    assert headline_for(frame, FORCE, "lower_is_better", 0, "West Midlands") is None
    assert headline_for(rows(), "E99999999", "lower_is_better", 0, "West Midlands") is None


@pytest.mark.parametrize(
    ("value", "unit", "reads"),
    [
        ("1", "homicides", "homicide"),
        ("2", "homicides", "homicides"),
        ("1", "%", "%"),
        ("1.0", "offences", "offences"),
        ("0", "offences", "offences"),
    ],
)
def test_a_figure_of_one_reads_in_the_singular(value: str, unit: str, reads: str) -> None:
    from renderers.assemble.headline import unit_for

    assert unit_for(value, unit) == reads


def test_a_window_before_the_baseline_says_so() -> None:
    row = pd.Series({"value": 6.0, "baseline": 1.0, "change": math.nan})
    status, why = status_of(row, "lower_is_better")
    assert status == "not comparable"
    assert "before the baseline" in why


def test_an_average_baseline_keeps_its_fraction() -> None:
    from renderers.assemble.headline import _places

    assert _places(pd.Series({"baseline": 3.25}), 0) == 2
    assert _places(pd.Series({"baseline": 3.0}), 0) == 0
    assert _places(pd.Series({"baseline": 75.2567}), 1) == 1


def test_a_change_in_a_percentage_is_in_percentage_points() -> None:
    rows = pd.DataFrame(
        {
            "area_code": ["E23000017"],
            "component": pd.Series([pd.NA], dtype="string"),
            "period_end": ["2023-06-30"],
            "window_start": ["2023-01-01"],
            "window": ["6 months to June 2023"],
            "value": [76.1],
            "unit": ["%"],
            "baseline": [81.3],
            "change": [-5.2],
            "change_pct": [-6.4],
        }
    )
    headline = headline_for(rows, "E23000017", "higher_is_better", 1, "West Midlands")
    assert headline is not None
    assert headline.change == "-5.2 percentage points"
