"""Check a window's baseline against the force's typical level, and name it when unusual.

A baseline significantly above or below the force's typical level (its mean over the
rest of its history), against the periods both before and after it, is a dip or a spike:
it is named, and a count's change must then also be significant against the typical level
to be called improving or worsening.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from framework.engine.plan import CompareBaseline, EvaluationPlan
from framework.engine.status_columns import TEST_WORDS, Judgement
from framework.engine.status_series import AreaSeries
from framework.stats.overdispersed import CountMethod
from framework.stats.verdict import Status, format_p, significant


class TypicalContext(Protocol):
    """What the check reads of a measure: its plan and baseline, and its memos of tests."""

    plan: EvaluationPlan
    baseline: CompareBaseline | None
    windows: int
    """How many windows the baseline spans."""
    per_window: int
    """How many periods a window spans."""

    def prepare_p_values(self, tests: list[tuple[int, int, float, int, int]]) -> None:
        """Work out the p-values (as :meth:`p_value`'s keys) not yet known, together."""
        ...

    def p_value(
        self, count: int, base: int, phi: float, exposure: int, baseline_exposure: int
    ) -> tuple[CountMethod, float]:
        """Return the count test's method and p-value, once per measure."""
        ...

    def verdict(
        self, change: float, p_value: float, words: str, note: str = ""
    ) -> tuple[Status, str]:
        """Return the status and reason of a change with its p-value, once per distinct inputs."""
        ...


@dataclass(frozen=True)
class TypicalPlan:
    """What :func:`check_typical` needs of a window: the typical level and the baseline's counts."""

    typical: float
    low: bool
    """Whether the baseline lies below the typical level."""
    base_total: int
    others_total: int
    others: int
    """How many periods of the history lie outside the baseline."""
    wanted: int
    """How many periods the baseline spans."""
    sides: list[tuple[float, int]]
    """Each side's total and periods, when every side with a window's worth lies beyond the
    baseline in the same direction as the typical level (else empty: nothing to test)."""

    def side_tests(self, phi: float) -> list[tuple[int, int, float, int, int]]:
        """Return the p-value keys (``p_value``'s) of the baseline against each of its sides."""
        return [(self.base_total, round(total), phi, self.wanted, size)
                for total, size in self.sides]  # fmt: skip


def typical_plan(history: AreaSeries, context: TypicalContext) -> TypicalPlan | None:
    """Return the typical level around a window's history, None where there is none to compare.

    The typical level is the force's mean over its history before the window, the
    baseline's own periods left out; it needs the baseline whole within the history and at
    least twice as many periods besides.
    """
    step = context.baseline
    assert step is not None
    # The history's periods are in order: the baseline's span is one slice of it.
    begin, length = history.start, len(history)
    labels = history.whole.label_list()
    start = bisect_left(labels, step.first, begin, begin + length) - begin
    stop = bisect_right(labels, step.last, begin, begin + length) - begin
    wanted = context.windows * context.per_window
    others = length - (stop - start)
    if stop - start != wanted or others < 2 * wanted:
        return None
    base_sum, before, after, others_sum = _sums(history, start, stop)
    base_total = round(base_sum)
    others_total = round(others_sum)
    if others_total <= 0:
        return None
    typical = others_total / others * context.per_window
    low = base_total / wanted < others_total / others
    # Each side with a window's worth of periods: its total, and how many periods it has.
    sides_in = [
        (total, periods)
        for total, periods in ((before, start), (after, length - stop))
        if periods >= context.per_window
    ]
    if any((base_total / wanted < total / n) != low for total, n in sides_in):
        sides_in = []
    return TypicalPlan(typical, low, base_total, others_total, others, wanted, sides_in)


def typical_tests(
    plans: list[TypicalPlan | None], counts: list[int], phis: list[float], context: TypicalContext
) -> None:
    """Work out together the p-values :func:`check_typical` will ask of each plan, in two rounds.

    First the baseline against its sides; then, for the plans whose baseline is unusual
    against every side, the window against the typical level.
    """
    chosen = [(plan, count, phi) for plan, count, phi in zip(plans, counts, phis, strict=True)
              if plan is not None and plan.sides]  # fmt: skip
    context.prepare_p_values([key for plan, _, phi in chosen for key in plan.side_tests(phi)])
    context.prepare_p_values(
        [
            (count, plan.others_total, phi, context.per_window, plan.others)
            for plan, count, phi in chosen
            if all(significant(context.p_value(*key)[1]) for key in plan.side_tests(phi))
        ]
    )


def check_typical(
    judgement: Judgement,
    count: int,
    change: float,
    plan: TypicalPlan | None,
    phi: float,
    context: TypicalContext,
) -> None:
    """Compare the baseline with the force's typical level; name it and re-judge when unusual.

    The baseline is unusual when it differs significantly (with the force's dispersion)
    both from the periods before it and from those after it, where each has at least a
    window's worth: a dip or a spike, not a lasting change of level. The window must then
    also differ significantly from the typical level to be called improving or worsening.
    """
    if plan is None:
        return
    judgement.typical = plan.typical
    if not plan.sides:
        return
    sides: list[tuple[float, tuple[CountMethod, float]]] = []
    for (total, size), key in zip(plan.sides, plan.side_tests(phi), strict=True):
        tested = context.p_value(*key)
        if not significant(tested[1]):
            return  # not unusual against this side: the other's test is not needed
        sides.append((total / size, tested))
    low, typical = plan.low, plan.typical
    judgement.unusual = "low" if low else "high"
    method, p_now = context.p_value(count, plan.others_total, phi, context.per_window, plan.others)
    words = TEST_WORDS[method]
    status, _ = context.verdict(count - typical, p_now, words)
    named = _name_baseline(plan.base_total / context.windows, typical, low, context, sides)
    first = _phrase(judgement.status, judgement.p_value, TEST_WORDS[judgement.method or ""])
    second = _phrase(status, p_now, words)
    if status == judgement.status:
        judgement.reason = (
            f"{named} The change is {first} against the baseline, and {second} against the "
            "typical level."
        )
        return
    judgement.reason = (
        f"{named} The change is {first} against the baseline but {second} against the typical "
        "level, so it is not called a change."
    )
    judgement.status = "no significant change"


def _sums(history: AreaSeries, start: int, stop: int) -> tuple[float, float, float, float]:
    """Return the history's counts (clipped at 0) summed in, before, after and around a slice.

    The slice is ``[start, stop)``; "around" is before and after together. The sums come
    from the whole series' running totals where those are exact (whole counts), else are
    summed here.
    """
    totals = history.whole.running_totals()
    if totals is not None:
        begin = history.start
        first, low, high, end = begin, begin + start, begin + stop, begin + len(history)
        before, after = totals[low] - totals[first], totals[end] - totals[high]
        return totals[high] - totals[low], before, after, before + after
    counts = np.clip(history.values, 0, None)
    return (
        float(counts[start:stop].sum()),
        float(counts[:start].sum()),
        float(counts[stop:].sum()),
        float(np.concatenate((counts[:start], counts[stop:])).sum()),
    )


def _phrase(status: Status, p_value: float, words: str) -> str:
    meaning = {
        "improving": "a significant improvement",
        "worsening": "a significant worsening",
        "no significant change": "within chance",
        "not comparable": "significant, in neither better direction",
    }[status]
    return f"{meaning} ({words}, {format_p(p_value)})"


def _name_baseline(
    baseline: float,
    typical: float,
    low: bool,
    context: TypicalContext,
    sides: list[tuple[float, tuple[CountMethod, float]]],
) -> str:
    step = context.baseline
    assert step is not None
    months = context.plan.window_months
    what = "baseline year" if months == 12 else "baseline"
    per = {12: "a year", 3: "a quarter", 1: "a month"}.get(months, f"per {months} months")
    names = ("before it", "after it") if len(sides) == 2 else ("beside it",)
    tests = ", and ".join(
        f"{name}, {format_p(p)}" for name, (_, (_, p)) in zip(names, sides, strict=True)
    )
    methods = sorted({TEST_WORDS[method] for _, (method, _) in sides})
    return (
        f"The {what} ({step.label}) was unusually {'low' if low else 'high'} for this force: "
        f"{_amount(baseline)} against a typical {_amount(typical)} {per} (against the periods "
        f"{tests}; {' and '.join(methods)})."
    )


def _amount(value: float) -> str:
    if abs(value - round(value)) < 1e-9 or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.1f}"
