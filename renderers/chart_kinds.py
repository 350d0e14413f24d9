"""The one table of chart kinds: each kind's inputs, builder, mapping from rows and words.

A row ties a kind's name to the class of its inputs (:mod:`renderers.vegalite.inputs`), the
function that builds its chart, the function that maps a measure's result rows onto its
inputs (:mod:`renderers.from_results`) and the function that tells the chart in words and as
a table (:mod:`renderers.assemble.chart_text`). The kinds this package draws are the rows of
:mod:`renderers.builtin_chart_kinds`; :func:`register_chart_kind` adds one, and declares its
name and description to the model (:mod:`framework.model.chart_kinds`) at the same time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from framework.model.chart_kinds import add_chart_kind, remove_chart_kind

if TYPE_CHECKING:
    import pandas as pd

    from renderers.from_results import MeasureView
    from renderers.report.statement import ChartTable
    from renderers.vegalite.render import Chart
    from renderers.vegalite.theme import Theme

Builder = Callable[[Any, "Theme"], "Chart"]
"""Builds the chart of a kind from its inputs, in a theme."""
RowMapper = Callable[["MeasureView", "pd.DataFrame", Mapping[str, str]], Any]
"""Maps a measure's result rows (with the forces' names by code) onto a kind's inputs, or
returns None when the rows cannot draw it."""
Describer = Callable[[Any, Mapping[str, str]], tuple[str, "ChartTable"]]
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


_TABLE: dict[str, ChartKindEntry] = {}


def _table() -> dict[str, ChartKindEntry]:
    if not _TABLE:
        # The built-in rows import the chart modules, which look kinds up here: they are
        # read on first use rather than at import, so neither import waits on the other.
        from renderers.builtin_chart_kinds import BUILT_IN

        _TABLE.update((entry.name, entry) for entry in BUILT_IN)
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
    from renderers.builtin_chart_kinds import BUILT_IN

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
