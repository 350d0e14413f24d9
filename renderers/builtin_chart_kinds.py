"""The chart kinds this package draws: the rows of the table in :mod:`renderers.chart_kinds`.

Their names and descriptions are declared to the model in :mod:`framework.model.chart_kinds`;
a test checks that the two list the same kinds in the same order.
"""

from __future__ import annotations

from renderers import from_results as rows
from renderers.assemble import chart_text as text
from renderers.chart_kinds import ChartKindEntry
from renderers.vegalite.categories import categories_chart
from renderers.vegalite.comparator import comparator_chart
from renderers.vegalite.funnel import funnel_chart
from renderers.vegalite.inputs import (
    CategoriesInputs,
    ComparatorInputs,
    FunnelInputs,
    ProportionInputs,
    SpcInputs,
    TrendInputs,
)
from renderers.vegalite.proportion import proportion_chart
from renderers.vegalite.spc import spc_chart
from renderers.vegalite.trend import trend_chart

BUILT_IN: tuple[ChartKindEntry, ...] = (
    ChartKindEntry("trend", TrendInputs, trend_chart, rows.trend_inputs, text.trend_text),
    ChartKindEntry("spc", SpcInputs, spc_chart, rows.spc_inputs, text.spc_text),
    ChartKindEntry(
        "comparator", ComparatorInputs, comparator_chart, rows.comparator_inputs,
        text.comparator_text,
    ),
    ChartKindEntry(
        "categories", CategoriesInputs, categories_chart, rows.categories_inputs,
        text.categories_text,
    ),
    ChartKindEntry(
        "proportion", ProportionInputs, proportion_chart, rows.proportion_inputs,
        text.proportion_text,
    ),
    ChartKindEntry("funnel", FunnelInputs, funnel_chart, rows.funnel_inputs, text.funnel_text),
)  # fmt: skip
"""Each built-in kind's row, in the order of the model's table."""
