"""The funnel plot: each force's rate against its population, in limits around the national rate.

A funnel plot is the honest answer to "how do we compare": a small force's rate moves
more by chance than a large one's, and the funnel shows how much (Spiegelhalter 2005).
The limits (95% and 99.8%) come from :mod:`framework.stats.funnel`, widened by the
forces' own overdispersion; the force is highlighted and its most similar group marked.
"""

from __future__ import annotations

import numpy as np

from framework.stats.funnel import LEVELS, funnel_dispersion, funnel_limits
from renderers.vegalite import vl
from renderers.vegalite.inputs import FunnelInputs
from renderers.vegalite.layers import chart_title, finish, format_number, inline, number_tooltip
from renderers.vegalite.records import Record, records
from renderers.vegalite.theme import DEFAULT_THEME, Theme
from renderers.vegalite.vl import Spec

FORCE_ROLE = "This force"
MSG_ROLE = "Most similar group"
OTHER_ROLE = "Other forces"
AREA_ROLE = "Police force area"
"""Every force's role on a plot that highlights none (the national overview's)."""
ROLES = (FORCE_ROLE, MSG_ROLE, OTHER_ROLE, AREA_ROLE)
MSG_NOTE = "The most similar group average includes the force itself."
RANK_NOTE = (
    "Forces inside the funnel differ by no more than chance; ranks between them mean little."
)


def funnel_lines(inputs: FunnelInputs, points: int = 60) -> tuple[list[Record], float]:
    """Return the limit lines over the forces' population range, and the dispersion used."""
    forces = inputs.forces
    dispersion = funnel_dispersion(forces["count"], forces["population"], inputs.target)
    populations = forces["population"].to_numpy(dtype="float64")
    populations = populations[np.isfinite(populations) & (populations > 0)]
    low, high = (populations.min() * 0.8, populations.max() * 1.1) if len(populations) else (1, 2)
    grid = np.geomspace(low, high, points)
    rows: list[Record] = []
    for level in LEVELS:
        lower, upper = funnel_limits(inputs.target, grid, level, dispersion.used)
        label = f"{level:.1%}".replace(".0%", "%")
        for side, values in (("lower", lower), ("upper", upper)):
            rows += [
                {"population": float(n), "rate": float(v), "limit": f"{label} limits",
                 "line": f"{label} {side}"}
                for n, v in zip(grid, values, strict=True)
            ]  # fmt: skip
    return rows, dispersion.used


def funnel_chart(inputs: FunnelInputs, theme: Theme = DEFAULT_THEME) -> Spec:
    """Return the spec of the funnel plot of ``inputs``: a layered chart."""
    context = inputs.context
    decimals = context.rate_decimals
    unit = context.rate_title
    lines, dispersion = funnel_lines(inputs)
    x = vl.field("population:Q", scale={"type": "log"}, title="Population")
    y = vl.field("rate:Q", scale={"zero": True}, title=unit[:1].upper() + unit[1:])
    limit_lines = vl.unit(
        inline(lines),
        vl.mark("line", color=theme.average_colour, strokeWidth=1),
        {
            "detail": vl.field("line:N"),
            "strokeDash": vl.field("limit:N", scale={"range": [[6, 3], [2, 2]]}, title=None),
            "tooltip": [
                vl.tooltip("limit:N", "Line"),
                number_tooltip("rate", "Rate", unit, decimals),
                vl.tooltip("population:Q", "Population", format=",.0f"),
            ],
            "x": x,
            "y": y,
        },
    )
    target = vl.unit(
        inline([{"rate": inputs.target, "label": "England and Wales"}]),
        vl.mark("rule", color=theme.average_colour),
        {
            "tooltip": [
                vl.tooltip("label:N", "Line"),
                number_tooltip("rate", "Rate", unit, decimals),
            ],
            "y": vl.field("rate:Q"),
        },
    )
    points = records(
        inputs.forces.assign(area=inputs.forces["area"].astype(str)),
        ["area", "count", "population", "rate", "role"],
    )
    colours = {
        FORCE_ROLE: theme.force_colour,
        MSG_ROLE: theme.average_colour,
        OTHER_ROLE: theme.other_colour,
        AREA_ROLE: theme.force_colour,
    }
    shapes = {FORCE_ROLE: "diamond", MSG_ROLE: "square", OTHER_ROLE: "circle", AREA_ROLE: "circle"}
    # A force's plot names its three roles; a plot that highlights no force names one.
    roles = list(ROLES[:3]) if AREA_ROLE not in {p["role"] for p in points} else [AREA_ROLE]
    dots = vl.unit(
        inline(points),
        vl.mark("point", filled=True, size=60),
        {
            "color": vl.field(
                "role:N",
                scale={"domain": roles, "range": [colours[r] for r in roles]},
                title=None,
            ),
            "shape": vl.field(
                "role:N",
                scale={"domain": roles, "range": [shapes[r] for r in roles]},
                title=None,
            ),
            "tooltip": [
                vl.tooltip("area:N", "Force"),
                number_tooltip("rate", "Rate", unit, decimals),
                vl.tooltip("count:Q", "Count", format=",.0f"),
                vl.tooltip("population:Q", "Population", format=",.0f"),
            ],
            "x": x,
            "y": y,
        },
    )
    layers: list[Spec] = [limit_lines, target, dots]
    extra = [
        f"95% and 99.8% limits around the England and Wales rate "
        f"({format_number(inputs.target, decimals)}), widened for overdispersion "
        f"(dispersion {dispersion:.1f})",
        RANK_NOTE,
    ]
    if inputs.msg_average is not None:
        layers.append(
            vl.unit(
                inline([{"rate": inputs.msg_average, "label": "Most similar group average"}]),
                vl.mark("rule", color=theme.force_colour, strokeDash=[4, 4]),
                {
                    "tooltip": [
                        vl.tooltip("label:N", "Line"),
                        number_tooltip("rate", "Rate", unit, decimals),
                    ],
                    "y": vl.field("rate:Q"),
                },
            )
        )
        extra.append(MSG_NOTE)
    chart = vl.layer(
        layers,
        height=theme.height,
        title=chart_title(context, shows_msg=True, extra=extra),
        width=theme.width,
    )
    return finish(chart, theme)
