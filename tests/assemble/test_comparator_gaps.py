"""A comparator the data do not cover is not drawn, and the chart and headline say why."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pandas as pd

from renderers.assemble.headline import comparators
from renderers.chart_kinds import chart_inputs, render_chart
from renderers.vegalite import ComparatorInputs, TrendInputs
from tests.assemble.test_from_results import ENDS, FORCE, NAMES, THIRD, VIEW, result_rows
from tests.renderers.helpers import schema_errors

ONLY = "the dataset holds only Warwickshire"
SOME = "1 of 3 most similar group members has no figure for this window (Gloucestershire)"


def force_only_rows() -> pd.DataFrame:
    """Return the sample rows as a force's own extract gives them: every comparator empty."""
    rows = result_rows()
    rows = rows.loc[rows["area_code"] == FORCE].copy()
    for column in ("national_rate", "region_rate", "msg_average"):
        rows[column] = np.nan
    for group in ("national", "region", "msg"):
        rows[f"{group}_empty_reason"] = ONLY
    return rows


def test_the_trend_draws_no_comparator_and_says_why() -> None:
    inputs = chart_inputs("trend", VIEW, force_only_rows(), NAMES)
    assert isinstance(inputs, TrendInputs)
    assert inputs.comparators is None
    assert inputs.context.subtitle == (
        "England and Wales, West Midlands and the most similar group average not shown: " + ONLY
    )
    spec = render_chart("trend", inputs)
    assert schema_errors(spec) == []
    assert ONLY in json.dumps(spec)


def test_the_comparator_chart_draws_no_average_of_fewer_members() -> None:
    rows = result_rows()
    own = rows["area_code"].eq(FORCE)
    rows.loc[own, "msg_average"] = np.nan
    rows.loc[own, "msg_empty_reason"] = SOME
    rows.loc[rows["area_code"].eq(THIRD) & rows["period_end"].eq(ENDS[-1]), "rate_per_100k"] = None
    inputs = chart_inputs("comparator", VIEW, rows, NAMES)
    assert isinstance(inputs, ComparatorInputs)
    assert inputs.msg_average is None
    assert inputs.msg_average_missing == SOME
    assert len(inputs.msg) == 2  # the members with figures are drawn, no average over them
    assert inputs.context.subtitle.endswith(". The most similar group average not shown: " + SOME)
    spec = json.dumps(render_chart("comparator", inputs))
    assert "Average: " not in spec
    drawn = replace(inputs, msg_average=1.0, msg_average_missing="")
    assert "Average: " in json.dumps(render_chart("comparator", drawn))


def test_the_comparator_chart_draws_the_engines_average() -> None:
    inputs = chart_inputs("comparator", VIEW, result_rows(), NAMES)
    assert isinstance(inputs, ComparatorInputs)
    assert inputs.msg_average == 0.81  # the latest window's, as the engine gives it
    assert inputs.msg_average_missing == ""


def test_the_headline_says_why_a_comparator_is_empty() -> None:
    row = force_only_rows().sort_values("period_end").iloc[-1]
    shown = [(c.label, c.value) for c in comparators(row, "West Midlands")]
    assert shown == [
        ("England and Wales", f"no figure: {ONLY}"),
        ("West Midlands", f"no figure: {ONLY}"),
        ("Most similar group average", f"no figure: {ONLY}"),
    ]


def test_a_row_without_comparator_columns_shows_no_comparator() -> None:
    assert comparators(pd.Series({"value": 3.0}), "West Midlands") == ()
