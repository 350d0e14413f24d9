"""The categories chart: stacked bars per period (OCG disruptions by category per quarter)."""

from __future__ import annotations

import itertools

import pandas as pd

from renderers.vegalite import vl
from renderers.vegalite.inputs import CategoriesInputs
from renderers.vegalite.layers import chart_title, finish, inline, number_tooltip
from renderers.vegalite.records import (
    Record,
    day_label,
    fill_gaps,
    month_index,
    parse_dates,
    quarter_label,
    records,
)
from renderers.vegalite.theme import DEFAULT_THEME, Theme
from renderers.vegalite.vl import Spec


def period_label(day: pd.Timestamp, step_months: int) -> str:
    """Return the label of the period ending ``day``: its months for quarters, else the month."""
    if step_months == 3:
        return quarter_label(day)
    if step_months == 1:
        return day.strftime("%b %Y")
    return day_label(day)


def category_order(inputs: CategoriesInputs) -> list[str]:
    """Return the categories in stacking order: those given first, then the rest as they appear."""
    seen = [str(c) for c in inputs.data["category"].dropna()]
    return list(dict.fromkeys([*inputs.categories, *seen]))


def periods(dates: pd.Series) -> tuple[list[pd.Timestamp], int]:
    """Return every period from the first date to the last, gaps included, and the month step."""
    unique = pd.DataFrame({"period_end": sorted(set(dates))})
    filled = list(fill_gaps(unique)["period_end"])
    months = [month_index(d) for d in filled]
    steps = [b - a for a, b in itertools.pairwise(months)]
    return filled, (min(steps) if steps else 3)


def category_rows(inputs: CategoriesInputs, order: list[str], step: int) -> list[Record]:
    """Return one row per period and category: label, value, the period's total and stack order."""
    frame = inputs.data.copy()
    frame["period_end"] = parse_dates(frame["period_end"])
    frame = frame.dropna(subset=["category"])
    frame["category"] = frame["category"].astype(str)
    totals = frame.groupby("period_end")["value"].sum(min_count=1)
    frame = frame.assign(
        period=[period_label(d, step) for d in frame["period_end"]],
        total=frame["period_end"].map(totals),
        order=[order.index(c) for c in frame["category"]],
    )
    frame = frame.sort_values(["period_end", "order"], kind="stable")
    return records(frame, ["period_end", "period", "category", "value", "total", "order"])


def categories_chart(inputs: CategoriesInputs, theme: Theme = DEFAULT_THEME) -> Spec:
    """Return the spec of stacked bars of each period's value split by category."""
    context = inputs.context
    unit = context.unit
    decimals = context.decimals
    order = category_order(inputs)
    all_periods, step = periods(parse_dates(inputs.data["period_end"]))
    labels = [period_label(d, step) for d in all_periods]
    # The labels name the whole span ("Jan–Mar 2023"), so "Period ending" would misread them.
    x_title = "Quarter" if step == 3 else "Period"
    rows = category_rows(inputs, order, step)
    palette = list(theme.palette)
    encoding = {
        "color": vl.field(
            "category:N",
            legend={"columns": 3, "orient": "bottom"},
            scale={
                "domain": order,
                "range": [palette[i % len(palette)] for i in range(len(order))],
            },
            title="Category",
        ),
        "order": vl.field("order:Q"),
        "tooltip": [
            vl.tooltip("period:N", x_title),
            vl.tooltip("category:N", "Category"),
            number_tooltip("value", "Value", unit, decimals),
            number_tooltip("total", "Period total", unit, decimals),
        ],
        # The domain lists every period, so a period without data shows as an empty slot.
        "x": vl.field(
            "period:O",
            axis={"labelAngle": 0 if len(labels) <= 8 else -45},
            scale={"domain": labels},
            title=x_title,
        ),
        "y": vl.field("value:Q", stack="zero", title=unit[:1].upper() + unit[1:]),
    }
    chart = vl.unit(
        inline(rows),
        vl.mark("bar"),
        encoding,
        height=theme.height,
        title=chart_title(context),
        width=theme.width,
    )
    return finish(chart, theme)
