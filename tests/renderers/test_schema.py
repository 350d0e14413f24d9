"""Every spec of every chart kind validates against the Vega-Lite schema altair ships."""

from __future__ import annotations

import altair as alt
import pytest

from renderers.chart_kinds import render_chart
from tests.renderers.helpers import schema_errors, units
from tests.renderers.samples import all_inputs, kind_of

SAMPLES = all_inputs()
SYNTHETIC = all_inputs(synthetic=True)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_spec_validates_against_vegalite_schema(name: str) -> None:
    spec = render_chart(kind_of(name), SAMPLES[name])
    assert schema_errors(spec) == []


@pytest.mark.parametrize("name", sorted(SYNTHETIC))
def test_synthetic_spec_validates(name: str) -> None:
    assert schema_errors(render_chart(kind_of(name), SYNTHETIC[name])) == []


def test_schema_rejects_a_broken_spec() -> None:
    """The validator is not a no-op: a mark it does not know fails."""
    spec = render_chart("trend", SAMPLES["trend"])
    next(units(spec))["mark"] = {"type": "no-such-mark"}
    assert schema_errors(spec)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_spec_names_the_schema_altair_ships(name: str) -> None:
    spec = render_chart(kind_of(name), SAMPLES[name])
    assert spec["$schema"] == alt.SCHEMA_URL
