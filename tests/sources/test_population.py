"""The ONS population table, and choosing the estimate that fits a period."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from framework.areas.registry import AreaRegistry
from framework.periods import month_index, year_month
from framework.sources.base import SourceFrame
from framework.sources.population_choice import (
    PopulationEstimates,
    choose_population,
    edition_estimate_applies,
    published_estimate,
    publishing_edition_tables,
)
from framework.sources.registry import read_dataset
from tests.sources.helpers import CATALOGUE, assert_books_balance, make_dataset

ReadRegistered = Callable[[str], SourceFrame]
MID_2018 = month_index(2018, 6)
WARWICKSHIRE, ENGLAND_AND_WALES = "E23000017", "K04000001"


def _csv_table(areas: AreaRegistry) -> SourceFrame:
    dataset = make_dataset(
        {"kind": "population", "estimates": {"MYE2018": 2018}},
        "data/ons-population/population_data.csv",
        id="population_csv",
    )
    return read_dataset(dataset, CATALOGUE, areas)


def test_population_csv_table(areas: AreaRegistry) -> None:
    source = _csv_table(areas)
    assert_books_balance(source)
    report = source.report
    assert (report.rows_read, report.rows_used) == (56, 55)
    (uncoded,) = report.exclusions
    assert "Beds Cambs Herts" in uncoded.reason and uncoded.examples == (35,)
    frame = source.frame.set_index("area_code")
    assert set(source.frame["period"]) == {MID_2018}
    assert frame.loc["E23000017", "value"] == 571_000
    assert frame.loc["K04000001", "value"] == 59_115_800
    assert frame.loc["K04000001", "area"] == "England and Wales"
    assert source.frame["area_code"].nunique() == 55


def test_window_rule_on_the_ons_estimates(read_registered: ReadRegistered) -> None:
    frame = read_registered("ons_population").frame
    june_2019 = choose_population(frame, month_index(2019, 6), WARWICKSHIRE)
    assert june_2019 is not None
    assert (june_2019.value, june_2019.estimate_period, june_2019.rule) == (
        577_900,
        month_index(2019, 6),
        "at_or_before",
    )
    assert june_2019.label == "mid-2019"
    assert "latest at or before June 2019" in june_2019.describe()
    # The neighbourhood crime baseline of the published statement: 8,764 on mid-2019.
    assert int(8_764 / june_2019.value * 100_000) == 1_516
    march_2019 = choose_population(frame, month_index(2019, 3), WARWICKSHIRE)
    assert march_2019 is not None and march_2019.label == "mid-2018"
    early = choose_population(frame, month_index(2015, 3), WARWICKSHIRE)
    assert early is not None and early.rule == "after" and early.label == "mid-2016"
    assert "nearest after" in early.describe()
    assert choose_population(frame, MID_2018, "E23999999") is None


def test_publishing_edition_rule_reproduces_the_published_knife_rates(
    read_registered: ReadRegistered,
) -> None:
    source = read_registered("ons_population")
    estimates = PopulationEstimates.from_frame(source.frame)
    september_2021, edition = month_index(2021, 9), month_index(2022, 9)
    used = {item.month: item.population_estimate for item in source.editions}[edition]
    # The window rule alone takes mid-2021, which the September 2022 edition did not use.
    window = estimates.choose(september_2021, WARWICKSHIRE)
    assert window is not None and window.label == "mid-2021"
    chosen = estimates.choose(september_2021, WARWICKSHIRE, edition, used)
    assert chosen is not None and chosen.rule == "publishing_edition"
    assert (chosen.value, chosen.label) == (583_800, "mid-2020")
    assert round(290 / chosen.value * 100_000, 1) == 49.7
    national = estimates.choose(september_2021, ENGLAND_AND_WALES, edition, used)
    assert national is not None and national.value == 59_719_700
    assert round(45_595 / national.value * 100_000, 1) == 76.3
    assert "publishing edition" in chosen.describe()
    # A window the edition does not rate (an older year of its series) uses the window rule.
    older = estimates.choose(month_index(2019, 3), WARWICKSHIRE, edition, used)
    assert older is not None and older.rule == "at_or_before" and older.label == "mid-2018"


def test_several_estimates() -> None:
    estimates = PopulationEstimates(
        [
            ("A", month_index(2017, 6), 100.0),
            ("A", month_index(2018, 6), 110.0),
            ("A", month_index(2019, 6), float("nan")),  # a missing figure is never chosen
            ("A", month_index(2020, 6), 130.0),
        ]
    )

    def pick(year: int, month: int) -> float:
        choice = estimates.choose(month_index(year, month), "A")
        assert choice is not None
        return choice.value

    assert pick(2018, 5) == 100.0
    assert pick(2018, 6) == 110.0  # the period's end month is the estimate's month
    assert pick(2019, 12) == 110.0
    assert pick(2021, 3) == 130.0
    assert pick(2016, 1) == 100.0


@given(
    st.lists(st.integers(2000 * 12, 2040 * 12), min_size=1, max_size=8, unique=True),
    st.integers(1995 * 12, 2045 * 12),
)
def test_choice_rule_property(estimate_periods: list[int], period: int) -> None:
    estimates = PopulationEstimates(("X", p, float(p)) for p in estimate_periods)
    choice = estimates.choose(period, "X")
    assert choice is not None
    earlier = [p for p in estimate_periods if p <= period]
    if earlier:
        assert choice.rule == "at_or_before" and choice.estimate_period == max(earlier)
    else:
        assert choice.rule == "after" and choice.estimate_period == min(estimate_periods)
    assert choice.value == float(choice.estimate_period)


def _tables(estimates: dict[int, float], months: range) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Months × one area tables of the window rule, built as the engine builds them."""
    index = pd.Index(sorted(estimates))
    values = pd.DataFrame({"X": [estimates[p] for p in index]}, index=index)
    years = pd.DataFrame({"X": [float(year_month(p)[0]) for p in index]}, index=index)
    full = pd.Index(months)
    return values.reindex(full).ffill().bfill(), years.reindex(full).ffill().bfill()


@given(
    st.sets(st.integers(2016, 2023), min_size=1, max_size=6),
    st.lists(
        st.tuples(
            # Windows ending in June share their month with an estimate: draw them often.
            st.one_of(
                st.integers(2016, 2024).map(lambda year: month_index(year, 6)),
                st.integers(2016 * 12, 2024 * 12),
            ),
            st.integers(2016 * 12, 2025 * 12),
        ),
        min_size=1,
        max_size=6,
    ),
    st.data(),
)
def test_publishing_edition_tables_follow_the_rule(
    years_with_estimates: set[int], figures: list[tuple[int, int]], data: st.DataObject
) -> None:
    """Each figure's cell holds what :meth:`PopulationEstimates.choose` picks for it."""
    estimates = {month_index(year, 6): float(year * 1000) for year in years_with_estimates}
    used = {
        edition: data.draw(st.sampled_from(sorted(estimates)), label="estimate")
        for _, edition in figures
    }
    months = range(2010 * 12, 2030 * 12)
    values, years = _tables(estimates, months)
    # One figure per window (a later figure for the same window replaces the earlier).
    by_period = {period: edition for period, edition in figures}
    frame = pd.DataFrame(
        {
            "period": list(by_period),
            "area_code": ["X"] * len(by_period),
            "source_file": [f"e{edition}" for edition in by_period.values()],
        }
    )
    editions = {f"e{edition}": edition for edition in by_period.values()}
    got_values, got_years = publishing_edition_tables(values, years, frame, editions, used)
    chooser = PopulationEstimates(("X", p, v) for p, v in estimates.items())
    for period, edition in by_period.items():
        estimate = published_estimate(period, edition, used)
        choice = chooser.choose(period, "X", edition, estimate)
        assert choice is not None
        assert got_values.at[period, "X"] == choice.value
        assert got_years.at[period, "X"] == year_month(choice.estimate_period)[0]
        if edition_estimate_applies(period, edition):
            assert choice.rule == "publishing_edition"
            assert choice.estimate_period == estimate == used[edition]
        else:
            assert estimate is None and choice.rule != "publishing_edition"
    # Months without a figure keep the window rule.
    untouched = [m for m in months if m not in by_period]
    assert np.array_equal(got_values.loc[untouched, "X"], values.loc[untouched, "X"])
