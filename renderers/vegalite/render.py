"""One entry point over every chart kind: build the chart for an input and return its spec.

The kinds, with their input classes and builders, are the table of :mod:`renderers.chart_kinds`.
"""

from __future__ import annotations

from typing import Any

import altair as alt
from altair.utils.schemapi import debug_mode

from renderers.chart_kinds import chart_kind
from renderers.vegalite.inputs import ChartInputs
from renderers.vegalite.theme import DEFAULT_THEME, Theme

Chart = alt.Chart | alt.LayerChart | alt.VConcatChart


def to_spec(chart: Chart, *, validate: bool = True) -> dict[str, Any]:
    """Return the chart as a Vega-Lite spec dict, validated by altair against its schema.

    ``validate=False`` skips the check (a third of the time of a chart): the tests validate
    every chart kind's spec against the Vega-Lite schema, so a report need not repeat it.
    """
    spec: dict[str, Any] = chart.to_dict(validate=validate)
    return spec


def build_chart(kind: str, inputs: ChartInputs | object, theme: Theme | None = None) -> Chart:
    """Return the altair chart of ``kind`` for ``inputs``; raise if the two do not match."""
    entry = chart_kind(kind)
    if not isinstance(inputs, entry.inputs):
        raise TypeError(
            f"a {kind!r} chart needs {entry.inputs.__name__}, not {type(inputs).__name__}"
        )
    chart: Chart = entry.build(inputs, theme or DEFAULT_THEME)
    return chart


def render_chart(
    kind: str, inputs: ChartInputs | object, theme: Theme | None = None, *, validate: bool = True
) -> dict[str, Any]:
    """Return the Vega-Lite spec of the ``kind`` chart for ``inputs`` in ``theme``.

    ``validate=False`` builds the chart as plain data: altair checks neither each part as it
    is made nor the whole spec, which makes a chart two to three times quicker to build.
    """
    if validate:
        return to_spec(build_chart(kind, inputs, theme))
    # altair checks parts as they are made unless its debug mode is off; the switch is
    # module state, restored on the way out.
    with debug_mode(False):
        return to_spec(build_chart(kind, inputs, theme), validate=False)
