"""The quarterly statement as a page: the Statement contract and its HTML and Markdown renderers.

Build a :class:`Statement` from the engine's results, then ``render_html``, ``render_markdown``
or ``write_report`` it. Nothing here reads YAML or source files.
"""

from __future__ import annotations

from renderers.report.html import render_html
from renderers.report.markdown import render_markdown
from renderers.report.markdown_safe import commentary_html
from renderers.report.statement import (
    ChartRef,
    ChartTable,
    Comparator,
    Completeness,
    CoverageGap,
    Headline,
    MeasureSection,
    NationalMeasure,
    Notice,
    Period,
    PrioritySection,
    Provenance,
    SourceFile,
    Statement,
)
from renderers.report.write import report_files, write_report

__all__ = [
    "ChartRef",
    "ChartTable",
    "Comparator",
    "Completeness",
    "CoverageGap",
    "Headline",
    "MeasureSection",
    "NationalMeasure",
    "Notice",
    "Period",
    "PrioritySection",
    "Provenance",
    "SourceFile",
    "Statement",
    "commentary_html",
    "render_html",
    "render_markdown",
    "report_files",
    "write_report",
]
