"""Property tests of comparator coverage: never invented, never pooled from fewer members."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from framework.engine.evaluate import Evaluated, evaluate_plan
from framework.engine.plan import build_plan
from framework.engine.results import total_rows
from tests.engine.builders import AREAS, FORCE, dataset, frame, measure, population

START = 24_201
MONTHS = 15
NATION = "K04000001"
NAMES = dict(zip(AREAS, ("First", "Second", "Third"), strict=True))

# For each area, which months it reports (None: a month the source did not report) and what.
area_months = st.lists(
    st.one_of(st.none(), st.integers(0, 40).map(float)), min_size=MONTHS, max_size=MONTHS
)
areas_data = st.fixed_dictionaries({area: st.one_of(st.none(), area_months) for area in AREAS})


def _rows(data: dict[str, list[float | None] | None]) -> list[tuple[int, str, str, float]]:
    return [
        (START + month, area, "a", value)
        for area, months in data.items()
        if months is not None
        for month, value in enumerate(months)
        if value is not None
    ]


def _run(
    rows: list[tuple[int, str, str, float]], published: tuple[str, ...] = ()
) -> tuple[Evaluated, pd.DataFrame]:
    m = measure(comparators=["national", "msg"], window={"kind": "rolling", "months": 3})
    groups = {"national": tuple(AREAS), "msg": tuple(AREAS)}
    plan = build_plan(m, dataset(), FORCE, groups, "data/test.csv")
    pop = population(dict.fromkeys([*AREAS, NATION], 1000.0))
    result = evaluate_plan(plan, frame(rows), AREAS, pop, None, published)
    table = total_rows(result, AREAS[:1], NAMES, AREAS[0], {"national": NATION})
    return result, table.set_index("period")


@settings(max_examples=80, deadline=None)
@given(areas_data)
def test_a_comparator_is_empty_exactly_when_a_member_lacks_data(
    data: dict[str, list[float | None] | None],
) -> None:
    rows = _rows(data)
    assume(rows)
    result, table = _run(rows)
    figures = result.totals.figure.reindex(table.index)
    everyone_has_data = figures[AREAS].notna().all(axis=1)
    assert table["national_value"].notna().equals(everyone_has_data)
    assert table["msg_average"].notna().equals(everyone_has_data)
    # Every empty cell says why; no filled cell carries a reason.
    assert table["national_empty_reason"].notna().equals(~everyone_has_data)
    assert table["msg_empty_reason"].notna().equals(~everyone_has_data)


@settings(max_examples=80, deadline=None)
@given(areas_data)
def test_pooling_never_invents_members(data: dict[str, list[float | None] | None]) -> None:
    rows = _rows(data)
    assume(rows)
    result, table = _run(rows)
    figures = result.totals.figure.reindex(table.index)[AREAS]
    filled = table["national_value"].notna()
    # A pooled figure is exactly the sum of the members' own figures, all of them present.
    expected = figures.sum(axis=1, min_count=len(AREAS))
    assert np.allclose(table.loc[filled, "national_value"], expected[filled])
    assert (table["national_members_with_data"] <= len(AREAS)).all()
    assert (table.loc[filled, "national_members_with_data"] == len(AREAS)).all()
    assert (table.loc[filled, "national_source"] == "pooled").all()


@settings(max_examples=60, deadline=None)
@given(areas_data, area_months)
def test_a_published_row_is_used_verbatim(
    data: dict[str, list[float | None] | None], nation: list[float | None]
) -> None:
    assume(_rows(data))  # a table without a force's row is an error of its own (RUN003)
    assume(any(value is not None for value in nation))
    rows = _rows(data) + _rows({NATION: nation})
    result, table = _run(rows, published=(NATION,))
    assert result.published is not None
    published = result.published.figure[NATION].reindex(table.index)
    has = published.notna()
    assert table.loc[has, "national_value"].equals(published[has])
    assert (table.loc[has, "national_source"] == "published").all()
    assert table.loc[has, "national_empty_reason"].isna().all()
    # Where the table has no row for the window, the forces are pooled only if all report.
    pooled = table.loc[~has]
    assert pooled["national_value"].notna().equals(pooled["national_source"].eq("pooled"))
