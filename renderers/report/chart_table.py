"""Lay out the table of a chart's values: a collapsible HTML table, or a Markdown table."""

from __future__ import annotations

from html import escape

from renderers.report.markdown_clean import escape_text
from renderers.report.statement import ChartTable

SUMMARY = "Values in this chart"


def _e(text: str) -> str:
    return escape(text, quote=True)


def table_html(table: ChartTable, *, open_: bool = False) -> str:
    """Return the table inside a ``<details>`` element, open when the page is for print."""
    head = "".join(f'<th scope="col">{_e(c)}</th>' for c in table.columns)
    body = "".join(
        "<tr>"
        + "".join(
            f'<th scope="row">{_e(cell)}</th>' if i == 0 else f"<td>{_e(cell)}</td>"
            for i, cell in enumerate(row)
        )
        + "</tr>"
        for row in table.rows
    )
    notes = ""
    if table.notes:
        items = "".join(f"<li>{_e(n)}</li>" for n in table.notes)
        notes = f'<ul class="chart-notes">{items}</ul>'
    state = " open" if open_ else ""
    return (
        f'<details class="chart-data"{state}><summary>{SUMMARY}</summary>'
        f'<div class="chart-table"><table><caption>{_e(table.caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>{notes}</details>"
    )


def _cell(text: str) -> str:
    return escape_text(text, line_start=False) or " "


def table_markdown(table: ChartTable) -> list[str]:
    """Return the table as Markdown lines under a bold caption, its notes after it."""
    lines = [f"**{escape_text(table.caption)}**", ""]
    lines.append("| " + " | ".join(_cell(c) for c in table.columns) + " |")
    lines.append("|" + "|".join("---" for _ in table.columns) + "|")
    lines.extend("| " + " | ".join(_cell(c) for c in row) + " |" for row in table.rows)
    lines.append("")
    if table.notes:
        lines += [f"- {escape_text(n)}" for n in table.notes]
        lines.append("")
    return lines
