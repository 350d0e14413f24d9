"""Turn a test of a change into a status: improving, worsening, no significant change.

One significance level (:data:`SIGNIFICANCE`) serves every measure, so that statuses
are comparable across the statement. A change is improving or worsening only when its
test is significant at that level and the figure moved; the improvement direction says
which way is better, and a neutral measure has no better way.
"""

from __future__ import annotations

import math
from typing import Final, Literal

from framework.model.measure import Improvement

SIGNIFICANCE: Final = 0.05
"""The one significance level: a change with a two-sided p-value below this is significant."""

Status = Literal["improving", "worsening", "no significant change", "not comparable"]
STATUSES: Final[tuple[Status, ...]] = (
    "improving", "worsening", "no significant change", "not comparable",
)  # fmt: skip


def format_p(p_value: float) -> str:
    """Return ``p = 0.021``, ``p = 0.38`` or ``p < 0.001`` (never ``p = 0.000``)."""
    if not math.isfinite(p_value):
        return "p not available"
    if p_value < 0.001:
        return "p < 0.001"
    if p_value < 0.1:
        return f"p = {p_value:.3f}"
    return f"p = {min(p_value, 1.0):.2f}"


def significant(p_value: float) -> bool:
    """Return True when a p-value is below the significance level."""
    return p_value < SIGNIFICANCE


def direction(change: float, improvement: Improvement) -> Status:
    """Return the status of a real (significant) change: improving, worsening or not comparable."""
    if change == 0:
        return "no significant change"
    if improvement == "neutral":
        return "not comparable"
    better = change < 0 if improvement == "lower_is_better" else change > 0
    return "improving" if better else "worsening"


def judge(
    change: float, p_value: float, improvement: Improvement, test: str, note: str = ""
) -> tuple[Status, str]:
    """Return the status of a tested change and why, naming the test (``quasi-Poisson test``).

    ``note`` follows the p-value inside the brackets (the dispersion the test used).
    """
    shown = f"{test}, {format_p(p_value)}" + (f"; {note}" if note else "")
    if change == 0:
        # No movement is neither better nor worse, whatever a test says about it.
        return "no significant change", f"The figure equals its baseline ({shown})."
    if not significant(p_value):
        return "no significant change", f"The change is within chance ({shown})."
    status = direction(change, improvement)
    if status == "not comparable":
        return status, f"A significant change ({shown}); neither direction is better."
    return (
        status,
        f"A significant {'improvement' if status == 'improving' else 'worsening'} ({shown}).",
    )
