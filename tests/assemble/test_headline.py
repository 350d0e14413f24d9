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

FORCE = "E23000017"


def row(**values: Any) -> pd.Series:
    """Return one result row with a figure and a baseline, overriding any column."""
    base: dict[str, Any] = {"value": 90.0, "baseline": 100.0, "change": -10.0}
    base.update(values)
    return pd.Series(base, dtype="object")


# -- status_of: the renderer words the engine's status ----------------------------------------


@pytest.mark.parametrize("status", ["improving", "worsening", "no significant change",
                                    "not comparable"])  # fmt: skip
def test_the_status_is_the_engines(status: str) -> None:
    reading = row(status=status, status_reason="Because.", change_p_value=0.9)
    for improvement in ("lower_is_better", "higher_is_better", "neutral"):
        assert status_of(reading, improvement) == (status, "Because.")


@pytest.mark.parametrize("missing", [None, math.nan, pd.NA, math.inf])
def test_no_value_is_no_data(missing: object) -> None:
    status, _ = status_of(row(value=missing, status="improving"), "lower_is_better")
    assert status == "no data"


@pytest.mark.parametrize("missing", [None, math.nan, "unknown"])
def test_a_row_without_a_status_is_not_comparable(missing: object) -> None:
    assert status_of(row(status=missing), "lower_is_better")[0] == "not comparable"


finite = st.floats(allow_nan=False, allow_infinity=False, width=64)


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
    own["status"] = ["no significant change", "improving", "improving", "not comparable"]
    own["status_reason"] = "Engine's reason."
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


def test_the_headline_status_and_reason_are_the_engines() -> None:
    headline = headline_for(rows(), FORCE, "higher_is_better", 0, "West Midlands")
    assert headline is not None and headline.status == "improving"
    assert headline.status_detail == "Engine's reason."


def test_a_percentage_change_on_small_numbers_is_not_shown() -> None:
    frame = rows().assign(flags="small_numbers")
    headline = headline_for(frame, FORCE, "lower_is_better", 0, "West Midlands")
    assert headline is not None
    assert headline.change == "-304" and headline.change_pct is None


def test_the_headline_comparators_in_order() -> None:
    headline = headline_for(rows(), FORCE, "lower_is_better", 0, "West Midlands")
    assert headline is not None
    assert [(c.label, c.value) for c in headline.comparators] == [
        ("England and Wales", "980.2 per 100,000"),
        ("West Midlands", "1,080.0 per 100,000"),
        (
            "Most similar group average",
            "720.0 per 100,000 (force ranked 7 of 8; ranks between close rates mean little)",
        ),
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
    from renderers.report.wording import unit_for

    assert unit_for(value, unit) == reads


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
