"""The dispatcher and the purity of the builders: plain data, no altair, inputs untouched."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from renderers.chart_kinds import build_chart, chart_kind_names, render_chart
from renderers.vegalite import Theme, spc_chart, to_spec, trend_chart
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
    assert render_chart("spc", spc_inputs()) == spc_chart(spc_inputs())


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


def test_building_a_spec_imports_no_altair() -> None:
    """The specs are plain data: a report builds every chart without importing altair."""
    code = (
        "import sys\n"
        "from renderers.chart_kinds import render_chart\n"
        "from tests.renderers.samples import all_inputs, kind_of\n"
        "for name, inputs in all_inputs().items():\n"
        "    render_chart(kind_of(name), inputs, validate=False)\n"
        "print('altair' in sys.modules)\n"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert shown.strip() == "False"


def test_a_spec_the_schema_rejects_is_an_error() -> None:
    from renderers.vegalite.schema_check import SpecError, check_spec, schema_errors

    spec = render_chart("trend", trend_inputs())
    broken = json.loads(json.dumps(spec))
    broken["layer"][0]["mark"]["type"] = "pie-slice"
    assert schema_errors(broken)
    with pytest.raises(SpecError, match="not valid Vega-Lite"):
        check_spec(broken)
    assert check_spec(spec) is spec


def test_rendering_does_not_change_the_input_frames() -> None:
    inputs = trend_inputs(comparators=True)
    series, comparators = inputs.series.copy(), inputs.comparators.copy()  # type: ignore[union-attr]
    render_chart("trend", inputs)
    assert inputs.series.equals(series)
    assert inputs.comparators.equals(comparators)  # type: ignore[union-attr]


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_unvalidated_spec_equals_the_validated_one(name: str) -> None:
    quick = render_chart(kind_of(name), SAMPLES[name], validate=False)
    assert quick == render_chart(kind_of(name), SAMPLES[name])
