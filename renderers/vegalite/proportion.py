"""The proportion chart: a rolling percentage against its baseline, sample sizes in the tooltip."""

from __future__ import annotations

import pandas as pd

from renderers.vegalite import vl
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
from renderers.vegalite.records import (
    Record,
    day_label,
    fill_gaps,
    once_per_inputs,
    records,
    span_months,
)
from renderers.vegalite.theme import DEFAULT_THEME, Theme
from renderers.vegalite.vl import Spec


@once_per_inputs
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


def proportion_chart(inputs: ProportionInputs, theme: Theme = DEFAULT_THEME) -> Spec:
    """Return the spec of the proportion chart of ``inputs``: a layered chart."""
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
        vl.tooltip("numerator:Q", "Numerator", format=",.0f"),
        vl.tooltip("denominator:Q", "Sample size (denominator)", format=",.0f"),
    ]
    encoding = {"tooltip": tooltip, "x": x, "y": y}
    # Breaking the path at nulls draws a period without a figure as a gap.
    layers.append(
        vl.unit(
            data,
            vl.mark(
                "line", color=theme.force_colour, invalid="break-paths-show-domains",
                strokeWidth=2,
            ),
            encoding,
        )
    )  # fmt: skip
    layers.append(
        vl.unit(
            data,
            vl.mark("point", color=theme.force_colour, filled=True, opacity=1, size=40),
            encoding,
        )
    )
    chart = vl.layer(
        layers,
        height=theme.height,
        title=chart_title(context, extra=baseline_note(context)),
        width=theme.width,
    )
    return finish(chart, theme)
