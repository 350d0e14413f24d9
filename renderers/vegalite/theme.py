"""The visual theme of every chart: palette, fonts and sizes, passed in rather than set globally."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Okabe and Ito's palette: eight colours told apart under the common colour-vision deficiencies.
OKABE_ITO: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)


@dataclass(frozen=True)
class SpcColours:
    """Point colours of the XmR chart, after NHS England's Making Data Count."""

    # Blue and orange stay distinct for most colour-blind readers, which is why MDC chose them.
    improvement: str = "#41B6E6"
    concern: str = "#ED8B00"
    neutral: str = "#7030A0"
    common_cause: str = "#A6A6A6"

    def of(self, variation: str) -> str:
        """Return the colour of one variation class (``improvement``, ``concern``, ...)."""
        colour: str = getattr(self, variation)
        return colour


@dataclass(frozen=True)
class Theme:
    """Colours, fonts and sizes shared by the chart builders; immutable, so safe to share."""

    font: str = "Arial, Helvetica, sans-serif"
    title_size: int = 16
    subtitle_size: int = 12
    label_size: int = 11
    axis_title_size: int = 12
    width: int = 640
    height: int = 320
    bar_height: int = 18
    """Height in pixels of one bar in the ranked comparator chart."""
    palette: tuple[str, ...] = OKABE_ITO
    """Colours of the comparator series, in order; colours equal to ``force_colour`` are skipped."""
    force_colour: str = "#0072B2"
    other_colour: str = "#9E9E9E"
    """Bars of the comparator areas that are not the force."""
    # Reference lines are black or grey, so no series colour is mistaken for one; each has its
    # own dash pattern (see layers.py).
    baseline_colour: str = "#595959"
    average_colour: str = "#000000"
    trend_colour: str = "#3A3A3A"
    target_colour: str = "#CC79A7"
    text_colour: str = "#222222"
    spc: SpcColours = field(default_factory=SpcColours)
    spc_line_colour: str = "#7F7F7F"
    spc_limit_colour: str = "#555555"

    def config(self) -> dict[str, Any]:
        """Return the Vega-Lite ``config`` block that applies this theme to one chart."""
        return {
            "font": self.font,
            "background": "white",
            "view": {"continuousWidth": self.width, "continuousHeight": self.height},
            "title": {
                "anchor": "start",
                "fontSize": self.title_size,
                "subtitleFontSize": self.subtitle_size,
                "color": self.text_colour,
                "subtitleColor": self.text_colour,
                "offset": 12,
            },
            "axis": {
                "labelFontSize": self.label_size,
                "titleFontSize": self.axis_title_size,
                "labelColor": self.text_colour,
                "titleColor": self.text_colour,
            },
            "legend": {
                "labelFontSize": self.label_size,
                "titleFontSize": self.axis_title_size,
                "orient": "bottom",
            },
            "text": {"fontSize": self.label_size, "color": self.text_colour},
            "range": {"category": list(self.palette)},
        }


DEFAULT_THEME = Theme()
"""The theme used when none is passed."""
