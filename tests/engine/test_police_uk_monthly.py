"""The monthly neighbourhood crime proxy from the bundled police.uk files for Warwickshire."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from framework.engine.run import Engine
from framework.loading.catalogue import load_catalogue
from framework.periods import month_index

CATALOGUE = Path(__file__).parents[2] / "measures"
WARWICKSHIRE = "E23000017"
MEASURE = "neighbourhood_crime_police_uk"
TOLERANCE = 0.03
# The Home Office offence groups that police.uk's four crime types cover, as published.
HOME_OFFICE_LIKE_FOR_LIKE = {
    "Burglary": ["Domestic burglary", "Non-domestic burglary"],
    "Robbery": ["Robbery of personal property", "Robbery of business property"],
    "Vehicle crime": ["Theft from a vehicle", "Theft of a motor vehicle", "Vehicle interference"],
    "Theft from the person": ["Theft from the person"],
}
NEIGHBOURHOOD_SUBGROUPS = [
    "Domestic burglary",
    "Robbery of personal property",
    "Theft from a vehicle",
    "Theft of a motor vehicle",
    "Vehicle interference",
    "Theft from the person",
]


@cache
def results() -> pd.DataFrame:
    catalogue = load_catalogue(CATALOGUE)
    force = catalogue.force("warwickshire")
    measure = catalogue.measure(MEASURE)
    assert force is not None and measure is not None
    result = Engine(catalogue).run(force.model, [measure])
    assert result.findings == []
    frame = result.frame
    return frame.loc[frame["area_code"] == WARWICKSHIRE]


def totals() -> pd.Series:
    frame = results()
    rows = frame.loc[frame["component"].isna()]
    return pd.Series(rows["value"].to_numpy(), index=rows["period"].to_numpy())


def home_office_year_to_march_2022(subgroups: list[str]) -> float:
    """Sum the bundled Home Office table for Warwickshire over 2021/22 (April 2021 to March)."""
    table = pd.read_parquet(
        CATALOGUE / "national" / "data" / "home-office-prc" / "prc_pfa_quarterly.parquet"
    )
    rows = table.loc[
        (table["Force Name"] == "Warwickshire")
        & (table["Financial Year"] == "2021/22")
        & table["Offence Subgroup"].isin(subgroups)
    ]
    assert set(rows["Financial Quarter"]) == {1, 2, 3, 4}
    return float(rows["Number of Offences"].sum())


def test_the_12_months_to_march_2022_agree_with_the_home_office_table() -> None:
    police_uk = totals()[month_index(2022, 3)]
    subgroups = [name for names in HOME_OFFICE_LIKE_FOR_LIKE.values() for name in names]
    home_office = home_office_year_to_march_2022(subgroups)
    assert abs(police_uk - home_office) / home_office <= TOLERANCE, (police_uk, home_office)


def test_police_uk_types_are_broader_than_the_neighbourhood_subgroups() -> None:
    # The caveat in the YAML: business burglary and robbery are in police.uk's types.
    police_uk = totals()[month_index(2022, 3)]
    narrow = home_office_year_to_march_2022(NEIGHBOURHOOD_SUBGROUPS)
    assert police_uk > narrow * (1 + TOLERANCE)


def test_each_crime_type_is_a_component_that_adds_up_to_the_total() -> None:
    frame = results()
    march = frame.loc[frame["period"] == month_index(2022, 3)]
    parts = march.loc[march["component"].notna()].set_index("component")["value"]
    assert set(parts.index) == set(HOME_OFFICE_LIKE_FOR_LIKE)
    total = march.loc[march["component"].isna(), "value"].iloc[0]
    assert parts.sum() == total


def test_windows_that_need_february_2021_are_empty_never_shortened() -> None:
    series = totals()
    missing = results().loc[lambda f: f["component"].isna()].set_index("period")
    february_2021, january_2022 = month_index(2021, 2), month_index(2022, 1)
    for end in range(february_2021, january_2022 + 1):
        assert np.isnan(series[end]), end
        assert missing["missing_periods"].to_dict()[end] >= 1
        assert "missing_periods:" in str(missing.loc[end, "flags"])
        assert "February 2021" in str(missing.loc[end, "missing_in_window"])
    assert missing.loc[january_2022, "missing_periods"] == 1
    assert missing.loc[january_2022, "missing_in_window"] == "February 2021"
    # The first whole window is March 2021 to February 2022; each month after has one too.
    assert series[month_index(2022, 2)] > 0 and series[month_index(2022, 3)] > 0


def test_a_window_ends_in_every_month_not_only_quarter_ends() -> None:
    windows = results().loc[lambda f: f["component"].isna(), "window"]
    assert "12 months to February 2022" in set(windows)
