"""The statuses' SPC readings, read per area at once, equal each period's own chart."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framework.engine.signals import series_kind
from framework.engine.status import _Context
from framework.engine.status_series import AreaSeries
from framework.model.measure import Improvement
from framework.model.spc import SpcProfile
from framework.stats.spc import analyse_series
from framework.stats.variation import Variation

from ..stats._helpers import profile
from . import builders as b

FIRST = 24_000  # a month index: January 2000
CATALOGUE = Path(__file__).parents[2] / "measures"


def _own_chart(context: _Context, series: AreaSeries, period: int) -> Variation | None:
    """Return the reading as each period's own chart gives it: the latest run up to it."""
    run = series.run(period)
    if len(run) < 2 or int(run.labels[-1]) != period:
        return None
    kind, denominators = series_kind(context.evaluated, run.code, run.labels, run.values)
    result = analyse_series(
        run.values,
        context.profile,
        improvement=context.improvement,
        kind=kind,
        denominators=denominators,
    )
    return result.variation[-1]


# Gaps (None), whole counts (small and large) and, now and then, a figure that is not whole.
values = st.lists(
    st.none() | st.integers(0, 3) | st.integers(0, 400) | st.sampled_from([2.5, -1.0]),
    min_size=1,
    max_size=36,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    values,
    st.lists(st.integers(0, 40), min_size=1, max_size=12),
    st.builds(
        profile,
        shift_points=st.integers(2, 8),
        trend_points=st.integers(2, 8),
        fix_after=st.none() | st.integers(2, 12),
        rare_event_mean=st.none() | st.floats(0.5, 5),
    ),
    st.sampled_from(["lower_is_better", "higher_is_better", "neutral"]),
    st.booleans(),
)
def test_each_period_s_reading_is_its_own_chart_s(
    figures: list[float | None],
    asked: list[int],
    spc: SpcProfile,
    improvement: Improvement,
    with_baseline: bool,
) -> None:
    rows = [
        (FIRST + month, area, "a", float(value))
        for month, value in enumerate(figures)
        if value is not None
        for area in b.AREAS
    ]
    if not rows:
        return
    fields: dict[str, object] = {"improvement": improvement}
    if with_baseline:
        fields["baseline"] = {"label": "2000", "start": "2000-01", "end": "2000-12"}
    evaluated = b.evaluate(b.measure(**fields), b.frame(rows))
    context = _Context(evaluated, lambda _: spc)
    series = context.series(b.AREAS[0])
    # Periods asked in any order, again and again, some before, inside and after the series.
    for month in asked:
        period = FIRST + month
        assert context.variation(series, period) == _own_chart(context, series, period)
    # Every period the first calls read at once, as well as those asked.
    for period in series.labels.tolist():
        assert context.variation(series, period) == _own_chart(context, series, period)


def test_a_run_s_whole_start_is_read_as_a_count_and_its_end_as_a_measurement() -> None:
    # Seven zeros after a one: a rare count read around its median (0) shows no shift; the
    # same points in a series that later holds 2.5 are a measurement, and they are a shift.
    figures = [1, 0, 0, 0, 0, 0, 0, 0, 2.5]
    rows = [(FIRST + m, area, "a", float(v)) for m, v in enumerate(figures) for area in b.AREAS]
    evaluated = b.evaluate(b.measure(improvement="lower_is_better"), b.frame(rows))
    context = _Context(evaluated, lambda _: profile())
    series = context.series(b.AREAS[0])
    last = FIRST + len(figures) - 1
    # Asked first, the earlier period is read in one batch with the later.
    assert context.variation(series, last - 1) == "common_cause"
    assert context.variation(series, last - 1) == _own_chart(context, series, last - 1)
    assert context.variation(series, last) == _own_chart(context, series, last)
    assert analyse_series([1.0, *[0.0] * 7], profile(), improvement="lower_is_better").variation[
        -1
    ] == ("improvement")


def test_an_infinite_figure_fails_only_the_periods_whose_chart_holds_it() -> None:
    figures = [5.0, 7.0, 6.0, 8.0, math.inf]
    rows = [(FIRST + m, area, "a", v) for m, v in enumerate(figures) for area in b.AREAS]
    evaluated = b.evaluate(b.measure(), b.frame(rows))
    context = _Context(evaluated, lambda _: profile())
    series = context.series(b.AREAS[0])
    last = FIRST + len(figures) - 1
    assert context.variation(series, last - 1) == _own_chart(context, series, last - 1)
    message = r"no missing or infinite values; see position\(s\) \[4\]"
    with pytest.raises(ValueError, match=message):
        _own_chart(context, series, last)
    with pytest.raises(ValueError, match=message):
        context.variation(series, last)


@pytest.mark.slow
@pytest.mark.parametrize("measure_id", ["victim_satisfaction", "knife_crime"])
def test_real_series_readings_are_their_own_charts(
    monkeypatch: pytest.MonkeyPatch, measure_id: str
) -> None:
    # A proportion with its denominators (p-charts) and a count, every force, every period.
    import framework.engine.run as run
    import framework.engine.status as status
    from framework.engine.evaluate import Evaluated
    from framework.engine.run import Engine
    from framework.loading.catalogue import load_catalogue

    seen: list[Evaluated] = []

    def spy(rows: pd.DataFrame, evaluated: Evaluated, *args: Any, **kwargs: Any) -> pd.DataFrame:
        seen.append(evaluated)
        return status.attach_status(rows, evaluated, *args, **kwargs)

    monkeypatch.setattr(run, "attach_status", spy)
    catalogue = load_catalogue(CATALOGUE)
    item, force = catalogue.measure(measure_id), catalogue.force("warwickshire")
    assert item is not None and force is not None
    Engine(catalogue).run(force.model, [item], all_forces=True)
    assert seen
    read = 0
    for evaluated in seen:
        context = _Context(evaluated, lambda _: profile())
        for code in evaluated.per_period.figure.columns:
            series = context.series(str(code))
            for period in series.labels.tolist()[::-1]:  # every period, the latest first
                expected = _own_chart(context, series, period)
                assert context.variation(series, period) == expected
                read += expected is not None
    assert read > 100
