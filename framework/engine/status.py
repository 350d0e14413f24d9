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

A measure's rows are judged in passes: first every history a count test needs is found
and all their dispersions are estimated in one batch
(:func:`framework.stats.dispersion.estimate_dispersions`), then each row is judged.
"""

from __future__ import annotations

import math
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
    overdispersed_p_value,
)
from framework.stats.poisson import SMALL_COUNT
from framework.stats.proportions import compare_proportions, wilson_interval
from framework.stats.spc import SeriesKind
from framework.stats.variation import Variation
from framework.stats.verdict import SIGNIFICANCE, Status, format_p, judge, significant

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


Row = dict[Hashable, Any]
"""One result row's columns, by name."""


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
        self._parts: dict[str, dict[Hashable, object]] = {
            name: part.to_dict() for name, part in evaluated.baseline_parts.items()
        }
        self._tests: dict[tuple[int, int, float], CountTest] = {}
        self._kinds: dict[str, tuple[SeriesKind, npt.NDArray[np.float64] | None]] = {}
        self._p_values: dict[tuple[int, int, float, int, int], tuple[CountMethod, float]] = {}
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

    def series(self, code: str) -> _Series:
        """Return the area's per-period series (all missing when it has none), made once."""
        known = self._series.get(code)
        if known is not None:
            return known
        figure = self.evaluated.per_period.figure
        labels = figure.index.to_numpy(dtype="int64")
        if code not in figure.columns:
            made = _Series(code, labels, np.full(len(labels), np.nan))
        else:
            made = _Series(code, labels, figure[code].to_numpy(dtype="float64"))
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

    def estimate(self, rows: list[Row]) -> None:
        """Estimate, in one batch, the dispersion of every count history the rows will test."""
        if self.method != "quasi_poisson" or self.baseline is None:
            return
        wanted: dict[tuple[str, int], _Series] = {}
        for row in rows:
            if _number(row.get("value")) is None or int(row["period"]) < self.baseline.last:
                continue
            code = str(row["area_code"])
            last = int(row["period"]) - self.plan.window_months
            key = (code, last)
            if key not in wanted and key not in self.dispersions:
                wanted[key] = self.series(code).run(last)
        histories = list(wanted.values())
        # A negative period (a publisher's correction of earlier counts) counts as none.
        estimates = estimate_dispersions(
            [(np.clip(h.values, 0, None), h.labels % 12) for h in histories]
        )
        self.dispersions.update(zip(wanted, estimates, strict=True))

    def dispersion(self, history: _Series, last: int) -> Dispersion | None:
        """Return the history's dispersion, from the batch (or estimated now, if not in it)."""
        key = (history.code, last)
        if key not in self.dispersions:
            # A negative period (a publisher's correction of earlier counts) counts as none.
            self.dispersions[key] = estimate_dispersion(
                np.clip(history.values, 0, None), season=history.labels % 12
            )
        return self.dispersions[key]


class _Series:
    """A force's per-period figures: period labels and values (NaN where missing)."""

    def __init__(
        self, code: str, labels: npt.NDArray[np.int64], values: npt.NDArray[np.float64]
    ) -> None:
        self.code = code
        self.labels = labels
        self.values = values
        self._bounds: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]] | None = None

    def run(self, last: int) -> _Series:
        """Return the latest unbroken run of values up to period ``last`` (as ``latest_run``)."""
        if self._bounds is None:
            # For each position: the last valued position up to it, and the last gap up to it.
            positions = np.arange(len(self.values), dtype=np.int64)
            valued = ~np.isnan(self.values)
            self._bounds = (
                np.maximum.accumulate(np.where(valued, positions, -1)),
                np.maximum.accumulate(np.where(valued, -1, positions)),
            )
        last_valued, last_gap = self._bounds
        stop = int(np.searchsorted(self.labels, last, side="right"))
        end = int(last_valued[stop - 1]) + 1 if stop else 0
        if end == 0:
            return _Series(self.code, self.labels[:0], self.values[:0])
        start = int(last_gap[end - 1]) + 1
        return _Series(self.code, self.labels[start:end], self.values[start:end])

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
    rows = rows.copy()
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
        # Only the windows not judged before: first every dispersion they need, then each.
        context = _Context(evaluated, profile_of)
        # The rows as plain dicts, built from each column's values (``to_dict`` is slower).
        names = list(table.columns)
        columns = [table[name].to_numpy()[unknown].tolist() for name in names]
        records: list[Row] = [
            dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)
        ]
        context.estimate(records)
        for i, row in zip(unknown, records, strict=True):
            memo[keys[i]] = _judge_row(row, context.series(keys[i][0]), context)
    _write(rows, np.flatnonzero(totals), [memo[key] for key in keys])
    if evaluated.plan.aggregation.kind == "proportion":
        _wilson(rows)
    return rows


def _write(rows: pd.DataFrame, positions: npt.NDArray[np.intp], items: list[Judgement]) -> None:
    """Set the status columns: the judgements at row ``positions``, the other rows empty."""

    def column(values: list[object], dtype: str) -> pd.Series:
        # As a column reindexed from the judged rows: NaN where no row was judged; words
        # stay plain objects.
        out = np.full(len(rows), np.nan, dtype=dtype)
        if len(positions):
            out[positions] = np.array(values, dtype=dtype)
        return pd.Series(out, index=rows.index, dtype=dtype, copy=False)

    rows["status"] = column([j.status for j in items], "object")
    rows["status_method"] = column([j.method for j in items], "object")
    rows["status_reason"] = column([j.reason for j in items], "object")
    p_values = column([j.p_value for j in items], "float64")
    rows["status_p_value"] = p_values
    rows["status_dispersion"] = column([j.dispersion for j in items], "float64")
    rows["baseline_typical"] = column([j.typical for j in items], "float64")
    rows["baseline_unusual"] = column([j.unusual for j in items], "object")
    # The change columns carry the status's own test, so no second verdict can disagree.
    tested = np.zeros(len(rows), dtype=bool)
    if len(positions):
        tested[positions] = [j.method in TEST_WORDS for j in items]
    rows["change_p_value"] = p_values.where(tested)
    rows["change_significant"] = pd.arrays.BooleanArray(p_values.to_numpy() < SIGNIFICANCE, ~tested)
    rows["change_pct_ci_low"] = column([j.ci_low for j in items], "float64")
    rows["change_pct_ci_high"] = column([j.ci_high for j in items], "float64")


def _wilson(rows: pd.DataFrame) -> None:
    """Add Wilson 95% intervals, in per cent, to rows with whole numerators and denominators."""
    low = np.full(len(rows), np.nan)
    high = np.full(len(rows), np.nan)
    if {"numerator", "denominator"} <= set(rows.columns):
        numerators = rows["numerator"].to_numpy(dtype="float64")
        denominators = rows["denominator"].to_numpy(dtype="float64")
        for i, (x, n) in enumerate(zip(numerators, denominators, strict=True)):
            if _is_count(x) and _is_count(n) and 0 <= x <= n:
                low[i], high[i] = _wilson_percent(round(x), round(n))
    rows["ci_low"] = low
    rows["ci_high"] = high


@lru_cache(maxsize=1 << 16)
def _wilson_percent(x: int, n: int) -> tuple[float, float]:
    # Every force's run repeats the same windows' intervals: each is worked out once.
    interval = wilson_interval(x, n)
    return interval.low * 100, interval.high * 100


def _judge_row(row: Row, series: _Series, context: _Context) -> Judgement:
    value = _number(row.get("value"))
    baseline_step = context.baseline
    if context.method == "none":
        return Judgement("not comparable", "The measure asks for no status.")
    if value is None:
        return Judgement("not comparable", "No figure for this window.")
    if baseline_step is None:
        return Judgement("not comparable", "No baseline to compare with.")
    if int(row["period"]) < baseline_step.last:
        return Judgement(
            "not comparable", "The window ends before the baseline, so it is not compared."
        )
    baseline = _number(row.get("baseline"))
    change = _number(row.get("change"))
    if baseline is None or change is None:
        return Judgement("not comparable", "No baseline figure for this force.")
    if context.method in {"quasi_poisson", "exact_poisson"}:
        return _judge_count(row, value, baseline, change, series, context)
    if context.method == "two_proportion":
        return _judge_proportion(row, change, series, context)
    return _spc(series, int(row["period"]), context, "")


def _judge_count(
    row: Row,
    value: float,
    baseline: float,
    change: float,
    series: _Series,
    context: _Context,
) -> Judgement:
    period = int(row["period"])
    base_total = baseline * context.windows
    if not (_is_count(value) and _is_count(base_total)):
        return _spc(series, period, context, "The figures are not whole counts, so no count test "
                    "applies. ")  # fmt: skip
    count, base = round(value), round(base_total)
    last = period - context.plan.window_months
    history = series.run(last)
    dispersion = None
    if context.method == "quasi_poisson":
        dispersion = context.dispersion(history, last)
        if dispersion is None:
            too_short = (
                f"Too short a history to estimate the dispersion ({len(history)} periods "
                "before the window)"
            )
            if max(count, base) >= SMALL_COUNT:
                return _spc(series, period, context, f"{too_short}, so the status reads the "
                            "SPC chart instead. ")  # fmt: skip
    phi = dispersion.used if dispersion is not None else 1.0
    test = context.compare(count, base, phi)
    status, reason = judge(
        change, test.p_value, context.improvement, TEST_WORDS[test.method], _note(test, dispersion)
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
    _typical(judgement, count, change, history, phi, context)
    return judgement


def _note(test: CountTest, dispersion: Dispersion | None) -> str:
    """Say which dispersion the test used, and from how much history."""
    if dispersion is None:
        return ""
    history = f"from {dispersion.periods} periods"
    if test.method == "quasi_poisson":
        return f"dispersion {test.dispersion:.1f} {history}"
    return f"dispersion {dispersion.phi:.1f} {history}, near Poisson"


def _typical(
    judgement: Judgement,
    count: int,
    change: float,
    history: _Series,
    phi: float,
    context: _Context,
) -> None:
    """Compare the baseline with the force's typical level; name it and re-judge when unusual.

    The typical level is the force's mean over its history before the window, the
    baseline's own periods left out. The baseline is unusual when it differs significantly
    (with the force's dispersion) both from the periods before it and from those after
    it, where each has at least a window's worth: a dip or a spike, not a lasting change of
    level. The window must then also differ significantly from the typical level to be
    called improving or worsening.
    """
    step = context.baseline
    assert step is not None
    labels = history.labels
    counts = np.clip(history.values, 0, None)
    # The history's periods are in order: the baseline's span is one slice of it.
    start = int(np.searchsorted(labels, step.first, side="left"))
    stop = int(np.searchsorted(labels, step.last, side="right"))
    wanted = context.windows * context.per_window
    others = len(labels) - (stop - start)
    if stop - start != wanted or others < 2 * wanted:
        return
    base_total = round(float(counts[start:stop].sum()))
    others_total = round(float(np.concatenate((counts[:start], counts[stop:])).sum()))
    if others_total <= 0:
        return
    typical = others_total / others * context.per_window
    judgement.typical = typical
    low = base_total / wanted < others_total / others
    # Each side with a window's worth of periods: its total, and how many periods it has.
    sides_in = [
        (float(side.sum()), len(side))
        for side in (counts[:start], counts[stop:])
        if len(side) >= context.per_window
    ]
    if not sides_in or any((base_total / wanted < total / size) != low for total, size in sides_in):
        return
    sides: list[tuple[float, tuple[CountMethod, float]]] = []
    for total, size in sides_in:
        tested = context.p_value(base_total, round(total), phi, wanted, size)
        if not significant(tested[1]):
            return  # not unusual against this side: the other's test is not needed
        sides.append((total / size, tested))
    judgement.unusual = "low" if low else "high"
    method, p_now = context.p_value(count, others_total, phi, context.per_window, others)
    words = TEST_WORDS[method]
    status, _ = judge(count - typical, p_now, context.improvement, words)
    named = _name_baseline(base_total / context.windows, typical, low, context, sides)
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


def _judge_proportion(row: Row, change: float, series: _Series, context: _Context) -> Judgement:
    period = int(row["period"])
    code = str(row["area_code"])
    x1, n1 = _number(row.get("numerator")), _number(row.get("denominator"))
    x2 = _number(context.part("numerator", code))
    n2 = _number(context.part("denominator", code))
    counts = [x1, n1, None if x2 is None else x2 * context.windows,
              None if n2 is None else n2 * context.windows]  # fmt: skip
    if not all(c is not None and _is_count(c) for c in counts):
        return _spc(series, period, context, "The proportion's parts are not whole counts, so "
                    "no test of proportions applies. ")  # fmt: skip
    a, b, c, d = (round(float(v)) for v in counts if v is not None)
    if b == 0 or d == 0 or a > b or c > d:
        return Judgement("not comparable", "No responses to compare.")
    test = compare_proportions(a, b, c, d)
    status, reason = judge(change, test.p_value, context.improvement, TEST_WORDS[test.method])
    interval = wilson_interval(a, b)
    reason += (
        f" The window's 95% interval is {interval.low * 100:.1f}% to {interval.high * 100:.1f}% "
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


def _is_count(value: float) -> bool:
    return math.isfinite(value) and value >= 0 and abs(value - round(value)) < 1e-6
