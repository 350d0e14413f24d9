"""From result rows to chart inputs: each kind from small hand-made rows, None when it cannot."""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd
import pytest

from renderers.from_results import MeasureView, chart_inputs, own_rows
from renderers.vegalite import (
    CategoriesInputs,
    ComparatorInputs,
    ProportionInputs,
    SpcInputs,
    TrendInputs,
    render_chart,
)
from tests.renderers.helpers import schema_errors

FORCE, SECOND, THIRD = "E23000017", "E23000026", "E23000019"
NAMES = {FORCE: "Warwickshire", SECOND: "Cambridgeshire", THIRD: "Gloucestershire"}
ENDS = ["2022-09-30", "2022-12-31", "2023-03-31", "2023-06-30"]

VIEW = MeasureView(
    title="Homicide",
    unit="offences",
    decimals=0,
    improvement="lower_is_better",
    force_code=FORCE,
    force_name="Warwickshire",
    region_name="West Midlands",
    synthetic=False,
    illustrative_msg=True,
    baseline_label="12 months to June 2019",
    msg_codes=(FORCE, SECOND, THIRD),
)


def area_rows(code: str, values: list[float], population: float) -> pd.DataFrame:
    """Return an area's total rows over ``ENDS`` (listed out of order, as groups may be)."""
    frame = pd.DataFrame(
        {
            "measure": "homicide",
            "area_code": code,
            "component": pd.Series([pd.NA] * len(ENDS), dtype="string"),
            "period_end": ENDS,
            "window": [f"12 months to {m}" for m in ("September 2022", "December 2022",
                                                      "March 2023", "June 2023")],
            "value": values,
            "baseline": 1.0,
            "population": population,
            "flags": "illustrative_msg",
        }
    )  # fmt: skip
    frame["rate_per_100k"] = frame["value"] / population * 100_000
    return frame.iloc[::-1]


def result_rows() -> pd.DataFrame:
    """Rows like ``measures run --all-forces`` gives: the force, two MSG members, comparators."""
    own = area_rows(FORCE, [3.0, 4.0, 2.0, 4.0], 571_000.0)
    own["national_rate"] = [1.0, 1.1, 1.05, 1.02][::-1]
    own["region_rate"] = [1.3, 1.2, 1.25, 1.31][::-1]
    own["msg_average"] = [0.8, 0.7, 0.75, 0.81][::-1]
    own["spc_value"] = [1.0, 2.0, 0.0, 1.0][::-1]
    own["spc_mean"] = 1.0
    own["spc_upper_limit"] = 3.5
    own["spc_lower_limit"] = -1.5
    own["spc_near_upper"] = 2.7
    own["spc_near_lower"] = -0.7
    own["spc_rule"] = None
    own["spc_variation"] = "common_cause"
    own["spc_variation_icon"] = "common_cause"
    own["spc_assurance_icon"] = None
    members = [
        area_rows(SECOND, [5.0, 6.0, 7.0, 8.0], 850_000.0),
        area_rows(THIRD, [2.0, 3.0, 1.0, 2.0], 640_000.0),
    ]
    components = pd.DataFrame(
        {
            "measure": "homicide",
            "area_code": FORCE,
            "component": ["Murder", "Manslaughter"] * 2,
            "period_end": [ENDS[-2], ENDS[-2], ENDS[-1], ENDS[-1]],
            "value": [1.0, 1.0, 3.0, 1.0],
        }
    )
    return pd.concat([own, *members, components], ignore_index=True)


def proportion_rows() -> pd.DataFrame:
    frame = area_rows(FORCE, [75.0, 80.0, 77.5, 79.0], 571_000.0)
    frame = frame.drop(columns=["rate_per_100k", "population"])
    frame["numerator"] = [75.0, 80.0, 62.0, 79.0][::-1]
    frame["denominator"] = [100.0, 100.0, 80.0, 100.0][::-1]
    frame["baseline"] = 76.0
    return frame


def assert_renders(kind: str, inputs: object) -> None:
    spec = render_chart(kind, inputs)
    assert schema_errors(spec) == []


def test_own_rows_are_the_forces_totals_in_period_order() -> None:
    own = own_rows(result_rows(), FORCE)
    assert set(own["area_code"]) == {FORCE}
    assert own["component"].isna().all()
    assert list(own["period_end"]) == ENDS


def test_trend_with_comparators_plots_rates() -> None:
    inputs = chart_inputs("trend", VIEW, result_rows(), NAMES)
    assert isinstance(inputs, TrendInputs)
    assert inputs.in_rates
    assert list(inputs.series["period_end"]) == ENDS
    assert list(inputs.series["value"]) == [3.0, 4.0, 2.0, 4.0]
    assert inputs.comparators is not None
    groups = list(dict.fromkeys(inputs.comparators["group"]))
    assert groups == ["England and Wales", "West Midlands", "Most similar group"]
    msg = inputs.comparators.loc[inputs.comparators["group"] == "Most similar group"]
    assert list(msg["rate_per_100k"]) == [0.8, 0.7, 0.75, 0.81]
    assert inputs.baseline_rate == pytest.approx(1.0 / 571_000 * 100_000)
    assert inputs.context.baseline_value == 1.0
    assert inputs.context.area == "Warwickshire"
    assert inputs.context.illustrative_msg
    assert_renders("trend", inputs)


def test_trend_without_rates_plots_the_figures() -> None:
    rows = proportion_rows()
    inputs = chart_inputs("trend", VIEW, rows, NAMES)
    assert isinstance(inputs, TrendInputs)
    assert inputs.comparators is None and not inputs.in_rates
    assert "rate_per_100k" not in inputs.series
    assert inputs.context.baseline_value == 76.0
    assert_renders("trend", inputs)


def test_trend_without_a_population_has_no_baseline_rate() -> None:
    rows = result_rows().drop(columns=["population"])
    inputs = chart_inputs("trend", VIEW, rows, NAMES)
    assert isinstance(inputs, TrendInputs)
    assert inputs.comparators is not None
    assert inputs.baseline_rate is None
    assert_renders("trend", inputs)


def test_trend_flags_default_to_empty() -> None:
    inputs = chart_inputs("trend", VIEW, result_rows().drop(columns=["flags"]), NAMES)
    assert isinstance(inputs, TrendInputs)
    assert set(inputs.series["flags"]) == {""}


def test_spc_takes_the_forces_points() -> None:
    inputs = chart_inputs("spc", VIEW, result_rows(), NAMES)
    assert isinstance(inputs, SpcInputs)
    assert list(inputs.points["period_end"]) == ENDS
    assert list(inputs.points["value"]) == [1.0, 2.0, 0.0, 1.0]
    assert set(inputs.points["rule"]) == {""}
    assert inputs.variation_icon == "common_cause"
    assert inputs.assurance_icon == ""
    assert_renders("spc", inputs)


def test_spc_needs_two_points() -> None:
    rows = result_rows()
    assert chart_inputs("spc", VIEW, rows.drop(columns=["spc_value"]), NAMES) is None
    rows.loc[rows["period_end"] != ENDS[-1], "spc_value"] = math.nan
    assert chart_inputs("spc", VIEW, rows, NAMES) is None


def test_comparator_ranks_the_msg_at_the_latest_window() -> None:
    inputs = chart_inputs("comparator", VIEW, result_rows(), NAMES)
    assert isinstance(inputs, ComparatorInputs)
    msg = inputs.msg.set_index("area")
    assert set(msg.index) == set(NAMES.values())
    assert msg.loc["Warwickshire", "is_force"]
    assert int(inputs.msg["is_force"].sum()) == 1
    assert msg.loc["Cambridgeshire", "rate"] == pytest.approx(8.0 / 850_000 * 100_000)
    assert inputs.benchmarks is not None
    assert list(inputs.benchmarks["area"]) == ["Warwickshire", "West Midlands", "England and Wales"]
    assert list(inputs.benchmarks["rate"])[1:] == [1.31, 1.02]
    assert "12 months to June 2023" in inputs.context.subtitle
    assert_renders("comparator", inputs)


def test_comparator_needs_rates_and_an_msg() -> None:
    rows = result_rows()
    assert chart_inputs("comparator", VIEW, rows.drop(columns=["rate_per_100k"]), NAMES) is None
    assert chart_inputs("comparator", replace(VIEW, msg_codes=()), rows, NAMES) is None
    assert chart_inputs("comparator", replace(VIEW, force_code="E99999999"), rows, NAMES) is None


def test_comparator_skips_benchmarks_the_rows_lack() -> None:
    rows = result_rows().drop(columns=["region_rate", "national_rate"])
    inputs = chart_inputs("comparator", VIEW, rows, NAMES)
    assert isinstance(inputs, ComparatorInputs)
    assert inputs.benchmarks is not None
    assert list(inputs.benchmarks["area"]) == ["Warwickshire"]


def test_categories_stack_the_components() -> None:
    inputs = chart_inputs("categories", VIEW, result_rows(), NAMES)
    assert isinstance(inputs, CategoriesInputs)
    assert list(inputs.data.columns) == ["period_end", "category", "value"]
    assert set(inputs.data["category"]) == {"Murder", "Manslaughter"}
    assert inputs.data["value"].sum() == 6.0
    assert_renders("categories", inputs)


def test_categories_need_components() -> None:
    rows = result_rows()
    assert chart_inputs("categories", VIEW, rows.loc[rows["component"].isna()], NAMES) is None


def test_proportion_carries_its_parts() -> None:
    view = replace(VIEW, unit="%", decimals=1, improvement="higher_is_better")
    inputs = chart_inputs("proportion", view, proportion_rows(), NAMES)
    assert isinstance(inputs, ProportionInputs)
    assert list(inputs.series["denominator"]) == [100.0, 100.0, 80.0, 100.0]
    assert inputs.context.baseline_value == 76.0
    assert_renders("proportion", inputs)


def test_proportion_needs_numerator_and_denominator() -> None:
    assert chart_inputs("proportion", VIEW, result_rows(), NAMES) is None
    rows = proportion_rows().drop(columns=["denominator"])
    assert chart_inputs("proportion", VIEW, rows, NAMES) is None


def test_synthetic_view_reaches_every_chart() -> None:
    view = replace(VIEW, synthetic=True)
    for kind in ("trend", "spc", "comparator", "categories"):
        inputs = chart_inputs(kind, view, result_rows(), NAMES)
        assert inputs is not None and inputs.context.synthetic, kind


def test_an_unknown_kind_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown chart kind 'pie'"):
        chart_inputs("pie", VIEW, result_rows(), NAMES)


def test_comparator_columns_without_values_draw_no_comparators() -> None:
    import numpy as np

    from renderers.from_results import trend_inputs

    rows = pd.DataFrame(
        {
            "area_code": [FORCE, FORCE],
            "component": pd.Series([pd.NA, pd.NA], dtype="string"),
            "period_end": ["2023-05-31", "2023-06-30"],
            "value": [290.0, 297.0],
            "rate_per_100k": [50.8, 52.0],
            "baseline": [274.0, 274.0],
            "population": [571000.0, 571000.0],
            # Columns another measure of the same run filled: empty for this one.
            "national_rate": [np.nan, np.nan],
            "region_rate": [np.nan, np.nan],
            "msg_average": [np.nan, np.nan],
            "flags": ["", ""],
        }
    )
    inputs = trend_inputs(VIEW, rows)
    assert inputs.comparators is None
    assert not inputs.in_rates
