"""The status the engine gives each window: the statement's acceptance cases on real data."""

from __future__ import annotations

from collections.abc import Collection
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framework.loading.catalogue import load_catalogue
from framework.periods import month_index
from framework.stats.verdict import STATUSES

CATALOGUE = Path(__file__).parents[2] / "measures"


@cache
def _run(measure_id: str, force: str = "warwickshire", all_forces: bool = False) -> pd.DataFrame:
    from framework.engine.run import Engine

    catalogue = load_catalogue(CATALOGUE)
    item = catalogue.measure(measure_id)
    profile = catalogue.force(force)
    assert item is not None and profile is not None
    frame = Engine(catalogue).run(profile.model, [item], all_forces=all_forces).frame
    return frame.loc[frame["component"].isna()]


def _at(measure_id: str, year: int, month: int, area: str = "E23000017") -> pd.Series:
    rows = _run(measure_id)
    return rows.loc[
        (rows["area_code"] == area) & (rows["period"] == month_index(year, month))
    ].iloc[0]


def test_serious_violence_in_2021_22_q4_is_no_significant_change_allowing_for_dispersion() -> None:
    row = _at("serious_violence", 2022, 3)
    assert row["change_pct"] == pytest.approx(-5.73, abs=0.01)
    assert row["status"] == "no significant change"
    assert row["status_method"] == "quasi_poisson"
    assert row["status_dispersion"] > 5  # recorded violence is far more variable than Poisson
    assert 0.2 < row["status_p_value"] < 0.5
    assert f"dispersion {row['status_dispersion']:.1f}" in row["status_reason"]


def test_homicides_2019_baseline_is_named_as_unusually_low() -> None:
    row = _at("homicide", 2022, 3)
    assert row["baseline_unusual"] == "low"
    assert 6 < row["baseline_typical"] < 10
    assert row["status_reason"].startswith(
        "The baseline year (12 months to June 2019) was unusually low for this force: 1 against "
        "a typical "
    )
    # Worse than the one-homicide year, but not than the force's typical year.
    assert row["change_p_value"] < 0.05
    assert row["status"] == "no significant change"


def test_satisfaction_528_of_694_against_541_of_666_is_a_significant_fall() -> None:
    rows = _run("victim_satisfaction")
    row = rows.loc[(rows["numerator"] == 528) & (rows["denominator"] == 694)].iloc[0]
    assert row["status_method"] == "two_proportion_z"
    assert row["status_p_value"] == pytest.approx(0.0206, abs=0.0005)
    assert row["status"] == "worsening"  # higher is better
    assert row["ci_low"] == pytest.approx(72.77, abs=0.01)
    assert row["ci_high"] == pytest.approx(79.11, abs=0.01)
    assert "95% interval is 72.8% to 79.1% (Wilson, 528 of 694)" in row["status_reason"]


def test_every_total_row_has_a_status_and_a_reason() -> None:
    rows = _run("serious_violence")
    assert rows["status"].isin(STATUSES).all()
    assert rows["status_reason"].str.len().gt(0).all()
    before = rows.loc[rows["period"] < month_index(2019, 6)]
    assert (before["status"] == "not comparable").all()


def test_every_force_gets_its_own_status_with_all_forces() -> None:
    rows = _run("serious_violence", all_forces=True)
    latest = rows.loc[rows["period"] == rows["period"].max()]
    assert latest["area_code"].nunique() == 43
    judged = latest.loc[latest["value"].notna()]
    assert judged["status_method"].isin(["quasi_poisson", "exact_poisson"]).all()
    assert (judged["status_dispersion"] > 0).all()


def test_the_msg_average_is_the_mean_of_the_members_rates_with_the_force_included() -> None:
    from framework.engine.run import Engine

    catalogue = load_catalogue(CATALOGUE)
    item, force = catalogue.measure("serious_violence"), catalogue.force("warwickshire")
    assert item is not None and force is not None
    result = Engine(catalogue).run(force.model, [item], all_forces=True)
    members = result.plans["serious_violence"].groups["msg"]
    assert "E23000017" in members  # the force is one of its own group, as documented
    rows = result.frame.loc[result.frame["component"].isna()]
    latest = rows.loc[rows["period"] == rows["period"].max()]
    rates = latest.set_index("area_code").loc[list(members), "rate_per_100k"]
    own = latest.loc[latest["area_code"] == "E23000017"].iloc[0]
    assert own["msg_average"] == pytest.approx(rates.mean(), rel=1e-9)
    # The group's rates are skewed: a median (or leaving the force out) would differ.
    assert abs(rates.median() - rates.mean()) > 1
    assert abs(rates.drop("E23000017").mean() - rates.mean()) > 0.01
    assert own["msg_rank"] == int((rates < rates["E23000017"]).sum()) + 1


def _all_forces(measure_ids: list[str]) -> pd.DataFrame:
    """Return every force's rows of the measures, from a fresh engine."""
    from framework.engine.run import Engine

    catalogue = load_catalogue(CATALOGUE)
    force = catalogue.force("warwickshire")
    items = [item for i in measure_ids if (item := catalogue.measure(i)) is not None]
    assert force is not None and len(items) == len(measure_ids)
    return Engine(catalogue).run(force.model, items, all_forces=True).frame


@pytest.mark.slow
def test_the_batched_dispersions_give_every_force_the_statuses_of_one_fit_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import framework.engine.status as status
    from framework.stats.dispersion import estimate_dispersion

    ids = ["serious_violence", "homicide"]
    batched = _all_forces(ids)
    monkeypatch.setattr(
        status, "estimate_dispersions", lambda many: [estimate_dispersion(*one) for one in many]
    )
    alone = _all_forces(ids)
    assert (batched["status_method"] == "quasi_poisson").sum() > 100
    pd.testing.assert_frame_equal(batched, alone, check_exact=False, rtol=1e-9)


@pytest.mark.slow
def test_the_batched_count_tests_give_every_force_the_statuses_of_one_test_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import framework.engine.status as status

    ids = ["serious_violence", "homicide"]

    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("a count test was worked out alone, not in its measure's batch")

    with monkeypatch.context() as patched:
        patched.setattr(status, "compare_overdispersed", refuse)
        patched.setattr(status, "overdispersed_p_value", refuse)
        batched = _all_forces(ids)
    # Without the batches, each test is worked out by the scalar functions as it is met.
    monkeypatch.setattr(status._Context, "prepare_tests", lambda self, tests: None)
    monkeypatch.setattr(status._Context, "prepare_p_values", lambda self, tests: None)
    alone = _all_forces(ids)
    assert batched["status_method"].isin(["quasi_poisson", "exact_poisson"]).sum() > 100
    assert batched["status_reason"].str.contains("typical level").any()
    pd.testing.assert_frame_equal(batched, alone, check_exact=True)


@pytest.mark.slow
def test_a_later_run_reuses_the_judgements_without_estimating_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import framework.engine.status as status
    from framework.engine.run import Engine

    catalogue = load_catalogue(CATALOGUE)
    item, force = catalogue.measure("serious_violence"), catalogue.force("warwickshire")
    assert item is not None and force is not None
    engine = Engine(catalogue)
    first = engine.run(force.model, [item], all_forces=True).frame

    def refuse(many: object) -> object:
        raise AssertionError("a judged window was judged again")

    monkeypatch.setattr(status, "estimate_dispersions", refuse)
    monkeypatch.setattr(status, "estimate_dispersion", refuse)
    again = engine.run(force.model, [item], all_forces=True).frame
    pd.testing.assert_frame_equal(first, again)


@pytest.mark.slow
def test_each_runs_kind_is_the_series_kind_of_its_own_values(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A proportion's denominators are looked up once per area and sliced for each run.
    import framework.engine.run as run
    import framework.engine.status as status
    from framework.engine.evaluate import Evaluated
    from framework.engine.signals import ProfileLookup, series_kind
    from framework.model.spc import DEFAULT_PROFILE

    seen: list[Evaluated] = []

    def spy(
        rows: pd.DataFrame,
        evaluated: Evaluated,
        profile_of: ProfileLookup,
        areas: Collection[str] | None = None,
    ) -> pd.DataFrame:
        seen.append(evaluated)
        return status.attach_status(rows, evaluated, profile_of, areas)

    monkeypatch.setattr(run, "attach_status", spy)
    _run.__wrapped__("victim_satisfaction")
    assert seen
    checked = 0
    for evaluated in seen:
        context = status._Context(evaluated, lambda _: DEFAULT_PROFILE)
        for code in evaluated.per_period.figure.columns:
            whole = context.series(str(code))
            for last in whole.labels[1:]:
                part = whole.run(int(last))
                if len(part) < 2:
                    continue
                kind, denominators = context.kind(part)
                expected_kind, expected = series_kind(
                    evaluated, part.code, part.labels, part.values
                )
                assert kind == expected_kind == "proportion"
                assert expected is not None and denominators is not None
                np.testing.assert_array_equal(denominators, expected)
                checked += 1
    assert checked > 10
