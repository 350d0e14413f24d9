"""Tell each chart in words and as a table, from the same values the chart draws.

Alternative text says what a sighted reader takes from the chart (the latest figure, the
baseline, the comparators, the span and direction of the series); the table lists every value
drawn, for screen-reader users and for analysts who want to copy them. Both are computed from
the chart's inputs through the chart modules' own row builders, so they cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from framework.stats.funnel import funnel_limits
from renderers.report.statement import ChartTable
from renderers.report.wording import unit_for
from renderers.vegalite import fit
from renderers.vegalite.categories import category_order, category_rows, periods
from renderers.vegalite.comparator import msg_average, ranked_rows
from renderers.vegalite.funnel import MSG_NOTE, RANK_NOTE, funnel_lines
from renderers.vegalite.inputs import (
    CategoriesInputs,
    ChartContext,
    ComparatorInputs,
    FunnelInputs,
    ProportionInputs,
    SpcInputs,
    TrendInputs,
)
from renderers.vegalite.proportion import proportion_rows
from renderers.vegalite.records import Record, finite, iso, parse_dates
from renderers.vegalite.spc import filled_points
from renderers.vegalite.trend import force_points, series_rows, trend_rows

NO_FIGURE = "no figure"
PERIOD_COLUMN = "Period"

Windows = Mapping[str, str]
"""The window of each period as the statement names it, by ISO end date:
``{"2023-06-30": "12 months to June 2023"}``."""


def _number(value: Any, decimals: int) -> str:
    numbers = finite([value])
    return f"{numbers[0]:,.{decimals}f}" if numbers else NO_FIGURE


def _amount(value: Any, decimals: int, unit: str) -> str:
    text = _number(value, decimals)
    if text == NO_FIGURE:
        return text
    if unit in ("%", "per cent"):
        return f"{text}%"
    return f"{text} {unit_for(text, unit)}"


def _period(period_end: Any, windows: Windows, fallback: str = "") -> str:
    key = iso(pd.Timestamp(period_end))
    return windows.get(key) or fallback or key


def _in_the(window: str) -> str:
    """Return ``in the 12 months to June 2023`` or ``in the period ending 30 Jun 2023``."""
    if (window[:1].isdigit() and " to " in window) or window.startswith("quarter"):
        return f"in the {window}"
    return f"in the period ending {window}"


def _baseline(context: ChartContext, value: float | None, decimals: int, unit: str) -> str:
    if value is None:
        return ""
    label = f" ({context.baseline_label})" if context.baseline_label else ""
    return f", against {_amount(value, decimals, unit)} in the baseline{label}"


def _span(labels: Sequence[str], values: Iterable[Any], decimals: int) -> str:
    drawn = finite(values)
    if not labels:
        return ""
    text = f"The chart draws {len(labels)} periods, from {labels[0]} to {labels[-1]}"
    if drawn:
        text += f", between {_number(min(drawn), decimals)} and {_number(max(drawn), decimals)}"
    return text


def _trim(rows: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Drop the rows before the first and after the last value: the chart draws nothing there.

    Empty rows between values stay: they are the gaps the chart draws.
    """
    filled = [i for i, row in enumerate(rows) if any(c != NO_FIGURE for c in row[1:])]
    return rows[filled[0] : filled[-1] + 1] if filled else []


def _sentence(*parts: str) -> str:
    return " ".join(p.rstrip(". ") + "." for p in parts if p)


def trend_text(inputs: TrendInputs, windows: Windows) -> tuple[str, ChartTable]:
    """Return the trend chart's alternative text and the table of the values it draws."""
    context = inputs.context
    rates = inputs.in_rates
    decimals = context.rate_decimals if rates else context.decimals
    rows = series_rows(inputs)
    dates, values = force_points(rows, context.area)
    trend = trend_rows(dates, values)
    fitted = {r["period_end"]: r["value"] for r in trend}
    slope = next((r["slope"] for r in trend), None)
    names = list(dict.fromkeys([context.area, *(str(r["series"]) for r in rows)]))
    by_period: dict[str, dict[str, Record]] = {}
    for row in rows:
        by_period.setdefault(str(row["period_end"]), {})[str(row["series"])] = row
    ends = sorted(by_period)
    unit = context.unit
    columns = [PERIOD_COLUMN, f"{context.area} ({unit})"]
    if rates:
        columns.append(f"{context.area} (per 100,000)")
        columns += [f"{name} (per 100,000)" for name in names[1:]]
    columns.append(f"{context.area} trend")
    table_rows = []
    for end in ends:
        own = by_period[end].get(context.area, {})
        cells = [_period(end, windows, str(own.get("period", ""))), _number(own.get("count"), 0)]
        if not rates:
            cells[1] = _number(own.get("value"), context.decimals)
        else:
            cells[1] = _number(own.get("count"), context.decimals)
            cells.append(_number(own.get("value"), decimals))
            cells += [_number(by_period[end].get(n, {}).get("value"), decimals) for n in names[1:]]
        cells.append(_number(fitted.get(end), decimals))
        table_rows.append(tuple(cells))
    table_rows = _trim(table_rows)
    baseline = inputs.baseline_rate if rates else context.baseline_value
    average = fit.mean(values) if inputs.show_average else None
    notes = []
    per = " per 100,000" if rates else ""
    if baseline is not None:
        label = f" ({context.baseline_label})" if context.baseline_label else ""
        notes.append(f"Baseline{label}: {_number(baseline, decimals)}{per}")
    if average is not None:
        notes.append(f"{context.area} average: {_number(average, decimals)}{per}")
    # The words: the latest figure of the force, its baseline, then the comparators.
    latest_end = next(
        (e for e in reversed(ends) if finite([by_period[e].get(context.area, {}).get("value")])),
        None,
    )
    lead = f"{context.title} in {context.area}"
    parts: list[str] = []
    if latest_end is None:
        parts.append(f"{lead}: no figure to draw")
    else:
        own = by_period[latest_end][context.area]
        window = _period(latest_end, windows, str(own.get("period", "")))
        count = own.get("count") if rates else own.get("value")
        head = f"{lead}: {_amount(count, context.decimals, unit)} {_in_the(window)}"
        head += _baseline(
            context,
            context.baseline_value,
            context.decimals if float(context.baseline_value or 0).is_integer() else 2,
            unit,
        )
        if rates:
            head += f"; {_number(own.get('value'), decimals)} per 100,000 residents"
            others = [
                f"{n} {_number(by_period[latest_end][n].get('value'), decimals)} per 100,000"
                for n in names[1:]
                if n in by_period[latest_end]
            ]
            if others:
                head += "; " + ", ".join(others)
        parts.append(head)
    labels = [_period(e, windows) for e in ends]
    span = _span(labels, [r["value"] for r in rows if r["series"] == context.area], decimals)
    if rates and span:
        span += " per 100,000"
    if average is not None:
        span += f"; {context.area} average {_number(average, decimals)}"
    if slope is not None:
        way = "rises" if slope > 0 else "falls" if slope < 0 else "stays level"
        span += f"; {context.area} trend {way}"
        if slope:
            span += f" by {_number(abs(slope), decimals + 1)} a year"
    parts.append(span)
    caption = f"Values drawn in the chart: {context.title}, {context.area}"
    return _sentence(*parts), ChartTable(caption, tuple(columns), tuple(table_rows), tuple(notes))


_VARIATION_WORDS = {
    "Special cause: improvement": "special-cause improvement",
    "Special cause: concern": "special-cause concern",
    "Special cause: neither": "special-cause variation",
    "Common cause": "common-cause variation",
}


def spc_text(inputs: SpcInputs, windows: Windows) -> tuple[str, ChartTable]:
    """Return the SPC chart's alternative text and the table of the values it draws."""
    context = inputs.context
    decimals = context.decimals
    points, rows = filled_points(inputs)
    columns = (
        "Period ending",
        f"Value ({context.unit})",
        "Mean",
        "Lower process limit",
        "Upper process limit",
        "Variation",
        "Rule",
    )
    table_rows = []
    for index, row in enumerate(rows):
        line = points.iloc[index]
        table_rows.append(
            (
                str(row["period"]),
                _number(row["value"], decimals),
                _number(line["mean"], decimals + 1),
                _number(line["lower_limit"], decimals + 1),
                _number(line["upper_limit"], decimals + 1),
                str(row["variation"] or NO_FIGURE),
                str(row["rule"] or ""),
            )
        )
    special = sum(1 for r in rows if r["variation"] and r["variation"] != "Common cause")
    lead = f"{context.title} in {context.area}, each period on its own (XmR chart)"
    if not rows:
        return _sentence(f"{lead}: no point to draw"), ChartTable(
            f"Values drawn in the chart: {context.title}", columns, ()
        )
    last, line = rows[-1], points.iloc[-1]
    # Each point is one period on its own, not the rolling window: no window names here.
    window = str(last["period"])
    variation = _VARIATION_WORDS.get(str(last["variation"]), "no reading")
    parts = [
        f"{lead}: {_amount(last['value'], decimals, context.unit)} {_in_the(window)}, "
        f"{variation}; mean {_number(line['mean'], decimals + 1)}, process limits "
        f"{_number(line['lower_limit'], decimals + 1)} to "
        f"{_number(line['upper_limit'], decimals + 1)}",
        _span([str(r["period"]) for r in rows], [], decimals)
        + f"; {special} of the {len(rows)} points show special-cause variation",
    ]
    caption = f"Values drawn in the chart: {context.title}, {context.area}, XmR chart"
    return _sentence(*parts), ChartTable(caption, columns, tuple(table_rows))


def comparator_text(inputs: ComparatorInputs, windows: Windows) -> tuple[str, ChartTable]:
    """Return the comparator chart's alternative text and the table of the values it draws."""
    context = inputs.context
    decimals = context.rate_decimals
    ranked = ranked_rows(inputs.msg, context.improvement)
    columns = ("Area", "Group", "Rank", "Rate per 100,000")
    table_rows = [
        (
            str(r["area"]),
            "Most similar group",
            str(r["rank"]) if r["rank"] is not None else NO_FIGURE,
            _number(r["rate"], decimals),
        )
        for r in ranked
    ]
    wider: list[Record] = []
    if inputs.benchmarks is not None:
        for record in inputs.benchmarks.to_dict(orient="records"):
            wider.append({str(k): v for k, v in record.items()})
    table_rows += [
        (str(r["area"]), "Wider areas", "–", _number(r["rate"], decimals)) for r in wider
    ]
    average = msg_average(inputs)
    notes = (
        (f"Most similar group average: {_number(average, decimals)}",)
        if average is not None
        else ()
    )
    own = next((r for r in ranked if r["is_force"]), None)
    when = f" ({context.subtitle})" if context.subtitle else ""
    head = f"{context.title}, rate per 100,000{when}"
    if own is not None and own["rank"] is not None:
        size = sum(1 for r in ranked if r["rank"] is not None)
        head += (
            f": {context.area} {_number(own['rate'], decimals)}, ranked {own['rank']} of "
            f"{size} in its most similar group, best first"
        )
    else:
        head += f": no rate for {context.area}"
    if average is not None:
        head += f"; group average {_number(average, decimals)}"
    others = [f"{r['area']} {_number(r['rate'], decimals)}" for r in wider if not r["is_force"]]
    if others:
        head += "; " + ", ".join(others)
    caption = f"Values drawn in the chart: {context.title}, {context.area} and comparators"
    return _sentence(head), ChartTable(caption, columns, tuple(table_rows), notes)


def categories_text(inputs: CategoriesInputs, windows: Windows) -> tuple[str, ChartTable]:
    """Return the categories chart's alternative text and the table of the values it draws."""
    context = inputs.context
    decimals = context.decimals
    order = category_order(inputs)
    every, step = periods(parse_dates(inputs.data["period_end"]))
    rows = category_rows(inputs, order, step)
    cells: dict[str, dict[str, Record]] = {}
    for row in rows:
        cells.setdefault(str(row["period_end"]), {})[str(row["category"])] = row
    columns = (PERIOD_COLUMN, *order, "Total")
    table_rows = []
    for day in every:
        key = iso(day)
        found = cells.get(key, {})
        total = next((r["total"] for r in found.values()), None)
        label = next((str(r["period"]) for r in found.values()), key)
        table_rows.append(
            (
                _period(key, windows, label),
                *(_number(found.get(c, {}).get("value"), decimals) for c in order),
                _number(total, decimals),
            )
        )
    lead = f"{context.title} in {context.area}, by category"
    if not table_rows:
        return _sentence(f"{lead}: nothing to draw"), ChartTable(lead, columns, ())
    last = table_rows[-1]
    split = ", ".join(f"{c} {v}" for c, v in zip(order, last[1:-1], strict=True))
    last_total = next(
        (r["total"] for r in reversed(rows) if iso(every[-1]) == r["period_end"]), None
    )
    parts = [
        f"{lead}: {_amount(last_total, decimals, context.unit)} {_in_the(last[0])} ({split})",
        _span([r[0] for r in table_rows], [r["total"] for r in rows], decimals)
        + " (period totals)",
    ]
    caption = f"Values drawn in the chart: {context.title}, {context.area}, by category"
    return _sentence(*parts), ChartTable(caption, columns, tuple(table_rows))


def proportion_text(inputs: ProportionInputs, windows: Windows) -> tuple[str, ChartTable]:
    """Return the proportion chart's alternative text and the table of the values it draws."""
    context = inputs.context
    decimals = context.decimals
    rows = proportion_rows(inputs)
    columns = (PERIOD_COLUMN, "Percentage", "Numerator", "Denominator (sample size)")
    table_rows = tuple(
        (
            _period(r["period_end"], windows, str(r["period"])),
            _number(r["value"], decimals),
            _number(r["numerator"], 0),
            _number(r["denominator"], 0),
        )
        for r in rows
    )
    lead = f"{context.title} in {context.area}"
    valued = [r for r in rows if finite([r["value"]])]
    if not valued:
        head = f"{lead}: no figure to draw"
    else:
        last = valued[-1]
        window = _period(last["period_end"], windows, str(last["period"]))
        head = (
            f"{lead}: {_number(last['value'], decimals)}% ({_number(last['numerator'], 0)} of "
            f"{_number(last['denominator'], 0)}) {_in_the(window)}"
        )
        head += _baseline(context, context.baseline_value, decimals, "%")
    span = _span([r[0] for r in table_rows], [r["value"] for r in rows], decimals)
    caption = f"Values drawn in the chart: {context.title}, {context.area}"
    return _sentence(head, span), ChartTable(caption, columns, table_rows)


def funnel_text(inputs: FunnelInputs, windows: Windows) -> tuple[str, ChartTable]:
    """Return the funnel plot's alternative text and the table of the values it draws."""
    context = inputs.context
    decimals = context.rate_decimals
    _, dispersion = funnel_lines(inputs, points=2)
    forces = inputs.forces.sort_values("population")
    columns = ("Force", "Group", "Population", "Count", "Rate per 100,000", "Within the 95% limits")
    table_rows = []
    own_words = ""
    for record in forces.to_dict(orient="records"):
        low, high = funnel_limits(inputs.target, [record["population"]], 0.95, dispersion)
        inside = bool(low[0] <= record["rate"] <= high[0])
        table_rows.append(
            (
                str(record["area"]),
                str(record["role"]),
                _number(record["population"], 0),
                _number(record["count"], 0),
                _number(record["rate"], decimals),
                "yes" if inside else ("above" if record["rate"] > high[0] else "below"),
            )
        )
        if record["role"] == "This force":
            where = "within" if inside else ("above" if record["rate"] > high[0] else "below")
            own_words = (
                f": {context.area} {_number(record['rate'], decimals)}, {where} the 95% limits"
            )
    head = (
        f"{context.title}, funnel plot of {len(forces)} forces' rates per 100,000 against "
        f"population around the England and Wales rate {_number(inputs.target, decimals)} "
        f"(dispersion {dispersion:.1f}){own_words}"
    )
    notes = [RANK_NOTE]
    if inputs.msg_average is not None:
        notes.append(f"Most similar group average: {_number(inputs.msg_average, decimals)}")
        notes.append(MSG_NOTE)
    caption = f"Values drawn in the chart: {context.title}, every force"
    return _sentence(head), ChartTable(caption, columns, tuple(table_rows), tuple(notes))


def _inline_values(
    spec: Mapping[str, Any], datasets: Mapping[str, Any] | None = None
) -> list[Record]:
    """Return the first inline data set of a spec, searching its layers and panels.

    Data altair gathers into the top-level ``datasets`` (``{"name": ...}`` in the view) count
    as inline: they travel in the spec.
    """
    if datasets is None:
        found = spec.get("datasets")
        datasets = found if isinstance(found, Mapping) else {}
    data = spec.get("data")
    if isinstance(data, Mapping) and isinstance(datasets.get(str(data.get("name"))), list):
        data = {"values": datasets[str(data["name"])]}
    if isinstance(data, Mapping) and isinstance(data.get("values"), list):
        return [dict(v) for v in data["values"] if isinstance(v, Mapping)]
    for key in ("layer", "vconcat", "hconcat", "concat"):
        for part in spec.get(key, []) or []:
            if isinstance(part, Mapping):
                found_rows = _inline_values(part, datasets)
                if found_rows:
                    return found_rows
    return []


def generic_text(title: str, spec: Mapping[str, Any]) -> tuple[str, ChartTable]:
    """Return words and a table for a chart kind without its own: the spec's inline values."""
    values = _inline_values(spec)
    columns = tuple(dict.fromkeys(k for v in values for k in v))
    rows = tuple(tuple("" if v.get(c) is None else str(v.get(c)) for c in columns) for v in values)
    text = f"{title}: a chart of {len(values)} values, listed in the table below."
    return text, ChartTable(f"Values drawn in the chart: {title}", columns, rows)


def windows_of(rows: pd.DataFrame) -> dict[str, str]:
    """Return each period's window name by its ISO end date, from a measure's result rows."""
    if "window" not in rows or "period_end" not in rows:
        return {}
    pairs = rows[["period_end", "window"]].dropna().drop_duplicates("period_end")
    return {
        iso(pd.Timestamp(e)): str(w)
        for e, w in zip(pairs["period_end"], pairs["window"], strict=True)
    }
