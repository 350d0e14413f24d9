"""Warwickshire, 12 months to June 2019 (and to September 2021), from the real bundled tables.

The engine computes the national measures from the Home Office open data table, a later
revision than the ONS Police Force Area tables of the time, so each figure is checked
against ONS Table P1 within a small revision tolerance (docs/figures.md lists them), and
knife crime against the ONS knife table exactly, as are the published figures of the
reference statement (knife crime 290, 49.7 per 100,000; firearm offences 47; the
neighbourhood crime baseline of 1,516 per 100,000).
"""

from __future__ import annotations

import re
from functools import cache

import pandas as pd
import pytest

from framework.engine.run import RunResult
from framework.periods import month_index
from framework.sources.ons_sheet import layout, text_of
from framework.sources.ons_tables import window_end
from framework.sources.registry import read_dataset
from framework.sources.xlsx_values import XlsxBook
from tests.engine.real_catalogue import CATALOGUE, catalogue, engine

pytestmark = pytest.mark.slow

WARWICKSHIRE = "E23000017"
JUNE_2019 = month_index(2019, 6)
MID_2018_POPULATION = 571_000  # ONS Table P3, year ending June 2019 edition
MID_2019_POPULATION = 577_900  # ONS Table P3, year ending March 2021 edition
MID_2020_POPULATION = 583_800  # ONS Table P3, year ending September 2022 edition
SEPTEMBER_2021 = month_index(2021, 9)
REVISION_TOLERANCE = 0.02  # the Home Office table is a later revision of the same counts


@cache
def baseline_year() -> RunResult:
    cat = catalogue()
    force = cat.force("warwickshire")
    assert force is not None
    ids = ["homicide", "serious_violence", "neighbourhood_crime", "knife_crime"]
    measures = [m for m in cat.measures if m.model.id in ids]
    return engine().run(force.model, measures, as_of=JUNE_2019)


def figure(measure: str, component: str | None = None, column: str = "value") -> float:
    frame = baseline_year().frame
    rows = frame.loc[
        (frame["measure"] == measure)
        & (frame["area_code"] == WARWICKSHIRE)
        & (frame["period"] == JUNE_2019)
    ]
    rows = rows.loc[
        rows["component"].isna() if component is None else rows["component"] == component
    ]
    assert len(rows) == 1, rows
    return float(rows[column].iloc[0])


@cache
def table_p1() -> pd.DataFrame:
    dataset = catalogue().dataset("ons_pfa_p1")
    assert dataset is not None
    frame = read_dataset(dataset.model, catalogue().data_root(dataset), engine().areas).frame
    return frame.loc[(frame["area_code"] == WARWICKSHIRE) & (frame["period"] == JUNE_2019)]


def figure_row(measure: str) -> pd.Series:
    frame = baseline_year().frame
    rows = frame.loc[
        (frame["measure"] == measure)
        & (frame["area_code"] == WARWICKSHIRE)
        & (frame["period"] == JUNE_2019)
        & frame["component"].isna()
    ]
    assert len(rows) == 1
    return rows.iloc[0]


def p1(column: str) -> float:
    rows = table_p1().loc[table_p1()["measure_column"] == column, "value"]
    assert len(rows) == 1, column
    return float(rows.iloc[0])


def test_the_run_has_no_findings() -> None:
    assert baseline_year().findings == []


def test_homicide_matches_table_p1_exactly() -> None:
    assert figure("homicide") == p1("Homicide") == 1


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (("serious_violence", "Violence with injury"), ["Violence with injury"]),
        (("neighbourhood_crime", "Domestic burglary"), ["Residential burglary"]),
        (("neighbourhood_crime", "Theft from the person"), ["Theft from the person"]),
    ],
)
def test_components_agree_with_table_p1_within_revisions(
    ours: tuple[str, str], theirs: list[str]
) -> None:
    published = sum(p1(column) for column in theirs)
    assert figure(*ours) == pytest.approx(published, rel=REVISION_TOLERANCE)


def test_vehicle_offences_agree_with_table_p1() -> None:
    ours = sum(
        figure("neighbourhood_crime", part)
        for part in ("Theft of a motor vehicle", "Theft from a vehicle", "Vehicle interference")
    )
    assert ours == pytest.approx(p1("Vehicle offences"), rel=REVISION_TOLERANCE)


def test_serious_violence_is_the_sum_of_its_components() -> None:
    parts = figure("serious_violence", "Violence with injury") + figure(
        "serious_violence", "Robbery of personal property"
    )
    assert figure("serious_violence") == parts == 5112


def test_neighbourhood_crime_is_the_sum_of_its_six_components() -> None:
    frame = baseline_year().frame
    parts = frame.loc[
        (frame["measure"] == "neighbourhood_crime")
        & (frame["area_code"] == WARWICKSHIRE)
        & (frame["period"] == JUNE_2019)
        & frame["component"].notna()
    ]
    assert len(parts) == 6
    assert parts["value"].sum() == figure("neighbourhood_crime") == 8764


def test_knife_crime_is_the_published_figure_on_its_editions_population() -> None:
    # ONS published the 12 months to June 2019 in the June 2019 edition, rated on mid-2018.
    assert figure("knife_crime") == 306
    assert figure("knife_crime", column="rate_per_100k") == pytest.approx(
        306 / MID_2018_POPULATION * 100_000
    )
    assert figure("knife_crime", column="population") == MID_2018_POPULATION
    assert figure_row("knife_crime")["source_edition"] == "2019-06"


@pytest.mark.parametrize("measure", ["homicide", "serious_violence", "neighbourhood_crime"])
def test_rates_divide_by_the_estimate_dated_inside_the_window(measure: str) -> None:
    # Computed windows take the mid-year estimate dated inside them: mid-2019 for the 12
    # months to June 2019.
    rate = figure(measure, column="rate_per_100k")
    assert rate == pytest.approx(figure(measure) / MID_2019_POPULATION * 100_000)
    assert figure_row(measure)["population_estimate"] == "mid-2019"


def test_the_neighbourhood_crime_baseline_is_1516_per_100000() -> None:
    # The published statement: "From a baseline of 1,516 offences per 100,000 population".
    rate = figure("neighbourhood_crime", column="baseline_rate_per_100k")
    assert rate == pytest.approx(8_764 / MID_2019_POPULATION * 100_000)
    assert int(rate) == 1_516
    assert figure_row("neighbourhood_crime")["baseline_population_estimate"] == "mid-2019"


@cache
def september_2021() -> RunResult:
    cat = catalogue()
    force = cat.force("warwickshire")
    assert force is not None
    ids = ["knife_crime", "firearm_offences"]
    measures = [m for m in cat.measures if m.model.id in ids]
    return engine().run(force.model, measures, as_of=SEPTEMBER_2021)


def _september(measure: str) -> pd.Series:
    frame = september_2021().frame
    rows = frame.loc[
        (frame["measure"] == measure)
        & (frame["area_code"] == WARWICKSHIRE)
        & (frame["period"] == SEPTEMBER_2021)
        & frame["component"].isna()
    ]
    assert len(rows) == 1
    return rows.iloc[0]


def test_knife_crime_12_months_to_september_2021() -> None:
    row = _september("knife_crime")
    assert row["value"] == 290
    assert round(row["rate_per_100k"], 1) == 49.7
    assert row["population"] == MID_2020_POPULATION
    assert row["population_estimate"] == "mid-2020"  # the September 2022 edition's
    assert row["source_edition"] == "2022-09"
    assert row["source_edition_file"].endswith("policeforceareatablesyesep22.xlsx")
    assert september_2021().findings == []


def test_firearm_offences_12_months_to_september_2021() -> None:
    row = _september("firearm_offences")
    assert row["value"] == 47
    assert row["dataset"] == "ons_pfa_firearms"
    assert not row["synthetic"]


def test_the_baseline_year_is_its_own_baseline() -> None:
    for measure in ("homicide", "serious_violence", "neighbourhood_crime", "knife_crime"):
        assert figure(measure, column="baseline") == figure(measure)
        assert figure(measure, column="change") == 0


def test_the_region_pools_the_four_west_midlands_forces() -> None:
    assert figure("homicide", column="region_members") == 4


def test_england_and_wales_pools_all_43_forces() -> None:
    assert figure("serious_violence", column="national_members") == 43


def test_every_row_names_its_definition_and_sources() -> None:
    frame = baseline_year().frame
    assert frame["definition_file"].str.endswith(".yaml").all()
    assert frame["definition_sha256"].str.fullmatch(r"[0-9a-f]{64}").all()
    assert frame["source_sha256"].str.len().ge(64).all()
    assert (frame["source_rows_used"] <= frame["source_rows_read"]).all()


def test_the_missing_year_2015_16_empties_windows_and_flags_them() -> None:
    cat = catalogue()
    force = cat.force("warwickshire")
    assert force is not None
    homicide = [m for m in cat.measures if m.model.id == "homicide"]
    frame = engine().run(force.model, homicide).frame
    own = frame.loc[(frame["area_code"] == WARWICKSHIRE) & frame["component"].isna()]
    march_2016 = own.loc[own["period"] == month_index(2016, 3)].iloc[0]
    assert pd.isna(march_2016["value"])
    assert "missing_periods:4" in march_2016["flags"]


def _published_knife_rates() -> dict[tuple[str, int, str], float]:
    """Read every edition's knife rate table: (workbook, window end, force code) → rate."""
    rates: dict[tuple[str, int, str], float] = {}
    for workbook in sorted((CATALOGUE / "national" / "data" / "ons-pfa-tables").glob("*.xlsx")):
        with XlsxBook(workbook) as book:
            for sheet in book.sheetnames:
                title = " ".join(text_of(c) for row in book.rows(sheet, max_row=2) for c in row)
                if not re.search(r"knife.*rate", title, re.I):
                    continue
                rows = book.rows(sheet)
                found = layout(rows)
                assert found is not None, (workbook.name, sheet)
                for column in found.columns:
                    end = window_end(column.heading) or window_end(column.group)
                    if end is None:
                        continue
                    for index in found.data_rows:
                        code = text_of(rows[index][found.code_column])
                        cell = rows[index][column.index]
                        if code.startswith(("E23", "W15")) and isinstance(cell, int | float):
                            rates[(workbook.name, end, code)] = float(cell)
    return rates


def test_knife_rates_reproduce_each_editions_own_published_rates() -> None:
    """Every force's rate for an edition's own 12 months equals the edition's rate table."""
    cat = catalogue()
    force = cat.force("warwickshire")
    assert force is not None
    knife = [m for m in cat.measures if m.model.id == "knife_crime"]
    frame = engine().run(force.model, knife, all_forces=True).frame
    ours = frame.loc[frame["component"].isna() & frame["rate_per_100k"].notna()]
    editions = {
        edition.file.rsplit("/", 1)[-1]: edition.month
        for edition in engine().source("ons_pfa_p4_knife", force.model).editions
    }
    checked: dict[str, int] = {}
    for (workbook, end, code), published in _published_knife_rates().items():
        if end != editions[workbook]:
            continue  # the previous year: five editions rate it on another estimate
        row = ours.loc[(ours["period"] == end) & (ours["area_code"] == code)]
        if row.empty or not str(row["source_edition_file"].iloc[0]).endswith(workbook):
            continue  # a later edition revised this window's count
        # ONS divides by the unrounded estimate; Table P3 prints it rounded to 100.
        population = float(row["population"].iloc[0])
        assert row["rate_per_100k"].iloc[0] == pytest.approx(published, rel=50 / population), (
            workbook,
            code,
        )
        checked[workbook] = checked.get(workbook, 0) + 1
    # The own years of at least six editions stand in full (later editions revise the
    # others' counts): September and December 2019, and June 2023 to March 2024.
    assert sum(count >= 40 for count in checked.values()) >= 6
    assert sum(checked.values()) >= 6 * 40
