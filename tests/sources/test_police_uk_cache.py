"""The police.uk parse cache and the aggregated mode: same frame and books, parse or cache."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from framework.areas.registry import AreaRegistry
from framework.sources.adapters.police_uk import PoliceUkStreetAdapter, _Needs
from framework.sources.base import SourceFrame, SourceReport
from framework.sources.cache import (
    CACHE_ENV,
    DEFAULT_FOLDER,
    MAGIC,
    ParquetCache,
    cache_folder,
)
from tests.sources.helpers import assert_books_balance, load_dataset, make_dataset

ALL_DIMENSIONS = ["crime_type", "last_outcome_category", "lsoa_code"]
HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
    "LSOA name,Crime type,Last outcome category,Context\n"
)
JULY = [  # the awkward rows: no Crime ID, not a force, a bad month, no force, ASB
    "a1,2019-07,Devon & Cornwall Police,Devon & Cornwall Police,,,On or near X,E01000001,,"
    "Robbery,Under investigation,",
    ",2019-07,Devon & Cornwall Police,Devon & Cornwall Police,,,On or near X,E01000001,,"
    "Burglary,Under investigation,",
    "a3,2019-07,British Transport Police,British Transport Police,,,On or near Y,,,"
    "Robbery,Under investigation,",
    "a4,July,Devon & Cornwall Police,Devon & Cornwall Police,,,On or near Z,,,"
    "Robbery,Under investigation,",
    "a5,2019-07,,,,,On or near Z,,,Robbery,Under investigation,",
    ",2019-07,Devon & Cornwall Police,Devon & Cornwall Police,,,On or near X,E01000001,,"
    "Anti-social behaviour,,",
    "a7,2019-07,Devon & Cornwall Police,Devon & Cornwall Police,,,On or near X,E01000002,,"
    "Robbery,Under investigation,",
]


@pytest.fixture
def street(tmp_path: Path, catalogue: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return a catalogue folder with the bundled June 2019 and an awkward July; cache in tmp."""
    bundled = catalogue / load_dataset("police_uk_street").path / "2019-06"
    shutil.copytree(bundled, tmp_path / "street" / "2019-06")
    july = tmp_path / "street" / "2019-07"
    july.mkdir()
    (july / "2019-07-devon-and-cornwall-street.csv").write_text(HEADER + "\n".join(JULY) + "\n")
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path


def read(root: Path, areas: AreaRegistry, aggregate: bool, dims: list[str]) -> SourceFrame:
    dataset = make_dataset(
        {"kind": "police_uk_street", "aggregate": aggregate}, "street", dimensions=dims
    )
    return PoliceUkStreetAdapter().read(dataset, root / "street", root, areas)


def books(report: SourceReport) -> tuple[object, ...]:
    """Everything a report says except its notes (which say how the cache served the read)."""
    return (report.files, report.rows_read, report.rows_used, report.exclusions, report.missing)


def entries(root: Path) -> list[Path]:
    return sorted((root / "cache").glob("*.parquet"))


@pytest.mark.parametrize("aggregate", [False, True])
@pytest.mark.parametrize("dims", [["crime_type"], ALL_DIMENSIONS])
def test_a_warm_read_is_the_cold_read(
    street: Path, areas: AreaRegistry, aggregate: bool, dims: list[str]
) -> None:
    cold = read(street, areas, aggregate, dims)
    assert len(entries(street)) == 2  # one per source file
    warm = read(street, areas, aggregate, dims)
    pd.testing.assert_frame_equal(cold.frame, warm.frame)
    assert books(cold.report) == books(warm.report)
    assert cold.dimensions == warm.dimensions == tuple(dims)
    assert "cache: 0 of 2 files read from the parse cache, 2 parsed" in cold.report.notes
    assert "cache: 2 of 2 files read from the parse cache, 0 parsed" in warm.report.notes


@pytest.mark.parametrize("dims", [["crime_type"], ALL_DIMENSIONS])
def test_counts_keep_the_books_of_records(
    street: Path, areas: AreaRegistry, dims: list[str]
) -> None:
    records = read(street, areas, False, dims)
    counts = read(street, areas, True, dims)
    assert_books_balance(records)
    # Same rows read, used and excluded, by the same reasons with the same example lines.
    assert books(counts.report) == books(records.report)
    assert counts.report.notes[0] == records.report.notes[0]  # the rows without a Crime ID
    keys = ["period", "area_code", "area", *dims]
    summed = [
        source.frame.groupby(keys, observed=True, dropna=False)["value"].sum()
        for source in (records, counts)
    ]
    pd.testing.assert_series_equal(summed[0], summed[1])
    assert counts.frame["value"].sum() == counts.report.rows_used
    assert len(counts.frame) < len(records.frame)


def test_a_count_points_at_its_first_record(street: Path, areas: AreaRegistry) -> None:
    counts = read(street, areas, True, ["crime_type"]).frame
    july = counts.loc[counts["source_file"].str.contains("2019-07")]
    robbery = july.loc[july["crime_type"] == "Robbery"]
    # Lines 2 and 8 are the two Devon robberies; line 3 (no Crime ID, a burglary) is apart.
    assert robbery[["value", "source_row"]].values.tolist() == [[2.0, 2]]
    assert july.loc[july["crime_type"] == "Burglary", "source_row"].tolist() == [3]


def test_exclusions_and_notes_on_the_awkward_rows(street: Path, areas: AreaRegistry) -> None:
    source = read(street, areas, True, ["crime_type"])
    reasons = {item.reason: item for item in source.report.exclusions}
    assert reasons["no area given"].examples == (6,)
    assert next(r for k, r in reasons.items() if "British Transport" in k).examples == (4,)
    assert next(r for k, r in reasons.items() if "Month" in k).examples == (5,)
    asb = next(r for k, r in reasons.items() if "anti-social" in k)
    assert asb.rows == 1076 + 1 and asb.examples[0] < 100  # June's first, by line number
    assert "1 crime rows have no Crime ID; they are kept and counted" in source.report.notes


def test_a_new_month_parses_only_that_month(street: Path, areas: AreaRegistry) -> None:
    read(street, areas, True, ["crime_type"])
    august = street / "street" / "2019-08"
    august.mkdir()
    (august / "2019-08-devon-and-cornwall-street.csv").write_text(HEADER + JULY[0] + "\n")
    source = read(street, areas, True, ["crime_type"])
    assert "cache: 2 of 3 files read from the parse cache, 1 parsed" in source.report.notes
    assert len(entries(street)) == 3


def test_the_key_is_the_content_not_the_name(street: Path, areas: AreaRegistry) -> None:
    read(street, areas, False, ["crime_type"])
    july = street / "street" / "2019-07" / "2019-07-devon-and-cornwall-street.csv"
    july.rename(july.with_name("2019-07-renamed-street.csv"))
    moved = read(street, areas, False, ["crime_type"])
    assert "cache: 2 of 2 files read from the parse cache, 0 parsed" in moved.report.notes
    edited = july.with_name("2019-07-renamed-street.csv")
    edited.write_text(edited.read_text() + JULY[0] + "\n")
    changed = read(street, areas, False, ["crime_type"])
    assert "cache: 1 of 2 files read from the parse cache, 1 parsed" in changed.report.notes
    assert changed.report.rows_read == moved.report.rows_read + 1


def _edited(entry: Path, rows: int | None = None) -> bytes:
    """Return the entry with one count changed in a well-formed table, its header kept."""
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    data = entry.read_bytes()
    header = data[: len(MAGIC) + 40]
    table = pq.read_table(io.BytesIO(data[len(header) :]))
    column = next(i for i, field in enumerate(table.schema) if pa.types.is_integer(field.type))
    values = table.column(column).to_pylist()
    values[0] = (values[0] or 0) + 1000
    table = table.set_column(
        column, table.schema.field(column), pa.array(values, table.column(column).type)
    )
    if rows is not None:
        header = MAGIC + rows.to_bytes(8, "big") + header[len(MAGIC) + 8 :]
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return header + buffer.getvalue()


@pytest.mark.parametrize("damage", ["truncate", "garbage", "swap", "edited", "rows"])
def test_a_damaged_entry_is_parsed_again(street: Path, areas: AreaRegistry, damage: str) -> None:
    cold = read(street, areas, True, ["crime_type"])
    june, july = entries(street)
    if damage == "edited":  # a well-formed table with one figure changed
        june.write_bytes(_edited(june))
    elif damage == "rows":  # and a row count that does not match either
        june.write_bytes(_edited(june, rows=7))
    elif damage == "truncate":
        june.write_bytes(june.read_bytes()[:100])
    elif damage == "garbage":
        june.write_bytes(b"not parquet at all")
    else:  # another file's entry under this file's name
        shutil.copyfile(july, june)
    again = read(street, areas, True, ["crime_type"])
    pd.testing.assert_frame_equal(cold.frame, again.frame)
    assert books(cold.report) == books(again.report)
    assert "cache: 1 of 2 files read from the parse cache, 1 parsed" in again.report.notes
    (note,) = [text for text in again.report.notes if "could not be used" in text]
    assert "2019-06-warwickshire-street.csv" in note and str(street) not in note
    healed = read(street, areas, True, ["crime_type"])  # the entry was written afresh
    assert "cache: 2 of 2 files read from the parse cache, 0 parsed" in healed.report.notes


def test_an_unwritable_cache_is_only_a_note(
    street: Path, areas: AreaRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = street / "a-file"
    blocker.write_text("the cache folder cannot be made under a file")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "cache"))
    source = read(street, areas, False, ["crime_type"])
    assert source.report.rows_read == 4468 + len(JULY)
    (note,) = [text for text in source.report.notes if "could not be used or written" in text]
    assert "not written" in note and str(street) not in note


def test_the_cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CACHE_ENV, raising=False)
    catalogue = tmp_path / "measures"
    assert cache_folder(catalogue) == tmp_path.resolve() / DEFAULT_FOLDER
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "elsewhere"))
    assert cache_folder(catalogue) == tmp_path / "elsewhere"
    assert DEFAULT_FOLDER.parts == (".cache", "measures")  # .cache/ is ignored by git


def test_an_installed_catalogue_is_cached_in_the_users_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    installed = tmp_path / "lib" / "site-packages" / "police_measures_national"
    assert cache_folder(installed) == tmp_path / "user-cache" / "police-measures" / "parse"
    beside = tmp_path / "dist-packages-like" / "measures"  # a name that merely contains it
    assert cache_folder(beside) == beside.resolve().parent / DEFAULT_FOLDER


@pytest.mark.slow
def test_no_flipped_byte_passes_for_a_good_entry(street: Path, areas: AreaRegistry) -> None:
    read(street, areas, True, ["crime_type"])
    needs = _Needs(("Month", "Falls within", "Crime type"), True)
    july = min(entries(street), key=lambda path: path.stat().st_size)  # the small one
    sha256 = july.name.split(".")[0]
    cache = ParquetCache(street / "cache")
    good = cache.get(sha256, needs.form, needs.schema()).table
    assert good is not None and good.num_rows > 0
    data = july.read_bytes()
    for position in range(len(data)):
        damaged = bytearray(data)
        damaged[position] ^= 0x55
        july.write_bytes(bytes(damaged))
        found = cache.get(sha256, needs.form, needs.schema()).table
        # Page checksums, the stamped hash and form, and the schema catch every flip.
        assert found is None or found.equals(good), position
