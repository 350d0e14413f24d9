"""The ONS population table, and choosing the estimate that fits a period."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import given
from hypothesis import strategies as st

from framework.periods import month_index
from framework.sources.base import SourceFrame
from framework.sources.population_choice import PopulationEstimates, choose_population
from tests.sources.helpers import assert_books_balance

ReadRegistered = Callable[[str], SourceFrame]
MID_2018 = month_index(2018, 6)


def test_population_table(read_registered: ReadRegistered) -> None:
    source = read_registered("ons_population")
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


def test_choose_the_estimate_at_or_before_else_after(read_registered: ReadRegistered) -> None:
    frame = read_registered("ons_population").frame
    june_2019 = choose_population(frame, month_index(2019, 6), "E23000017")
    assert june_2019 is not None
    assert (june_2019.value, june_2019.estimate_period, june_2019.rule) == (
        571_000,
        MID_2018,
        "at_or_before",
    )
    assert june_2019.label == "mid-2018"
    assert "latest at or before June 2019" in june_2019.describe()
    early = choose_population(frame, month_index(2017, 3), "E23000017")
    assert early is not None and early.rule == "after" and early.estimate_period == MID_2018
    assert "nearest after" in early.describe()
    assert choose_population(frame, MID_2018, "E23999999") is None


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
