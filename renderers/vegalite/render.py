"""One entry point over every chart kind: build the chart for an input and return its spec.

The kinds, with their input classes and builders, are the table of :mod:`renderers.chart_kinds`.
"""

from __future__ import annotations

from typing import Any

from renderers.chart_kinds import chart_kind
from renderers.vegalite.inputs import ChartInputs
from renderers.vegalite.theme import DEFAULT_THEME, Theme
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


def build_chart(kind: str, inputs: ChartInputs | object, theme: Theme | None = None) -> Chart:
    """Return the chart of ``kind`` for ``inputs``; raise if the two do not match."""
    entry = chart_kind(kind)
    if not isinstance(inputs, entry.inputs):
        raise TypeError(
            f"a {kind!r} chart needs {entry.inputs.__name__}, not {type(inputs).__name__}"
        )
    return entry.build(inputs, theme or DEFAULT_THEME)


def render_chart(
    kind: str, inputs: ChartInputs | object, theme: Theme | None = None, *, validate: bool = True
) -> dict[str, Any]:
    """Return the Vega-Lite spec of the ``kind`` chart for ``inputs`` in ``theme``.

    ``validate=False`` leaves out the check against the Vega-Lite schema.
    """
    return to_spec(build_chart(kind, inputs, theme), validate=validate)
