"""The proportion chart: a rolling percentage against its baseline, sample sizes in the tooltip."""

from __future__ import annotations

import altair as alt
import pandas as pd

from renderers.vegalite.inputs import ProportionInputs
from renderers.vegalite.layers import (
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
from renderers.vegalite.records import Record, day_label, fill_gaps, records, span_months
from renderers.vegalite.theme import DEFAULT_THEME, Theme


def proportion_rows(inputs: ProportionInputs) -> list[Record]:
    """Return one row per period with its percentage, numerator and denominator."""
    series = fill_gaps(inputs.series)
    frame = pd.DataFrame(
        {
            "period_end": series["period_end"],
            "period": [day_label(d) for d in series["period_end"]],
            "value": series["value"],
            "numerator": series["numerator"],
            "denominator": series["denominator"],
        }
    )
    return records(frame, ["period_end", "period", "value", "numerator", "denominator"])


def proportion_chart(inputs: ProportionInputs, theme: Theme = DEFAULT_THEME) -> alt.LayerChart:
    """Return the proportion chart of ``inputs`` as a layered altair chart."""
    context = inputs.context
    unit = context.unit
    decimals = context.decimals
    rows = proportion_rows(inputs)
    x = x_date(span_months(pd.Timestamp(r["period_end"]) for r in rows))
    y = y_value(unit[:1].upper() + unit[1:], zero=False)
    layers = reference_layers(
        baseline_reference(context.baseline_label, context.baseline_value, theme),
        y=y,
        unit=unit,
        decimals=decimals,
        theme=theme,
    )
    data = inline(rows)
    tooltip = [
        period_tooltip(),
        number_tooltip("value", "Percentage", unit, decimals),
        alt.Tooltip("numerator:Q", title="Numerator", format=",.0f"),
        alt.Tooltip("denominator:Q", title="Sample size (denominator)", format=",.0f"),
    ]
    # Breaking the path at nulls draws a period without a figure as a gap.
    layers.append(
        alt.Chart(data)
        .mark_line(color=theme.force_colour, strokeWidth=2, invalid="break-paths-show-domains")
        .encode(x=x, y=y, tooltip=tooltip)
    )
    layers.append(
        alt.Chart(data)
        .mark_point(filled=True, size=40, opacity=1, color=theme.force_colour)
        .encode(x=x, y=y, tooltip=tooltip)
    )
    chart = alt.LayerChart(layer=layers).properties(
        title=chart_title(context, extra=baseline_note(context)),
        width=theme.width,
        height=theme.height,
    )
    return finish(chart, theme)
