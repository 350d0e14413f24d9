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
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Hashable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from framework.engine.evaluate import Evaluated
from framework.engine.plan import CompareBaseline
from framework.engine.series import window_ends_in
from framework.engine.signals import ProfileLookup, series_kind
from framework.engine.status_method import status_method
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
from framework.stats.proportions import compare_proportions, wilson_interval
from framework.stats.spc import SeriesKind
from framework.stats.variation import Variation
from framework.stats.verdict import SIGNIFICANCE, Status, format_p, judge, significant

_EXACT_SUM: Final = 2.0**52
"""Sums of whole numbers below this are exact in a float, whatever the order of the additions."""

STATUS_COLUMNS: Final = (
    "status", "status_method", "status_reason", "status_p_value", "status_dispersion",
    "baseline_typical", "baseline_unusual",
)  # fmt: skip
TEST_WORDS: Final = {
    "quasi_poisson": "quasi-Poisson test",
    "exact_poisson": "exact Poisson test",
    "two_proportion_z": "two-proportion test",
    "fisher_exact": "Fisher's exact test",
}
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


@dataclass
class Judgement:
    """One window's status and what it rests on."""

    status: Status
    reason: str
    method: str | None = None
    p_value: float = math.nan
    dispersion: float = math.nan
    ci_low: float = math.nan
    ci_high: float = math.nan
    typical: float = math.nan
    unusual: str | None = None


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
        self._series: dict[str, _Series] = {}
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

    def series(self, code: str) -> _Series:
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
            made = _Series(code, labels, np.full(len(labels), np.nan))
        else:
            made = _Series(code, labels, np.ascontiguousarray(values[:, column[code]]))
        self._series[code] = made
        return made

    def kind(self, run: _Series) -> tuple[SeriesKind, npt.NDArray[np.float64] | None]:
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

    def variation(self, series: _Series, period: int) -> Variation | None:
        """Return the SPC variation of ``period`` in its latest unbroken run (None: too short).

        The first call for an area reads every period from the baseline on that a window
        ends at (``period``'s steps apart): each unbroken run is analysed once for all its
        periods, as nested prefixes (:func:`latest_variations`).
        """
        key = (series.code, period)
        if key not in self._variations:
            self._read_variations(series, period)
        return self._variations[key]

    def _read_variations(self, series: _Series, period: int) -> None:
        first = period if self.baseline is None else min(period, self.baseline.last)
        step = self.plan.step
        runs: dict[int, list[tuple[int, _Series]]] = {}
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
            groups: dict[SeriesKind, list[tuple[int, _Series]]] = {kind: found}
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
        wanted: dict[tuple[str, int], _Series] = {}
        for code, end in zip(codes, ends, strict=True):
            key = (code, end - months)
            if key not in wanted and key not in self.dispersions:
                wanted[key] = self.series(code).run(end - months)
        estimates = estimate_dispersions([history.counts() for history in wanted.values()])
        self.dispersions.update(zip(wanted, estimates, strict=True))

    def dispersion(self, history: _Series, last: int) -> Dispersion | None:
        """Return the history's dispersion, from the batch (or estimated now, if not in it)."""
        key = (history.code, last)
        if key not in self.dispersions:
            counts, season = history.counts()
            self.dispersions[key] = estimate_dispersion(counts, season=season)
        return self.dispersions[key]


class _Series:
    """A force's per-period figures: period labels and values (NaN where missing).

    A run of it (:meth:`run`) keeps where it starts in the area's whole series, so the
    whole series' running totals serve every run's sums.
    """

    def __init__(
        self,
        code: str,
        labels: npt.NDArray[np.int64],
        values: npt.NDArray[np.float64],
        start: int = 0,
        whole: _Series | None = None,
    ) -> None:
        self.code = code
        self.labels = labels
        self.values = values
        self.start = start
        """Where this series begins in ``whole`` (0 for a whole series)."""
        self.whole: _Series = self if whole is None else whole
        self._bounds: tuple[list[int], list[int], list[int]] | None = None
        self._totals: list[float] | None = None
        self._exact: bool | None = None
        self._counts: tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]] | None = None

    def run(self, last: int) -> _Series:
        """Return the latest unbroken run of values up to period ``last`` (as ``latest_run``)."""
        labels, last_valued, last_gap = self._lists()
        stop = bisect_right(labels, last)
        end = last_valued[stop - 1] + 1 if stop else 0
        if end == 0:
            return _Series(self.code, self.labels[:0], self.values[:0], self.start, self.whole)
        start = last_gap[end - 1] + 1
        return _Series(
            self.code, self.labels[start:end], self.values[start:end], self.start + start,
            self.whole,
        )  # fmt: skip

    def counts(self) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]:
        """Return the values as counts (a negative one as 0) and each period's month of the year.

        A negative period is a publisher's correction of earlier counts: it counts as none.
        Worked out once for the whole series; a run's are slices of it.
        """
        whole = self.whole
        if whole._counts is None:
            whole._counts = (np.clip(whole.values, 0, None), whole.labels % 12)
        counts, season = whole._counts
        stop = self.start + len(self)
        return counts[self.start : stop], season[self.start : stop]

    def label_list(self) -> list[int]:
        """Return the period labels as a plain list (made once)."""
        return self._lists()[0]

    def _lists(self) -> tuple[list[int], list[int], list[int]]:
        # The labels; for each position, the last valued position up to it and the last gap
        # up to it. Plain lists: a run is asked for once or twice per window, and a list's
        # bisection costs less than a numpy call.
        if self._bounds is None:
            positions = np.arange(len(self.values), dtype=np.int64)
            valued = ~np.isnan(self.values)
            self._bounds = (
                self.labels.tolist(),
                np.maximum.accumulate(np.where(valued, positions, -1)).tolist(),
                np.maximum.accumulate(np.where(valued, -1, positions)).tolist(),
            )
        return self._bounds

    def running_totals(self) -> list[float] | None:
        """Return the running totals of the values clipped at 0 (NaN as 0), from 0, once.

        None when the values are not all whole numbers of a size a float holds exactly: only
        then is a difference of two running totals the same number as the sum of its slice,
        whatever the order of the additions.
        """
        if self._exact is None:
            counts = np.clip(np.where(np.isnan(self.values), 0.0, self.values), 0, None)
            self._exact = bool(
                np.isfinite(counts).all()
                and (counts == np.floor(counts)).all()
                and float(counts.sum()) < _EXACT_SUM
            )
            if self._exact:
                self._totals = [0.0, *np.cumsum(counts).tolist()]
        return self._totals

    def __len__(self) -> int:
        return len(self.labels)


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
    _write(rows, np.flatnonzero(totals), [memo[key] for key in keys])
    if evaluated.plan.aggregation.kind == "proportion":
        _wilson(rows)
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
        _numbers(table, name, at) for name in ("value", "baseline", "change")
    )
    periods = table["period"].to_numpy(dtype="int64")[at]
    last = None if context.baseline is None else context.baseline.last
    reasons = _plain_reasons(context.method, last, periods, value, baseline, change)
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
        counts = _count_pairs(value[tested], baseline[tested] * context.windows)
        inputs = [
            _count_inputs(end, pair, context.series(code), context)
            for code, end, pair in zip(codes, ends, counts, strict=True)
        ]
        # Every count test the rows need, worked out together before they are judged.
        testable = [item for item in inputs if not isinstance(item, str)]
        context.prepare_tests([item[:3] for item in testable])
        plans = [_typical_plan(item[3], context) for item in testable]
        _typical_tests(plans, [item[0] for item in testable], [item[2] for item in testable],
                       context)  # fmt: skip
        next_plan = iter(plans)
        for i, code, end, moved, item in zip(tested, codes, ends, changes, inputs, strict=True):
            plan = None if isinstance(item, str) else next(next_plan)
            memo[keys[i]] = _judge_count(end, item, moved, plan, context.series(code), context)
    elif context.method == "two_proportion":
        parts = _proportion_parts(table, chosen, codes, context)
        for i, code, end, moved, four in zip(tested, codes, ends, changes, parts, strict=True):
            memo[keys[i]] = _judge_proportion(end, four, moved, context.series(code), context)
    else:
        for i, code, end in zip(tested, codes, ends, strict=True):
            memo[keys[i]] = _spc(context.series(code), end, context, "")


def _count_pairs(
    values: npt.NDArray[np.float64], bases: npt.NDArray[np.float64]
) -> list[tuple[int, int] | None]:
    """Return each window's count and its baseline's, None where either is not a whole count."""
    whole = (_are_counts(values) & _are_counts(bases)).tolist()
    return [
        (round(value), round(base)) if ok else None
        for ok, value, base in zip(whole, values.tolist(), bases.tolist(), strict=True)
    ]


def _proportion_parts(
    table: pd.DataFrame, at: npt.NDArray[np.intp], codes: list[str], context: _Context
) -> list[tuple[int, int, int, int] | None]:
    """Return each window's numerator and denominator and the baseline's, as whole counts.

    The baseline's are the area's baseline parts over all the baseline's windows; None where
    any of the four is not a whole count.
    """
    x1, n1 = _numbers(table, "numerator", at), _numbers(table, "denominator", at)
    # The baseline's parts, once per area.
    known: dict[str, tuple[float, float]] = {}
    for code in dict.fromkeys(codes):
        x, n = _number(context.part("numerator", code)), _number(context.part("denominator", code))
        known[code] = (
            math.nan if x is None else x * context.windows,
            math.nan if n is None else n * context.windows,
        )
    base = np.array([known[code] for code in codes], dtype=np.float64).reshape(-1, 2)
    x2, n2 = base[:, 0], base[:, 1]
    whole = (_are_counts(x1) & _are_counts(n1) & _are_counts(x2) & _are_counts(n2)).tolist()
    return [
        (round(a), round(b), round(c), round(d)) if ok else None
        for ok, a, b, c, d in zip(
            whole, x1.tolist(), n1.tolist(), x2.tolist(), n2.tolist(), strict=True
        )
    ]


def _numbers(table: pd.DataFrame, name: str, at: npt.NDArray[np.intp]) -> npt.NDArray[np.float64]:
    """Return a column's values at ``at`` as floats, NaN where :func:`_number` finds none."""
    if name not in table.columns:
        return np.full(len(at), np.nan)
    column = table[name]
    if pd.api.types.is_float_dtype(column.dtype) or pd.api.types.is_integer_dtype(column.dtype):
        numbers = column.to_numpy(dtype="float64", na_value=np.nan)[at]
        return np.where(np.isfinite(numbers), numbers, np.nan)
    # Objects, booleans, strings: each value as the rows' judging reads it.
    found = (_number(v) for v in column.to_numpy(dtype=object)[at].tolist())
    return np.array([np.nan if v is None else v for v in found], dtype=np.float64)


def _plain_reasons(
    method: str,
    last: int | None,
    periods: npt.NDArray[np.int64],
    value: npt.NDArray[np.float64],
    baseline: npt.NDArray[np.float64],
    change: npt.NDArray[np.float64],
) -> npt.NDArray[np.object_]:
    """Return each row's reason for "not comparable" by the plain rules, None where a test decides.

    ``method`` is the measure's status method and ``last`` its baseline's last period (None
    without a baseline). The rules, the first that applies: the measure asks for no status;
    no figure (NaN); no baseline; the window ends before the baseline; no baseline figure
    or no change (NaN).
    """
    reasons = np.full(len(periods), None, dtype=object)
    if method == "none":
        reasons[:] = "The measure asks for no status."
        return reasons
    open_ = ~np.isnan(value)
    reasons[~open_] = "No figure for this window."
    if last is None:
        reasons[open_] = "No baseline to compare with."
        return reasons
    early = open_ & (periods < last)
    reasons[early] = "The window ends before the baseline, so it is not compared."
    open_ &= ~early
    reasons[open_ & (np.isnan(baseline) | np.isnan(change))] = "No baseline figure for this force."
    return reasons


def _write(rows: pd.DataFrame, positions: npt.NDArray[np.intp], items: list[Judgement]) -> None:
    """Set the status columns: the judgements at row ``positions``, the other rows empty."""

    def spread(values: list[object], dtype: str) -> npt.NDArray[Any]:
        # As a column reindexed from the judged rows: NaN where no row was judged.
        out = np.full(len(rows), np.nan, dtype=dtype)
        if len(positions):
            out[positions] = np.array(values, dtype=dtype)
        return out

    def words(values: list[object]) -> pd.Series:
        # Words stay plain objects (a bare array of strings would become a string column).
        return pd.Series(spread(values, "object"), index=rows.index, dtype="object", copy=False)

    rows["status"] = words([j.status for j in items])
    rows["status_method"] = words([j.method for j in items])
    rows["status_reason"] = words([j.reason for j in items])
    p_values = spread([j.p_value for j in items], "float64")
    rows["status_p_value"] = p_values
    rows["status_dispersion"] = spread([j.dispersion for j in items], "float64")
    rows["baseline_typical"] = spread([j.typical for j in items], "float64")
    rows["baseline_unusual"] = words([j.unusual for j in items])
    # The change columns carry the status's own test, so no second verdict can disagree.
    tested = np.zeros(len(rows), dtype=bool)
    if len(positions):
        tested[positions] = [j.method in TEST_WORDS for j in items]
    rows["change_p_value"] = np.where(tested, p_values, np.nan)
    rows["change_significant"] = pd.arrays.BooleanArray(p_values < SIGNIFICANCE, ~tested)
    rows["change_pct_ci_low"] = spread([j.ci_low for j in items], "float64")
    rows["change_pct_ci_high"] = spread([j.ci_high for j in items], "float64")


def _wilson(rows: pd.DataFrame) -> None:
    """Add Wilson 95% intervals, in per cent, to rows with whole numerators and denominators."""
    low = np.full(len(rows), np.nan)
    high = np.full(len(rows), np.nan)
    if {"numerator", "denominator"} <= set(rows.columns):
        x = rows["numerator"].to_numpy(dtype="float64", na_value=np.nan)
        n = rows["denominator"].to_numpy(dtype="float64", na_value=np.nan)
        with np.errstate(invalid="ignore"):
            whole = _are_counts(x) & _are_counts(n) & (x <= n)
        at = np.flatnonzero(whole)
        # Each distinct (x, n) once: the windows' parts repeat across a run's rows.
        pairs, inverse = np.unique(
            np.stack((np.rint(x[at]), np.rint(n[at])), axis=1).astype(np.int64),
            axis=0,
            return_inverse=True,
        )
        found = np.array(
            [_wilson_percent(a, b) for a, b in pairs.tolist()], dtype=np.float64
        ).reshape(-1, 2)
        low[at] = found[inverse.reshape(-1), 0]
        high[at] = found[inverse.reshape(-1), 1]
    rows["ci_low"] = low
    rows["ci_high"] = high


@lru_cache(maxsize=1 << 16)
def _wilson_percent(x: int, n: int) -> tuple[float, float]:
    # Every force's run repeats the same windows' intervals: each is worked out once.
    interval = wilson_interval(x, n)
    return interval.low * 100, interval.high * 100


def _are_counts(values: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
    """Return whether each value is a whole count: finite, at least 0, within 1e-6 of a whole."""
    with np.errstate(invalid="ignore"):
        return np.isfinite(values) & (values >= 0) & (np.abs(values - np.rint(values)) < 1e-6)


_CountInputs = tuple[int, int, float, _Series, Dispersion | None]
"""A window's count test: count, baseline, dispersion used, the history and its estimate."""


def _count_inputs(
    period: int, counts: tuple[int, int] | None, series: _Series, context: _Context
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
    plan: _TypicalPlan | None,
    series: _Series,
    context: _Context,
) -> Judgement:
    """Judge a window's count against the baseline's (``inputs``: :func:`_count_inputs`').

    ``plan`` is :func:`_typical_plan` of the window's history (None without a count test).
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
    _typical(judgement, count, change, plan, phi, context)
    return judgement


def _note(test: CountTest, dispersion: Dispersion | None) -> str:
    """Say which dispersion the test used, and from how much history."""
    if dispersion is None:
        return ""
    history = f"from {dispersion.periods} periods"
    if test.method == "quasi_poisson":
        return f"dispersion {test.dispersion:.1f} {history}"
    return f"dispersion {dispersion.phi:.1f} {history}, near Poisson"


@dataclass(frozen=True)
class _TypicalPlan:
    """A window's typical level and the counts its baseline is tested against (``_typical``)."""

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
        """Return the p-value keys (:meth:`_Context.p_value`) of the baseline against each side."""
        return [(self.base_total, round(total), phi, self.wanted, size)
                for total, size in self.sides]  # fmt: skip


def _typical_plan(history: _Series, context: _Context) -> _TypicalPlan | None:
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
    return _TypicalPlan(typical, low, base_total, others_total, others, wanted, sides_in)


def _typical_tests(
    plans: list[_TypicalPlan | None], counts: list[int], phis: list[float], context: _Context
) -> None:
    """Work out together the p-values :func:`_typical` will ask of each plan, in two rounds.

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


def _typical(
    judgement: Judgement,
    count: int,
    change: float,
    plan: _TypicalPlan | None,
    phi: float,
    context: _Context,
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


def _sums(history: _Series, start: int, stop: int) -> tuple[float, float, float, float]:
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
    context: _Context,
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


def _judge_proportion(
    period: int,
    parts: tuple[int, int, int, int] | None,
    change: float,
    series: _Series,
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
    low, high = _wilson_percent(a, b)
    reason += (
        f" The window's 95% interval is {low:.1f}% to {high:.1f}% "
        f"(Wilson, {a:,} of {b:,}); the baseline's {c:,} of {d:,}."
    )
    return Judgement(status, reason, test.method, test.p_value)


def _spc(series: _Series, period: int, context: _Context, prefix: str) -> Judgement:
    variation = context.variation(series, period)
    if variation is None:
        return Judgement("not comparable", f"{prefix}Too few periods for an SPC reading.".strip())
    status, reason = _SPC_WORDS[variation]
    return Judgement(status, prefix + reason, "spc")


def _number(value: object) -> float | None:
    if value is None or value is pd.NA:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None
