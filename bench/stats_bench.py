"""Time the exact tests and quantiles against the slower implementations they replaced.

Draws a workload shaped like a whole-catalogue run's (``measures run --all-forces``): pairs
of counts from a handful to about a million, compared over the exposures the statuses use
(a window against its baseline, a baseline against the force's typical level), each pair
tested twice as a run does (its p-value, then its interval). Then times, on the same calls,

* ``compare_counts`` (exact p-value and Clopper-Pearson interval of the rate ratio),
* ``binomial_test_p_value`` and ``beta_ppf`` on each distinct case (no repeats to cache),
* ``beta_i``, ``fisher_exact_p_value`` and ``as_count``,

against the previous implementations (kept in ``tests/stats/_previous.py`` as the tests'
reference), prints CPU times and ratios, and exits 1 when any answer differs: p-values must
be equal, quantiles equal to 1e-12 relative.

    python bench/stats_bench.py [--cases 3000] [--seed 11]
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # run as a script from a checkout, installed or not

from framework.stats import poisson, proportions, special_functions  # noqa: E402
from tests.stats import _previous as previous  # noqa: E402

EXPOSURES = ((1, 1), (1, 4), (4, 9), (4, 1), (4, 12))
"""(exposure, baseline exposure) pairs as the statuses use them (quarters, windows)."""


def workload(cases: int, seed: int) -> list[tuple[int, int, int, int]]:
    """Return ``cases`` (count, baseline, exposure, baseline exposure), sizes log-uniform."""
    rng = random.Random(seed)
    drawn = []
    for _ in range(cases):
        exposure, baseline_exposure = rng.choice(EXPOSURES)
        level = math.exp(rng.uniform(math.log(2), math.log(400_000)))
        count = round(level * exposure * rng.uniform(0.7, 1.3))
        baseline = round(level * baseline_exposure * rng.uniform(0.8, 1.2))
        drawn.append((count, baseline, exposure, baseline_exposure))
    return drawn


def clock(action: Callable[[], Any]) -> tuple[float, Any]:
    """Return the CPU time ``action`` took and what it returned."""
    started = time.process_time()
    result = action()
    return time.process_time() - started, result


def clear_caches() -> None:
    """Forget every cached answer, so each timing starts as a fresh run does."""
    for module in (poisson, proportions, special_functions):
        for value in vars(module).values():
            if hasattr(value, "cache_clear"):
                value.cache_clear()


def previous_compare(
    count: int, baseline: int, exposure: int, baseline_exposure: int
) -> tuple[float, float, float]:
    """Return what compare_counts gave before: p-value and the proportion's limits."""
    n = count + baseline
    p = previous.binomial_test_p_value(count, n, exposure / (exposure + baseline_exposure))
    low = 0.0 if count == 0 else previous.beta_ppf(0.025, count, n - count + 1)
    high = 1.0 if baseline == 0 else previous.beta_ppf(0.975, count + 1, n - count)
    return p, low, high


def new_compare(
    count: int, baseline: int, exposure: int, baseline_exposure: int
) -> tuple[float, float, float]:
    """Return compare_counts' p-value and the proportion's limits, through the public call."""
    result = poisson.compare_counts(
        count, baseline, exposure=exposure, baseline_exposure=baseline_exposure
    )
    scale = baseline_exposure / exposure
    interval = result.rate_ratio_interval
    # The limits of the proportion back from those of the rate ratio (odds * scale).
    low = interval.low / scale / (1 + interval.low / scale)
    high = 1.0 if math.isinf(interval.high) else interval.high / scale / (1 + interval.high / scale)
    return result.p_value, low, high


def row(name: str, calls: int, old: float, new: float) -> str:
    """Return one line of the table."""
    return (
        f"  {name:32s} {calls:7,d} calls  before {old:7.3f} s  now {new:7.3f} s  {old / new:5.1f}x"
    )


def agree(old: Sequence[float], new: Sequence[float], rel: float) -> bool:
    """Return True when every pair agrees to ``rel`` relative."""
    return all(
        a == b or abs(a - b) <= rel * max(abs(a), abs(b)) for a, b in zip(old, new, strict=True)
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return 1 when an answer differs from the previous implementation."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=3000, help="pairs of counts (default 3000)")
    parser.add_argument("--seed", type=int, default=11)
    options = parser.parse_args(argv)
    cases = workload(options.cases, options.seed)
    calls = [case for case in cases for _ in range(2)]  # p-value, then interval, as a run does
    problems: list[str] = []
    lines = [f"{options.cases:,} pairs of counts (2 to ~1,000,000), each compared twice"]

    clear_caches()
    old_time, old = clock(lambda: [previous_compare(*case) for case in calls])
    new_time, new = clock(lambda: [new_compare(*case) for case in calls])
    lines.append(row("compare_counts (each pair twice)", len(calls), old_time, new_time))
    if [o[0] for o in old] != [n[0] for n in new]:
        problems.append("compare_counts: a p-value differs")
    # The limits are compared through the rate ratio, whose arithmetic adds its own rounding.
    if not agree(
        [o[1] for o in old] + [o[2] for o in old], [n[1] for n in new] + [n[2] for n in new], 1e-9
    ):
        problems.append("compare_counts: an interval differs")

    tests = [(c, c + b, e / (e + f)) for c, b, e, f in cases]
    clear_caches()
    old_time, old = clock(lambda: [previous.binomial_test_p_value(*t) for t in tests])
    new_time, new = clock(lambda: [poisson.binomial_test_p_value(*t) for t in tests])
    lines.append(row("binomial_test_p_value (distinct)", len(tests), old_time, new_time))
    if old != new:
        problems.append("binomial_test_p_value differs")

    quantiles = [(0.025, c, b + 1) for c, b, _, _ in cases if c > 0]
    clear_caches()
    old_time, old = clock(lambda: [previous.beta_ppf(*q) for q in quantiles])
    new_time, new = clock(lambda: [special_functions.beta_ppf(*q) for q in quantiles])
    lines.append(row("beta_ppf (distinct)", len(quantiles), old_time, new_time))
    if not agree(old, new, 1e-12):
        problems.append("beta_ppf differs beyond 1e-12")

    integrals = [(c + 1.0, b + 0.0, e / (e + f)) for c, b, e, f in cases if b > 0]
    old_time, old = clock(lambda: [previous.beta_i(*i) for i in integrals])
    new_time, new = clock(lambda: [special_functions.beta_i(*i) for i in integrals])
    lines.append(row("beta_i", len(integrals), old_time, new_time))
    if old != new:
        problems.append("beta_i differs")

    tables = [(c % 40, c % 40 + b % 60, b % 30, b % 30 + c % 50) for c, b, _, _ in cases]
    old_time, old = clock(lambda: [previous.fisher_exact_p_value(*t) for t in tables])
    new_time, new = clock(lambda: [proportions.fisher_exact_p_value(*t) for t in tables])
    lines.append(row("fisher_exact_p_value", len(tables), old_time, new_time))
    if old != new:
        problems.append("fisher_exact_p_value differs")

    counts = [c for case in calls for c in case[:2]] * 5
    old_time, old = clock(lambda: [previous.as_count(c) for c in counts])
    new_time, new = clock(lambda: [poisson.as_count(c) for c in counts])
    lines.append(row("as_count", len(counts), old_time, new_time))
    if old != new:
        problems.append("as_count differs")

    print("\n".join(lines))
    for problem in problems:
        print(f"DIFFERS: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
