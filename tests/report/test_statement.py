"""The Statement contract and its checks; the stale rule and the completeness judgement."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renderers.assemble.completeness import completeness_of, stale_note
from renderers.report import (
    ChartRef,
    CoverageGap,
    Headline,
    Period,
    PrioritySection,
)
from renderers.report.statement import span_label
from tests.report.builders import (
    PERIOD,
    PRIORITY_TITLES,
    homicide,
    knife_crime,
    sample_statement,
    satisfaction,
)


def _headline(data_to: date | None) -> Headline:
    return Headline("1", "offences", "12 months", "no data", data_to=data_to)


def test_stale_when_data_end_before_the_first_month_of_the_period() -> None:
    assert stale_note(_headline(date(2021, 12, 1)), PERIOD) is not None
    assert stale_note(_headline(date(2021, 12, 31)), PERIOD) is not None
    assert stale_note(_headline(date(2022, 1, 1)), PERIOD) is None
    assert stale_note(_headline(date(2022, 3, 1)), PERIOD) is None
    assert stale_note(_headline(None), PERIOD) is None


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)))
def test_stale_exactly_when_the_data_month_precedes_the_period(data_to: date) -> None:
    stale = stale_note(_headline(data_to), PERIOD) is not None
    assert stale == ((data_to.year, data_to.month) < (2022, 1))


def test_stale_note_names_the_last_month_and_the_period() -> None:
    note = stale_note(_headline(date(2019, 12, 1)), PERIOD)
    assert note is not None
    assert "December 2019" in note and "2021/22 Q4" in note and "January to March 2022" in note
    # The sample statement carries the note its stale headline gets when it is assembled.
    headline = knife_crime().headline
    assert headline is not None and headline.stale_note == note


def test_period_labels() -> None:
    assert PERIOD.months_label == "January to March 2022"
    assert span_label(date(2021, 4, 1), date(2022, 3, 1)) == "April 2021 to March 2022"
    assert Period("x", (date(2022, 3, 1),)).months_label == "March 2022"
    with pytest.raises(ValueError, match="in order"):
        Period("x", (date(2022, 3, 1), date(2022, 1, 1)))
    with pytest.raises(ValueError, match="at least one"):
        Period("x", ())


def test_completeness_lists_every_uncovered_priority_with_its_reason() -> None:
    gaps = sample_statement().completeness.gaps
    # The serious-violence priority's only figure is out of date, so it is not covered.
    assert gaps == (
        CoverageGap(
            PRIORITY_TITLES[1], "Its measures' data all end before this statement's period."
        ),
        CoverageGap(PRIORITY_TITLES[2], "The statement has no section for this priority."),
        CoverageGap(PRIORITY_TITLES[3], "The statement has no section for this priority."),
        CoverageGap(
            PRIORITY_TITLES[4],
            "The national measures come from surveys not broken down by force.",
        ),
    )


def test_completeness_counts_a_priority_without_data_as_a_gap() -> None:
    empty = replace(homicide(), headline=None)
    sections = [
        PrioritySection(PRIORITY_TITLES[0], 1, (empty,)),
        PrioritySection(PRIORITY_TITLES[1], 2),
        PrioritySection(PRIORITY_TITLES[5], 6, (empty, satisfaction())),
    ]
    result = completeness_of(sections, [PRIORITY_TITLES[0], PRIORITY_TITLES[1], PRIORITY_TITLES[5]])
    assert not result.complete
    assert [(g.priority, g.reason) for g in result.gaps] == [
        (PRIORITY_TITLES[0], "None of this priority's measures has any data."),
        (PRIORITY_TITLES[1], "No measure is reported for this priority."),
    ]
    assert completeness_of(sections[2:], [PRIORITY_TITLES[5]]).complete


def test_statement_refuses_duplicate_ids_and_stems() -> None:
    statement = sample_statement()
    twice = replace(statement.priorities[0], measures=(homicide(), homicide()))
    with pytest.raises(ValueError, match="measure ids"):
        replace(statement, priorities=(twice, *statement.priorities[1:]))
    clash = replace(knife_crime(), charts=(replace(homicide().charts[0], stem="HOMICIDE-trend"),))
    second = replace(statement.priorities[1], measures=(clash,))
    with pytest.raises(ValueError, match="chart stems"):
        replace(statement, priorities=(statement.priorities[0], second))
    with pytest.raises(ValueError, match="in their order"):
        replace(statement, priorities=tuple(reversed(statement.priorities)))


@pytest.mark.parametrize("stem", ["../evil", "a/b", ".hidden", "", "a b", "x..y", "a\\b"])
def test_chart_stems_are_plain_file_names(stem: str) -> None:
    with pytest.raises(ValueError, match="stem"):
        ChartRef("trend", "t", {}, stem)


def test_headline_refuses_an_unknown_status() -> None:
    with pytest.raises(ValueError, match="status"):
        Headline("1", "offences", "w", "better")  # type: ignore[arg-type]
