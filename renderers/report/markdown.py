"""Render a Statement as GitHub-flavoured Markdown, with charts as images beside the file."""

from __future__ import annotations

from renderers.report import wording
from renderers.report.chart_table import table_markdown
from renderers.report.markdown_clean import clean_markdown, code_span, escape_text
from renderers.report.statement import (
    ChartRef,
    Headline,
    MeasureSection,
    PrioritySection,
    Statement,
    Status,
    long_date,
)

# Title "#", sections and priorities "##", measures "###", their parts "####"; an author's "#"
# in commentary goes one level below the commentary's own heading.
_INTRO_OFFSET = 2


def _status(status: Status) -> str:
    return f"{wording.status_icon(status)} {wording.status_label(status)}"


def _cell(text: str) -> str:
    return escape_text(text, line_start=False) or " "


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return lines


def _summary(statement: Statement) -> list[str]:
    rows: list[list[str]] = []
    for priority in statement.priorities:
        label = _cell(f"{priority.order}. {priority.title}")
        if not priority.measures:
            reason = priority.not_applicable or "No measure reported."
            rows.append([label, _cell(reason), " ", " ", " ", _status("no data")])
        for measure in priority.measures:
            rows.append([label, *_summary_cells(measure)])
    header = ["Priority", "Measure", "Type", "Latest figure", "Change from baseline", "Status"]
    return ["## Summary of measures", "", *_table(header, rows)]


def _summary_cells(measure: MeasureSection) -> list[str]:
    title = _cell(measure.title) + (" (synthetic)" if measure.synthetic else "")
    kind = "National" if measure.kind == "national" else "Proxy"
    headline = measure.headline
    if headline is None:
        return [title, kind, "No data", "–", _status(measure.status)]
    latest = _cell(f"{wording.figure_text(headline)} ({headline.window})")
    if headline.stale_note:
        latest += " **out of date**"
    change = _cell(wording.change_text(headline) or "–")
    return [title, kind, latest, change, _status(measure.status)]


def _completeness(statement: Statement) -> list[str]:
    lines = ["## Completeness", ""]
    if statement.completeness.complete:
        lines.append(
            "Every priority in this statement is covered: each has at least one measure with data."
        )
    else:
        lines.append("Not every priority is covered. These are not:")
        lines.append("")
        lines.extend(
            f"- **{escape_text(g.priority)}**: {escape_text(g.reason)}"
            for g in statement.completeness.gaps
        )
    if statement.completeness.switched_off:
        lines += ["", wording.SWITCHED_OFF, ""]
        lines.extend(
            f"- **{escape_text(s.measure)}**: {escape_text(s.reason)}"
            for s in statement.completeness.switched_off
        )
    return lines


def _headline(headline: Headline) -> list[str]:
    lines: list[str] = []
    if headline.stale_note:
        lines += [f"> **Out of date.** {escape_text(headline.stale_note, line_start=False)}", ""]
    window = headline.window
    span = wording.data_span(headline)
    if span:
        window += f" · {span}"
    lines += [f"**{escape_text(wording.figure_text(headline))}** — {escape_text(window)}", ""]
    status = f"Status: **{_status(headline.status)}**"
    if headline.status_detail:
        status += f" — {escape_text(headline.status_detail)}"
    lines += [status, ""]
    facts = wording.headline_facts(headline)
    if facts:
        lines += _table(["Compared with", "Figure"], [[_cell(k), _cell(v)] for k, v in facts])
        lines.append("")
    return lines


def _chart(chart: ChartRef) -> list[str]:
    title = escape_text(chart.title)
    link = f"[Vega-Lite spec](<{chart.stem}.vl.json>)"
    lines = [f"*{title}* · {link}", ""]
    if chart.svg is not None:
        lines += [f"![{escape_text(chart.alt)}](<{chart.stem}.svg>)", ""]
    else:
        lines += [escape_text(chart.alt), ""]
    if chart.table is not None:
        lines += table_markdown(chart.table)
    return lines


def _commentary(title: str, text: str | None, *, level: int, always: bool) -> list[str]:
    heading = f"{'#' * level} {title}"
    if text is None or not text.strip():
        if not always:
            return []
        return [heading, "", f"*{wording.NO_COMMENTARY}*", ""]
    return [heading, "", clean_markdown(text, heading_offset=level), ""]


def _measure(measure: MeasureSection, statement: Statement) -> list[str]:
    tags = wording.kind_label(measure) + (" · SYNTHETIC DATA" if measure.synthetic else "")
    lines = [f"### {escape_text(measure.title)}", "", f"*{tags}*", ""]
    sentence = wording.national_sentence(measure)
    if sentence:
        lines += [escape_text(sentence), ""]
    if measure.headline is not None:
        lines += _headline(measure.headline)
        for note in measure.comparison_notes:
            lines += [f"> **About these comparisons:** {escape_text(note, line_start=False)}", ""]
    else:
        lines += ["No figure is available for this measure.", ""]
    for chart in measure.charts:
        lines += _chart(chart)
    if measure.caveats:
        lines += ["#### Caveats", ""]
        lines += [f"- {escape_text(c)}" for c in measure.caveats]
        lines.append("")
    lines += _commentary(wording.FORCE_COMMENTARY, measure.force_commentary, level=4, always=True)
    office = wording.office_commentary(statement)
    lines += _commentary(office, measure.pcc_commentary, level=4, always=True)
    lines += _provenance(measure)
    return lines


def _provenance(measure: MeasureSection) -> list[str]:
    p = measure.provenance
    lines = [
        "**Where the figures come from**",
        "",
        f"- Definition: {code_span(p.definition)}",
        f"- Dataset: {code_span(p.dataset)}",
    ]
    if p.rows is not None:
        lines.append(f"- Source rows behind the latest figure: {p.rows:,}")
    if p.edition:
        lines.append(f"- Edition of the latest figure: {escape_text(p.edition)}")
    lines.extend(
        f"- Source file: {code_span(s.name)}, SHA-256 {code_span(s.sha256)}" for s in p.sources
    )
    lines.append("")
    return lines


def _priority(priority: PrioritySection, statement: Statement) -> list[str]:
    lines = [f"## {priority.order}. {escape_text(priority.title)}", ""]
    if priority.not_applicable:
        lines += [escape_text(priority.not_applicable), ""]
    elif not priority.measures:
        lines += ["No measure is reported for this priority.", ""]
    for measure in priority.measures:
        lines += _measure(measure, statement)
    # On the priority as a whole, after its measures, as published statements place it.
    lines += _commentary(wording.FORCE_COMMENTARY, priority.force_commentary, level=3, always=False)
    office = wording.office_commentary(statement)
    lines += _commentary(office, priority.pcc_commentary, level=3, always=False)
    return lines


def render_markdown(statement: Statement) -> str:
    """Return the statement as Markdown; chart images are ``<stem>.svg`` files beside it."""
    period = statement.period
    lines = [
        f"# {escape_text(statement.force)}: {escape_text(statement.title)}",
        "",
        f"**{escape_text(statement.pcc_office)}**",
        "",
        f"Period: {escape_text(period.label)} ({period.months_label}) · "
        f"Generated: {long_date(statement.generated_on)} · "
        f"Framework version {escape_text(statement.framework_version)}",
        "",
    ]
    for notice in statement.notices:
        label = wording.notice_label(notice.kind).upper()
        lines += [f"> **{label}:** {escape_text(notice.text)}", ""]
    if statement.introduction and statement.introduction.strip():
        intro = clean_markdown(statement.introduction, heading_offset=_INTRO_OFFSET)
        lines += ["## Introduction", "", intro, ""]
    lines += [*_summary(statement), ""]
    lines += [*_completeness(statement), ""]
    for priority in statement.priorities:
        lines += _priority(priority, statement)
    lines.append(
        f"*Generated on {statement.generated_on.isoformat()} by police-measures version "
        f"{escape_text(statement.framework_version)}.*"
    )
    return "\n".join(lines).rstrip("\n") + "\n"
