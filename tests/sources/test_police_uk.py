"""police.uk street-level files: the bundled Warwickshire month, and a folder of months."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from framework.areas.registry import AreaRegistry
from framework.periods import month_index
from framework.sources.adapters.police_uk import PoliceUkStreetAdapter
from framework.sources.base import SourceError
from framework.sources.registry import read_dataset
from tests.sources.helpers import assert_books_balance, load_dataset, make_dataset

SHA256 = "36a3a1bff0c8e2db98f95b8d680194d0f5eea1e6dfb486e080dd2717d503e5a0"  # from SOURCE.md
CRIME_TYPES = {  # SOURCE.md's counts by crime type, less anti-social behaviour
    "Violence and sexual offences": 1257,
    "Other theft": 393,
    "Vehicle crime": 380,
    "Criminal damage and arson": 333,
    "Burglary": 281,
    "Shoplifting": 274,
    "Public order": 205,
    "Drugs": 80,
    "Other crime": 49,
    "Bicycle theft": 45,
    "Robbery": 33,
    "Possession of weapons": 32,
    "Theft from the person": 30,
}
JUNE_2019 = "data/police-uk/2019-06"
HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
    "LSOA name,Crime type,Last outcome category,Context\n"
)


def test_warwickshire_june_2019(areas: AreaRegistry, catalogue: Path) -> None:
    # The registered dataset, read from its June 2019 month folder only.
    source = read_dataset(load_dataset("police_uk_street"), catalogue, areas, JUNE_2019)
    assert_books_balance(source)
    report = source.report
    assert (report.rows_read, report.rows_used, report.rows_excluded) == (4468, 3392, 1076)
    (asb,) = report.exclusions
    assert "anti-social behaviour" in asb.reason and "no Crime ID" in asb.reason
    frame = source.frame
    counts = frame.groupby("crime_type", observed=True)["value"].sum()
    assert {str(k): int(v) for k, v in counts.items()} == CRIME_TYPES
    assert set(frame["area_code"]) == {"E23000017"}
    assert set(frame["period"]) == {month_index(2019, 6)}
    assert frame["value"].eq(1.0).all()
    assert frame["source_row"].is_unique and frame["source_row"].between(2, 4469).all()
    assert report.files[0].sha256 == SHA256
    assert report.files[0].path == "data/police-uk/2019-06/2019-06-warwickshire-street.csv"
    assert source.dimensions == ("crime_type", "last_outcome_category", "lsoa_code")


def test_include_asb_keeps_every_row(areas: AreaRegistry, catalogue: Path) -> None:
    dataset = make_dataset(
        {"kind": "police_uk_street", "include_asb": True},
        JUNE_2019,
        dimensions=["crime_type"],
    )
    source = PoliceUkStreetAdapter().read(dataset, catalogue / dataset.path, catalogue, areas)
    assert source.report.rows_used == 4468 and not source.report.exclusions
    assert (source.frame["crime_type"] == "Anti-social behaviour").sum() == 1076


def test_a_folder_of_months_and_forces(
    tmp_path: Path, areas: AreaRegistry, catalogue: Path
) -> None:
    bundled = catalogue / load_dataset("police_uk_street").path / "2019-06"
    shutil.copytree(bundled, tmp_path / "street" / "2019-06")
    july = tmp_path / "street" / "2019-07"
    july.mkdir()
    (july / "2019-07-btp-street.csv").write_text(
        HEADER + "a1,2019-07,British Transport Police,British Transport Police,,,On or near X,,,"
        "Robbery,Under investigation,\n"
        + "a2,2019-07,Devon & Cornwall Police,Devon & Cornwall Police,,,On or near Y,,,"
        "Robbery,Under investigation,\n"
        + "a3,July,Devon & Cornwall Police,Devon & Cornwall Police,,,On or near Z,,,"
        "Robbery,Under investigation,\n"
    )
    (july / "notes.txt").write_text("not a street file")
    dataset = make_dataset({"kind": "police_uk_street"}, "street", dimensions=["crime_type"])
    source = PoliceUkStreetAdapter().read(dataset, tmp_path / "street", tmp_path, areas)
    assert_books_balance(source)
    assert source.report.rows_read == 4468 + 3
    assert len(source.report.files) == 2
    reasons = {item.reason: item for item in source.report.exclusions}
    btp = next(item for reason, item in reasons.items() if "British Transport Police" in reason)
    assert "not a territorial police force area" in btp.reason and btp.examples == (2,)
    bad_month = next(item for reason, item in reasons.items() if "Month" in reason)
    assert bad_month.examples == (4,)
    devon = source.frame[source.frame["area_code"] == "E23000035"]
    assert len(devon) == 1 and devon["period"].iloc[0] == month_index(2019, 7)
    assert devon["source_file"].iloc[0] == "street/2019-07/2019-07-btp-street.csv"


def test_a_file_without_the_columns_is_refused(tmp_path: Path, areas: AreaRegistry) -> None:
    (tmp_path / "2019-06-x-street.csv").write_text("Month,Something\n2019-06,1\n")
    dataset = make_dataset({"kind": "police_uk_street"}, ".")
    with pytest.raises(SourceError, match=r"not a police\.uk street file"):
        PoliceUkStreetAdapter().read(dataset, tmp_path, tmp_path, areas)


def test_the_bundled_months_of_2021_22_are_gzipped_copies_read_as_published(
    areas: AreaRegistry, catalogue: Path
) -> None:
    import gzip
    import hashlib

    dataset = load_dataset("police_uk_street")
    source = read_dataset(dataset, catalogue, areas)
    assert_books_balance(source)
    files = [item.path for item in source.report.files]
    assert len(files) == 14 and files[0].endswith("2019-06-warwickshire-street.csv")
    assert all(name.endswith("-street.csv.gz") for name in files[1:])
    # February 2021 was not published: the months are June 2019 and March 2021 to March 2022.
    months = sorted(set(source.frame["period"]))
    expected = [month_index(2019, 6)] + [month_index(2021, 3) + i for i in range(13)]
    assert months == expected
    # Each stored file is the published CSV, gzipped: its text and its records are unchanged.
    provenance = (catalogue / "data/police-uk/PROVENANCE.md").read_text(encoding="utf-8")
    for item in source.report.files[1:]:
        stored = (catalogue / item.path).read_bytes()
        assert hashlib.sha256(stored).hexdigest() == item.sha256
        published = hashlib.sha256(gzip.decompress(stored)).hexdigest()
        assert f"`{published}` | `{item.sha256}`" in provenance
    # Every record of every file is read: the data lines of the published files.
    records = sum(
        gzip.decompress((catalogue / item.path).read_bytes()).count(b"\n") - 1
        for item in source.report.files[1:]
    )
    assert source.report.rows_read == 4468 + records


@pytest.mark.parametrize("pattern", ["../*-street.csv", "/etc/*", "2019-06/../../*.csv"])
def test_a_pattern_that_leaves_the_folder_is_refused(
    pattern: str, areas: AreaRegistry, catalogue: Path
) -> None:
    dataset = make_dataset({"kind": "police_uk_street", "pattern": pattern}, "data/police-uk")
    with pytest.raises(SourceError, match="refused") as raised:
        read_dataset(dataset, catalogue, areas)
    assert raised.value.path == pattern
    assert "below the dataset's folder" in raised.value.hint


def test_a_link_that_leads_out_of_the_folder_is_refused(
    tmp_path: Path, areas: AreaRegistry, catalogue: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "2019-06-x-street.csv").write_text(HEADER)
    folder = tmp_path / "catalogue" / "street"
    (folder / "2019-06").mkdir(parents=True)
    (folder / "2019-06" / "2019-06-x-street.csv").symlink_to(outside / "2019-06-x-street.csv")
    dataset = make_dataset({"kind": "police_uk_street"}, "street")
    with pytest.raises(SourceError, match="outside the dataset's folder"):
        PoliceUkStreetAdapter().read(dataset, folder, tmp_path / "catalogue", areas)
