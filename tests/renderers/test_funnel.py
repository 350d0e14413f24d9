"""The funnel plot: forces against population, limits around England and Wales, notes on the MSG."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pytest

from framework.stats.funnel import funnel_dispersion, funnel_limits
from renderers.chart_kinds import render_chart
from renderers.vegalite.funnel import MSG_NOTE, RANK_NOTE, funnel_lines
from renderers.vegalite.inputs import FunnelInputs
from tests.renderers.samples import context


def forces() -> pd.DataFrame:
    populations = [500_000, 1_000_000, 2_000_000, 750_000, 3_000_000, 600_000]
    counts = [5_000, 9_800, 21_000, 8_000, 29_000, 5_500]
    roles = ["This force", "Most similar group", "Most similar group", "Other forces",
             "Other forces", "Other forces"]  # fmt: skip
    return pd.DataFrame(
        {
            "area": [f"Force {c}" for c in "ABCDEF"],
            "count": counts,
            "population": populations,
            "rate": [c / p * 100_000 for c, p in zip(counts, populations, strict=True)],
            "role": roles,
        }
    )


def inputs(msg_average: float | None = 1000.0) -> FunnelInputs:
    return FunnelInputs(context(), forces(), 1000.0, msg_average)


def _layers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return list(spec["layer"])


def _values(spec: dict[str, Any], layer: dict[str, Any]) -> list[dict[str, Any]]:
    data = layer.get("data", {})
    if "values" in data:
        return list(data["values"])
    return list(spec["datasets"][data["name"]])


def test_the_spec_draws_limits_target_and_every_force() -> None:
    spec = render_chart("funnel", inputs())
    layers = _layers(spec)
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]
             for layer in layers]  # fmt: skip
    assert marks == ["line", "rule", "point", "rule"]
    points = _values(spec, layers[2])
    assert [p["role"] for p in points].count("This force") == 1
    assert len(points) == 6


def test_the_limits_are_spiegelhalters_with_the_forces_dispersion() -> None:
    lines, dispersion = funnel_lines(inputs(), points=5)
    frame = forces()
    assert dispersion == funnel_dispersion(frame["count"], frame["population"], 1000.0).used
    upper = [r for r in lines if r["line"] == "99.8% upper"]
    _, high = funnel_limits(1000.0, [upper[0]["population"]], 0.998, dispersion)
    assert upper[0]["rate"] == pytest.approx(high[0])
    assert all(r["rate"] >= 0 for r in lines)


def test_the_chart_states_how_the_msg_average_is_taken_and_what_ranks_mean() -> None:
    subtitle = render_chart("funnel", inputs())["title"]["subtitle"]
    assert MSG_NOTE in subtitle and RANK_NOTE in subtitle
    without = render_chart("funnel", inputs(None))
    assert MSG_NOTE not in without["title"]["subtitle"]
    assert len(_layers(without)) == 3


def test_a_plot_that_highlights_no_force_names_one_role() -> None:
    from dataclasses import replace

    from renderers.chart_kinds import render_chart
    from renderers.vegalite.funnel import AREA_ROLE
    from tests.renderers.helpers import schema_errors
    from tests.renderers.samples import funnel_inputs

    sample = funnel_inputs()
    spec = render_chart("funnel", replace(sample, forces=sample.forces.assign(role=AREA_ROLE)))
    assert schema_errors(spec) == []
    dots = spec["layer"][2]["encoding"]
    assert dots["color"]["scale"]["domain"] == [AREA_ROLE]
    assert dots["shape"]["scale"]["domain"] == [AREA_ROLE]
    assert "This force" not in json.dumps(spec)
