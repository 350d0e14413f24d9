"""One entry point over every chart kind: build the chart for an input and return its spec."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, get_args

from renderers.vegalite.categories import categories_chart
from renderers.vegalite.comparator import comparator_chart
from renderers.vegalite.funnel import funnel_chart
from renderers.vegalite.inputs import (
    CategoriesInputs,
    ChartInputs,
    ComparatorInputs,
    FunnelInputs,
    ProportionInputs,
    SpcInputs,
    TrendInputs,
)
from renderers.vegalite.proportion import proportion_chart
from renderers.vegalite.spc import spc_chart
from renderers.vegalite.theme import DEFAULT_THEME, Theme
from renderers.vegalite.trend import trend_chart
from renderers.vegalite.vl import Spec

ChartKind = Literal["trend", "spc", "comparator", "categories", "proportion", "funnel"]
"""The chart kinds :func:`render_chart` draws."""

CHART_KINDS: tuple[str, ...] = get_args(ChartKind)

Chart = Spec
Builder = Callable[[Any, Theme], Chart]

BUILDERS: dict[str, tuple[type, Builder]] = {
    "trend": (TrendInputs, trend_chart),
    "spc": (SpcInputs, spc_chart),
    "comparator": (ComparatorInputs, comparator_chart),
    "categories": (CategoriesInputs, categories_chart),
    "proportion": (ProportionInputs, proportion_chart),
    "funnel": (FunnelInputs, funnel_chart),
}
"""Each kind's input class and chart builder."""


def to_spec(chart: Chart, *, validate: bool = True) -> dict[str, Any]:
    """Return the chart's Vega-Lite spec, checked against the Vega-Lite schema.

    ``validate=False`` skips the check (most of the time of a chart): the tests validate
    every chart kind's spec against the schema, so a report need not repeat it.
    """
    if validate:
        from renderers.vegalite.schema_check import check_spec

        check_spec(chart)
    return chart


def build_chart(kind: str, inputs: ChartInputs, theme: Theme | None = None) -> Chart:
    """Return the spec of the ``kind`` chart for ``inputs``; raise if the two do not match."""
    if kind not in BUILDERS:
        raise ValueError(f"unknown chart kind {kind!r}; expected one of {CHART_KINDS}")
    expected, builder = BUILDERS[kind]
    if not isinstance(inputs, expected):
        raise TypeError(f"a {kind!r} chart needs {expected.__name__}, not {type(inputs).__name__}")
    return builder(inputs, theme or DEFAULT_THEME)


def render_chart(
    kind: str, inputs: ChartInputs, theme: Theme | None = None, *, validate: bool = True
) -> dict[str, Any]:
    """Return the Vega-Lite spec of the ``kind`` chart for ``inputs`` in ``theme``.

    ``validate=False`` leaves out the check against the Vega-Lite schema.
    """
    return to_spec(build_chart(kind, inputs, theme), validate=validate)
