"""``measures trace`` on the real catalogue: the source rows behind one figure."""

from __future__ import annotations

import io
import shutil
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import Result

from tests.cli.helpers import invoke

CATALOGUE = Path(__file__).parents[2] / "measures"
HOME_OFFICE = CATALOGUE / "national" / "data" / "home-office-prc" / "prc_pfa_quarterly.parquet"


def trace(*args: str, catalogue: Path = CATALOGUE) -> Result:
    """Run ``measures trace`` in this process on a catalogue."""
    return invoke("trace", "--catalogue", str(catalogue), *args)


def rows_of(result: Result) -> pd.DataFrame:
    assert result.exit_code == 0, result.output
    return pd.read_csv(io.StringIO(result.stdout))


def figure(measure: str, as_of: str) -> float:
    """Return the force's figure for the window ending ``as_of``, as ``measures run`` gives it."""
    result = invoke(
        "run", "--catalogue", str(CATALOGUE), "--measure", measure, "--as-of", as_of,
        "--format", "csv",
    )  # fmt: skip
    frame = rows_of(result)
    latest = frame.loc[frame["component"].isna()].sort_values("period_end").iloc[-1]
    return float(latest["value"])


@cache
def home_office_table() -> pd.DataFrame:
    return pd.read_parquet(HOME_OFFICE)


@pytest.fixture(scope="module")
def homicide_june_2019() -> Result:
    return trace("homicide", "--period", "2019-06")


def test_homicide_rows_add_up_to_the_figure(homicide_june_2019: Result) -> None:
    rows = rows_of(homicide_june_2019)
    assert rows["value"].sum() == 1
    assert figure("homicide", "2019-06") == 1
    assert set(rows["offence_subgroup"]) == {"Homicide"}
    assert set(rows["area_code"]) == {"E23000017"}
    # Four quarters (July 2018 to June 2019) of the four homicide offences.
    assert len(rows) == 16
    assert {"source_row", "source_file", "offence_description"} <= set(rows.columns)
    assert "period" not in rows.columns


def test_source_rows_point_at_the_published_table(homicide_june_2019: Result) -> None:
    rows = rows_of(homicide_june_2019)
    assert set(rows["source_file"]) == {"national/data/home-office-prc/prc_pfa_quarterly.parquet"}
    assert rows["source_row"].is_unique
    assert (rows["source_row"] >= 2).all()  # line 1 is the header
    table = home_office_table()
    published = table.iloc[rows["source_row"].to_numpy() - 2]
    assert set(published["Force Name"]) == {"Warwickshire"}
    assert set(published["Offence Subgroup"]) == {"Homicide"}
    assert list(published["Offence Description"]) == list(rows["offence_description"])
    assert list(published["Number of Offences"].astype(float)) == list(rows["value"])
    quarters = set(zip(published["Financial Year"], published["Financial Quarter"], strict=True))
    assert quarters == {("2018/19", 2), ("2018/19", 3), ("2018/19", 4), ("2019/20", 1)}


def test_standard_error_names_the_window(homicide_june_2019: Result) -> None:
    said = homicide_june_2019.stderr
    assert "homicide for Warwickshire, 12 months to June 2019" in said
    assert "2018-07 to 2019-06" in said
    assert "16 source rows, total value 1" in said


def test_a_month_inside_a_quarter_traces_the_window_ending_before_it() -> None:
    result = trace("homicide", "--period", "2019-05")
    rows = rows_of(result)
    assert "12 months to March 2019 (2018-04 to 2019-03)" in result.stderr
    assert rows["value"].sum() == figure("homicide", "2019-05") == figure("homicide", "2019-03")
    assert rows_of(trace("homicide", "--period", "2019-03")).equals(rows)


def test_a_monthly_measure_traces_its_months() -> None:
    result = trace("victim_satisfaction", "--period", "2019-06")
    rows = rows_of(result)
    assert "6 months to June 2019 (2019-01 to 2019-06)" in result.stderr
    assert len(rows) == rows["value"].sum() > 0  # one survey response per row


def test_a_published_window_is_one_row() -> None:
    result = trace("knife_crime", "--period", "2019-06")
    rows = rows_of(result)
    assert len(rows) == 1
    assert rows["value"].iloc[0] == figure("knife_crime", "2019-06")
    assert rows["source_file"].iloc[0].endswith("yearendingjune2019.xlsx")


def test_an_unknown_or_uncomputed_measure_exits_2() -> None:
    for measure in ("nosuch", "hospital_admissions_sharp_object"):
        result = trace(measure, "--period", "2019-06")
        assert result.exit_code == 2, result.output
        assert f"no computed measure {measure!r}" in result.stderr


def test_a_bad_period_exits_2() -> None:
    result = trace("homicide", "--period", "2019-13")
    assert result.exit_code == 2, result.output
    assert "--period" in result.stderr


def test_a_missing_data_file_is_a_finding(tmp_path: Path) -> None:
    root = tmp_path / "measures"
    shutil.copytree(CATALOGUE, root)
    (root / "national" / "data" / "home-office-prc" / "prc_pfa_quarterly.parquet").unlink()
    result = trace("homicide", "--period", "2019-06", catalogue=root)
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "national/data/home-office-prc/prc_pfa_quarterly.parquet: error RUN001" in result.stderr
    assert result.stdout == ""
