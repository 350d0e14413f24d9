"""``--as-of`` says which period it answered for, and why, when that is not the month asked."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from framework.engine.as_of import latest_end
from framework.engine.run import Engine
from framework.loading.catalogue import Catalogue, load_catalogue
from framework.periods import long_month, month_index
from tests.cli.helpers import invoke

CATALOGUE = Path(__file__).parents[2] / "measures"


@cache
def catalogue() -> Catalogue:
    return load_catalogue(CATALOGUE)


def run(measure: str, as_of: int) -> pd.DataFrame:
    cat = catalogue()
    force, located = cat.force("warwickshire"), cat.measure(measure)
    assert force is not None and located is not None
    return Engine(cat).run(force.model, [located], as_of=as_of).frame


@given(st.integers(min_value=0, max_value=30_000), st.sampled_from([1, 3]))
def test_the_latest_end_is_the_last_period_end_at_or_before_the_month(
    month: int, step: int
) -> None:
    end = latest_end(month, step)
    assert month - step < end <= month
    assert (end + 1) % step == 0  # quarters end in March, June, September, December


def test_a_quarterly_measure_as_of_january_says_it_answers_for_december() -> None:
    frame = run("homicide", month_index(2022, 1))
    assert frame["period"].max() == month_index(2021, 12)
    notes = set(frame["as_of_note"])
    assert len(notes) == 1
    (note,) = notes
    assert note.startswith("as of January 2022 this answers for the 12 months to December 2021")
    assert "quarter to March 2022, which is not complete" in note
    assert set(frame["as_of"]) == {"2022-01"}


def test_as_of_a_quarter_end_needs_no_note() -> None:
    frame = run("homicide", month_index(2021, 12))
    assert set(frame["as_of_note"]) == {""}


def test_a_monthly_window_with_a_gap_says_what_it_lacks() -> None:
    frame = run("neighbourhood_crime_police_uk", month_index(2022, 1))
    (note,) = set(frame["as_of_note"])
    assert "no figure" in note and "lacks February 2021" in note
    assert set(run("neighbourhood_crime_police_uk", month_index(2022, 2))["as_of_note"]) == {""}


def test_data_that_end_earlier_are_named_as_the_reason() -> None:
    frame = run("homicide", month_index(2030, 1))
    valued = frame.loc[frame["component"].isna() & frame["value"].notna(), "period"]
    latest = long_month(int(valued.max()))
    (note,) = set(frame["as_of_note"])
    assert f"answers for the 12 months to {latest}" in note
    assert "no figure for the 12 months to December 2029" in note


def test_the_cli_says_it_on_stderr_and_in_the_results() -> None:
    result = invoke(
        "run", "--catalogue", str(CATALOGUE), "--as-of", "2022-01", "--measure", "homicide",
        "--format", "csv",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert (
        "note: homicide: as of January 2022 this answers for the 12 months to December 2021"
        in result.stderr
    )
    frame = pd.read_csv(io.StringIO(result.stdout))
    assert frame["as_of_note"].str.contains("December 2021").all()


def test_trace_says_which_window_it_traces_for_a_month_inside_a_quarter() -> None:
    result = invoke("trace", "homicide", "--period", "2022-01", "--catalogue", str(CATALOGUE))
    assert result.exit_code == 0, result.stderr
    assert "so this traces the 12 months to December 2021" in result.stderr
    quiet = invoke("trace", "homicide", "--period", "2021-12", "--catalogue", str(CATALOGUE))
    assert "note:" not in quiet.stderr
