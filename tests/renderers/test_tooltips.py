"""Every layer of every chart has a tooltip, numbers formatted and titled with their unit."""

from __future__ import annotations

import pytest

from renderers.chart_kinds import render_chart
from tests.renderers.helpers import mark_type, units
from tests.renderers.samples import all_inputs, kind_of

SAMPLES = all_inputs()


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_layer_has_a_tooltip(name: str) -> None:
    spec = render_chart(kind_of(name), SAMPLES[name])
    layers = list(units(spec))
    assert layers
    for unit in layers:
        tooltip = unit.get("encoding", {}).get("tooltip")
        assert tooltip, f"{mark_type(unit)} layer has no tooltip"


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_numeric_tooltips_are_formatted_and_titled(name: str) -> None:
    spec = render_chart(kind_of(name), SAMPLES[name])
    for unit in units(spec):
        for entry in unit["encoding"]["tooltip"]:
            if entry["type"] == "quantitative":
                assert "format" in entry, entry
                assert "title" in entry, entry


def test_tooltip_titles_carry_the_unit() -> None:
    spec = render_chart("trend", SAMPLES["trend"])
    titles = {e["title"] for u in units(spec) for e in u["encoding"]["tooltip"]}
    assert "Value (offences)" in titles
    spec = render_chart("proportion", SAMPLES["proportion"])
    titles = {e["title"] for u in units(spec) for e in u["encoding"]["tooltip"]}
    assert "Sample size (denominator)" in titles
    assert "Percentage (% satisfied)" in titles
