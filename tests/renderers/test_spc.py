"""The XmR chart: variation colours, icon labels, limits and their recalculation."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from renderers.vegalite import SpcInputs, Theme, render_chart
from renderers.vegalite.spc import VARIATION_LABELS, icon_text, segments
from tests.renderers.helpers import mark_type, unit_values, units
from tests.renderers.samples import context, spc_inputs, spc_points


def points_unit(spec: dict[str, Any]) -> dict[str, Any]:
    return next(u for u in units(spec) if mark_type(u) == "point")


def test_points_are_coloured_by_variation_in_making_data_count_colours() -> None:
    theme = Theme()
    spec = render_chart("spc", spc_inputs(), theme)
    scale = points_unit(spec)["encoding"]["color"]["scale"]
    colours = dict(zip(scale["domain"], scale["range"], strict=True))
    assert colours[VARIATION_LABELS["improvement"]] == theme.spc.improvement
    assert colours[VARIATION_LABELS["concern"]] == theme.spc.concern
    assert colours[VARIATION_LABELS["neutral"]] == theme.spc.neutral
    assert colours[VARIATION_LABELS["common_cause"]] == theme.spc.common_cause
    assert len(set(colours.values())) == 4


def test_each_point_carries_its_variation_and_rule() -> None:
    spec = render_chart("spc", spc_inputs())
    rows = unit_values(spec, points_unit(spec))
    assert rows[0]["variation"] == "Common cause"
    assert rows[-1]["variation"] == "Special cause: concern"
    assert rows[-1]["rule"] == "outside_limits"


def test_icons_are_shown_as_text() -> None:
    spec = render_chart("spc", spc_inputs())
    texts = [r["text"] for u in units(spec) if mark_type(u) == "text" for r in unit_values(spec, u)]
    assert "Variation: improvement low" in texts
    assert "Assurance: hit or miss" in texts
    assert icon_text("") == "not assessed"


def test_limits_break_where_they_were_recalculated() -> None:
    assert segments(spc_points()) == [0] * 7 + [1] * 7
    spec = render_chart("spc", spc_inputs())
    limits = next(u for u in units(spec) if "strokeDash" in u["encoding"])
    rows = unit_values(spec, limits)
    upper = {r["key"] for r in rows if r["line"] == "Upper process limit"}
    assert upper == {"upper_limit-0", "upper_limit-1"}
    assert limits["encoding"]["detail"]["field"] == "key"


def test_near_limits_are_dotted_and_optional() -> None:
    inputs = spc_inputs()
    spec = render_chart("spc", inputs)
    limits = next(u for u in units(spec) if "strokeDash" in u["encoding"])
    dash = limits["encoding"]["strokeDash"]["scale"]
    assert dict(zip(dash["domain"], dash["range"], strict=True))["Near limit"] == [2, 3]
    assert any(r["line"] == "Upper near limit" for r in unit_values(spec, limits))
    hidden = SpcInputs(context=inputs.context, points=inputs.points, show_near_limits=False)
    spec = render_chart("spc", hidden)
    limits = next(u for u in units(spec) if "strokeDash" in u["encoding"])
    assert not any("near" in r["line"] for r in unit_values(spec, limits))


def test_target_is_a_labelled_rule() -> None:
    spec = render_chart("spc", spc_inputs())
    rules = [u for u in units(spec) if mark_type(u) == "rule"]
    assert [unit_values(spec, u)[0]["value"] for u in rules] == [15.0]


def test_unknown_variation_is_refused() -> None:
    points = spc_points().assign(variation="special")
    with pytest.raises(ValueError, match="unknown"):
        SpcInputs(context=context(), points=points)


def test_missing_limit_columns_are_named() -> None:
    with pytest.raises(ValueError, match="upper_limit"):
        SpcInputs(
            context=context(),
            points=pd.DataFrame(
                columns=["period_end", "value", "mean", "lower_limit", "variation"]
            ),
        )
