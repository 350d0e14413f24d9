"""The comparator chart: the force highlighted and ranked, the MSG average, the wider areas."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from renderers.vegalite import ComparatorInputs, Theme, render_chart
from renderers.vegalite.comparator import FORCE_ROLE, OTHER_ROLE
from tests.renderers.helpers import mark_type, unit_values, units
from tests.renderers.samples import FORCE, comparator_inputs, context, msg_frame


def bar_units(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [u for u in units(spec) if mark_type(u) == "bar"]


def test_the_force_is_highlighted() -> None:
    theme = Theme()
    spec = render_chart("comparator", comparator_inputs(), theme)
    for bars in bar_units(spec):
        rows = unit_values(spec, bars)
        roles = {r["area"]: r["role"] for r in rows}
        assert roles[FORCE] == FORCE_ROLE
        assert {role for area, role in roles.items() if area != FORCE} == {OTHER_ROLE}
        scale = bars["encoding"]["color"]["scale"]
        colours = dict(zip(scale["domain"], scale["range"], strict=True))
        assert colours[FORCE_ROLE] == theme.force_colour
        assert colours[OTHER_ROLE] != theme.force_colour


def test_msg_bars_are_ranked_best_first() -> None:
    spec = render_chart("comparator", comparator_inputs())
    msg = bar_units(spec)[0]
    assert msg["encoding"]["y"]["sort"] == ["Force C", FORCE, "Force D", "Force B", "Force E"]
    ranks = {r["area"]: r["rank"] for r in unit_values(spec, msg)}
    assert ranks[FORCE] == 2


def test_higher_is_better_ranks_the_other_way() -> None:
    inputs = ComparatorInputs(context=context(improvement="higher_is_better"), msg=msg_frame())
    spec = render_chart("comparator", inputs)
    assert bar_units(spec)[0]["encoding"]["y"]["sort"][0] == "Force E"


def test_msg_average_rule_is_the_mean_of_the_group() -> None:
    spec = render_chart("comparator", comparator_inputs())
    rule = next(u for u in units(spec) if mark_type(u) == "rule")
    assert unit_values(spec, rule)[0]["rate"] == pytest.approx(sum(msg_frame()["rate"]) / 5)
    given = ComparatorInputs(context=context(), msg=msg_frame(), msg_average=50.0)
    rule = next(u for u in units(render_chart("comparator", given)) if mark_type(u) == "rule")
    assert unit_values(render_chart("comparator", given), rule)[0]["rate"] == 50.0


def test_benchmarks_are_a_second_panel() -> None:
    spec = render_chart("comparator", comparator_inputs())
    assert len(spec["vconcat"]) == 2
    areas = [r["area"] for r in unit_values(spec, bar_units(spec)[1])]
    assert areas == [FORCE, "West Midlands", "England and Wales"]
    alone = ComparatorInputs(context=context(), msg=msg_frame())
    assert len(render_chart("comparator", alone)["vconcat"]) == 1


def test_axis_is_the_rate_per_100k() -> None:
    spec = render_chart("comparator", comparator_inputs())
    assert bar_units(spec)[0]["encoding"]["x"]["title"] == "Offences per 100,000 population"


def test_the_msg_needs_exactly_one_force() -> None:
    with pytest.raises(ValueError, match="one is_force"):
        ComparatorInputs(context=context(), msg=msg_frame().assign(is_force=False))
    with pytest.raises(ValueError, match="is_force"):
        ComparatorInputs(context=context(), msg=pd.DataFrame({"area": ["A"], "rate": [1.0]}))
