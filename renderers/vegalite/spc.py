"""The SPC chart: an XmR chart of values, mean and limits, points coloured by variation class."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from renderers.vegalite import vl
from renderers.vegalite.inputs import VARIATIONS, SpcInputs
from renderers.vegalite.layers import (
    Reference,
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
    once_per_inputs,
    records,
    span_months,
)
from renderers.vegalite.theme import DEFAULT_THEME, Theme
from renderers.vegalite.vl import Spec

VARIATION_LABELS: dict[str, str] = {
    "improvement": "Special cause: improvement",
    "concern": "Special cause: concern",
    "neutral": "Special cause: neither",
    "common_cause": "Common cause",
}
"""Legend and tooltip names of the variation classes, in the legend's order."""

LIMIT_LINES: tuple[tuple[str, str, str], ...] = (
    ("mean", "Mean", "Mean"),
    ("upper_limit", "Upper process limit", "Process limit"),
    ("lower_limit", "Lower process limit", "Process limit"),
    ("near_upper", "Upper near limit", "Near limit"),
    ("near_lower", "Lower near limit", "Near limit"),
)
"""Each limit column with its line's name and its dash style."""

DASHES: dict[str, list[float]] = {
    "Mean": [1, 0],
    "Process limit": [6, 4],
    "Near limit": [2, 3],
}

HEADER_HEIGHT = 22


def icon_text(name: str) -> str:
    """Return an icon name as words: ``"improvement_low"`` becomes ``"improvement low"``."""
    words = name.replace("_", " ").replace("-", " ").strip()
    return words or "not assessed"


def _same(a: Any, b: Any) -> bool:
    """Return whether two limit values are equal, NaN equal to NaN."""
    a_blank = a is None or (isinstance(a, float) and math.isnan(a))
    b_blank = b is None or (isinstance(b, float) and math.isnan(b))
    return (a_blank and b_blank) or (not a_blank and not b_blank and a == b)


def segments(points: pd.DataFrame) -> list[int]:
    """Return, per row, the number of the stretch of constant limits that the row belongs to.

    A new stretch starts wherever the mean or a process limit changes (a recalculation), so
    each stretch is drawn as its own flat line rather than a slope joining two levels.
    """
    keys = ["mean", "upper_limit", "lower_limit"]
    out: list[int] = []
    previous: tuple[Any, ...] | None = None
    current = 0
    for row in points[keys].itertuples(index=False, name=None):
        blank = all(_same(v, None) for v in row)
        if blank:
            out.append(current)
            continue
        if previous is not None and not all(
            _same(a, b) for a, b in zip(row, previous, strict=True)
        ):
            current += 1
        previous = row
        out.append(current)
    return out


def point_rows(points: pd.DataFrame) -> list[Record]:
    """Return one row per period: ``period_end``, ``period``, ``value``, ``variation``, ``rule``."""
    frame = pd.DataFrame(
        {
            "period_end": points["period_end"],
            "period": [day_label(d) for d in points["period_end"]],
            "value": points["value"],
            "variation": [
                VARIATION_LABELS.get(str(v)) if isinstance(v, str) else None
                for v in points["variation"]
            ],
            "rule": points["rule"].fillna("").astype(str) if "rule" in points else "",
        }
    )
    return records(frame, ["period_end", "period", "value", "variation", "rule"])


@once_per_inputs
def filled_points(inputs: SpcInputs) -> tuple[pd.DataFrame, list[Record]]:
    """Return the points with a blank row for each missing period, and their rows as drawn."""
    points = fill_gaps(inputs.points)
    return points, point_rows(points)


def limit_rows(points: pd.DataFrame, *, near: bool) -> list[Record]:
    """Return the limit lines in long form: one row per period and line, with its stretch key."""
    stretch = segments(points)
    ends = column_values(points["period_end"])
    periods = [day_label(d) for d in points["period_end"]]
    rows: list[Record] = []
    for column, name, style in LIMIT_LINES:
        if style == "Near limit" and not near:
            continue
        if column not in points:
            continue
        part = [
            {
                "period_end": end,
                "period": period,
                "line": name,
                "style": style,
                "key": f"{column}-{s}",
                "value": value,
            }
            for end, period, s, value in zip(
                ends, periods, stretch, column_values(points[column]), strict=True
            )
        ]
        if any(r["value"] is not None for r in part):
            rows.extend(part)
    return rows


def header(inputs: SpcInputs, theme: Theme) -> Spec:
    """Return the strip above the plot naming the variation and assurance icons in words."""
    rows = [
        {
            "kind": "Variation",
            "icon": inputs.variation_icon,
            "text": f"Variation: {icon_text(inputs.variation_icon)}",
            "x": 0,
        },
        {
            "kind": "Assurance",
            "icon": inputs.assurance_icon,
            "text": f"Assurance: {icon_text(inputs.assurance_icon)}",
            "x": theme.width // 2,
        },
    ]
    return vl.unit(
        inline(rows),
        vl.mark(
            "text", align="left", baseline="middle", fontSize=theme.label_size + 1,
            fontWeight="bold",
        ),
        {
            "text": vl.field("text:N"),
            "tooltip": [vl.tooltip("kind:N", "Icon"), vl.tooltip("icon:N", "Name")],
            # scale=None places the labels at pixel offsets, not on a data scale.
            "x": vl.field("x:Q", axis=None, scale=None),
            "y": vl.value(HEADER_HEIGHT / 2),
        },
        height=HEADER_HEIGHT,
        view={"stroke": None},
        width=theme.width,
    )  # fmt: skip


def spc_chart(inputs: SpcInputs, theme: Theme = DEFAULT_THEME) -> Spec:
    """Return the spec of the XmR chart of ``inputs``: the icon strip above the layered plot."""
    context = inputs.context
    unit = context.unit
    decimals = context.decimals
    points, rows = filled_points(inputs)
    x = x_date(span_months(points["period_end"]))
    y = y_value(unit[:1].upper() + unit[1:], zero=False)

    layers: list[Spec] = []
    limits = limit_rows(points, near=inputs.show_near_limits)
    if limits:
        layers.append(
            vl.unit(
                inline(limits),
                vl.mark(
                    "line", color=theme.spc_limit_colour, invalid="break-paths-show-domains",
                    strokeWidth=1.2,
                ),
                {
                    "detail": vl.field("key:N"),
                    "strokeDash": vl.field(
                        "style:N",
                        legend={"orient": "bottom"},
                        scale={"domain": list(DASHES), "range": list(DASHES.values())},
                        title=None,
                    ),
                    "tooltip": [
                        vl.tooltip("line:N", "Line"),
                        period_tooltip(),
                        number_tooltip("value", "Value", unit, decimals),
                    ],
                    "x": x,
                    "y": y,
                },
            )
        )  # fmt: skip
    if inputs.target is not None:
        target = Reference("Target", "Target", inputs.target, theme.target_colour, (4, 2))
        layers += reference_layers([target], y=y, unit=unit, decimals=decimals, theme=theme)
    data = inline(rows)
    tooltip = [
        period_tooltip(),
        number_tooltip("value", "Value", unit, decimals),
        vl.tooltip("variation:N", "Variation"),
        vl.tooltip("rule:N", "Rule"),
    ]
    # A gap (null value) breaks the line, so a missing period is not bridged.
    layers.append(
        vl.unit(
            data,
            vl.mark(
                "line", color=theme.spc_line_colour, invalid="break-paths-show-domains",
                strokeWidth=1.5,
            ),
            {"tooltip": tooltip, "x": x, "y": y},
        )
    )  # fmt: skip
    colour = vl.field(
        "variation:N",
        legend={"orient": "bottom"},
        scale={
            "domain": [VARIATION_LABELS[v] for v in VARIATIONS],
            "range": [theme.spc.of(v) for v in VARIATIONS],
        },
        title="Variation",
    )
    layers.append(
        vl.unit(
            data,
            vl.mark("point", filled=True, opacity=1, size=55),
            {"color": colour, "tooltip": tooltip, "x": x, "y": y},
        )
    )
    plot = vl.layer(layers, height=theme.height, width=theme.width)
    chart = {
        "vconcat": [header(inputs, theme), plot],
        "spacing": 4,
        "title": chart_title(context, extra=("XmR chart: mean and process limits",)),
    }
    return finish(chart, theme)
