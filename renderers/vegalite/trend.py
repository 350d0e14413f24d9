"""The trend chart: a rolling series with its baseline, average and least-squares trend line."""

from __future__ import annotations

import pandas as pd

from renderers.vegalite import fit, vl
from renderers.vegalite.inputs import TrendInputs
from renderers.vegalite.labels import nice_domain, pixel, spread
from renderers.vegalite.layers import (
    AVERAGE_DASH,
    TREND_DASH,
    Reference,
    baseline_note,
    baseline_reference,
    chart_title,
    finish,
    inline,
    number_tooltip,
    period_tooltip,
    reference_layers,
    x_date,
    y_value,
)
from renderers.vegalite.records import (
    Record,
    column_values,
    day_label,
    fill_gaps,
    finite,
    iso,
    month_start,
    month_step,
    once_per_inputs,
    parse_dates,
    span_months,
)
from renderers.vegalite.theme import DEFAULT_THEME, Theme
from renderers.vegalite.vl import Spec

AVERAGE_LABEL = "average"
TREND_LABEL = "trend"
"""Written after the force's name: ``Warwickshire average``, ``Warwickshire trend``."""


@once_per_inputs
def series_rows(inputs: TrendInputs) -> list[Record]:
    """Return one row per period and series: the force first, then each comparator group.

    Rows carry ``period_end``, ``period`` (text), ``series``, ``value`` (what is plotted: the
    value, or the rate per 100,000 when comparators are shown) and, for the force, ``count``
    (the value in the measure's unit) and ``flags``.
    """
    context = inputs.context
    # One step for every series, so a sparse comparator still breaks where a month is missing.
    every_date = list(parse_dates(inputs.series["period_end"]))
    if inputs.comparators is not None:
        every_date += list(parse_dates(inputs.comparators["period_end"]))
    step = month_step(every_date)
    force = fill_gaps(inputs.series, step=step)
    plotted = "rate_per_100k" if inputs.in_rates else "value"
    flags = (
        column_values(force["flags"].fillna("").astype(str))
        if "flags" in force
        else [""] * len(force)
    )
    rows: list[Record] = [
        {
            "period_end": end,
            "period": day_label(day),
            "series": context.area,
            "value": value,
            "count": count,
            "flags": flag,
        }
        for day, end, value, count, flag in zip(
            force["period_end"],
            column_values(force["period_end"]),
            column_values(force[plotted]),
            column_values(force["value"]),
            flags,
            strict=True,
        )
    ]
    if inputs.comparators is not None and len(inputs.comparators):
        others = fill_gaps(inputs.comparators, by="group", step=step)
        rows += [
            {"period_end": end, "period": day_label(day), "series": group, "value": value}
            for day, end, group, value in zip(
                others["period_end"],
                column_values(others["period_end"]),
                column_values(others["group"].astype(str)),
                column_values(others["rate_per_100k"]),
                strict=True,
            )
        ]
    return rows


def force_points(rows: list[Record], area: str) -> tuple[list[pd.Timestamp], list[float]]:
    """Return the dates and finite plotted values of the force, the points the lines summarise."""
    dates: list[pd.Timestamp] = []
    values: list[float] = []
    for row in rows:
        if row["series"] == area and finite([row["value"]]):
            dates.append(pd.Timestamp(row["period_end"]))
            values.append(float(row["value"]))
    return dates, values


def trend_rows(dates: list[pd.Timestamp], values: list[float], area: str = "Force") -> list[Record]:
    """Return the fitted least-squares trend at each plotted date, with its slope per year.

    The fit runs on the dates as plotted (each month's first day), so the fitted points lie
    on one straight line on the chart.
    """
    fitted = fit.fit_trend([month_start(d) for d in dates], values)
    if fitted is None:
        return []
    return [
        {
            "period_end": iso(day),
            "period": day_label(day),
            "label": f"{area} {TREND_LABEL}",
            "value": value,
            "slope": fitted.slope_per_year,
        }
        for day, value in zip(dates, fitted.fitted, strict=True)
    ]


def trend_layers(
    fitted: list[Record],
    *,
    x: Spec,
    y: Spec,
    unit: str,
    decimals: int,
    theme: Theme,
    label_pixel: float | None = None,
) -> list[Spec]:
    """Return the dashed least-squares line and its label in the right-hand margin."""
    if not fitted:
        return []
    tooltip = [
        vl.tooltip("label:N", "Line"),
        period_tooltip(),
        number_tooltip("value", "Fitted value", unit, decimals),
        vl.tooltip("slope:Q", f"Change per year ({unit})", format=f"+,.{decimals + 1}f"),
    ]
    line = vl.unit(
        inline(fitted),
        vl.mark("line", color=theme.trend_colour, strokeDash=list(TREND_DASH), strokeWidth=1.5),
        {"tooltip": tooltip, "x": x, "y": y},
    )
    label = vl.unit(
        inline(fitted[-1:]),
        vl.mark("text", align="left", baseline="middle", color=theme.trend_colour, dx=4),
        {
            "text": vl.field("label:N"),
            "tooltip": tooltip,
            "x": vl.value(theme.width),
            "y": vl.value(label_pixel) if label_pixel is not None else y,
        },
    )
    return [line, label]


def series_layers(
    inputs: TrendInputs, rows: list[Record], *, x: Spec, y: Spec, theme: Theme
) -> list[Spec]:
    """Return the lines and points of the force and its comparators, one colour each."""
    context = inputs.context
    unit = context.rate_title if inputs.in_rates else context.unit
    decimals = context.rate_decimals if inputs.in_rates else context.decimals
    names = list(dict.fromkeys([context.area, *(r["series"] for r in rows)]))
    others = [c for c in theme.palette if c.lower() != theme.force_colour.lower()]
    colour = vl.field(
        "series:N",
        legend={"orient": "bottom"} if len(names) > 1 else None,
        scale={
            "domain": names,
            "range": [
                theme.force_colour,
                *(others[i % len(others)] for i in range(len(names) - 1)),
            ],
        },
        title=None,
    )
    tooltip = [period_tooltip(), vl.tooltip("series:N", "Area")]
    if inputs.in_rates:
        tooltip.append(number_tooltip("value", "Rate", unit, decimals))
        tooltip.append(number_tooltip("count", "Value", context.unit, context.decimals))
    else:
        tooltip.append(number_tooltip("value", "Value", unit, decimals))
    tooltip.append(vl.tooltip("flags:N", "Notes"))
    data = inline(rows)
    encoding = {"color": colour, "tooltip": tooltip, "x": x, "y": y}
    # Breaking paths at nulls is what draws a missing period as a gap rather than a bridge.
    line = vl.unit(
        data, vl.mark("line", invalid="break-paths-show-domains", strokeWidth=2), encoding
    )
    points = vl.unit(data, vl.mark("point", filled=True, opacity=1, size=40), encoding)
    return [line, points]


def trend_chart(inputs: TrendInputs, theme: Theme = DEFAULT_THEME) -> Spec:
    """Return the Vega-Lite spec of the trend chart of ``inputs``: a layered chart."""
    context = inputs.context
    unit = context.rate_title if inputs.in_rates else context.unit
    decimals = context.rate_decimals if inputs.in_rates else context.decimals
    rows = series_rows(inputs)
    dates, values = force_points(rows, context.area)
    x = x_date(span_months(pd.Timestamp(r["period_end"]) for r in rows))

    baseline = inputs.baseline_rate if inputs.in_rates else context.baseline_value
    references = baseline_reference(context.baseline_label, baseline, theme)
    average = fit.mean(values) if inputs.show_average else None
    if average is not None:
        name = f"{context.area} {AVERAGE_LABEL}"
        references.append(
            Reference(name, name, average, theme.average_colour, AVERAGE_DASH, "below")
        )
    fitted = trend_rows(dates, values, context.area) if inputs.show_trend else []
    # The scale is fixed here so the margin labels can be placed apart in pixels.
    drawn = finite([r["value"] for r in rows] + [r["value"] for r in fitted])
    domain = nice_domain([*drawn, *(r.value for r in references)])
    y = y_value(unit[:1].upper() + unit[1:], domain=domain)
    wanted = [pixel(r.value, domain, theme.height) for r in references]
    if fitted:
        wanted.append(pixel(float(fitted[-1]["value"]), domain, theme.height))
    half = theme.label_size / 2
    placed = spread(wanted, theme.label_size + 3, half, theme.height - half)
    layers = [
        *reference_layers(
            references,
            y=y,
            unit=unit,
            decimals=decimals,
            theme=theme,
            label_pixels=placed[: len(references)],
        ),
        *trend_layers(
            fitted,
            x=x,
            y=y,
            unit=unit,
            decimals=decimals,
            theme=theme,
            label_pixel=placed[-1] if fitted else None,
        ),
        *series_layers(inputs, rows, x=x, y=y, theme=theme),
    ]
    extra = baseline_note(context) if baseline is not None else []
    chart = vl.layer(
        layers,
        height=theme.height,
        title=chart_title(context, shows_msg=inputs.in_rates, extra=extra),
        width=theme.width,
    )
    return finish(chart, theme)
