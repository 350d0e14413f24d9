"""A chart as a builder returns it, and its Vega-Lite spec checked against the schema.

Building a chart of a named kind goes through the table of :mod:`renderers.chart_kinds`.
"""

from __future__ import annotations

from typing import Any

from renderers.vegalite.vl import Spec

Chart = Spec | Any
"""A chart as a builder returns it: its Vega-Lite spec as plain data (as every built-in kind
does, see :mod:`renderers.vegalite.vl`), or an object with altair's ``to_dict``."""


def to_spec(chart: Chart, *, validate: bool = True) -> dict[str, Any]:
    """Return the chart's Vega-Lite spec, checked against the Vega-Lite schema.

    ``validate=False`` skips the check (most of the time of a chart): the tests validate
    every chart kind's spec against the schema, so a report need not repeat it.
    """
    spec: dict[str, Any] = chart if isinstance(chart, dict) else chart.to_dict(validate=False)
    if validate:
        from renderers.vegalite.schema_check import check_spec

        check_spec(spec)
    return spec
