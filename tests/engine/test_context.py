"""The statement's context: its quarter, and whom a force is compared with."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from framework.engine.context import comparison_of, latest_quarter, statement_quarter
from framework.engine.run import Engine, RunResult
from framework.loading.catalogue import load_catalogue
from framework.periods import Span

CATALOGUE = Path(__file__).parents[2] / "measures"


def _result(ends: dict[str, int], synthetic: frozenset[str] = frozenset()) -> RunResult:
    rows = [
        {"measure": measure, "period": period, "value": 1.0, "synthetic": measure in synthetic}
        for measure, end in ends.items()
        for period in range(end - 5, end + 1)
    ]
    return RunResult(pd.DataFrame(rows, columns=["measure", "period", "value", "synthetic"]))


ENDS = st.dictionaries(
    st.sampled_from(["a", "b", "c", "d", "e"]),
    st.integers(min_value=24_000, max_value=24_400),
    min_size=1,
)


@given(ENDS)
def test_the_latest_quarter_is_a_quarter_the_median_measure_reaches(ends: dict[str, int]) -> None:
    span = latest_quarter(_result(ends))
    assert span.months == 3 and span.last % 3 == 2  # ends in March, June, September, December
    lower_median = sorted(ends.values())[(len(ends) - 1) // 2]
    assert lower_median - 2 <= span.last <= lower_median
    reached = [end for end in ends.values() if end >= span.last]
    assert len(reached) >= (len(ends) + 1) // 2


def test_synthetic_measures_do_not_decide_the_quarter() -> None:
    ends = {"real": 24_050, "made_up": 24_300, "made_up_too": 24_300}
    result = _result(ends, frozenset({"made_up", "made_up_too"}))
    assert latest_quarter(result).last == 24_050 - (24_050 % 3 + 1) % 3


class _Runs:
    """A stand-in for the engine that records the months it was run to."""

    def __init__(self, result: RunResult) -> None:
        self.result = result
        self.calls: list[int | None] = []

    def __call__(self, as_of: int | None) -> RunResult:
        self.calls.append(as_of)
        return self.result


def test_a_given_quarter_is_run_once() -> None:
    runs = _Runs(_result({"a": 24_100}))
    result, span = statement_quarter(runs, Span(24_090, 24_092))
    assert (runs.calls, span, result) == ([24_092], Span(24_090, 24_092), runs.result)


def test_the_latest_quarter_is_run_again_only_when_the_data_go_past_it() -> None:
    past = _Runs(_result({"a": 24_100}))
    assert statement_quarter(past, None)[1] == Span(24_096, 24_098)
    assert past.calls == [None, 24_098]
    ending = _Runs(_result({"a": 24_098}))
    assert statement_quarter(ending, None)[1] == Span(24_096, 24_098)
    assert ending.calls == [None]


def test_nothing_to_report_has_no_quarter() -> None:
    runs = _Runs(RunResult(pd.DataFrame(columns=["measure", "period", "value", "synthetic"])))
    assert statement_quarter(runs, None) == (runs.result, None)
    assert runs.calls == [None]


def test_a_force_is_compared_with_its_region_and_named_group() -> None:
    catalogue = load_catalogue(CATALOGUE)
    engine = Engine(catalogue)
    force = catalogue.forces[0].model
    comparison = comparison_of(engine, force)
    assert comparison.force_code == engine.force_code(force)
    assert comparison.msg_codes == engine.groups(force).get("msg", ())
    assert comparison.force_code in comparison.region_codes
    own = engine.areas.get(comparison.force_code)
    assert own is not None and comparison.names[own.code] == own.name
    assert len(comparison.names) == 43
    assert comparison.notes == ()
