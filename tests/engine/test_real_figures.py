"""Warwickshire, 12 months to June 2019, from the real bundled tables.

The engine computes the national measures from the Home Office open data table, a later
revision than the ONS Police Force Area tables of the time, so each figure is checked
against ONS Table P1 within a small revision tolerance (docs/figures.md lists them), and
knife crime against Table P4 exactly.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from framework.engine.run import Engine, RunResult
from framework.loading.catalogue import Catalogue, load_catalogue
from framework.periods import month_index
from framework.sources.registry import read_dataset

pytestmark = pytest.mark.slow

CATALOGUE = Path(__file__).parents[2] / "measures"
WARWICKSHIRE = "E23000017"
JUNE_2019 = month_index(2019, 6)
MID_2018_POPULATION = 571_000  # ONS Table P3, year ending June 2019 edition
REVISION_TOLERANCE = 0.02  # the Home Office table is a later revision of the same counts


@cache
def catalogue() -> Catalogue:
    return load_catalogue(CATALOGUE)


@cache
def engine() -> Engine:
    return Engine(catalogue())


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
    frame = read_dataset(dataset.model, CATALOGUE, engine().areas).frame
    return frame.loc[(frame["area_code"] == WARWICKSHIRE) & (frame["period"] == JUNE_2019)]


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


def test_knife_crime_is_table_p4_and_its_rate_uses_the_mid_2018_population() -> None:
    assert figure("knife_crime") == 306
    assert figure("knife_crime", column="rate_per_100k") == pytest.approx(
        306 / MID_2018_POPULATION * 100_000
    )
    assert figure("knife_crime", column="population") == MID_2018_POPULATION


@pytest.mark.parametrize("measure", ["homicide", "serious_violence", "neighbourhood_crime"])
def test_rates_are_per_100000_on_the_mid_2018_population(measure: str) -> None:
    rate = figure(measure, column="rate_per_100k")
    assert rate == pytest.approx(figure(measure) / MID_2018_POPULATION * 100_000)
    frame = baseline_year().frame
    row = frame.loc[(frame["measure"] == measure) & (frame["area_code"] == WARWICKSHIRE)].iloc[-1]
    assert row["population_estimate"] == "mid-2018"


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
