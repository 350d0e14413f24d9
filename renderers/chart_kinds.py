"""The one table of chart kinds: each kind's inputs, builder, mapping from rows and words.

A row ties a kind's name to the class of its inputs (:mod:`renderers.vegalite.inputs`), the
function that builds its chart, the function that maps a measure's result rows onto its
inputs (:mod:`renderers.from_results`) and the function that tells the chart in words and as
a table (:mod:`renderers.chart_text`). The kinds this package draws are the rows of
:data:`BUILT_IN`; :func:`register_chart_kind` adds one, and declares its name and
description to the model (:mod:`framework.model.chart_kinds`) at the same time. The three
functions that go through the table (:func:`build_chart` and :func:`render_chart`,
:func:`chart_inputs`, :func:`chart_text`) live here, above every module a row names, so
nothing below imports the table and the table imports nothing above it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from framework.model.chart_kinds import add_chart_kind, remove_chart_kind
from renderers import chart_text as text
from renderers import from_results as rows
from renderers.from_results import MeasureView
from renderers.report.statement import ChartTable
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
from renderers.vegalite.render import Chart, to_spec
from renderers.vegalite.spc import spc_chart
from renderers.vegalite.theme import DEFAULT_THEME, Theme
from renderers.vegalite.trend import trend_chart

Builder = Callable[[Any, Theme], Chart]
"""Builds the chart of a kind from its inputs, in a theme."""
RowMapper = Callable[[MeasureView, pd.DataFrame, Mapping[str, str]], Any]
"""Maps a measure's result rows (with the forces' names by code) onto a kind's inputs, or
returns None when the rows cannot draw it."""
Describer = Callable[[Any, Mapping[str, str]], tuple[str, ChartTable]]
"""Tells a chart from its inputs and the windows by period end: its words and its table."""


@dataclass(frozen=True)
class ChartKindEntry:
    """One chart kind: its name, the class of its inputs and the three functions that draw it."""

    name: str
    inputs: type
    """The class of the inputs its builder takes."""
    build: Builder
    from_rows: RowMapper
    describe: Describer | None = None
    """Its alternative text and table; None lists the spec's inline values instead."""


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

_TABLE: dict[str, ChartKindEntry] = {entry.name: entry for entry in BUILT_IN}


def _table() -> dict[str, ChartKindEntry]:
    return _TABLE


def register_chart_kind(entry: ChartKindEntry, description: str) -> None:
    """Add a chart kind: its row here, its name and ``description`` to the model's table."""
    table = _table()
    if entry.name in table:
        raise ValueError(f"chart kind {entry.name!r} is already registered")
    add_chart_kind(entry.name, description)
    table[entry.name] = entry


def unregister_chart_kind(name: str) -> None:
    """Remove a chart kind added by :func:`register_chart_kind`; the built-in ones stay."""
    if name in {entry.name for entry in BUILT_IN}:
        raise ValueError(f"chart kind {name!r} is built in")
    del _table()[name]
    remove_chart_kind(name)


def chart_kind(name: str) -> ChartKindEntry:
    """Return the row of chart kind ``name``; raise :class:`ValueError` for an unknown kind."""
    table = _table()
    if name not in table:
        raise ValueError(f"unknown chart kind {name!r}; expected one of {tuple(table)}")
    return table[name]


def chart_kind_names() -> tuple[str, ...]:
    """Return the name of every chart kind the renderers draw, built-in ones first."""
    return tuple(_table())


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


def chart_inputs(
    kind: str, view: MeasureView, rows: pd.DataFrame, names: Mapping[str, str]
) -> ChartInputs | None:
    """Return the inputs of chart ``kind`` for a measure's rows, or None when it cannot be drawn."""
    inputs: ChartInputs | None = chart_kind(kind).from_rows(view, rows, names)
    return inputs


def chart_text(
    kind: str,
    inputs: ChartInputs | object,
    title: str,
    spec: Mapping[str, Any],
    windows: Mapping[str, str] | None = None,
) -> tuple[str, ChartTable]:
    """Return the alternative text of a ``kind`` chart and the table of the values it draws."""
    describe = chart_kind(kind).describe
    if describe is None:
        return text.generic_text(title, spec)
    return describe(inputs, windows or {})
