"""The trend chart: least-squares line, average, baseline, gaps and comparator rates."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

from renderers.vegalite import TrendInputs, fit_trend, least_squares, mean, render_chart
from renderers.vegalite.layers import TREND_DASH
from renderers.vegalite.records import month_start
from tests.renderers.helpers import mark_type, unit_values, units
from tests.renderers.samples import context, months, trend_inputs


def layer_rows(
    spec: dict[str, Any], predicate: Callable[[dict[str, Any]], bool]
) -> list[dict[str, Any]]:
    """Return the rows of the first unit view matching ``predicate``."""
    for unit in units(spec):
        if predicate(unit):
            return unit_values(spec, unit)
    raise AssertionError("no matching layer")


def is_trend_line(unit: dict[str, Any]) -> bool:
    return mark_type(unit) == "line" and unit["mark"].get("strokeDash") == list(TREND_DASH)


def reference_value(spec: dict[str, Any], name: str) -> float:
    rows = layer_rows(
        spec,
        lambda u: mark_type(u) == "rule" and name in unit_values(spec, u)[0]["label"],
    )
    return float(rows[0]["value"])


def test_least_squares_recovers_an_exact_line() -> None:
    line = least_squares([0.0, 1.0, 2.0, 3.0], [3.0, 5.0, 7.0, 9.0])
    assert line is not None
    assert line.slope == pytest.approx(2.0)
    assert line.intercept == pytest.approx(3.0)


def test_least_squares_matches_numpy_on_noisy_data() -> None:
    xs = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    ys = [1.0, 3.0, 2.0, 5.0, 4.0, 6.0]
    line = least_squares(xs, ys)
    slope, intercept = np.polyfit(xs, ys, 1)
    assert line is not None
    assert line.slope == pytest.approx(slope)  # 0.8857...
    assert line.intercept == pytest.approx(intercept)
    assert line.slope == pytest.approx(31 / 35)


def test_least_squares_needs_two_distinct_x() -> None:
    assert least_squares([1.0], [2.0]) is None
    assert least_squares([1.0, 1.0], [2.0, 3.0]) is None


def test_trend_slope_is_per_year() -> None:
    days = [pd.Timestamp("2020-01-01") + pd.Timedelta(days=365.25 * i) for i in range(3)]
    fitted = fit_trend(days, [10.0, 12.0, 14.0])
    assert fitted is not None
    assert fitted.slope_per_year == pytest.approx(2.0)


def test_trend_layer_is_the_least_squares_fit_of_the_plotted_values() -> None:
    inputs = trend_inputs()
    spec = render_chart("trend", inputs)
    rows = layer_rows(spec, is_trend_line)
    series = inputs.series
    starts = [month_start(pd.Timestamp(d)) for d in series["period_end"]]
    xs = [(d - starts[0]).days for d in starts]
    slope, intercept = np.polyfit(xs, series["value"], 1)
    assert [r["period_end"] for r in rows] == list(series["period_end"])
    assert [r["value"] for r in rows] == pytest.approx([slope * x + intercept for x in xs])
    assert rows[0]["slope"] == pytest.approx(slope * 365.25)
    assert slope < 0  # the sample falls, so a sign error would show


def test_average_line_is_the_mean_of_the_plotted_values() -> None:
    inputs = trend_inputs()
    spec = render_chart("trend", inputs)
    expected = sum(inputs.series["value"]) / len(inputs.series)
    assert reference_value(spec, "average") == pytest.approx(expected)
    assert mean([1.0, 2.0, 6.0]) == pytest.approx(3.0)


def test_average_and_trend_ignore_missing_values() -> None:
    series = pd.DataFrame(
        {"period_end": months("2020-01-31", 4), "value": [2.0, math.nan, 4.0, 6.0]}
    )
    spec = render_chart("trend", TrendInputs(context=context(), series=series))
    assert reference_value(spec, "average") == pytest.approx(4.0)
    assert len(layer_rows(spec, is_trend_line)) == 3


def test_baseline_rule_is_drawn_at_the_baseline_and_labelled() -> None:
    spec = render_chart("trend", trend_inputs())
    assert reference_value(spec, "Baseline") == 10.0
    rows = layer_rows(
        spec, lambda u: mark_type(u) == "text" and "Baseline" in str(unit_values(spec, u))
    )
    assert rows[0]["text"] == "Baseline 10"
    assert rows[0]["label"] == "Baseline (12 months to June 2019)"


def test_average_and_trend_can_be_switched_off() -> None:
    inputs = trend_inputs()
    quiet = TrendInputs(
        context=inputs.context, series=inputs.series, show_average=False, show_trend=False
    )
    spec = render_chart("trend", quiet)
    assert not any(is_trend_line(u) for u in units(spec))
    assert " average" not in str(spec)


def test_a_missing_month_is_a_gap_not_a_bridge() -> None:
    spec = render_chart("trend", trend_inputs())
    line = next(u for u in units(spec) if mark_type(u) == "line" and "color" in u["encoding"])
    rows = unit_values(spec, line)
    october = [r for r in rows if r["period_end"] == "2019-10-31"]
    assert len(october) == 1
    assert october[0]["value"] is None
    assert october[0]["series"] == "Warwickshire"
    # Breaking paths at null values is what leaves the gap.
    assert line["mark"]["invalid"] == "break-paths-show-domains"


def test_comparators_plot_rates_for_every_series() -> None:
    inputs = trend_inputs(comparators=True)
    spec = render_chart("trend", inputs)
    line = next(u for u in units(spec) if mark_type(u) == "line" and "color" in u["encoding"])
    rows = unit_values(spec, line)
    force = [r["value"] for r in rows if r["series"] == "Warwickshire" and r["value"] is not None]
    assert force == list(inputs.series["rate_per_100k"])
    assert {r["series"] for r in rows} == {"Warwickshire", "England and Wales", "West Midlands"}
    assert line["encoding"]["y"]["title"] == "Offences per 100,000 population"
    assert reference_value(spec, "Baseline") == 1.8
    assert reference_value(spec, "average") == pytest.approx(float(np.mean(force)))


def test_comparators_need_the_force_rate() -> None:
    inputs = trend_inputs(comparators=True)
    with pytest.raises(ValueError, match="rate_per_100k"):
        TrendInputs(
            context=inputs.context,
            series=inputs.series.drop(columns="rate_per_100k"),
            comparators=inputs.comparators,
        )


def test_the_force_takes_the_force_colour() -> None:
    spec = render_chart("trend", trend_inputs(comparators=True))
    line = next(u for u in units(spec) if mark_type(u) == "line" and "color" in u["encoding"])
    scale = line["encoding"]["color"]["scale"]
    assert scale["domain"][0] == "Warwickshire"
    assert scale["range"][0] == "#0072B2"
    assert len(set(scale["range"])) == len(scale["range"])


def test_dates_are_on_the_x_axis() -> None:
    spec = render_chart("trend", trend_inputs())
    for unit in units(spec):
        x = unit["encoding"].get("x", {})
        if "field" in x:
            assert x["type"] == "temporal"
            assert x["scale"]["type"] == "utc"


def test_reference_lines_are_black_or_grey_named_for_the_force_with_their_own_dashes() -> None:
    spec = render_chart("trend", trend_inputs())
    rules = [u for u in units(spec) if mark_type(u) in ("rule",)]
    trend = [u for u in units(spec) if is_trend_line(u)]
    lines = rules + trend
    labels = [unit_values(spec, u)[0]["label"] for u in lines]
    area = trend_inputs().context.area
    assert f"{area} average" in labels and f"{area} trend" in labels
    assert any(label.startswith("Baseline") for label in labels)
    dashes = [tuple(u["mark"]["strokeDash"]) for u in lines]
    assert len(set(dashes)) == len(dashes)
    for unit in lines:
        red, green, blue = (int(unit["mark"]["color"][i : i + 2], 16) for i in (1, 3, 5))
        assert red == green == blue  # black or a grey: never a series colour
