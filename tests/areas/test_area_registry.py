"""The area registry: 43 forces, their regions, and every spelling the sources use."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from framework.areas.names import clean_text, name_key, split_area_footnotes
from framework.areas.registry import NOT_A_FORCE, Area, AreaRegistry, AreaRegistryError
from framework.sources.area_list import default_registry
from framework.sources.base import SourceError

CATALOGUE = Path(__file__).parents[2] / "measures"
POPULATION = CATALOGUE / "national" / "data" / "ons-population" / "population_data.csv"


@pytest.fixture(scope="module")
def areas() -> AreaRegistry:
    return default_registry(CATALOGUE)


def test_43_forces_each_with_a_region(areas: AreaRegistry) -> None:
    forces = areas.forces()
    assert len(forces) == 43
    assert len({force.code for force in forces}) == 43
    for force in forces:
        region = areas.region_of(force.code)
        assert region is not None, force
        assert region.kind in {"region", "country"}


def test_welsh_forces_sit_in_wales(areas: AreaRegistry) -> None:
    wales = areas.members_of_region("Wales")
    assert {force.name for force in wales} == {"Dyfed-Powys", "Gwent", "North Wales", "South Wales"}
    for force in wales:
        region = areas.region_of(force.code)
        assert region is not None and region.code == "W92000004"


def test_west_midlands_region_members(areas: AreaRegistry) -> None:
    members = {force.name for force in areas.members_of_region("E12000005")}
    assert members == {"Staffordshire", "Warwickshire", "West Mercia", "West Midlands"}
    region = areas.region_of("E23000017")
    assert region is not None and region.name == "West Midlands (region)"


def test_country_and_national_membership(areas: AreaRegistry) -> None:
    assert len(areas.members_of_region("England")) == 39
    assert len(areas.members_of_region("K04000001")) == 43
    assert areas.members_of_region("Warwickshire") == ()  # a force has no members
    assert areas.members_of_region("Atlantis") == ()


def test_region_grouping_adds_up_to_the_ons_population_table(areas: AreaRegistry) -> None:
    # The grouping is derived from the table; a region row must equal its forces' sum, within
    # the rounding of each figure to the nearest 100.
    with POPULATION.open(encoding="utf-8", newline="") as handle:
        population = {
            row["code"]: int(row["MYE2018"]) for row in csv.DictReader(handle) if row["code"]
        }
    parents = [area for area in areas.areas() if not area.is_force]
    assert len(parents) == 12  # England and Wales, England, Wales, nine regions
    for parent in parents:
        members = areas.members_of_region(parent.code)
        assert members, parent
        total = sum(population[force.code] for force in members)
        assert abs(total - population[parent.code]) <= 50 * len(members), parent


@pytest.mark.parametrize(
    ("spelling", "code"),
    [
        ("London, City of", "E23000034"),
        ("City of London", "E23000034"),
        ("City of London Police", "E23000034"),
        ("Devon & Cornwall", "E23000035"),
        ("Devon and Cornwall Police", "E23000035"),
        ("Metropolitan Police", "E23000001"),
        ("Metropolitan Police Service", "E23000001"),
        ("Warwickshire Police", "E23000017"),
        ("warwickshire", "E23000017"),
        ("Avon and Somerset Constabulary", "E23000036"),
        ("Avon and Somerset 9", "E23000036"),
        ("Dyfed Powys", "W15000004"),
        ("Northumbria7", "E23000007"),
        ("Greater Manchester8,9", "E23000005"),
        ("ENGLAND AND WALES7,8,9,10", "K04000001"),
        ("England & Wales", "K04000001"),
        ("WALES", "W92000004"),
        ("North West 7,8", "E12000002"),
        ("North East ", "E12000001"),
        ("East", "E12000006"),
        ("Yorkshire and the Humber", "E12000003"),
        ("West Midlands", "E23000014"),  # the force: the region is "West Midlands (region)"
        ("West Midlands (region)", "E12000005"),
        ("Hampshire and Isle of Wight Constabulary", "E23000030"),
        ("e23000017", "E23000017"),
        (" W15000001 ", "W15000001"),
    ],
)
def test_aliases_resolve(areas: AreaRegistry, spelling: str, code: str) -> None:
    area = areas.resolve(spelling)
    assert area is not None, spelling
    assert area.code == code


@pytest.mark.parametrize(
    "body",
    [
        "Action Fraud",
        "CIFAS",
        "UK Finance",
        "Financial Fraud Action UK",
        "British Transport Police",
    ],
)
def test_non_forces_resolve_to_none_with_a_reason(areas: AreaRegistry, body: str) -> None:
    assert areas.resolve(body) is None
    reason = areas.non_force_reason(body)
    assert reason is not None and NOT_A_FORCE in reason and body in reason
    assert "not a territorial police force area" in areas.exclusion_reason(body.upper())


def test_unknown_names_and_codes(areas: AreaRegistry) -> None:
    assert areas.resolve("Gotham City") is None
    assert areas.resolve("E23999999") is None
    assert areas.non_force_reason("Gotham City") is None
    assert "not in the area registry" in areas.exclusion_reason("Gotham City")


def test_ambiguous_aliases_are_refused() -> None:
    with pytest.raises(AreaRegistryError):
        AreaRegistry(
            [Area("E23000001", "Alpha", "force"), Area("E23000002", "Beta", "force")],
            {"E23000002": ("Alpha Police",)},
        )


def test_a_folder_without_a_reference_list_uses_the_national_one(tmp_path: Path) -> None:
    # A force's folder holds no area list of its own: the national catalogue's is used.
    assert default_registry(tmp_path).resolve("Durham") is not None


def test_missing_reference_list_is_a_source_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("framework.sources.area_list.national_root", lambda: tmp_path / "none")
    with pytest.raises(SourceError) as caught:
        default_registry(tmp_path)
    assert "data/reference/areas.csv" in caught.value.path
    assert caught.value.hint


def test_malformed_reference_list_is_a_source_error(tmp_path: Path) -> None:
    target = tmp_path / "data" / "reference"
    target.mkdir(parents=True)
    (target / "areas.csv").write_text("code,name,kind,parent_code,aliases\nX1,Foo,force,,\n")
    with pytest.raises(SourceError):
        default_registry(tmp_path)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Total recorded crime (excluding fraud3)", "Total recorded crime (excluding fraud)"),
        ("Stalking and harassment 4", "Stalking and harassment"),
        ("Non-residential  burglary5,6", "Non-residential burglary"),
        ("Number of\n offences\n involving a\n knife7", "Number of offences involving a knife"),
        (
            "Population figures\n (mid-2018)3  rounded to 100",
            "Population figures (mid-2018) rounded to 100",
        ),
        ("Homicide5,6", "Homicide"),
        ("Table P1", "Table P1"),
    ],
)
def test_clean_text_strips_footnote_markers(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_split_area_footnotes() -> None:
    assert split_area_footnotes("ENGLAND AND WALES7,8,9,10") == ("ENGLAND AND WALES", (7, 8, 9, 10))
    assert split_area_footnotes("North West 7,8") == ("North West", (7, 8))
    assert split_area_footnotes("Cleveland") == ("Cleveland", ())
    assert name_key("London, City of") == "london city of"
