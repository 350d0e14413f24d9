"""A chart as a Vega-Lite spec: the type every builder returns and its conversion to a dict.

Building a chart of a named kind goes through the table of :mod:`renderers.chart_kinds`.
"""

from __future__ import annotations

from typing import Any

import altair as alt

Chart = alt.Chart | alt.LayerChart | alt.VConcatChart


def to_spec(chart: Chart, *, validate: bool = True) -> dict[str, Any]:
    """Return the chart as a Vega-Lite spec dict, validated by altair against its schema.

    ``validate=False`` skips the check (a third of the time of a chart): the tests validate
    every chart kind's spec against the Vega-Lite schema, so a report need not repeat it.
    """
    spec: dict[str, Any] = chart.to_dict(validate=validate)
    return spec

