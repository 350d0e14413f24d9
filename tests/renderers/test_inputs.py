"""The input contract: required columns, refused values and how gaps are found."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from renderers.vegalite import ChartContext, ProportionInputs, TrendInputs
from renderers.vegalite.records import clean, fill_gaps
from tests.renderers.samples import context


def test_missing_columns_are_named() -> None:
    with pytest.raises(ValueError, match="value"):
        TrendInputs(context=context(), series=pd.DataFrame({"period_end": []}))
    with pytest.raises(ValueError, match="denominator"):
        ProportionInputs(
            context=context(), series=pd.DataFrame(columns=["period_end", "value", "numerator"])
        )


def test_context_refuses_bad_values() -> None:
    with pytest.raises(ValueError, match="improvement"):
        ChartContext(title="t", unit="u", improvement="up")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="decimals"):
        ChartContext(title="t", unit="u", decimals=9)
    with pytest.raises(ValueError, match="finite"):
        ChartContext(title="t", unit="u", baseline_value=math.inf)


def test_rate_title_defaults_from_the_unit() -> None:
    assert ChartContext(title="t", unit="offences").rate_title == "offences per 100,000 population"
    assert ChartContext(title="t", unit="x", rate_unit="per 1,000").rate_title == "per 1,000"


def test_fill_gaps_adds_blank_months() -> None:
    frame = pd.DataFrame(
        {"period_end": ["2020-01-31", "2020-04-30", "2020-02-29"], "value": [1.0, 4.0, 2.0]}
    )
    filled = fill_gaps(frame)
    assert [d.strftime("%Y-%m-%d") for d in filled["period_end"]] == [
        "2020-01-31",
        "2020-02-29",
        "2020-03-31",
        "2020-04-30",
    ]
    assert math.isnan(filled["value"][2])


def test_fill_gaps_keeps_a_quarterly_step() -> None:
    frame = pd.DataFrame(
        {"period_end": ["2020-03-31", "2020-06-30", "2020-12-31"], "value": [1.0, 2.0, 3.0]}
    )
    filled = fill_gaps(frame)
    assert [d.strftime("%Y-%m-%d") for d in filled["period_end"]] == [
        "2020-03-31",
        "2020-06-30",
        "2020-09-30",
        "2020-12-31",
    ]


def test_fill_gaps_per_group() -> None:
    frame = pd.DataFrame(
        {
            "period_end": ["2020-01-31", "2020-03-31", "2020-01-31", "2020-02-29"],
            "group": ["A", "A", "B", "B"],
            "rate_per_100k": [1.0, 3.0, 5.0, 6.0],
        }
    )
    filled = fill_gaps(frame, by="group")
    assert list(filled["group"]) == ["A", "A", "A", "B", "B"]


def test_bad_dates_are_refused() -> None:
    frame = pd.DataFrame({"period_end": ["2020-13-45"], "value": [1.0]})
    with pytest.raises(ValueError, match="ISO dates"):
        fill_gaps(frame)


def test_clean_makes_json_values() -> None:
    assert clean(math.nan) is None
    assert clean(math.inf) is None
    assert clean(pd.NA) is None
    assert clean(pd.Timestamp("2020-01-31")) == "2020-01-31"
    assert clean(True) is True
