"""Decide each window's status against its baseline, once, in the engine.

The status (improving, worsening, no significant change, not comparable), the method
that decided it and the reason in words become columns of ``measures run``; renderers
only word them. Each force's status rests on its own series:

* counts (``quasi_poisson``): the dispersion is estimated from the force's periods before
  the window, allowing for trend and season, and the window's count is tested against the
  baseline's with it (the exact Poisson test where the dispersion is near 1). With too
  little history to estimate the dispersion, small counts take the exact test and large
  ones the SPC reading of the latest period, never a bare Poisson test;
* an unusual baseline (significantly above or below the force's typical level over the
  rest of its history) is named, and the change must then also be significant against
  the typical level to be called improving or worsening;
* proportions (``two_proportion``): the window's numerator and denominator against the
  baseline's, by the two-proportion test (Fisher's exact test for small numbers);
* other figures (``spc``): the SPC reading of the latest period.

A measure's rows are judged in passes: first the windows "not comparable" by the plain
rules (no figure, no baseline, before the baseline) are decided for whole columns at once;
then every history a count test of the others needs is found and all their dispersions
are estimated in one batch (:func:`framework.stats.dispersion.estimate_dispersions`); then
each of those windows is tested.

The per-area series and its runs are :mod:`framework.engine.status_series`'; the plain
rules for whole columns, the judgements' record and the writing of the columns are
:mod:`framework.engine.status_columns`'; the typical-level check of a count's baseline is
:mod:`framework.engine.status_typical`'s.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from framework.engine.evaluate import Evaluated
from framework.engine.plan import CompareBaseline
from framework.engine.series import window_ends_in
from framework.engine.signals import ProfileLookup, series_kind
from framework.engine.status_columns import (
    STATUS_COLUMNS,
    TEST_WORDS,
    Judgement,
    add_wilson_columns,
    column_numbers,
    count_pairs,
    plain_reasons,
    proportion_parts,
    wilson_percent,
    write_columns,
)
from framework.engine.status_method import status_method
from framework.engine.status_series import AreaSeries
from framework.engine.status_typical import TypicalPlan, check_typical, typical_plan, typical_tests
from framework.model.measure import Improvement
from framework.model.spc import DEFAULT_PROFILE, SpcProfile
from framework.stats.dispersion import Dispersion, estimate_dispersion, estimate_dispersions
from framework.stats.latest import latest_variations
from framework.stats.overdispersed import (
    CountMethod,
    CountTest,
    compare_overdispersed,
    compare_overdispersed_many,
    overdispersed_p_value,
    overdispersed_p_values,
)
from framework.stats.poisson import SMALL_COUNT
from framework.stats.proportions import compare_proportions
from framework.stats.spc import SeriesKind
from framework.stats.variation import Variation
from framework.stats.verdict import Status, judge

__all__ = ["STATUS_COLUMNS", "TEST_WORDS", "Judgement", "attach_status"]

_SPC_WORDS: Final[dict[str, tuple[Status, str]]] = {
    "improvement": ("improving", "Special-cause improvement in the latest period (SPC)."),
    "concern": ("worsening", "Special-cause concern in the latest period (SPC)."),
    "common_cause": (
        "no significant change",
        "The latest period shows common-cause variation only (SPC).",
    ),
    "neutral": (
        "not comparable",
        "Special-cause variation (SPC), but neither direction is better.",
    ),
}


class _Context:
    """What every window of one measure shares: the plan, the baseline and the SPC profile."""

    def __init__(self, evaluated: Evaluated, profile_of: ProfileLookup) -> None:
        plan = evaluated.plan
        self.evaluated = evaluated
        self.plan = plan
        self.method = status_method(plan.measure)
        self.improvement: Improvement = plan.measure.improvement
        self.baseline = next((s for s in plan.steps if isinstance(s, CompareBaseline)), None)
        self.windows = (
            len(window_ends_in(self.baseline.first, self.baseline.last, plan.window_months,
                               plan.step))
            if self.baseline is not None
            else 0
        )  # fmt: skip
        self.per_window = max(1, plan.window_months // plan.step)
        profile_id = plan.measure.presentation.spc_profile
        self.profile: SpcProfile = profile_of(profile_id) or DEFAULT_PROFILE
        self._series: dict[str, AreaSeries] = {}
        self._figures: (
            tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], dict[Hashable, int]] | None
        ) = None
        self._parts: dict[str, dict[Hashable, object]] = {
            name: part.to_dict() for name, part in evaluated.baseline_parts.items()
        }
        self._tests: dict[tuple[int, int, float], CountTest] = {}
        self._kinds: dict[str, tuple[SeriesKind, npt.NDArray[np.float64] | None]] = {}
        self._p_values: dict[tuple[int, int, float, int, int], tuple[CountMethod, float]] = {}
        self._verdicts: dict[tuple[int, float, str, str], tuple[Status, str]] = {}
        self.dispersions: dict[tuple[str, int], Dispersion | None] = {}
        """Each count history's dispersion, by area code and the history's last period."""
        self._variations: dict[tuple[str, int], Variation | None] = {}
        """The SPC variation of each area's period, None where too few periods lead to it."""

    def compare(self, count: int, base: int, phi: float) -> CountTest:
        """Return the window's count test against the baseline's (worked out once per measure).

        Areas with the same small counts ask for the same test again; a test is a pure
        function of its arguments.
        """
        key = (count, base, phi)
        known = self._tests.get(key)
        if known is None:
            known = self._tests[key] = compare_overdispersed(
                count, base, phi, baseline_exposure=self.windows
            )
        return known

    def prepare_tests(self, tests: list[tuple[int, int, float]]) -> None:
        """Work out the count tests (count, baseline, dispersion) not yet known, together.

        The row loop then finds each in :meth:`compare`'s memo: the exact parts of all of
        them are evaluated in a few array steps rather than one by one.
        """
        wanted = list(dict.fromkeys(key for key in tests if key not in self._tests))
        found = compare_overdispersed_many(wanted, baseline_exposure=self.windows)
        self._tests.update(zip(wanted, found, strict=True))

    def prepare_p_values(self, tests: list[tuple[int, int, float, int, int]]) -> None:
        """Work out the p-values (as :meth:`p_value`'s keys) not yet known, together."""
        wanted = list(dict.fromkeys(key for key in tests if key not in self._p_values))
        self._p_values.update(zip(wanted, overdispersed_p_values(wanted), strict=True))

    def p_value(
        self, count: int, base: int, phi: float, exposure: int, baseline_exposure: int
    ) -> tuple[CountMethod, float]:
        """Return :func:`overdispersed_p_value`'s method and p-value, once per measure."""
        key = (count, base, phi, exposure, baseline_exposure)
        known = self._p_values.get(key)
        if known is None:
            known = self._p_values[key] = overdispersed_p_value(
                count, base, phi, exposure=exposure, baseline_exposure=baseline_exposure
            )
        return known

    def verdict(
        self, change: float, p_value: float, words: str, note: str = ""
    ) -> tuple[Status, str]:
        """Return :func:`judge`'s status and reason, worked out once per distinct inputs.

        A verdict reads the change only by its sign, and windows repeat the same tests'
        p-values (small counts above all): the words are made once for each.
        """
        key = ((change > 0) - (change < 0), p_value, words, note)
        known = self._verdicts.get(key)
        if known is None:
            known = self._verdicts[key] = judge(change, p_value, self.improvement, words, note)
        return known

    def series(self, code: str) -> AreaSeries:
        """Return the area's per-period series (all missing when it has none), made once."""
        known = self._series.get(code)
        if known is not None:
            return known
        if self._figures is None:
            # The whole table once: one column of it costs as much as the table.
            figure = self.evaluated.per_period.figure
            self._figures = (
                figure.index.to_numpy(dtype="int64"),
                figure.to_numpy(dtype="float64", na_value=np.nan),
                {name: i for i, name in enumerate(figure.columns)},
            )
        labels, values, column = self._figures
        if code not in column:
            made = AreaSeries(code, labels, np.full(len(labels), np.nan))
        else:
            made = AreaSeries(code, labels, np.ascontiguousarray(values[:, column[code]]))
        self._series[code] = made
        return made

    def kind(self, run: AreaSeries) -> tuple[SeriesKind, npt.NDArray[np.float64] | None]:
        """Return :func:`series_kind` of a run of an area's series.

        A proportion's denominators are looked up once per area, for its whole series, and
        each run takes its slice of them.
        """
        if self.evaluated.plan.aggregation.kind != "proportion":
            return series_kind(self.evaluated, run.code, run.labels, run.values)
        known = self._kinds.get(run.code)
        if known is None:
            whole = self.series(run.code)
            known = self._kinds[run.code] = series_kind(
                self.evaluated, run.code, whole.labels, whole.values
            )
        kind, denominators = known
        if denominators is None:
            return series_kind(self.evaluated, run.code, run.labels, run.values)
        start = int(np.searchsorted(self.series(run.code).labels, run.labels[0]))
        return kind, denominators[start : start + len(run)]

    def variation(self, series: AreaSeries, period: int) -> Variation | None:
        """Return the SPC variation of ``period`` in its latest unbroken run (None: too short).

        The first call for an area reads every period from the baseline on that a window
        ends at (``period``'s steps apart): each unbroken run is analysed once for all its
        periods, as nested prefixes (:func:`latest_variations`).
        """
        key = (series.code, period)
        if key not in self._variations:
            self._read_variations(series, period)
        return self._variations[key]

    def _read_variations(self, series: AreaSeries, period: int) -> None:
        first = period if self.baseline is None else min(period, self.baseline.last)
        step = self.plan.step
        runs: dict[int, list[tuple[int, AreaSeries]]] = {}
        labels = series.labels[series.labels >= first].tolist()
        infinite = bool(np.isinf(series.values).any())
        for label in sorted({period, *(label for label in labels if (label - period) % step == 0)}):
            key = (series.code, label)
            if key in self._variations:
                continue
            run = series.run(label)
            if len(run) < 2 or int(run.labels[-1]) != label:
                self._variations[key] = None
            elif label == period or not (infinite and np.isinf(run.values).any()):
                # A chart refuses an infinite figure: only the period asked for says so.
                runs.setdefault(int(run.labels[0]), []).append((label, run))
        for found in runs.values():
            longest = max((run for _, run in found), key=len)
            kind, denominators = self.kind(longest)
            groups: dict[SeriesKind, list[tuple[int, AreaSeries]]] = {kind: found}
            # Each run's kind is its longest's (a prefix of a count is a count) unless the
            # shortest's differs: a measurement's start may be whole counts.
            shortest = min((run for _, run in found), key=len)
            if kind == "measurement" and self.kind(shortest)[0] != kind:
                groups = {}
                for label, run in found:
                    groups.setdefault(self.kind(run)[0], []).append((label, run))
            for each, members in groups.items():
                readings = latest_variations(
                    longest.values,
                    [len(run) for _, run in members],
                    self.profile,
                    improvement=self.improvement,
                    kind=each,
                    denominators=denominators,
                )
                for (label, _), reading in zip(members, readings, strict=True):
                    self._variations[(series.code, label)] = reading

    def part(self, name: str, code: str) -> object:
        """Return the area's baseline figure of a proportion's part, None when there is none."""
        part = self._parts.get(name)
        return None if part is None else part.get(code)

    def estimate(self, codes: list[str], ends: list[int]) -> None:
        """Estimate, in one batch, the dispersion of every count history the windows will test.

        Each window is an area's code and the period it ends at; its history is the area's
        latest unbroken run before the window.
        """
        if self.method != "quasi_poisson" or self.baseline is None:
            return
        months = self.plan.window_months
        wanted: dict[tuple[str, int], AreaSeries] = {}
        for code, end in zip(codes, ends, strict=True):
            key = (code, end - months)
            if key not in wanted and key not in self.dispersions:
                wanted[key] = self.series(code).run(end - months)
        estimates = estimate_dispersions([history.counts() for history in wanted.values()])
        self.dispersions.update(zip(wanted, estimates, strict=True))

    def dispersion(self, history: AreaSeries, last: int) -> Dispersion | None:
        """Return the history's dispersion, from the batch (or estimated now, if not in it)."""
        key = (history.code, last)
        if key not in self.dispersions:
            counts, season = history.counts()
            self.dispersions[key] = estimate_dispersion(counts, season=season)
        return self.dispersions[key]


def attach_status(
    rows: pd.DataFrame,
    evaluated: Evaluated,
    profile_of: ProfileLookup,
    areas: Collection[str] | None = None,
) -> pd.DataFrame:
    """Return ``rows`` with the status columns on the areas' total rows (components: none).

    ``areas`` limits the judging to those area codes' rows (the others' columns are left
    empty); by default every area's are judged. Each judgement is kept in
    ``evaluated.judged``: it rests only on the row's figures, which come from the
    evaluation, and the area's own series, so any later run of the same evaluation (another
    force's, another quarter's) reuses it.
    """
    # Only whole columns are set below, never written into: a shallow copy leaves the
    # caller's frame as it was.
    rows = rows.copy(deep=False)
    totals = rows["component"].isna().to_numpy()
    if areas is not None:
        totals = totals & rows["area_code"].astype(str).isin(list(areas)).to_numpy()
    wanted = ["period", "area_code", "value", "baseline", "change", "numerator", "denominator"]
    table = rows.loc[totals, [c for c in wanted if c in rows.columns]]
    memo = evaluated.judged
    keys = list(
        zip(
            table["area_code"].astype(str).tolist(),
            table["period"].to_numpy(dtype="int64").tolist(),
            strict=True,
        )
    )
    unknown = [i for i, key in enumerate(keys) if key not in memo]
    if unknown:
        _judge_rows(table, [keys[i] for i in unknown], np.array(unknown, dtype=np.intp),
                    _Context(evaluated, profile_of))  # fmt: skip
    write_columns(rows, np.flatnonzero(totals), [memo[key] for key in keys])
    if evaluated.plan.aggregation.kind == "proportion":
        add_wilson_columns(rows)
    return rows


def _judge_rows(
    table: pd.DataFrame,
    keys: list[tuple[str, int]],
    at: npt.NDArray[np.intp],
    context: _Context,
) -> None:
    """Judge the table's rows at positions ``at`` into ``context``'s memo, under ``keys``.

    The rows "not comparable" by the plain rules (no figure, no baseline, before the
    baseline) are decided column by column; only the others have their dispersions
    estimated, in one batch, and are tested one by one.
    """
    memo = context.evaluated.judged
    value, baseline, change = (
        column_numbers(table, name, at) for name in ("value", "baseline", "change")
    )
    periods = table["period"].to_numpy(dtype="int64")[at]
    last = None if context.baseline is None else context.baseline.last
    reasons = plain_reasons(context.method, last, periods, value, baseline, change)
    # One judgement for each plain reason: judgements are never changed once made.
    plain = {reason: Judgement("not comparable", reason) for reason in set(reasons) - {None}}
    tested: list[int] = []
    for i, reason in enumerate(reasons.tolist()):
        if reason is None:
            tested.append(i)
        else:
            memo[keys[i]] = plain[reason]
    if not tested:
        return
    chosen = at[tested]
    codes = [keys[i][0] for i in tested]
    ends = periods[tested].tolist()
    # The dispersions of every count history the tests will need, in one batch.
    context.estimate(codes, ends)
    changes = change[tested].tolist()
    if context.method in {"quasi_poisson", "exact_poisson"}:
        counts = count_pairs(value[tested], baseline[tested] * context.windows)
        inputs = [
            _count_inputs(end, pair, context.series(code), context)
            for code, end, pair in zip(codes, ends, counts, strict=True)
        ]
        # Every count test the rows need, worked out together before they are judged.
        testable = [item for item in inputs if not isinstance(item, str)]
        context.prepare_tests([item[:3] for item in testable])
        plans = [typical_plan(item[3], context) for item in testable]
        typical_tests(plans, [item[0] for item in testable], [item[2] for item in testable],
                       context)  # fmt: skip
        next_plan = iter(plans)
        for i, code, end, moved, item in zip(tested, codes, ends, changes, inputs, strict=True):
            plan = None if isinstance(item, str) else next(next_plan)
            memo[keys[i]] = _judge_count(end, item, moved, plan, context.series(code), context)
    elif context.method == "two_proportion":
        parts = proportion_parts(table, chosen, codes, context)
        for i, code, end, moved, four in zip(tested, codes, ends, changes, parts, strict=True):
            memo[keys[i]] = _judge_proportion(end, four, moved, context.series(code), context)
    else:
        for i, code, end in zip(tested, codes, ends, strict=True):
            memo[keys[i]] = _spc(context.series(code), end, context, "")


_CountInputs = tuple[int, int, float, AreaSeries, Dispersion | None]
"""A window's count test: count, baseline, dispersion used, the history and its estimate."""


def _count_inputs(
    period: int, counts: tuple[int, int] | None, series: AreaSeries, context: _Context
) -> _CountInputs | str:
    """Return what a window's count test needs, or the SPC reading's preface when none applies.

    ``counts`` is None when the figures are not whole counts; a quasi-Poisson measure whose
    history is too short for a dispersion reads the SPC chart when its counts are not small.
    """
    if counts is None:
        return "The figures are not whole counts, so no count test applies. "
    count, base = counts
    last = period - context.plan.window_months
    history = series.run(last)
    dispersion = None
    if context.method == "quasi_poisson":
        dispersion = context.dispersion(history, last)
        if dispersion is None and max(count, base) >= SMALL_COUNT:
            return (
                f"Too short a history to estimate the dispersion ({len(history)} periods "
                "before the window), so the status reads the SPC chart instead. "
            )
    phi = dispersion.used if dispersion is not None else 1.0
    return count, base, phi, history, dispersion


def _judge_count(
    period: int,
    inputs: _CountInputs | str,
    change: float,
    plan: TypicalPlan | None,
    series: AreaSeries,
    context: _Context,
) -> Judgement:
    """Judge a window's count against the baseline's (``inputs``: :func:`_count_inputs`').

    ``plan`` is :func:`typical_plan` of the window's history (None without a count test).
    """
    if isinstance(inputs, str):
        return _spc(series, period, context, inputs)
    count, base, phi, history, dispersion = inputs
    test = context.compare(count, base, phi)
    status, reason = context.verdict(
        change, test.p_value, TEST_WORDS[test.method], _note(test, dispersion)
    )
    judgement = Judgement(
        status, reason, test.method, test.p_value,
        dispersion.phi if dispersion is not None else math.nan,
        test.percent_change_interval.low, test.percent_change_interval.high,
    )  # fmt: skip
    if context.method == "quasi_poisson" and dispersion is None:
        judgement.reason = (
            f"Too short a history to estimate the dispersion ({len(history)} periods before "
            f"the window); the counts are small, so the exact Poisson test applies. {reason}"
        )
    check_typical(judgement, count, change, plan, phi, context)
    return judgement


def _note(test: CountTest, dispersion: Dispersion | None) -> str:
    """Say which dispersion the test used, and from how much history."""
    if dispersion is None:
        return ""
    history = f"from {dispersion.periods} periods"
    if test.method == "quasi_poisson":
        return f"dispersion {test.dispersion:.1f} {history}"
    return f"dispersion {dispersion.phi:.1f} {history}, near Poisson"


def _judge_proportion(
    period: int,
    parts: tuple[int, int, int, int] | None,
    change: float,
    series: AreaSeries,
    context: _Context,
) -> Judgement:
    """Judge a window's proportion against the baseline's (``parts``: None when not whole)."""
    if parts is None:
        return _spc(series, period, context, "The proportion's parts are not whole counts, so "
                    "no test of proportions applies. ")  # fmt: skip
    a, b, c, d = parts
    if b == 0 or d == 0 or a > b or c > d:
        return Judgement("not comparable", "No responses to compare.")
    test = compare_proportions(a, b, c, d)
    status, reason = context.verdict(change, test.p_value, TEST_WORDS[test.method])
    low, high = wilson_percent(a, b)
    reason += (
        f" The window's 95% interval is {low:.1f}% to {high:.1f}% "
        f"(Wilson, {a:,} of {b:,}); the baseline's {c:,} of {d:,}."
    )
    return Judgement(status, reason, test.method, test.p_value)


def _spc(series: AreaSeries, period: int, context: _Context, prefix: str) -> Judgement:
    variation = context.variation(series, period)
    if variation is None:
        return Judgement("not comparable", f"{prefix}Too few periods for an SPC reading.".strip())
    status, reason = _SPC_WORDS[variation]
    return Judgement(status, prefix + reason, "spc")
