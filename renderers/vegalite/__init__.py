"""Vega-Lite chart renderers: plain inputs in, Vega-Lite specs (and SVG/PNG files) out.

Build a chart's spec with one of the ``*_chart`` functions (plain data, see ``vl.py``), or a
kind's spec with :func:`renderers.chart_kinds.render_chart`, which also checks it against the
Vega-Lite schema; :func:`export_chart` writes the files. There is no global state: the
:class:`Theme` travels in each chart's own config.
"""

from __future__ import annotations

from renderers.vegalite.categories import categories_chart
from renderers.vegalite.comparator import comparator_chart
from renderers.vegalite.export import FORMATS, export_chart, spec_json
from renderers.vegalite.fit import fit_trend, least_squares, mean
from renderers.vegalite.funnel import funnel_chart
from renderers.vegalite.inputs import (
    CategoriesInputs,
    ChartContext,
    ChartInputs,
    ComparatorInputs,
    FunnelInputs,
    Improvement,
    ProportionInputs,
    SpcInputs,
    TrendInputs,
    Variation,
)
from renderers.vegalite.layers import ILLUSTRATIVE_MSG_LABEL, SYNTHETIC_LABEL
from renderers.vegalite.proportion import proportion_chart
from renderers.vegalite.render import Chart, to_spec
from renderers.vegalite.spc import spc_chart
from renderers.vegalite.theme import DEFAULT_THEME, OKABE_ITO, SpcColours, Theme
from renderers.vegalite.trend import trend_chart

__all__ = [
    "DEFAULT_THEME",
    "FORMATS",
    "ILLUSTRATIVE_MSG_LABEL",
    "OKABE_ITO",
    "SYNTHETIC_LABEL",
    "CategoriesInputs",
    "Chart",
    "ChartContext",
    "ChartInputs",
    "ComparatorInputs",
    "FunnelInputs",
    "Improvement",
    "ProportionInputs",
    "SpcColours",
    "SpcInputs",
    "Theme",
    "TrendInputs",
    "Variation",
    "categories_chart",
    "comparator_chart",
    "export_chart",
    "fit_trend",
    "funnel_chart",
    "least_squares",
    "mean",
    "proportion_chart",
    "spc_chart",
    "spec_json",
    "to_spec",
    "trend_chart",
]
