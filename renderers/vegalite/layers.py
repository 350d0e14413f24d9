"""Building blocks shared by the charts: titles, notices, axes, tooltips, reference rules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from renderers.vegalite import vl
from renderers.vegalite.inputs import ChartContext, Improvement
from renderers.vegalite.records import Record
from renderers.vegalite.theme import Theme
from renderers.vegalite.vl import Spec

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


def inline(rows: Sequence[Record]) -> Spec:
    """Return rows as inline data, so specs carry their data and need no data transformer."""
    return vl.inline(rows)


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
) -> Spec:
    """Return the title and subtitle lines: subtitle, data period, direction, then notices."""
    lines = [line for line in (context.subtitle, context.data_period, *extra) if line]
    lines.append(DIRECTION_NOTES[context.improvement])
    # Notices go first so that a cropped or thumbnail image still shows them.
    subtitle = [*notices(context, shows_msg=shows_msg), *lines]
    return vl.title(context.title, subtitle=subtitle)


TICK_STEPS = (1, 2, 3, 6, 12, 24, 60, 120)
"""Candidate month steps between date ticks, the smallest that keeps labels apart wins."""

MAX_TICKS = 8


def tick_step(span_months: int) -> int:
    """Return the months between date ticks so a span of ``span_months`` has few enough labels."""
    for step in TICK_STEPS:
        if span_months / step <= MAX_TICKS:
            return step
    return TICK_STEPS[-1]


def x_date(span_months: int, field: str = "period_end") -> Spec:
    """Return the shared date x axis, a tick every few months, each period at its month's start.

    Plotting at the month (``utcyearmonth``) keeps a point under its own month's label; UTC
    keeps ISO dates from shifting with the viewer's time zone.
    """
    step = tick_step(span_months)
    return vl.field(
        f"utcyearmonth({field}):T",
        title=PERIOD_TITLE,
        scale={"type": "utc"},
        axis={"format": "%b %Y", "labelAngle": 0, "tickCount": {"interval": "month", "step": step}},
    )


def y_value(
    title: str,
    *,
    zero: bool = True,
    field: str = "value",
    domain: tuple[float, float] | None = None,
) -> Spec:
    """Return the y encoding every layer of a chart shares, so Vega-Lite keeps one axis title.

    A fixed ``domain`` lets the chart place margin labels in pixels (see ``labels.py``).
    """
    if domain is not None:
        scale = {"domain": list(domain), "nice": False, "zero": zero}
        return vl.field(f"{field}:Q", title=title, scale=scale)
    return vl.field(f"{field}:Q", title=title, scale={"zero": zero})


def number_tooltip(field: str, title: str, unit: str, decimals: int) -> Spec:
    """Return a tooltip entry for a number, formatted, with the unit in its title."""
    return vl.tooltip(f"{field}:Q", f"{title} ({unit})", format=number_format(decimals))


def period_tooltip() -> Spec:
    """Return the tooltip entry of the period, from the preformatted ``period`` text."""
    return vl.tooltip("period:N", PERIOD_TITLE)


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
    y: Spec,
    unit: str,
    decimals: int,
    theme: Theme,
    label_pixels: Sequence[float] | None = None,
) -> list[Spec]:
    """Return a rule across the plot for each reference, labelled in the right-hand margin.

    The label (name and value) sits outside the plot so it never covers the data; the
    chart's default ``pad`` autosize widens the image to fit it. ``label_pixels`` places each
    label at a y pixel (centred there) rather than at its line, to keep close labels apart.
    """
    layers: list[Spec] = []
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
            vl.tooltip("label:N", "Line"),
            number_tooltip("value", "Value", unit, decimals),
        ]
        layers.append(
            vl.unit(
                data,
                vl.mark(
                    "rule", color=reference.colour, strokeDash=list(reference.dash),
                    strokeWidth=1.5,
                ),
                {"tooltip": tooltip, "y": y},
            )
        )  # fmt: skip
        above = reference.placement == "above"
        at = label_pixels[index] if label_pixels is not None else None
        text = vl.mark(
            "text",
            align="left",
            baseline="middle" if at is not None else "bottom" if above else "top",
            color=reference.colour,
            dx=4,
            dy=0 if at is not None else -1 if above else 1,
            fontSize=theme.label_size,
        )
        encoding = {
            "text": vl.field("text:N"),
            "tooltip": tooltip,
            "x": vl.value(theme.width),
            "y": vl.value(at) if at is not None else y,
        }
        layers.append(vl.unit(data, text, encoding))
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


def finish(chart: Spec, theme: Theme) -> Spec:
    """Return the finished spec of ``chart``, the theme applied as its own config."""
    return vl.top_level(chart, theme.config())
