"""The dispatcher and the purity of the builders: no global altair state, inputs untouched."""

from __future__ import annotations

import altair as alt
import pytest

from renderers.chart_kinds import chart_kind_names
from renderers.vegalite import (
    Theme,
    build_chart,
    render_chart,
    spc_chart,
    to_spec,
    trend_chart,
)
from tests.renderers.samples import all_inputs, kind_of, spc_inputs, trend_inputs

SAMPLES = all_inputs()


def test_dispatcher_covers_every_kind() -> None:
    builtin = ("trend", "spc", "comparator", "categories", "proportion", "funnel")
    assert chart_kind_names()[:6] == builtin
    for name, inputs in SAMPLES.items():
        spec = render_chart(kind_of(name), inputs)
        assert isinstance(spec, dict)
        assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")


def test_dispatcher_equals_the_builder() -> None:
    inputs = trend_inputs()
    assert render_chart("trend", inputs) == to_spec(trend_chart(inputs))
    assert render_chart("spc", spc_inputs()) == spc_chart(spc_inputs()).to_dict()


def test_dispatcher_refuses_mismatched_inputs() -> None:
    with pytest.raises(TypeError, match="SpcInputs"):
        render_chart("spc", trend_inputs())
    with pytest.raises(ValueError, match="unknown chart kind"):
        build_chart("pie", trend_inputs())


def test_the_theme_is_the_charts_own_config() -> None:
    theme = Theme(font="Verdana", force_colour="#112233", width=500)
    spec = render_chart("trend", trend_inputs(), theme)
    assert spec["config"]["font"] == "Verdana"
    assert spec["config"]["view"]["continuousWidth"] == 500
    assert spec["width"] == 500
    assert "#112233" in str(spec)


def test_rendering_leaves_altair_global_state_alone() -> None:
    theme_before = alt.theme.active
    transformer_before = alt.data_transformers.active
    for name, inputs in SAMPLES.items():
        render_chart(kind_of(name), inputs, Theme(font="Courier"))
    assert alt.theme.active == theme_before
    assert alt.data_transformers.active == transformer_before


def test_rendering_does_not_change_the_input_frames() -> None:
    inputs = trend_inputs(comparators=True)
    series, comparators = inputs.series.copy(), inputs.comparators.copy()  # type: ignore[union-attr]
    render_chart("trend", inputs)
    assert inputs.series.equals(series)
    assert inputs.comparators.equals(comparators)  # type: ignore[union-attr]


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_unvalidated_spec_equals_the_validated_one(name: str) -> None:
    from altair.utils import schemapi

    before = schemapi.DEBUG_MODE
    quick = render_chart(kind_of(name), SAMPLES[name], validate=False)
    assert quick == render_chart(kind_of(name), SAMPLES[name])
    assert schemapi.DEBUG_MODE is before  # the switch is restored
