"""Place the labels of reference lines in the right-hand margin so that they never overlap.

Vega-Lite cannot move text marks apart, so the chart fixes its y scale here (a "nice"
domain, as Vega would choose) and works out each label's pixel position itself: at its line
when there is room, pushed apart by at least one line of text when lines lie close.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

NICE_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)
TICKS = 6


def nice_domain(values: Iterable[float], *, zero: bool = True) -> tuple[float, float]:
    """Return a y domain covering ``values`` with round ends (and zero, when ``zero``)."""
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return (0.0, 1.0)
    low, high = min(finite), max(finite)
    if zero:
        low, high = min(low, 0.0), max(high, 0.0)
    if high == low:
        pad = abs(high) * 0.1 or 1.0
        low, high = low - (0 if zero and low == 0 else pad), high + pad
    try:
        raw = (high - low) / TICKS
        power = 10.0 ** math.floor(math.log10(raw))
        step = next(s * power for s in NICE_STEPS if s * power >= raw)
        nice_low, nice_high = math.floor(low / step) * step, math.ceil(high / step) * step
        # low / step can round to a whole number (or underflow to zero) past the value itself.
        nice = (nice_low - step if nice_low > low else nice_low,
                nice_high + step if nice_high < high else nice_high)  # fmt: skip
    except (ArithmeticError, ValueError, StopIteration):
        nice = (low, high)  # beyond what rounding can help: the data's own extent
    if not (math.isfinite(nice[0]) and math.isfinite(nice[1]) and nice[1] > nice[0]):
        return (low, high) if high > low else (low - 1.0, high + 1.0)
    return nice


def pixel(value: float, domain: tuple[float, float], height: float) -> float:
    """Return the y pixel of ``value`` on a linear scale from ``domain`` onto ``height``."""
    low, high = domain
    if not high > low or not math.isfinite(high - low):
        return height / 2
    return height * (1 - (value - low) / (high - low))


def spread(positions: Sequence[float], gap: float, low: float, high: float) -> list[float]:
    """Return positions at least ``gap`` apart, as near the given ones as the bounds allow.

    Order is kept (a label stays above the ones below it); positions are moved down where
    they crowd, then back up from ``high`` where that pushed them out, then kept below ``low``
    only if there is room for all of them.
    """
    order = sorted(range(len(positions)), key=lambda i: positions[i])
    placed = [min(max(positions[i], low), high) for i in order]
    for k in range(1, len(placed)):
        placed[k] = max(placed[k], placed[k - 1] + gap)
    if placed and placed[-1] > high:
        placed[-1] = high
        for k in range(len(placed) - 2, -1, -1):
            placed[k] = min(placed[k], placed[k + 1] - gap)
    out = [0.0] * len(positions)
    for k, i in enumerate(order):
        out[i] = placed[k]
    return out
