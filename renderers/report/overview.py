"""The national overview: every force against every measure, linking to each force's statement.

Like the statement, the page is plain data in and one self-contained HTML file out: it loads
nothing from elsewhere, runs only its own hashed scripts (which make the table sortable and
draw each measure's funnel plot), and reads fine without them: the table in force order,
each plot's figures in its table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from renderers.report import assets, wording
from renderers.report.statement import (
    ChartRef,
    Headline,
    MeasureSection,
    Period,
    Status,
    long_date,
)


@dataclass(frozen=True)
class OverviewColumn:
    """One measure of the table: its id and the title in the column's head."""

    id: str
    title: str


@dataclass(frozen=True)
class OverviewCell:
    """One force's figure for one measure, as the overview shows it."""

    lines: tuple[str, ...]
    """What the cell says, one line each (see :func:`overview_cell`)."""
    status: Status
    sort_key: float | None = None
    """The number the column sorts by (the rate per 100,000 when there is one); None last."""


@dataclass(frozen=True)
class OverviewRow:
    """One force: its name, where its statement is, and a cell per measure (or why it failed)."""

    force: str
    link: str | None
    """The statement's page relative to the overview, e.g. ``warwickshire/index.html``."""
    cells: dict[str, OverviewCell]
    failed: str | None = None
    """Why the force's statement could not be built; the row then has no cells."""


@dataclass(frozen=True)
class Overview:
    """The national overview of one quarter."""

    period: Period
    generated_on: date
    framework_version: str
    columns: tuple[OverviewColumn, ...]
    rows: tuple[OverviewRow, ...]
    notes: tuple[str, ...] = ()
    title: str = "National Crime and Policing Measures: national overview"
    charts: tuple[ChartRef, ...] = ()
    """Each measure's funnel plot of every force, where the data allow one."""


_NUMBER = re.compile(r"^[+-]?[0-9][0-9,]*(?:\.[0-9]+)?")


def number_of(text: str | None) -> float | None:
    """Return the number a formatted figure starts with (``1,234.5`` → 1234.5), if any."""
    match = _NUMBER.match((text or "").strip())
    return float(match.group().replace(",", "")) if match else None


def overview_cell(measure: MeasureSection) -> OverviewCell:
    """Return what the overview says of one measure of a statement: figure, change, status.

    The wording of the cells lives here alone, so changing what they say is one edit.
    """
    headline: Headline | None = measure.headline
    if headline is None:
        return OverviewCell(("No data",), "no data")
    lines = [wording.figure_text(headline)]
    if headline.rate_per_100k is not None:
        lines.append(f"{headline.rate_per_100k} per 100,000")
    change = wording.change_text(headline)
    lines.append(f"Change: {change}" if change else "Change: –")
    if measure.synthetic:
        lines.append("SYNTHETIC DATA")
    sort_key = number_of(headline.rate_per_100k) if headline.rate_per_100k else None
    if sort_key is None:
        sort_key = number_of(headline.value)
    return OverviewCell(tuple(lines), headline.status, sort_key)


#: Sorts the table by a column when its head's button is pressed; a second press reverses.
#: Empty cells sort last either way. The page reads fine without it.
SORT_SCRIPT = """
(function () {
  "use strict";
  function key(row, index) {
    var cell = row.children[index];
    var value = cell ? cell.getAttribute("data-sort") : null;
    return value === null || value === "" ? null : value;
  }
  function sortBy(table, head, index) {
    var numeric = head.getAttribute("data-sort-type") === "number";
    var ascending = head.getAttribute("aria-sort") !== "ascending";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a, index), y = key(b, index);
      if (x === null || y === null) { return x === y ? 0 : (x === null ? 1 : -1); }
      var order = numeric ? Number(x) - Number(y) : x.localeCompare(y, "en-GB");
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
      cell.removeAttribute("aria-sort");
    });
    head.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var status = document.getElementById("sort-status");
    if (status) {
      status.textContent = "Sorted by " + head.getAttribute("data-sort-name") +
        (ascending ? ", ascending" : ", descending") + ".";
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var table = document.querySelector("table[data-sortable]");
    // With charts on the page, the chart script says when they are drawn.
    if (!document.querySelector("figure[data-chart]")) {
      document.body.setAttribute("data-render-status", "done");
    }
    if (!table) { return; }
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (head, index) {
      var button = head.querySelector("button[data-sort-button]");
      if (!button) { return; }
      button.hidden = false;
      button.addEventListener("click", function () { sortBy(table, head, index); });
    });
    document.body.setAttribute("data-sortable", "ready");
  });
})();
"""

_STYLE = """
.page{max-width:110rem}
.overview{overflow-x:auto}
.overview table{border-collapse:collapse;font-size:.85rem}
.overview th,.overview td{border:1px solid #767676;padding:.3rem .4rem;vertical-align:top;
text-align:left}
.overview thead th{background:#f3f3f3;position:sticky;top:0}
.overview td p{margin:0}
.overview button{font:inherit;font-weight:bold;background:none;border:0;padding:0;
text-decoration:underline;cursor:pointer;color:#1d3557;text-align:left}
.overview .failed{color:#8b0000}
"""


def _e(text: str) -> str:
    return escape(text, quote=True)


def _head(label: str, name: str, kind: str) -> str:
    # The button appears only when the script runs, so without it nothing pretends to sort.
    return (
        f'<th scope="col" data-sort-type="{kind}" data-sort-name="{_e(name)}">'
        f'<button type="button" data-sort-button hidden>{_e(label)}</button>'
        f"<noscript>{_e(label)}</noscript></th>"
    )


def _status(status: Status) -> str:
    css = "status-" + status.replace(" ", "-")
    return (
        f'<span class="status {css}"><span class="status-icon" aria-hidden="true">'
        f"{_e(wording.status_icon(status))}</span>{_e(wording.status_label(status))}</span>"
    )


def _cell(cell: OverviewCell | None) -> str:
    if cell is None:
        return '<td data-sort="">Not in this statement</td>'
    key = "" if cell.sort_key is None else repr(cell.sort_key)
    lines = "".join(f"<p>{_e(line)}</p>" for line in cell.lines)
    return f'<td data-sort="{key}">{lines}<p>{_status(cell.status)}</p></td>'


def _row(row: OverviewRow, columns: Sequence[OverviewColumn]) -> str:
    name = f'<a href="{_e(row.link)}">{_e(row.force)}</a>' if row.link else _e(row.force)
    head = f'<th scope="row" data-sort="{_e(row.force)}">{name}</th>'
    if row.failed is not None:
        reason = f"The statement could not be built: {row.failed}"
        return (
            f'<tr>{head}<td class="failed" colspan="{len(columns)}" data-sort="">'
            f"{_e(reason)}</td></tr>"
        )
    return f"<tr>{head}{''.join(_cell(row.cells.get(c.id)) for c in columns)}</tr>"


def _funnels(charts: Sequence[ChartRef]) -> str:
    if not charts:
        return ""
    from renderers.report.html import chart_figure

    intro = (
        "Each measure's latest rate per 100,000 for every force against its population, "
        "within limits around the England and Wales rate: a force outside them differs by "
        "more than chance. Each chart's figures are in the table below it."
    )
    figures = "".join(chart_figure(chart) for chart in charts)
    return (
        '<section class="funnels" aria-labelledby="funnels-title">'
        f'<h2 id="funnels-title">Funnel plots</h2><p>{_e(intro)}</p>{figures}</section>'
    )


def render_overview_html(overview: Overview) -> str:
    """Return the overview as a complete HTML page under the statement's security policy."""
    bundle = assets.vega_bundle() if overview.charts else ""
    scripts = [SORT_SCRIPT, *((assets.PAGE_SCRIPT, bundle) if overview.charts else ())]
    policy = assets.content_security_policy(scripts)
    period = f"{overview.period.label} ({overview.period.months_label})"
    heads = [_head("Force", "force", "text")]
    heads += [_head(c.title, c.title, "number") for c in overview.columns]
    rows = "".join(_row(r, overview.columns) for r in overview.rows)
    built = sum(1 for r in overview.rows if r.failed is None)
    notes = "".join(f'<p class="notice" role="note">{_e(n)}</p>' for n in overview.notes)
    caption = (
        f"Every force's latest figure, change from baseline and status for {period}. "
        "Each force's name links to its statement. Sort by a measure to order the forces "
        "by its rate per 100,000 residents, or by the figure where there is no rate."
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_e(policy)}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="police-measures {_e(overview.framework_version)}">\n'
        f"<title>{_e(overview.title)}, {_e(overview.period.label)}</title>\n"
        f"<style>{assets.stylesheet()}{_STYLE}</style>\n"
        f'<script data-report-script="sort">{SORT_SCRIPT}</script>\n'
        + (
            f'<script data-report-script="page">{assets.PAGE_SCRIPT}</script>\n'
            if overview.charts
            else ""
        )
        + '</head>\n<body data-render-status="static">\n'
        '<a class="skip" href="#main">Skip to the overview</a>\n'
        '<div class="page"><header class="masthead">'
        f"<h1>{_e(overview.title)}</h1><dl>"
        f"<div><dt>Period</dt><dd>{_e(period)}</dd></div>"
        f"<div><dt>Statements</dt><dd>{built} of {len(overview.rows)} forces</dd></div>"
        f"<div><dt>Generated</dt><dd>{_e(long_date(overview.generated_on))}</dd></div>"
        "</dl></header>\n"
        f'<main id="main">{notes}'
        '<p id="sort-status" role="status" aria-live="polite"></p>'
        '<section class="overview" aria-labelledby="overview-title" tabindex="0">'
        '<h2 id="overview-title">Every force against every measure</h2>'
        f"<table data-sortable><caption>{_e(caption)}</caption>"
        f"<thead><tr>{''.join(heads)}</tr></thead><tbody>{rows}</tbody></table>"
        f"</section>{_funnels(overview.charts)}</main>\n"
        f'<footer class="page-foot"><p>Generated on {_e(overview.generated_on.isoformat())} '
        f"by police-measures version {_e(overview.framework_version)}.</p></footer></div>\n"
        + (f'<script data-report-script="vega-bundle">{bundle}</script>\n' if bundle else "")
        + "</body>\n</html>\n"
    )
