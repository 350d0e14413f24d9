"""The Home Office open data table, read from the bundled Parquet (and from CSV)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from framework.areas.registry import AreaRegistry
from framework.periods import month_index
from framework.sources.adapters.home_office import HomeOfficeAdapter
from framework.sources.base import SourceFrame
from tests.sources.helpers import assert_books_balance, load_dataset

ReadRegistered = Callable[[str], SourceFrame]
WARWICKSHIRE = "E23000017"
# 12 months to June 2019 = 2018/19 Q2, Q3, Q4 and 2019/20 Q1.
YEAR_TO_JUNE_2019 = (month_index(2018, 9), month_index(2019, 6))


def _warwickshire_year(source: SourceFrame, dimension: str) -> dict[str, float]:
    frame = source.frame
    first, last = YEAR_TO_JUNE_2019
    rows = frame[(frame["area_code"] == WARWICKSHIRE) & frame["period"].between(first, last)]
    assert sorted(rows["period"].unique()) == [first, first + 3, first + 6, last]
    totals = rows.groupby(dimension, observed=True)["value"].sum()
    return {str(key): float(value) for key, value in totals.items()}


def test_warwickshire_year_to_june_2019(read_registered: ReadRegistered) -> None:
    source = read_registered("home_office_prc")
    subgroups = _warwickshire_year(source, "offence_subgroup")
    assert subgroups["Homicide"] == 1
    assert subgroups["Violence with injury"] == 4690
    assert subgroups["Robbery of personal property"] == 422
    # SOURCE.md's "robbery 498" is the Robbery offence group (personal + business property).
    assert _warwickshire_year(source, "offence_group")["Robbery"] == 498


def test_books_balance_and_non_forces_are_excluded(read_registered: ReadRegistered) -> None:
    source = read_registered("home_office_prc")
    assert_books_balance(source)
    report = source.report
    assert report.rows_read == 237_597
    reasons = {exclusion.reason: exclusion.rows for exclusion in report.exclusions}
    for body in (
        "Action Fraud",
        "CIFAS",
        "UK Finance",
        "Financial Fraud Action UK",
        "British Transport Police",
    ):
        matching = [reason for reason in reasons if body in reason]
        assert len(matching) == 1, body
        assert "not a territorial police force area" in matching[0]
    assert source.frame["area_code"].nunique() == 43
    assert len(report.files) == 1 and len(report.files[0].sha256) == 64


def test_quarters_map_to_their_last_month(read_registered: ReadRegistered) -> None:
    frame = read_registered("home_office_prc").frame
    periods = set(frame["period"].unique())
    assert month_index(2012, 6) in periods  # 2012/13 Q1
    assert month_index(2013, 3) in periods  # 2012/13 Q4 is January-March 2013
    assert month_index(2023, 6) == max(periods)  # 2023/24 Q1, the last quarter
    assert all(period % 12 in (2, 5, 8, 11) for period in periods)  # Mar, Jun, Sep, Dec
    # 2015/16 is missing from the source, and said so rather than zero-filled.
    assert not periods & set(range(month_index(2015, 6), month_index(2016, 3) + 1))


def test_quirks_are_kept_and_noted(read_registered: ReadRegistered) -> None:
    source = read_registered("home_office_prc")
    frame = source.frame
    assert (frame["value"] < 0).sum() > 0  # Home Office adjustments are kept
    manslaughter = frame[frame["offence_code"] == "4.1"]["offence_description"].unique()
    assert set(manslaughter) == {"Manslaughter", "Corporate manslaughter"}
    notes = " ".join(source.report.notes)
    assert "4.1" in notes and "Corporate manslaughter" in notes
    assert "2015/16" in notes
    assert source.dimensions == (
        "offence_code",
        "offence_description",
        "offence_group",
        "offence_subgroup",
    )


def test_parquet_holds_the_eight_columns(catalogue: Path) -> None:
    schema = pq.read_schema(catalogue / load_dataset("home_office_prc").path)
    assert schema.names == [
        "Financial Year",
        "Financial Quarter",
        "Force Name",
        "Offence Description",
        "Offence Group",
        "Offence Subgroup",
        "Offence Code",
        "Number of Offences",
    ]
    assert str(schema.field("Offence Code").type) == "string"


def test_csv_reads_like_parquet(tmp_path: Path, catalogue: Path, areas: AreaRegistry) -> None:
    dataset = load_dataset("home_office_prc")
    table = pq.read_table(catalogue / dataset.path).slice(0, 20_000)
    pq.write_table(table, tmp_path / "part.parquet")
    pacsv.write_csv(table, tmp_path / "part.csv")
    adapter = HomeOfficeAdapter()
    from_parquet = adapter.read(dataset, tmp_path / "part.parquet", tmp_path, areas)
    from_csv = adapter.read(dataset, tmp_path / "part.csv", tmp_path, areas)
    columns = ["period", "area_code", *from_csv.dimensions, "value", "source_row"]
    left = from_parquet.frame[columns].astype(str)
    right = from_csv.frame[columns].astype(str)
    assert left.equals(right)
    assert from_csv.report.rows_read == 20_000
    assert_books_balance(from_csv)
