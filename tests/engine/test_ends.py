"""The statement's light first pass: where each measure's rows end, without laying them out."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framework.engine.context import latest_quarter, statement_quarter
from framework.engine.ends import end_rows
from framework.engine.evaluate import Evaluated
from framework.engine.results import component_rows, finish, total_rows
from framework.engine.run import RunResult, _own_and_latest
from framework.periods import Span
from tests.engine import real_catalogue
from tests.engine.builders import AREAS, evaluate, frame, measure, population

START = 24_201  # October 2016

AGGREGATIONS: list[dict[str, Any]] = [
    {"kind": "count"},
    {"kind": "rate", "per": 1000},
    {"kind": "mean", "column": "value"},
    {"kind": "proportion", "numerator": {"filters": {"kind": ["a"]}}, "denominator": {}},
]

rows_strategy = st.lists(
    st.tuples(
        st.integers(START, START + 35),
        st.sampled_from(AREAS),
        st.sampled_from(["a", "b"]),
        # NaN: a cell the source marks missing ('..'), which empties its windows.
        st.one_of(st.integers(0, 30).map(float), st.just(math.nan)),
    ),
    min_size=1,
    max_size=80,
)


def _laid_out(evaluated: Evaluated, own: str) -> pd.DataFrame:
    """Lay the measure's rows out as a statement's run of all the data does."""
    names = {code: code for code in AREAS}
    rows = pd.concat(
        [
            total_rows(evaluated, AREAS, names, own),
            component_rows(evaluated, AREAS, names),
        ],
        ignore_index=True,
    )
    rows = finish(_own_and_latest(rows, own, None), evaluated, None)
    rows["synthetic"] = evaluated.plan.dataset.synthetic
    return rows


def _ends(rows: pd.DataFrame) -> tuple[int, int | None]:
    valued = rows.loc[rows["value"].notna(), "period"]
    return int(rows["period"].max()), int(valued.max()) if len(valued) else None


@pytest.mark.slow  # 80 generated measures, each evaluated and laid out
@settings(max_examples=80, deadline=None)
@given(
    rows_strategy,
    st.sampled_from(AGGREGATIONS),
    st.booleans(),
    st.sampled_from([("month", 1), ("month", 3), ("quarter", 3), ("month", 12)]),
    st.lists(st.sampled_from([0.0, 1000.0]), min_size=3, max_size=3),
    st.sampled_from(AREAS),
)
def test_the_ends_are_those_of_the_laid_out_rows(
    rows: list[tuple[int, str, str, float]],
    aggregation: dict[str, Any],
    breakdown: bool,
    grain_months: tuple[str, int],
    residents: list[float],
    own: str,
) -> None:
    grain, months = grain_months
    m = measure(
        aggregation=aggregation,
        grain=grain,
        window={"kind": "rolling", "months": months},
        **({"breakdown": ["kind"]} if breakdown else {}),
    )
    # A population of 0 leaves a rate empty where the count is not.
    pop = population(dict(zip(AREAS, residents, strict=True)))
    evaluated = evaluate(m, frame(rows), pop=pop)
    laid_out = _laid_out(evaluated, own)
    ends = end_rows(evaluated, own, AREAS)
    assert _ends(ends) == _ends(laid_out)
    assert set(ends.columns) == {"measure", "period", "value", "synthetic"}
    assert latest_quarter(RunResult(ends)) == latest_quarter(RunResult(laid_out))


class _Runs:
    """Stand-ins for the engine's run and light pass that record how they were called."""

    def __init__(self, full: RunResult, survey: RunResult) -> None:
        self.full = full
        self.found = survey
        self.calls: list[int | None] = []
        self.surveys = 0

    def __call__(self, as_of: int | None) -> RunResult:
        self.calls.append(as_of)
        return self.full

    def survey(self) -> RunResult:
        self.surveys += 1
        return self.found


def _result(ends: dict[str, int]) -> RunResult:
    rows = [
        {"measure": measure_id, "period": period, "value": 1.0, "synthetic": False}
        for measure_id, end in ends.items()
        for period in (end - 3, end)
    ]
    return RunResult(pd.DataFrame(rows, columns=["measure", "period", "value", "synthetic"]))


def test_with_a_light_pass_the_statement_is_run_once() -> None:
    past = _Runs(_result({"a": 24_100}), _result({"a": 24_100}))
    assert statement_quarter(past, None, survey=past.survey) == (past.full, Span(24_096, 24_098))
    assert (past.surveys, past.calls) == (1, [24_098])
    ending = _Runs(_result({"a": 24_098}), _result({"a": 24_098}))
    assert statement_quarter(ending, None, survey=ending.survey)[1] == Span(24_096, 24_098)
    assert ending.calls == [None]  # the data end at the quarter: nothing to cut


def test_a_given_quarter_needs_no_light_pass() -> None:
    runs = _Runs(_result({"a": 24_100}), _result({"a": 24_100}))
    assert statement_quarter(runs, Span(24_090, 24_092), survey=runs.survey)[1] == Span(
        24_090, 24_092
    )
    assert (runs.surveys, runs.calls) == (0, [24_092])


def test_nothing_found_by_the_light_pass_has_no_quarter() -> None:
    empty = RunResult(pd.DataFrame(columns=["measure", "period", "value", "synthetic"]))
    runs = _Runs(_result({"a": 24_100}), empty)
    assert statement_quarter(runs, None, survey=runs.survey) == (empty, None)
    assert runs.calls == []


@pytest.mark.slow
def test_the_light_pass_finds_the_quarter_of_the_real_statement() -> None:
    from renderers.assemble.national import statement_run

    catalogue = real_catalogue.catalogue()
    engine = real_catalogue.engine()
    force = catalogue.forces[0].model
    found = engine.survey(force, catalogue.measures)
    full = statement_run(engine, catalogue, force, None)
    assert latest_quarter(found) == latest_quarter(full)
    assert int(found.frame["period"].max()) == int(full.frame["period"].max())
    for measure_id, rows in full.frame.groupby("measure"):
        assert _ends(found.frame.loc[found.frame["measure"] == measure_id]) == _ends(rows)
    assert set(found.frame["measure"]) == set(full.frame["measure"])
    assert found.findings == full.findings
    assert (found.unavailable, found.not_supplied) == (full.unavailable, full.not_supplied)
