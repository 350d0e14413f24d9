"""Comparators only where the data cover their members; a table's own rows used as published."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from framework.engine.coverage import Coverage
from framework.engine.evaluate import Evaluated, EvaluationError, evaluate_plan
from framework.engine.plan import build_plan
from framework.engine.results import total_rows
from tests.engine.builders import AREAS, FORCE, dataset, frame, measure, population

START = 24_201  # October 2016
NATION = "K04000001"
NAMES = {AREAS[0]: "First", AREAS[1]: "Second", AREAS[2]: "Third"}
GROUPS = {"national": tuple(AREAS), "msg": tuple(AREAS)}


def _months(area: str, count: int = 12, value: float = 1.0) -> list[tuple[int, str, str, float]]:
    return [(START + i, area, "a", value) for i in range(count)]


def _evaluate(
    rows: list[tuple[int, str, str, float]],
    coverage: Coverage | None = None,
    published: tuple[str, ...] = (),
    pop: pd.DataFrame | None = None,
    **dataset_fields: Any,
) -> Evaluated:
    m = measure(comparators=["national", "msg"])
    plan = build_plan(m, dataset(**dataset_fields), FORCE, GROUPS, "data/test.csv")
    pop = pop if pop is not None else population(dict.fromkeys([*AREAS, NATION], 1000.0))
    return evaluate_plan(plan, frame(rows), AREAS, pop, coverage, published)


def _last(result: Evaluated) -> pd.Series:
    table = total_rows(result, AREAS[:1], NAMES, AREAS[0], {"national": NATION})
    last: pd.Series = table.loc[table["period"] == table["period"].max()].iloc[0]
    return last


@pytest.mark.parametrize("complete", [False, True])
def test_a_force_only_extract_gives_no_comparator_and_says_why(complete: bool) -> None:
    # Before: England and Wales was the force's own figure (complete: false), or the force's
    # figure with the other forces counted as zero (complete: true).
    last = _last(_evaluate(_months(AREAS[0]), complete=complete))
    assert last["value"] == 12
    assert np.isnan(last["national_value"]) and np.isnan(last["national_rate"])
    assert last["national_empty_reason"] == "the dataset holds only First"
    assert last["national_source"] is None
    assert np.isnan(last["msg_average"]) and np.isnan(last["msg_rank"])
    assert last["msg_empty_reason"] == "the dataset holds only First"


def test_a_complete_extract_does_not_make_other_forces_zero() -> None:
    result = _evaluate(_months(AREAS[0]), complete=True)
    assert result.totals.figure[AREAS[0]].iloc[-1] == 12
    assert result.totals.figure[AREAS[1]].isna().all()


def test_a_declared_force_only_dataset_ignores_comparators_even_with_other_rows() -> None:
    rows = _months(AREAS[0]) + _months(AREAS[1]) + _months(AREAS[2])
    last = _last(_evaluate(rows, covers="force_only"))
    assert last["national_empty_reason"] == "the dataset holds only First"


def test_a_member_without_a_figure_empties_the_window_never_pools_fewer() -> None:
    rows = _months(AREAS[0]) + _months(AREAS[1], value=2.0)
    rows += [(START + i, AREAS[2], "a", 1.0) for i in range(11)]  # the last month is missing
    last = _last(_evaluate(rows, covers="all_forces"))
    assert np.isnan(last["national_value"])
    assert last["national_members_with_data"] == 2
    assert last["national_empty_reason"] == (
        "1 of 3 forces of England and Wales has no figure for this window (Third)"
    )
    assert last["msg_empty_reason"] == (
        "1 of 3 most similar group members has no figure for this window (Third)"
    )


def test_a_dataset_that_does_not_hold_every_member_names_the_missing() -> None:
    rows = _months(AREAS[0]) + _months(AREAS[1])
    last = _last(_evaluate(rows))
    assert last["national_empty_reason"] == (
        "the dataset does not hold 1 of the 3 forces of England and Wales (Third)"
    )


def test_full_coverage_pools_every_member_as_pooled() -> None:
    rows = _months(AREAS[0]) + _months(AREAS[1], value=2.0) + _months(AREAS[2], value=3.0)
    last = _last(_evaluate(rows))
    assert last["national_value"] == 12 * 6
    assert last["national_source"] == "pooled"
    assert last["national_empty_reason"] is None
    assert last["msg_average"] == pytest.approx((12 + 24 + 36) / 3 / 1000 * 100_000)


def test_the_tables_own_england_and_wales_row_is_the_comparator() -> None:
    # The published total differs from the forces' sum (British Transport Police, say).
    rows = _months(AREAS[0]) + _months(NATION, value=10.0)
    pop = population({AREAS[0]: 1000.0, AREAS[1]: 1000.0, AREAS[2]: 1000.0, NATION: 5000.0})
    last = _last(_evaluate(rows, published=(NATION,), pop=pop))
    assert last["national_value"] == 120
    assert last["national_rate"] == pytest.approx(120 / 5000 * 100_000)
    assert last["national_source"] == "published"
    assert last["national_empty_reason"] is None
    assert last["msg_empty_reason"] == "the dataset holds only First"


def test_a_covers_list_that_names_no_force_is_an_error() -> None:
    with pytest.raises(EvaluationError) as raised:
        _evaluate(_months(AREAS[0]), covers=["Nowhere"])
    assert raised.value.code == "RUN004"


def test_a_named_group_needs_every_member_too() -> None:
    m = measure(comparators=["pair"])
    groups: dict[str, tuple[str, ...]] = {"pair": (AREAS[0], AREAS[1])}
    plan = build_plan(m, dataset(), FORCE, groups, "data/test.csv")
    rows = _months(AREAS[0]) + _months(AREAS[2])
    pop = population(dict.fromkeys(AREAS, 1000.0))
    result = evaluate_plan(plan, frame(rows), AREAS, pop)
    table = total_rows(result, AREAS[:1], NAMES, AREAS[0])
    last = table.loc[table["period"] == table["period"].max()].iloc[0]
    assert np.isnan(last["pair_value"])
    assert last["pair_empty_reason"] == (
        "the dataset does not hold 1 of the 2 members of the group pair (Second)"
    )
    covered = evaluate_plan(plan, frame(rows + _months(AREAS[1], value=4.0)), AREAS, pop)
    table = total_rows(covered, AREAS[:1], NAMES, AREAS[0])
    last = table.loc[table["period"] == table["period"].max()].iloc[0]
    assert last["pair_value"] == 12 + 48
    assert last["pair_source"] == "pooled"
