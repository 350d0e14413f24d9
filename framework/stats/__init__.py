"""Statistics for measures: XmR process control by Making Data Count, and exact Poisson comparisons.

The engine needs two calls per series:

* :func:`framework.stats.spc.analyse_series` for the SPC chart (limits, special causes,
  variation, icons) under a profile loaded by :mod:`framework.loading.profiles`;
* :func:`framework.stats.poisson.compare_counts` for a count against its baseline, with
  :func:`~framework.stats.poisson.rate_interval` for a rate per 100,000.

Nothing here imports the engine or the renderers.
"""

from __future__ import annotations

from framework.stats.icons import AssuranceIcon, VariationIcon, assurance_icon, variation_icon
from framework.stats.poisson import (
    SMALL_COUNT,
    CountComparison,
    Interval,
    RateEstimate,
    compare_counts,
    is_small_numbers,
    poisson_interval,
    poisson_test_p_value,
    rate_interval,
)
from framework.stats.rules import RULES, Rule, RuleResult, special_causes
from framework.stats.spc import SpcResult, analyse_series
from framework.stats.variation import Variation, classify_variation
from framework.stats.xmr import Rebase, Segment, XmrResult, xmr_limits

__all__ = [
    "RULES",
    "SMALL_COUNT",
    "AssuranceIcon",
    "CountComparison",
    "Interval",
    "RateEstimate",
    "Rebase",
    "Rule",
    "RuleResult",
    "Segment",
    "SpcResult",
    "Variation",
    "VariationIcon",
    "XmrResult",
    "analyse_series",
    "assurance_icon",
    "classify_variation",
    "compare_counts",
    "is_small_numbers",
    "poisson_interval",
    "poisson_test_p_value",
    "rate_interval",
    "special_causes",
    "variation_icon",
    "xmr_limits",
]
