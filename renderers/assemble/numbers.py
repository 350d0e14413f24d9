"""Format figures for the statement: counts with separators, signed changes, percentages."""

from __future__ import annotations

import math


def _finite(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def figure(value: object, decimals: int = 0) -> str | None:
    """Format a figure with thousands separators: ``4,690`` or ``75.3``."""
    number = _finite(value)
    return None if number is None else f"{number:,.{decimals}f}"


def signed(value: object, decimals: int = 0, suffix: str = "") -> str | None:
    """Format a change with its sign: ``+12``, ``-304``, ``-5.2%``; zero has no sign."""
    number = _finite(value)
    if number is None:
        return None
    text = f"{abs(number):,.{decimals}f}"
    if float(text.replace(",", "")) == 0:
        return f"0{suffix}" if decimals == 0 else f"{0:.{decimals}f}{suffix}"
    return f"{'+' if number > 0 else '-'}{text}{suffix}"
