"""Property tests: any frame of finite values renders a spec valid against the Vega-Lite schema."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renderers.vegalite import (
    CategoriesInputs,
    ComparatorInputs,
    ProportionInputs,
    SpcInputs,
    TrendInputs,
    render_chart,
)
from renderers.vegalite.inputs import VARIATIONS
from renderers.vegalite.records import month_end
from tests.renderers.helpers import schema_errors, units
from tests.renderers.samples import context

pytestmark = pytest.mark.slow  # make test-fast leaves it out; make test runs it

PROPERTY = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
finite = st.floats(allow_nan=False, allow_infinity=False)
names = st.text(min_size=1, max_size=12)


@st.composite
def dates(draw: st.DrawFn, step: int = 1, max_size: int = 24) -> list[str]:
    """Draw sorted, distinct period ends on a month grid, with random periods left out."""
    start = draw(st.integers(2015 * 12, 2025 * 12))
    offsets = draw(st.sets(st.integers(0, max_size), max_size=max_size))
    return [month_end(start + step * k).strftime("%Y-%m-%d") for k in sorted(offsets)]


def assert_valid(kind: str, inputs: object) -> None:
    spec = render_chart(kind, inputs)
    assert schema_errors(spec) == []
    json.dumps(spec, allow_nan=False)  # no NaN or infinity leaks into the JSON
    assert all(u["encoding"].get("tooltip") for u in units(spec))


@PROPERTY
@given(data=st.data(), with_comparators=st.booleans(), synthetic=st.booleans())
def test_any_trend_frame_renders_a_valid_spec(
    data: st.DataObject, with_comparators: bool, synthetic: bool
) -> None:
    days = data.draw(dates())
    series = pd.DataFrame(
        {
            "period_end": days,
            "value": data.draw(st.lists(finite, min_size=len(days), max_size=len(days))),
            "rate_per_100k": data.draw(st.lists(finite, min_size=len(days), max_size=len(days))),
        }
    )
    comparators = None
    if with_comparators:
        groups = data.draw(st.lists(names, min_size=1, max_size=3, unique=True))
        rows = [
            {"period_end": d, "group": g, "rate_per_100k": data.draw(finite)}
            for g in groups
            for d in data.draw(dates())
        ]
        comparators = pd.DataFrame(rows, columns=["period_end", "group", "rate_per_100k"])
    inputs = TrendInputs(
        context=context(synthetic=synthetic, baseline_value=data.draw(st.none() | finite)),
        series=series,
        comparators=comparators,
        baseline_rate=data.draw(st.none() | finite),
    )
    assert_valid("trend", inputs)


@PROPERTY
@given(data=st.data(), show_near=st.booleans())
def test_any_spc_frame_renders_a_valid_spec(data: st.DataObject, show_near: bool) -> None:
    days = data.draw(dates())
    n = len(days)

    def column() -> list[float]:
        return data.draw(st.lists(finite, min_size=n, max_size=n))

    points = pd.DataFrame(
        {
            "period_end": days,
            "value": column(),
            "mean": column(),
            "upper_limit": column(),
            "lower_limit": column(),
            "near_upper": column(),
            "near_lower": column(),
            "rule": data.draw(
                st.lists(st.sampled_from(["", "shift", "trend"]), min_size=n, max_size=n)
            ),
            "variation": data.draw(st.lists(st.sampled_from(VARIATIONS), min_size=n, max_size=n)),
        }
    )
    inputs = SpcInputs(
        context=context(),
        points=points,
        variation_icon=data.draw(st.text(max_size=20)),
        assurance_icon=data.draw(st.text(max_size=20)),
        target=data.draw(st.none() | finite),
        show_near_limits=show_near,
    )
    assert_valid("spc", inputs)


@PROPERTY
@given(data=st.data())
def test_any_comparator_frame_renders_a_valid_spec(data: st.DataObject) -> None:
    areas = data.draw(st.lists(names, min_size=1, max_size=10, unique=True))
    force = data.draw(st.integers(0, len(areas) - 1))
    msg = pd.DataFrame(
        {
            "area": areas,
            "rate": data.draw(st.lists(finite, min_size=len(areas), max_size=len(areas))),
            "is_force": [i == force for i in range(len(areas))],
        }
    )
    benchmarks = None
    if data.draw(st.booleans()):
        benchmarks = pd.DataFrame(
            {
                "area": [areas[force], "Region", "England and Wales"],
                "rate": data.draw(st.lists(finite, min_size=3, max_size=3)),
                "is_force": [True, False, False],
            }
        )
    improvement = data.draw(st.sampled_from(["lower_is_better", "higher_is_better", "neutral"]))
    inputs = ComparatorInputs(
        context=context(improvement=improvement, illustrative_msg=data.draw(st.booleans())),
        msg=msg,
        benchmarks=benchmarks,
        msg_average=data.draw(st.none() | finite),
    )
    assert_valid("comparator", inputs)


@PROPERTY
@given(data=st.data())
def test_any_categories_frame_renders_a_valid_spec(data: st.DataObject) -> None:
    quarters = data.draw(dates(step=3, max_size=12))
    categories = data.draw(st.lists(names, min_size=1, max_size=5, unique=True))
    rows = [
        {"period_end": q, "category": c, "value": data.draw(finite)}
        for q in quarters
        for c in categories
        if data.draw(st.booleans())
    ]
    frame = pd.DataFrame(rows, columns=["period_end", "category", "value"])
    assert_valid("categories", CategoriesInputs(context=context(), data=frame))


@PROPERTY
@given(data=st.data())
def test_any_proportion_frame_renders_a_valid_spec(data: st.DataObject) -> None:
    days = data.draw(dates())
    n = len(days)
    series = pd.DataFrame(
        {
            "period_end": days,
            "value": data.draw(st.lists(finite, min_size=n, max_size=n)),
            "numerator": data.draw(st.lists(finite, min_size=n, max_size=n)),
            "denominator": data.draw(st.lists(finite, min_size=n, max_size=n)),
        }
    )
    inputs = ProportionInputs(
        context=context(decimals=1, baseline_value=data.draw(st.none() | finite)), series=series
    )
    assert_valid("proportion", inputs)
