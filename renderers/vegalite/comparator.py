"""The comparator chart: the force ranked within its most similar group, and beside wider areas."""

from __future__ import annotations

import math

import pandas as pd

from renderers.vegalite import fit, vl
from renderers.vegalite.inputs import ComparatorInputs, Improvement
from renderers.vegalite.layers import (
    ILLUSTRATIVE_MSG_LABEL,
    chart_title,
    finish,
    format_number,
    inline,
    number_format,
    number_tooltip,
)
from renderers.vegalite.records import Record, finite, records
from renderers.vegalite.theme import DEFAULT_THEME, Theme
from renderers.vegalite.vl import Spec

FORCE_ROLE = "This force"
OTHER_ROLE = "Other areas"
MSG_AVERAGE_LABEL = "Most similar group average"
BENCHMARK_TITLE = "Against its region and England and Wales"

RANK_TITLES: dict[Improvement, str] = {
    "lower_is_better": "Rank (1 = lowest, best)",
    "higher_is_better": "Rank (1 = highest, best)",
    "neutral": "Rank (1 = highest)",
}


def _sort_key(rate: object, ascending: bool) -> tuple[int, float]:
    """Return the sort key of a rate: missing rates last, the rest in the chosen direction."""
    values = finite([rate])
    if not values:
        return (1, 0.0)
    return (0, values[0] if ascending else -values[0])


def ranked_rows(frame: pd.DataFrame, improvement: Improvement) -> list[Record]:
    """Return the areas ranked best first (highest first when neither way is better).

    Rows carry ``area``, ``rate``, ``is_force``, ``role`` and ``rank`` (1-based; ``None`` for
    a missing rate). Ties keep the frame's order.
    """
    ascending = improvement == "lower_is_better"
    rows = records(
        frame.assign(
            area=frame["area"].astype(str),
            is_force=frame["is_force"].astype(bool),
        ),
        ["area", "rate", "is_force"],
    )
    rows.sort(key=lambda r: _sort_key(r["rate"], ascending))
    rank = 0
    for row in rows:
        row["role"] = FORCE_ROLE if row["is_force"] else OTHER_ROLE
        if row["rate"] is None:
            row["rank"] = None
        else:
            rank += 1
            row["rank"] = rank
    return rows


def bars(
    rows: list[Record],
    *,
    unit: str,
    decimals: int,
    tooltip_rank: str | None,
    theme: Theme,
) -> list[Spec]:
    """Return horizontal bars of ``rate`` by ``area`` in the rows' order, the force highlighted."""
    data = inline(rows)
    order = list(dict.fromkeys(r["area"] for r in rows))
    y = vl.field("area:N", sort=order, title=None)
    x = vl.field("rate:Q", scale={"zero": True}, title=unit[:1].upper() + unit[1:])
    tooltip = [
        vl.tooltip("area:N", "Area"),
        number_tooltip("rate", "Rate", unit, decimals),
    ]
    if tooltip_rank:
        tooltip.append(vl.tooltip("rank:Q", tooltip_rank, format="d"))
    colour = vl.field(
        "role:N",
        legend=None,
        scale={
            "domain": [FORCE_ROLE, OTHER_ROLE],
            "range": [theme.force_colour, theme.other_colour],
        },
        title=None,
    )
    bar = vl.unit(data, vl.mark("bar"), {"color": colour, "tooltip": tooltip, "x": x, "y": y})
    label = vl.unit(
        data,
        vl.mark("text", align="left", baseline="middle", dx=3),
        {
            "text": vl.field("rate:Q", format=number_format(decimals)),
            "tooltip": tooltip,
            "x": x,
            "y": y,
        },
    )
    return [bar, label]


def average_layers(average: float, *, unit: str, decimals: int, theme: Theme) -> list[Spec]:
    """Return the vertical rule of the group average and its label above the plot."""
    rows = [
        {
            "label": MSG_AVERAGE_LABEL,
            "rate": average,
            "text": f"Average: {format_number(average, decimals)}",
        }
    ]
    data = inline(rows)
    tooltip = [
        vl.tooltip("label:N", "Line"),
        number_tooltip("rate", "Rate", unit, decimals),
    ]
    x = vl.field("rate:Q")
    rule = vl.unit(
        data,
        vl.mark("rule", color=theme.average_colour, strokeDash=[6, 3], strokeWidth=1.5),
        {"tooltip": tooltip, "x": x},
    )
    text = vl.unit(
        data,
        vl.mark("text", align="left", baseline="bottom", color=theme.average_colour, dx=3, dy=-2),
        {"text": vl.field("text:N"), "tooltip": tooltip, "x": x, "y": vl.value(0)},
    )
    return [rule, text]


def panel_heading(text: str, theme: Theme) -> Spec:
    """Return the heading of one panel, smaller than the chart's title."""
    return vl.title(text, anchor="start", fontSize=theme.subtitle_size + 1)


def msg_average(inputs: ComparatorInputs) -> float | None:
    """Return the average to draw: the one given, else the mean of the group's finite rates."""
    if inputs.msg_average_missing:
        return None  # an average of fewer members than the group has would be invented
    if inputs.msg_average is not None:
        return inputs.msg_average
    return fit.mean(finite(inputs.msg["rate"]))


def comparator_chart(inputs: ComparatorInputs, theme: Theme = DEFAULT_THEME) -> Spec:
    """Return the comparator chart's spec: ranked group bars and average, then wider areas."""
    context = inputs.context
    unit = context.rate_title
    decimals = context.rate_decimals
    rows = ranked_rows(inputs.msg, context.improvement)
    panel_title = "Most similar group"
    if context.illustrative_msg:
        panel_title = ILLUSTRATIVE_MSG_LABEL
    layers = bars(
        rows,
        unit=unit,
        decimals=decimals,
        tooltip_rank=RANK_TITLES[context.improvement],
        theme=theme,
    )
    average = msg_average(inputs)
    if average is not None and math.isfinite(average):
        layers += average_layers(average, unit=unit, decimals=decimals, theme=theme)
    panels: list[Spec] = [
        vl.layer(
            layers,
            height=max(len(rows), 1) * theme.bar_height,
            title=panel_heading(panel_title, theme),
            width=theme.width,
        )
    ]
    if inputs.benchmarks is not None:
        # Benchmarks keep their given order: force, region, nation reads as a widening circle.
        benchmark = records(
            inputs.benchmarks.assign(
                area=inputs.benchmarks["area"].astype(str),
                is_force=inputs.benchmarks["is_force"].astype(bool),
            ),
            ["area", "rate", "is_force"],
        )
        for row in benchmark:
            row["role"] = FORCE_ROLE if row["is_force"] else OTHER_ROLE
        panels.append(
            vl.layer(
                bars(benchmark, unit=unit, decimals=decimals, tooltip_rank=None, theme=theme),
                height=max(len(benchmark), 1) * theme.bar_height,
                title=panel_heading(BENCHMARK_TITLE, theme),
                width=theme.width,
            )
        )
    chart = {
        "vconcat": panels,
        "resolve": {"scale": {"x": "shared"}},
        "spacing": 24,
        "title": chart_title(context, shows_msg=True),
    }
    return finish(chart, theme)
