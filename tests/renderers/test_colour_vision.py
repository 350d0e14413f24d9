"""Series colours stay apart for readers with the common colour-vision deficiencies.

Each colour is simulated for protanopia, deuteranopia and tritanopia (Machado, Oliveira and
Fernandes 2009, severity 1, on linear RGB) and for normal vision; every pair of colours that
one chart puts side by side must stay at least ``MIN_DELTA_E`` apart in CIELAB (CIE76).
The palette is Okabe and Ito's (docs/publishing.md).
"""

from __future__ import annotations

import itertools
import math

import pytest

from renderers.vegalite import DEFAULT_THEME, OKABE_ITO

MACHADO: dict[str, tuple[tuple[float, float, float], ...]] = {
    "normal": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}
MIN_DELTA_E = 15.0
"""A CIE76 difference of about 2.3 is just noticeable; 15 is plainly different at a glance."""


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def lab(colour: str, vision: str) -> tuple[float, float, float]:
    """Return the CIELAB colour (D65) that a reader with ``vision`` sees for ``colour``."""
    rgb = [_linear(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5)]
    seen = [min(max(sum(m * c for m, c in zip(row, rgb, strict=True)), 0.0), 1.0)
            for row in MACHADO[vision]]  # fmt: skip
    r, g, b = seen
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    return (116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z)))


def delta_e(a: str, b: str, vision: str) -> float:
    return math.dist(lab(a, vision), lab(b, vision))


def trend_series_colours() -> list[str]:
    """Return the force's colour and its comparators', as the trend chart assigns them."""
    others = [c for c in DEFAULT_THEME.palette if c.lower() != DEFAULT_THEME.force_colour.lower()]
    return [DEFAULT_THEME.force_colour, *others[:3]]  # force, nation, region, MSG


SETS = {
    "trend series": trend_series_colours(),
    "categories": list(DEFAULT_THEME.palette[:3]),
    "SPC points": [
        DEFAULT_THEME.spc.improvement,
        DEFAULT_THEME.spc.concern,
        DEFAULT_THEME.spc.neutral,
        DEFAULT_THEME.spc.common_cause,
    ],
}


@pytest.mark.parametrize("vision", sorted(MACHADO))
@pytest.mark.parametrize("name", sorted(SETS))
def test_colours_side_by_side_stay_apart(name: str, vision: str) -> None:
    close = [
        (a, b, round(delta_e(a, b, vision), 1))
        for a, b in itertools.combinations(SETS[name], 2)
        if delta_e(a, b, vision) < MIN_DELTA_E
    ]
    assert close == []


def test_the_simulation_confuses_red_and_green_as_it_should() -> None:
    # A check on the check: pure red and green, far apart normally, collapse for deuteranopes.
    assert delta_e("#FF0000", "#00FF00", "normal") > 100
    assert delta_e("#D62728", "#2CA02C", "deuteranopia") < MIN_DELTA_E


def test_the_palette_is_okabe_ito() -> None:
    assert DEFAULT_THEME.palette == OKABE_ITO
