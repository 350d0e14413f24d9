"""SPC and significance columns that the engine attaches to a measure's rows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from framework.engine.signals import latest_run, rebases_in
from framework.loading.catalogue import load_catalogue
from framework.model.measure import SpcRebase
from framework.periods import month_index

CATALOGUE = Path(__file__).parents[2] / "measures"


@settings(max_examples=60)
@given(st.lists(st.one_of(st.none(), st.floats(-100, 100)), min_size=1, max_size=40))
def test_latest_run_is_the_last_unbroken_stretch(values: list[float | None]) -> None:
    series = pd.Series([np.nan if v is None else v for v in values], index=range(len(values)))
    run = latest_run(series, None)
    assert run.notna().all()
    if len(run):
        assert run.index[-1] == series.last_valid_index()
        before = run.index[0] - 1
        assert before < 0 or np.isnan(series.loc[before])
    else:
        assert series.isna().all()


def test_rebases_map_dated_periods_onto_positions() -> None:
    quarters = pd.Series(1.0, index=[month_index(2019, m) for m in (3, 6, 9, 12)])
    rebases = [
        SpcRebase(at="2019/20-Q2", reason="new recording rules"),  # ends September 2019
        SpcRebase(at="2019-11", reason="inside the December quarter"),
        SpcRebase(at="2019-03", reason="the first point cannot be rebased"),
        SpcRebase(at="2024-01", reason="after the series"),
    ]
    positions = rebases_in(quarters, rebases, step=3)
    assert [(r.at, r.reason) for r in positions] == [
        (2, "new recording rules"),
        (3, "inside the December quarter"),
    ]


def _run(measure_id: str, rebases: list[dict[str, str]] | None = None) -> pd.DataFrame:
    from framework.engine.run import Engine

    catalogue = load_catalogue(CATALOGUE)
    item = catalogue.measure(measure_id)
    force = catalogue.force("warwickshire")
    assert item is not None and force is not None
    if rebases is not None:
        presentation = item.model.presentation.model_copy(
            update={"spc_rebases": [SpcRebase.model_validate(r) for r in rebases]}
        )
        model = item.model.model_copy(update={"presentation": presentation})
        item = type(item)(model, item.file, item.located, item.root_key)
    frame = Engine(catalogue).run(force.model, [item]).frame
    return frame.loc[(frame["area_code"] == "E23000017") & frame["component"].isna()]


def test_spc_columns_reach_the_run_for_measures_that_draw_spc() -> None:
    rows = _run("serious_violence")
    points = rows.loc[rows["spc_value"].notna()]
    assert len(points) >= 13
    assert set(points["spc_variation"]) <= {"improvement", "concern", "neutral", "common_cause"}
    assert (points["spc_upper_limit"] > points["spc_mean"]).all()
    assert points["spc_variation_icon"].notna().all()


def test_spc_reads_each_period_not_the_rolling_window() -> None:
    rows = _run("serious_violence")
    last = rows.loc[rows["spc_value"].notna()].iloc[-1]
    # A quarter's own count is about a quarter of the 12-month rolling figure.
    assert last["spc_value"] < last["value"] / 2


def test_a_rebase_recomputes_the_limits_from_its_period() -> None:
    plain = _run("serious_violence")
    rebased = _run("serious_violence", [{"at": "2020/21-Q1", "reason": "pandemic"}])
    start = month_index(2020, 6)
    before = rebased.loc[(rebased["period"] < start) & rebased["spc_mean"].notna(), "spc_mean"]
    after = rebased.loc[rebased["period"] >= start, "spc_mean"].dropna()
    assert before.nunique() == 1 and after.nunique() == 1
    assert before.iloc[0] != after.iloc[0]
    assert plain["spc_mean"].dropna().nunique() == 1


def test_counts_are_tested_from_the_baseline_on() -> None:
    rows = _run("homicide")
    tested = rows.loc[rows["change_p_value"].notna()]
    assert tested["period"].min() >= month_index(2019, 6)
    assert tested["change_p_value"].between(0, 1).all()
    baseline_year = tested.loc[tested["period"] == month_index(2019, 6)].iloc[0]
    assert baseline_year["change_p_value"] == 1.0
    assert "small_numbers" in baseline_year["flags"]
    assert (tested["rate_ci_low"] <= tested["rate_per_100k"]).all()
    assert (tested["rate_per_100k"] <= tested["rate_ci_high"]).all()


def test_proportions_get_no_rate_interval_but_a_wilson_interval() -> None:
    rows = _run("victim_satisfaction")
    assert "rate_ci_low" not in rows
    valued = rows.loc[rows["value"].notna()]
    assert (valued["ci_low"] <= valued["value"]).all()
    assert (valued["value"] <= valued["ci_high"]).all()
