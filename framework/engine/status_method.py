"""Which test decides a measure's status, and how to say it in plain English.

Kept apart from :mod:`framework.engine.status` so that ``measures explain`` can say it
without loading the statistics.
"""

from __future__ import annotations

from typing import Final

from framework.model.measure import CountAggregation, Measure, ProportionAggregation, SumAggregation

SIGNIFICANCE_TEXT: Final = "0.05"
"""The one significance level as words; ``framework.stats.verdict.SIGNIFICANCE`` is this."""
METHOD_WORDS: Final = {
    "quasi_poisson": (
        "the window's count is tested against the baseline's allowing for overdispersion "
        "(a quasi-Poisson test with the dispersion estimated from the force's own history "
        "before the window, allowing for trend and season; the exact Poisson test where that "
        "dispersion is near 1). A baseline unusually high or low for the force is named, and "
        "a change must then also stand out against the force's typical level"
    ),
    "exact_poisson": (
        "the window's count is tested against the baseline's by the exact Poisson test"
    ),
    "two_proportion": (
        "the window's proportion is tested against the baseline's (two-proportion test; "
        "Fisher's exact test for small numbers)"
    ),
    "spc": "read from the SPC chart of the latest period",
    "none": "no status is given",
}


def status_method(measure: Measure) -> str:
    """Return the method the measure's status uses, resolving ``auto`` by the kind of series."""
    method = measure.status.method
    if method != "auto":
        return method
    aggregation = measure.aggregation
    if isinstance(aggregation, ProportionAggregation):
        return "two_proportion"
    if isinstance(aggregation, CountAggregation | SumAggregation):
        return "quasi_poisson"
    return "spc"


def describe_status(measure: Measure) -> str:
    """Say in plain English how the measure's status is decided, at which level."""
    method = status_method(measure)
    if method == "none" or measure.baseline is None:
        return "No status is given." if method == "none" else "No status: there is no baseline."
    words = METHOD_WORDS[method]
    return f"Status: {words}; a change is significant at p < {SIGNIFICANCE_TEXT}."
