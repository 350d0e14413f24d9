"""Missing data stays missing: never a zero, never a shorter window, never a silent drop."""

from __future__ import annotations

import numpy as np

from framework.engine.results import total_rows
from tests.engine.builders import AREAS, dataset, evaluate, frame, measure

QUARTER_START = 24_201  # October 2016


def _months(
    area: str, first: int, count: int, value: float = 1.0
) -> list[tuple[int, str, str, float]]:
    return [(first + i, area, "a", value) for i in range(count)]


def test_a_value_the_source_marks_missing_makes_the_window_unknown() -> None:
    rows = _months(AREAS[0], QUARTER_START, 24) + _months(AREAS[1], QUARTER_START, 24)
    rows[5] = (rows[5][0], AREAS[0], "a", float("nan"))  # '..' in a published table
    result = evaluate(measure(window={"kind": "rolling", "months": 3}), frame(rows))
    figure = result.totals.figure[AREAS[0]]
    gap = QUARTER_START + 5
    assert figure.loc[gap : gap + 2].isna().all()
    assert figure.loc[gap + 3] == 3.0
    assert result.totals.figure[AREAS[1]].loc[gap] == 3.0


def test_england_and_wales_is_empty_when_an_area_has_no_figure() -> None:
    rows = _months(AREAS[0], QUARTER_START, 12) + _months(AREAS[1], QUARTER_START, 12, 2.0)
    rows += [(QUARTER_START + i, AREAS[2], "a", float("nan")) for i in range(12)]
    result = evaluate(measure(comparators=["national"]), frame(rows))
    table = total_rows(result, AREAS[:1], {a: a for a in AREAS}, AREAS[0])
    last = table.loc[table["period"] == QUARTER_START + 11].iloc[0]
    # Never pooled from fewer: the two areas with figures are not England and Wales.
    assert np.isnan(last["national_value"])
    assert last["national_members_with_data"] == 2
    assert "1 of 3 forces of England and Wales has no figure" in last["national_empty_reason"]
    assert np.isnan(result.totals.figure[AREAS[2]].iloc[-1])


def test_a_quarter_with_only_some_months_reported_is_missing() -> None:
    rows = _months(AREAS[0], QUARTER_START, 4)  # October to January: one month of the next quarter
    result = evaluate(measure(grain="quarter", window={"kind": "period"}), frame(rows))
    figure = result.totals.figure[AREAS[0]]
    assert figure.loc[QUARTER_START + 2] == 3.0
    assert np.isnan(figure.loc[QUARTER_START + 5])


def test_a_complete_source_fills_unreported_months_with_zero() -> None:
    rows = _months(AREAS[0], QUARTER_START, 1) + _months(AREAS[0], QUARTER_START + 11, 1)
    data = frame(rows)
    plain = evaluate(measure(), data)
    complete = evaluate(measure(), data, ds=dataset(complete=True))
    assert np.isnan(plain.totals.figure[AREAS[0]].loc[QUARTER_START + 11])
    assert complete.totals.figure[AREAS[0]].loc[QUARTER_START + 11] == 2.0


def test_rows_are_counted_only_for_windows_with_a_figure() -> None:
    rows = _months(AREAS[0], QUARTER_START, 12)
    rows[3] = (rows[3][0], AREAS[0], "a", float("nan"))
    result = evaluate(measure(window={"kind": "rolling", "months": 2}), frame(rows))
    counted = result.totals.rows[AREAS[0]]
    figure = result.totals.figure[AREAS[0]]
    assert counted.isna().equals(figure.isna())
    assert counted.dropna().eq(2).all()


def test_a_rate_can_be_broken_down_by_component() -> None:
    rows = _months(AREAS[0], QUARTER_START, 12) + [
        (QUARTER_START + i, AREAS[0], "b", 2.0) for i in range(12)
    ]
    m = measure(aggregation={"kind": "rate", "per": 1000}, breakdown=["kind"])
    result = evaluate(m, frame(rows))
    assert result.components is not None
    last = result.components.figure.iloc[-1]
    assert last[(AREAS[0], "a")] == 12 / 1000 * 1000
    assert last[(AREAS[0], "b")] == 24 / 1000 * 1000


def test_filters_that_select_nothing_are_an_error_not_a_zero() -> None:
    import pytest

    from framework.engine.evaluate import EvaluationError

    rows = _months(AREAS[0], QUARTER_START, 12)
    m = measure(source={"dataset": "test_data", "filters": {"kind": ["misspelt"]}})
    with pytest.raises(EvaluationError) as raised:
        evaluate(m, frame(rows))
    assert raised.value.code == "RUN003"


def test_measures_sharing_a_source_frame_read_its_reported_months_each_for_itself() -> None:
    # What one measure derives from a frame (its areas, months) serves the next as well:
    # a monthly and a quarterly reading of one frame agree with readings of fresh copies.
    rows = _months(AREAS[0], QUARTER_START, 4) + _months(AREAS[1], QUARTER_START + 1, 6)
    shared = frame(rows)
    monthly = evaluate(measure(window={"kind": "rolling", "months": 3}), shared)
    quarterly = evaluate(measure(grain="quarter", window={"kind": "period"}), shared)
    alone_monthly = evaluate(measure(window={"kind": "rolling", "months": 3}), frame(rows))
    alone_quarterly = evaluate(measure(grain="quarter", window={"kind": "period"}), frame(rows))
    assert monthly.totals.figure.equals(alone_monthly.totals.figure)
    assert quarterly.totals.figure.equals(alone_quarterly.totals.figure)
    assert quarterly.totals.figure[AREAS[0]].loc[QUARTER_START + 2] == 3.0
    assert np.isnan(quarterly.totals.figure[AREAS[1]].loc[QUARTER_START + 2])


def test_a_frame_collected_leaves_nothing_derived_from_it_behind() -> None:
    import gc

    from framework.engine import evaluate as evaluate_module

    data = frame(_months(AREAS[0], QUARTER_START, 12))
    evaluate(measure(), data)
    assert id(data) in evaluate_module._MEMO
    identity = id(data)
    del data
    gc.collect()
    assert identity not in evaluate_module._MEMO


def test_a_breakdown_whose_numerator_selects_no_row_has_no_numerator_figure() -> None:
    rows = [(QUARTER_START + i, AREAS[0], "b", 2.0) for i in range(12)]
    m = measure(
        aggregation={
            "kind": "proportion",
            "numerator": {"filters": {"kind": ["a"]}},
            "denominator": {},
        },
        breakdown=["kind"],
    )
    result = evaluate(m, frame(rows))
    assert result.components is not None
    numerator = result.components.parts["numerator"]
    assert numerator.empty or not numerator.notna().to_numpy().any()
    assert result.components.parts["denominator"].iloc[-1][(AREAS[0], "b")] == 24.0
