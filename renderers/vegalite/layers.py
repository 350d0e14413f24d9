"""Building blocks shared by the charts: titles, notices, axes, tooltips, reference rules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

import altair as alt

from renderers.vegalite.inputs import ChartContext, Improvement
from renderers.vegalite.records import Record
from renderers.vegalite.theme import Theme

SYNTHETIC_LABEL = "SYNTHETIC DATA — generated for the demo"
"""Notice carried by every chart drawn from synthetic data."""

ILLUSTRATIVE_MSG_LABEL = "Illustrative most similar group"
"""Notice carried by charts whose most similar group is illustrative, not the official one."""

DIRECTION_NOTES: dict[Improvement, str] = {
    "lower_is_better": "Lower is better",
    "higher_is_better": "Higher is better",
    "neutral": "Neither higher nor lower is better",
}

PERIOD_TITLE = "Period ending"

# Reference lines are black or grey and told apart by their dashes, never by colour alone.
BASELINE_DASH: tuple[float, ...] = (2, 3)
AVERAGE_DASH: tuple[float, ...] = (8, 4)
TREND_DASH: tuple[float, ...] = (12, 3, 2, 3)

ChartT = TypeVar("ChartT", alt.Chart, alt.LayerChart, alt.VConcatChart)


def inline(rows: Sequence[Record]) -> alt.InlineData:
    """Return rows as inline data, so specs carry their data and need no data transformer."""
    return alt.InlineData(values=list(rows))


def number_format(decimals: int) -> str:
    """Return the d3 format of a number with thousands separators and ``decimals`` places."""
    return f",.{decimals}f"


def format_number(value: float, decimals: int) -> str:
    """Return ``value`` formatted as the d3 format of :func:`number_format` would show it."""
    return f"{value:,.{decimals}f}"


def notices(context: ChartContext, *, shows_msg: bool = False) -> list[str]:
    """Return the notices a chart must carry: synthetic data, illustrative most similar group."""
    lines = []
    if context.synthetic:
        lines.append(SYNTHETIC_LABEL)
    if shows_msg and context.illustrative_msg:
        lines.append(ILLUSTRATIVE_MSG_LABEL)
    return lines


def chart_title(
    context: ChartContext, *, shows_msg: bool = False, extra: Sequence[str] = ()
) -> alt.TitleParams:
    """Return the title and subtitle lines: subtitle, data period, direction, then notices."""
    lines = [line for line in (context.subtitle, context.data_period, *extra) if line]
    lines.append(DIRECTION_NOTES[context.improvement])
    # Notices go first so that a cropped or thumbnail image still shows them.
    subtitle = [*notices(context, shows_msg=shows_msg), *lines]
    return alt.TitleParams(text=context.title, subtitle=subtitle)


TICK_STEPS = (1, 2, 3, 6, 12, 24, 60, 120)
"""Candidate month steps between date ticks, the smallest that keeps labels apart wins."""

MAX_TICKS = 8


def tick_step(span_months: int) -> int:
    """Return the months between date ticks so a span of ``span_months`` has few enough labels."""
    for step in TICK_STEPS:
        if span_months / step <= MAX_TICKS:
            return step
    return TICK_STEPS[-1]


def x_date(span_months: int, field: str = "period_end") -> alt.X:
    """Return the shared date x axis, a tick every few months, each period at its month's start.

    Plotting at the month (``utcyearmonth``) keeps a point under its own month's label; UTC
    keeps ISO dates from shifting with the viewer's time zone.
    """
    step = tick_step(span_months)
    return alt.X(
        f"utcyearmonth({field}):T",
        title=PERIOD_TITLE,
        scale=alt.Scale(type="utc"),
        axis=alt.Axis(
            format="%b %Y",
            labelAngle=0,
            tickCount=alt.TimeIntervalStep(interval="month", step=step),
        ),
    )


def y_value(
    title: str,
    *,
    zero: bool = True,
    field: str = "value",
    domain: tuple[float, float] | None = None,
) -> alt.Y:
    """Return the y encoding every layer of a chart shares, so Vega-Lite keeps one axis title.

    A fixed ``domain`` lets the chart place margin labels in pixels (see ``labels.py``).
    """
    if domain is not None:
        scale = alt.Scale(domain=list(domain), nice=False, zero=zero)
        return alt.Y(f"{field}:Q", title=title, scale=scale)
    return alt.Y(f"{field}:Q", title=title, scale=alt.Scale(zero=zero))


def number_tooltip(field: str, title: str, unit: str, decimals: int) -> alt.Tooltip:
    """Return a tooltip entry for a number, formatted, with the unit in its title."""
    return alt.Tooltip(f"{field}:Q", title=f"{title} ({unit})", format=number_format(decimals))


def period_tooltip() -> alt.Tooltip:
    """Return the tooltip entry of the period, from the preformatted ``period`` text."""
    return alt.Tooltip("period:N", title=PERIOD_TITLE)


@dataclass(frozen=True)
class Reference:
    """A horizontal reference line: the baseline, the average or a target."""

    name: str
    """Short name written beside the line: ``"Baseline"``."""
    label: str
    """Full name in the tooltip: ``"Baseline (12 months to June 2019)"``."""
    value: float
    colour: str
    dash: tuple[float, ...]
    placement: Literal["above", "below"] = "above"
    """Whether the label sits just above or just below the line, so close lines stay legible."""


def reference_layers(
    references: Sequence[Reference],
    *,
    y: alt.Y,
    unit: str,
    decimals: int,
    theme: Theme,
    label_pixels: Sequence[float] | None = None,
) -> list[alt.Chart]:
    """Return a rule across the plot for each reference, labelled in the right-hand margin.

    The label (name and value) sits outside the plot so it never covers the data; the
    chart's default ``pad`` autosize widens the image to fit it. ``label_pixels`` places each
    label at a y pixel (centred there) rather than at its line, to keep close labels apart.
    """
    layers: list[alt.Chart] = []
    for index, reference in enumerate(references):
        data = inline(
            [
                {
                    "label": reference.label,
                    "value": reference.value,
                    "text": f"{reference.name} {format_number(reference.value, decimals)}",
                }
            ]
        )
        tooltip = [
            alt.Tooltip("label:N", title="Line"),
            number_tooltip("value", "Value", unit, decimals),
        ]
        layers.append(
            alt.Chart(data)
            .mark_rule(color=reference.colour, strokeDash=list(reference.dash), strokeWidth=1.5)
            .encode(y=y, tooltip=tooltip)
        )
        above = reference.placement == "above"
        at = label_pixels[index] if label_pixels is not None else None
        layers.append(
            alt.Chart(data)
            .mark_text(
                align="left",
                baseline="middle" if at is not None else "bottom" if above else "top",
                dx=4,
                dy=0 if at is not None else -1 if above else 1,
                color=reference.colour,
                fontSize=theme.label_size,
            )
            .encode(
                y=alt.value(at) if at is not None else y,
                x=alt.value(theme.width),
                text=alt.Text("text:N"),
                tooltip=tooltip,
            )
        )
    return layers


def baseline_note(context: ChartContext) -> list[str]:
    """Return the subtitle line naming the baseline's span, if the context gives one."""
    return [f"Baseline: {context.baseline_label}"] if context.baseline_label else []


def baseline_reference(label: str | None, value: float | None, theme: Theme) -> list[Reference]:
    """Return the baseline reference line, or none when there is no baseline value."""
    if value is None:
        return []
    full = f"Baseline ({label})" if label else "Baseline"
    return [Reference("Baseline", full, value, theme.baseline_colour, BASELINE_DASH, "above")]


def finish(chart: ChartT, theme: Theme) -> ChartT:
    """Return ``chart`` with the theme applied as its own config (never as global state)."""
    configured: Any = chart.configure(**theme.config())
    result: ChartT = configured
    return result
