"""Render a Statement as one self-contained HTML page that works offline and prints on A4."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

from renderers.report import assets, print_pages, wording
from renderers.report.chart_table import table_html
from renderers.report.markdown_safe import commentary_html
from renderers.report.statement import (
    ChartRef,
    Completeness,
    Headline,
    MeasureSection,
    Notice,
    PrioritySection,
    Statement,
    Status,
    long_date,
)

# Page headings: h1 masthead, h2 sections and priorities, h3 measures, h4 their parts. An
# author's "#" in commentary goes one level below the commentary's heading, keeping the outline
# in order.
_INTRO_OFFSET = 2


def _e(text: str) -> str:
    return escape(text, quote=True)


def spec_json(spec: Mapping[str, Any]) -> str:
    r"""Return ``spec`` as JSON safe inside a ``<script>`` element.

    ``<``, ``>`` and ``&`` only occur inside JSON strings, where their ``\u`` escapes parse
    back to the same text; so neither ``</script>`` nor ``<!--`` can end or bend the element.
    """
    text = json.dumps(spec, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _status_badge(status: Status) -> str:
    css = "status-" + status.replace(" ", "-")
    return (
        f'<span class="status {css}"><span class="status-icon" aria-hidden="true">'
        f"{_e(wording.status_icon(status))}</span>{_e(wording.status_label(status))}</span>"
    )


def _masthead(statement: Statement) -> str:
    period = f"{statement.period.label} ({statement.period.months_label})"
    facts = [
        ("Period", period),
        ("Generated", long_date(statement.generated_on)),
        ("Framework", f"version {statement.framework_version}"),
    ]
    items = "".join(f"<div><dt>{_e(k)}</dt><dd>{_e(v)}</dd></div>" for k, v in facts)
    return (
        '<header class="masthead">'
        f'<p class="office">{_e(statement.pcc_office)}</p>'
        f'<h1>{_e(statement.force)}<span class="subtitle">{_e(statement.title)}</span></h1>'
        f"<dl>{items}</dl></header>"
    )


def _notices(notices: Iterable[Notice]) -> str:
    parts = [
        f'<div class="notice notice-{_e(n.kind)}" role="note"><strong>'
        f"{_e(wording.notice_label(n.kind))}</strong>{_e(n.text)}</div>"
        for n in notices
    ]
    if not parts:
        return ""
    return f'<section class="notices" aria-label="Notices">{"".join(parts)}</section>'


def _summary(statement: Statement) -> str:
    head = "".join(
        f'<th scope="col">{h}</th>'
        for h in ("Priority", "Measure", "Type", "Latest figure", "Change from baseline", "Status")
    )
    groups: list[str] = []
    for priority in statement.priorities:
        label = f"{priority.order}. {priority.title}"
        rows: list[str] = []
        if not priority.measures:
            reason = priority.not_applicable or "No measure reported."
            rows.append(f'<td colspan="5">{_e(reason)}</td>')
        for measure in priority.measures:
            rows.append(_summary_cells(measure))
        span = f' rowspan="{len(rows)}"' if len(rows) > 1 else ""
        first = f'<th scope="rowgroup"{span}>{_e(label)}</th>'
        body = "".join(f"<tr>{first if i == 0 else ''}{cells}</tr>" for i, cells in enumerate(rows))
        groups.append(f"<tbody>{body}</tbody>")
    return (
        '<section id="summary" aria-labelledby="summary-title">'
        '<h2 id="summary-title">Summary of measures</h2>'
        '<table class="summary"><caption>Every measure in this statement, '
        "with its latest figure and status against its baseline</caption>"
        f"<thead><tr>{head}</tr></thead>{''.join(groups)}</table></section>"
    )


def _summary_cells(measure: MeasureSection) -> str:
    link = f'<a href="#measure-{_e(measure.id)}">{_e(measure.title)}</a>'
    tags = ' <span class="tag tag-synthetic">Synthetic</span>' if measure.synthetic else ""
    kind = "National" if measure.kind == "national" else "Proxy"
    headline = measure.headline
    if headline is None:
        latest, change = "No data", "–"
    else:
        latest = (
            f"{_e(wording.figure_text(headline))}<br>"
            f'<span class="window">{_e(headline.window)}</span>'
        )
        if headline.stale_note:
            latest += ' <span class="tag tag-stale">Out of date</span>'
        change = _e(wording.change_text(headline) or "–")
    return (
        f'<th scope="row">{link}{tags}</th><td>{kind}</td><td class="latest">{latest}</td>'
        f"<td>{change}</td><td>{_status_badge(measure.status)}</td>"
    )


def _completeness(completeness: Completeness) -> str:
    if completeness.complete:
        body = (
            '<p class="complete">Every priority in this statement is covered: each has at '
            "least one measure with data.</p>"
        )
    else:
        items = "".join(
            f"<li><strong>{_e(g.priority)}</strong>: {_e(g.reason)}</li>" for g in completeness.gaps
        )
        body = (
            '<div class="incomplete"><p>Not every priority is covered. '
            f"These are not:</p><ul>{items}</ul></div>"
        )
    if completeness.switched_off:
        off = "".join(
            f"<li><strong>{_e(s.measure)}</strong>: {_e(s.reason)}</li>"
            for s in completeness.switched_off
        )
        body += f'<div class="switched-off"><p>{_e(wording.SWITCHED_OFF)}</p><ul>{off}</ul></div>'
    return (
        '<section id="completeness" aria-labelledby="completeness-title">'
        f'<h2 id="completeness-title">Completeness</h2>{body}</section>'
    )


def _headline(headline: Headline) -> str:
    parts = ['<div class="headline">']
    if headline.stale_note:
        note = _e(headline.stale_note)
        parts.append(f'<p class="stale" role="note"><strong>Out of date.</strong> {note}</p>')
    if headline.unit in ("%", "per cent"):
        figure = f"{_e(headline.value)}%"
    else:
        figure = f'{_e(headline.value)}<span class="unit">{_e(headline.unit)}</span>'
    parts.append(f'<p class="figure">{figure}</p>')
    window = headline.window
    span = wording.data_span(headline)
    if span:
        window += f" · {span}"
    parts.append(f'<p class="window">{_e(window)}</p>')
    detail = (
        f'<span class="status-detail">{_e(headline.status_detail)}</span>'
        if headline.status_detail
        else ""
    )
    parts.append(f'<p class="status-line">{_status_badge(headline.status)}{detail}</p>')
    facts = wording.headline_facts(headline)
    if facts:
        items = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in facts)
        parts.append(f"<dl>{items}</dl>")
    parts.append("</div>")
    return "".join(parts)


def _chart(chart: ChartRef, for_print: bool = False) -> str:
    stem = _e(chart.stem)
    table = table_html(chart.table, open_=for_print) if chart.table is not None else ""
    if chart.svg is not None:
        # As an <img>, the SVG can run no script and add no markup, whatever it holds.
        data = base64.b64encode(chart.svg.encode("utf-8")).decode("ascii")
        fallback = (
            f'<div class="chart-fallback" data-chart-fallback><img alt="{_e(chart.alt)}" '
            f'src="data:image/svg+xml;base64,{data}"></div>'
        )
    elif for_print:
        fallback = f'<p class="chart-fallback chart-missing">{_e(chart.alt)}</p>'
    else:
        # Without script the chart's own table of figures (below it) stands in for it.
        where = "in the table below and " if chart.table is not None else ""
        fallback = (
            '<p class="chart-fallback chart-missing" data-chart-fallback>This chart needs '
            f"JavaScript to show; its figures are {where}in {stem}.vl.json beside this page.</p>"
        )
    if for_print:
        # A printed page runs no script: the chart is its SVG, its values the open table.
        return (
            f'<figure class="chart chart-{_e(chart.kind)}" id="chart-{stem}">'
            f"<figcaption>{_e(chart.title)}</figcaption>{fallback}{table}</figure>"
        )
    return (
        f'<figure class="chart chart-{_e(chart.kind)}" data-chart="{stem}" '
        f'id="chart-{stem}">'
        f"<figcaption>{_e(chart.title)}</figcaption>"
        f'<div class="chart-view" data-chart-view role="img" aria-label="{_e(chart.alt)}"></div>'
        f"{fallback}"
        f'<script type="application/json" data-report-spec="{stem}">{spec_json(chart.spec)}'
        f"</script>{table}</figure>"
    )


def chart_figure(chart: ChartRef) -> str:
    """Return one chart's figure as a page shows it (the overview's funnel plots, say)."""
    return _chart(chart)


def _commentary(title: str, text: str | None, *, level: int, always: bool) -> str:
    if text is None or not text.strip():
        if not always:
            return ""
        body = f'<p class="none">{_e(wording.NO_COMMENTARY)}</p>'
    else:
        body = commentary_html(text, heading_offset=level)
    heading = f"<h{level}>{_e(title)}</h{level}>"
    return f'<section class="commentary">{heading}{body}</section>'


def _provenance(measure: MeasureSection) -> str:
    p = measure.provenance
    items = [
        f"<li>Definition: <code>{_e(p.definition)}</code></li>",
        f"<li>Dataset: <code>{_e(p.dataset)}</code></li>",
    ]
    if p.rows is not None:
        items.append(f"<li>Source rows behind the latest figure: {p.rows:,}</li>")
    if p.edition:
        items.append(f"<li>Edition of the latest figure: {_e(p.edition)}</li>")
    items.extend(
        f"<li>Source file: <code>{_e(s.name)}</code>, SHA-256 <code>{_e(s.sha256)}</code></li>"
        for s in p.sources
    )
    return (
        '<footer class="provenance"><strong>Where the figures come from</strong>'
        f"<ul>{''.join(items)}</ul></footer>"
    )


def _measure(measure: MeasureSection, statement: Statement, for_print: bool = False) -> str:
    tags = f'<span class="tag">{_e(wording.kind_label(measure))}</span>'
    if measure.synthetic:
        tags += '<span class="tag tag-synthetic">Synthetic data</span>'
    parts = [
        f'<article class="measure" id="measure-{_e(measure.id)}" '
        f'aria-labelledby="measure-{_e(measure.id)}-title">',
        f'<h3 id="measure-{_e(measure.id)}-title">{_e(measure.title)}{tags}</h3>',
    ]
    sentence = wording.national_sentence(measure)
    if sentence:
        parts.append(f'<p class="national">{_e(sentence)}</p>')
    if measure.headline is not None:
        parts.append(_headline(measure.headline))
        if measure.comparison_notes:
            items = "".join(f"<li>{_e(n)}</li>" for n in measure.comparison_notes)
            parts.append(
                '<aside class="comparison-notes" aria-label="About these comparisons">'
                f"<strong>About these comparisons</strong><ul>{items}</ul></aside>"
            )
    else:
        parts.append('<p class="no-data">No figure is available for this measure.</p>')
    parts.extend(_chart(c, for_print) for c in measure.charts)
    if measure.caveats:
        items = "".join(f"<li>{_e(c)}</li>" for c in measure.caveats)
        parts.append(f'<section class="caveats"><h4>Caveats</h4><ul>{items}</ul></section>')
    parts.append(
        _commentary(wording.FORCE_COMMENTARY, measure.force_commentary, level=4, always=True)
    )
    office = wording.office_commentary(statement)
    parts.append(_commentary(office, measure.pcc_commentary, level=4, always=True))
    parts.append(_provenance(measure))
    parts.append("</article>")
    return "".join(parts)


def _priority(priority: PrioritySection, statement: Statement, for_print: bool = False) -> str:
    anchor = f"priority-{priority.order}"
    parts = [
        f'<section class="priority" id="{anchor}" aria-labelledby="{anchor}-title">',
        f'<h2 id="{anchor}-title">{priority.order}. {_e(priority.title)}</h2>',
    ]
    if priority.not_applicable:
        parts.append(f'<p class="not-applicable">{_e(priority.not_applicable)}</p>')
    elif not priority.measures:
        parts.append('<p class="not-applicable">No measure is reported for this priority.</p>')
    parts.extend(_measure(m, statement, for_print) for m in priority.measures)
    # On the priority as a whole, after its measures, as published statements place it.
    parts.append(
        _commentary(wording.FORCE_COMMENTARY, priority.force_commentary, level=3, always=False)
    )
    parts.append(
        _commentary(
            wording.office_commentary(statement), priority.pcc_commentary, level=3, always=False
        )
    )
    parts.append("</section>")
    return "".join(parts)


def _introduction(text: str | None) -> str:
    if text is None or not text.strip():
        return ""
    body = commentary_html(text, heading_offset=_INTRO_OFFSET)
    return (
        '<section class="introduction" aria-labelledby="introduction-title">'
        f'<h2 id="introduction-title">Introduction</h2>{body}</section>'
    )


def render_html(statement: Statement, *, for_print: bool = False) -> str:
    """Return the statement as a complete HTML page that loads nothing from elsewhere.

    Charts are drawn in the browser by the inlined Vega bundle from each chart's embedded
    spec; a chart's SVG, when given, shows instead wherever scripts cannot run. With
    ``for_print`` the page is the one printed to PDF: no script at all, each chart its SVG
    and its table of values open, and every page carrying its number and the notices.
    """
    bundle = "" if for_print else assets.vega_bundle()
    scripts = [] if for_print else [assets.PAGE_SCRIPT, bundle]
    policy = assets.content_security_policy(scripts)
    title = f"{statement.force}: {statement.title}, {statement.period.label}"
    generator = (
        f"police-measures {statement.framework_version}; Vega-Lite {assets.vega_lite_version()}"
    )
    main = "".join(
        [
            _notices(statement.notices),
            _introduction(statement.introduction),
            _summary(statement),
            _completeness(statement.completeness),
            *(_priority(p, statement, for_print) for p in statement.priorities),
        ]
    )
    foot = (
        f'<footer class="page-foot"><p>Generated on '
        f"{_e(statement.generated_on.isoformat())} by police-measures version "
        f"{_e(statement.framework_version)}. Each chart's spec is embedded in this page and "
        "written beside it as a .vl.json file.</p></footer>"
    )
    # The page rules go in the interactive page too: printing it from a browser gives the same.
    head_scripts = f"<style>{print_pages.page_rules(statement)}</style>\n"
    tail_scripts = ""
    if not for_print:
        head_scripts += f'<script data-report-script="page">{assets.PAGE_SCRIPT}</script>\n'
        tail_scripts = f'<script data-report-script="vega-bundle">{bundle}</script>\n'
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_e(policy)}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="{_e(generator)}">\n'
        f"<title>{_e(title)}</title>\n"
        f"<style>{assets.stylesheet()}</style>\n"
        f"{head_scripts}"
        "</head>\n"
        '<body data-render-status="static">\n'
        '<a class="skip" href="#main">Skip to the statement</a>\n'
        f'<div class="page">{_masthead(statement)}\n'
        f'<main id="main">{main}</main>\n{foot}</div>\n'
        f"{tail_scripts}"
        "</body>\n</html>\n"
    )
