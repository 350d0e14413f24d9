"""Generate police.uk street-level crime files at national scale, for the ingest benchmark.

Writes one CSV per force and month in police.uk's download layout
(``YYYY-MM/YYYY-MM-<force-slug>-street.csv``) with the standard 12 columns, for the 43
territorial forces of ``measures/national/data/reference/areas.csv``, "Falls within" spelt as
police.uk
spells it ("Warwickshire Police", "Metropolitan Police Service", ...). A year holds about
6.5 million records (crimes and anti-social behaviour), shared out by each force's mid-2018
population: about 1.4 GB (the sample's ~220 bytes a row), written in ~10 s on 2 cores.

The columns are modelled on the real Warwickshire June 2019 file bundled in the catalogue:
crime types in its proportions, each type's last outcomes in its proportions, 64-hex Crime
IDs, anti-social behaviour rows with an empty Crime ID and outcome, ``On or near ...``
locations snapped to points that each belong to one LSOA, a share of ``No Location`` rows,
and rows sorted by LSOA name then crime type, as police.uk sorts them. Coordinates, street
names and LSOA names are made up; a force's LSOA codes are a made-up run of ``E01``/``W01``
codes. The output is a function of the seed alone, and a file does not depend on how many
years are written, so the first year of a two-year run is the one-year run.

    python bench/generate_police_uk.py OUT [--years 1] [--first-year 2019] [--seed 0] [--months N]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.csv as pacsv

REPO = Path(__file__).resolve().parents[1]
AREAS = REPO / "measures" / "national" / "data" / "reference" / "areas.csv"
POPULATION = REPO / "measures" / "national" / "data" / "ons-population" / "population_data.csv"
SAMPLE = (
    REPO
    / "measures"
    / "national"
    / "data"
    / "police-uk"
    / "2019-06"
    / "2019-06-warwickshire-street.csv"
)
COLUMNS = (
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context",
)  # fmt: skip
HEADER = (",".join(COLUMNS) + "\n").encode()
RECORDS_PER_YEAR = 6_500_000
ASB = "Anti-social behaviour"
NO_LOCATION = "No Location"
PEOPLE_PER_LSOA = 1_600  # an LSOA holds 1,000 to 3,000 people
PEOPLE_PER_POINT = 150  # snap points: Warwickshire's month touches ~2,300 of them
WORKERS = 2  # the writer and numpy release the GIL; two cores here

FORCES: dict[str, tuple[str, str, float, float]] = {
    # ONS code: police.uk "Falls within", police.uk file slug, rough centre (lon, lat)
    "E23000013": ("Cleveland Police", "cleveland", -1.20, 54.57),
    "E23000008": ("Durham Constabulary", "durham", -1.75, 54.70),
    "E23000007": ("Northumbria Police", "northumbria", -1.75, 55.10),
    "E23000006": ("Cheshire Constabulary", "cheshire", -2.55, 53.20),
    "E23000002": ("Cumbria Constabulary", "cumbria", -3.00, 54.50),
    "E23000005": ("Greater Manchester Police", "greater-manchester", -2.25, 53.50),
    "E23000003": ("Lancashire Constabulary", "lancashire", -2.60, 53.85),
    "E23000004": ("Merseyside Police", "merseyside", -2.95, 53.42),
    "E23000012": ("Humberside Police", "humberside", -0.50, 53.75),
    "E23000009": ("North Yorkshire Police", "north-yorkshire", -1.40, 54.10),
    "E23000011": ("South Yorkshire Police", "south-yorkshire", -1.35, 53.50),
    "E23000010": ("West Yorkshire Police", "west-yorkshire", -1.70, 53.78),
    "E23000018": ("Derbyshire Constabulary", "derbyshire", -1.60, 53.00),
    "E23000021": ("Leicestershire Police", "leicestershire", -1.10, 52.65),
    "E23000020": ("Lincolnshire Police", "lincolnshire", -0.30, 53.10),
    "E23000022": ("Northamptonshire Police", "northamptonshire", -0.90, 52.30),
    "E23000019": ("Nottinghamshire Police", "nottinghamshire", -1.05, 53.10),
    "E23000015": ("Staffordshire Police", "staffordshire", -2.00, 52.85),
    "E23000017": ("Warwickshire Police", "warwickshire", -1.55, 52.35),
    "E23000016": ("West Mercia Police", "west-mercia", -2.60, 52.40),
    "E23000014": ("West Midlands Police", "west-midlands", -1.90, 52.48),
    "E23000026": ("Bedfordshire Police", "bedfordshire", -0.45, 52.05),
    "E23000023": ("Cambridgeshire Constabulary", "cambridgeshire", 0.05, 52.35),
    "E23000028": ("Essex Police", "essex", 0.60, 51.80),
    "E23000027": ("Hertfordshire Constabulary", "hertfordshire", -0.20, 51.80),
    "E23000024": ("Norfolk Constabulary", "norfolk", 1.00, 52.65),
    "E23000025": ("Suffolk Constabulary", "suffolk", 1.05, 52.20),
    "E23000034": ("City of London Police", "city-of-london", -0.09, 51.515),
    "E23000001": ("Metropolitan Police Service", "metropolitan", -0.12, 51.50),
    "E23000030": ("Hampshire Constabulary", "hampshire", -1.25, 51.00),
    "E23000032": ("Kent Police", "kent", 0.80, 51.25),
    "E23000031": ("Surrey Police", "surrey", -0.45, 51.25),
    "E23000033": ("Sussex Police", "sussex", -0.30, 50.95),
    "E23000029": ("Thames Valley Police", "thames-valley", -1.00, 51.65),
    "E23000036": ("Avon and Somerset Constabulary", "avon-and-somerset", -2.70, 51.30),
    "E23000035": ("Devon & Cornwall Police", "devon-and-cornwall", -4.20, 50.50),
    "E23000039": ("Dorset Police", "dorset", -2.25, 50.75),
    "E23000037": ("Gloucestershire Constabulary", "gloucestershire", -2.20, 51.85),
    "E23000038": ("Wiltshire Police", "wiltshire", -1.90, 51.35),
    "W15000004": ("Dyfed-Powys Police", "dyfed-powys", -4.00, 52.20),
    "W15000002": ("Gwent Police", "gwent", -3.00, 51.70),
    "W15000001": ("North Wales Police", "north-wales", -3.60, 53.10),
    "W15000003": ("South Wales Police", "south-wales", -3.50, 51.60),
}
STREETS = (
    "Abbey", "Albert", "Alexandra", "Ash", "Bank", "Beech", "Birch", "Bridge", "Brook", "Castle",
    "Cedar", "Chapel", "Church", "Clarence", "Coronation", "Cross", "Elm", "Field", "Forest",
    "George", "Grange", "Green", "Grove", "Hall", "Hawthorn", "High", "Highfield", "Hill",
    "Holly", "Kings", "Lime", "Linden", "Manor", "Maple", "Market", "Meadow", "Mill", "New",
    "North", "Oak", "Orchard", "Park", "Priory", "Queens", "Railway", "Rectory", "Riverside",
    "Rose", "School", "Shakespeare", "South", "Springfield", "Station", "Stratford", "Victoria",
    "Warwick", "Water", "West", "Willow", "Windsor", "York",
)  # fmt: skip
SUFFIXES = (
    "Road", "Street", "Lane", "Close", "Avenue", "Drive", "Way", "Court", "Place", "Grove",
    "Crescent", "Gardens", "Walk", "Terrace", "Rise",
)  # fmt: skip
PLACES = (
    "Supermarket", "Parking Area", "Sports/Recreation Area", "Shopping Area", "Petrol Station",
    "Park/Open Space", "Nightclub", "Further/Higher Educational Building", "Pedestrian Subway",
    "Motorway Service Area", "Theatre/Concert Hall", "Police Station", "Hospital",
)  # fmt: skip
PLACE_SHARE = 0.18  # the sample: ~18% of rows are at a named kind of place, not a street
HEX = np.frombuffer(
    b"".join(f"{i:02x}".encode() for i in range(256)), dtype=np.uint16
)  # byte -> its two hex digits, as one uint16


@dataclass(frozen=True)
class Shape:
    """The column proportions taken from the real sample."""

    crime_types: pa.Array
    type_share: npt.NDArray[np.float64]
    outcomes: pa.Array
    """Outcome labels; the first is the empty outcome of anti-social behaviour."""
    outcome_cumulative: npt.NDArray[np.float64]
    """Crime type × outcome: cumulative share of each outcome within the type."""
    no_location_share: float
    asb: int
    """The position of anti-social behaviour in ``crime_types``."""


@dataclass(frozen=True)
class Force:
    """One force's name, file slug, share of the records and pool of snap points."""

    falls_within: str
    slug: str
    share: float
    points: pa.Table
    """Longitude, Latitude, Location, LSOA code, LSOA name; sorted by LSOA name, with a
    last row for ``No Location``."""
    lsoa: npt.NDArray[np.int64]
    """Each point's LSOA number (the last, ``No Location``, after every LSOA)."""


@dataclass(frozen=True)
class Generated:
    """What a run wrote."""

    files: int
    rows: int
    bytes: int
    seconds: float


def read_shape(sample: Path = SAMPLE) -> Shape:
    """Measure the crime type and outcome proportions of the real sample file."""
    as_text = pacsv.ConvertOptions(column_types=dict.fromkeys(COLUMNS, pa.string()))
    table = pacsv.read_csv(sample, convert_options=as_text)
    types = np.asarray(table["Crime type"].to_pylist(), dtype=object)
    outcomes = np.asarray(table["Last outcome category"].to_pylist(), dtype=object)
    type_labels = sorted(set(types))
    outcome_labels = ["", *sorted(set(outcomes) - {"", None})]
    counts = np.zeros((len(type_labels), len(outcome_labels)))
    type_index = {label: i for i, label in enumerate(type_labels)}
    outcome_index = {label: i for i, label in enumerate(outcome_labels)}
    for crime_type, outcome in zip(types, outcomes, strict=True):
        counts[type_index[crime_type], outcome_index[outcome or ""]] += 1
    totals = counts.sum(axis=1)
    no_location = sum(1 for value in table["Location"].to_pylist() if value == NO_LOCATION)
    return Shape(
        crime_types=pa.array(type_labels),
        type_share=totals / totals.sum(),
        outcomes=pa.array(outcome_labels),
        outcome_cumulative=np.cumsum(counts / totals[:, None], axis=1),
        no_location_share=no_location / len(types),
        asb=type_labels.index(ASB),
    )


def read_forces(seed: int) -> list[Force]:
    """Return the 43 forces of the reference list with their population shares and points."""
    with AREAS.open(encoding="utf-8") as handle:
        codes = [row["code"] for row in csv.DictReader(handle) if row["kind"] == "force"]
    with POPULATION.open(encoding="utf-8") as handle:
        people = {row["code"]: int(row["MYE2018"]) for row in csv.DictReader(handle)}
    total = sum(people[code] for code in codes)
    forces = []
    first_lsoa = {"E": 1, "W": 1}
    for index, code in enumerate(codes):
        falls_within, slug, lon, lat = FORCES[code]
        rng = np.random.default_rng([seed, 0, index])
        lsoas = max(5, people[code] // PEOPLE_PER_LSOA)
        country = code[0]
        lsoa = np.sort(rng.integers(0, lsoas, max(50, people[code] // PEOPLE_PER_POINT)))
        points = _points(rng, falls_within, country, first_lsoa[country], lsoas, lsoa, lon, lat)
        first_lsoa[country] += lsoas
        share = people[code] / total
        forces.append(Force(falls_within, slug, share, points, np.append(lsoa, lsoas)))
    return forces


def _points(
    rng: np.random.Generator,
    falls_within: str,
    country: str,
    first_lsoa: int,
    lsoas: int,
    lsoa: npt.NDArray[np.int64],
    lon: float,
    lat: float,
) -> pa.Table:
    """Draw a force's snap points: each a location and coordinates inside one LSOA.

    ``lsoa`` is each point's LSOA number, sorted, so the points sort by LSOA name too.
    """
    size = len(lsoa)
    spread = 0.01 if lsoas < 50 else 0.25  # the City of London is one square mile
    district = falls_within.removesuffix(" Police Service").removesuffix(" Police")
    district = district.removesuffix(" Constabulary")
    width = max(3, len(str(lsoas // 4 + 1)))  # fixed width, so names sort as numbers do
    codes = [f"{country}01{first_lsoa + i:06d}" for i in range(lsoas)]
    names = [f"{district} {i // 4 + 1:0{width}d}{'ABCD'[i % 4]}" for i in range(lsoas)]
    streets = [f"On or near {s} {x}" for s in STREETS for x in SUFFIXES]
    places = [f"On or near {p}" for p in PLACES]
    is_place = rng.random(size) < PLACE_SHARE
    location = np.where(
        is_place,
        np.asarray(places, dtype=object)[rng.integers(0, len(places), size)],
        np.asarray(streets, dtype=object)[rng.integers(0, len(streets), size)],
    )
    longitude = np.char.mod("%.6f", lon + rng.normal(0, spread, size))
    latitude = np.char.mod("%.6f", lat + rng.normal(0, spread * 0.6, size))
    return pa.table(
        {
            "Longitude": pa.array([*longitude.tolist(), ""]),
            "Latitude": pa.array([*latitude.tolist(), ""]),
            "Location": pa.array([*location.tolist(), NO_LOCATION]),
            "LSOA code": pa.array([*(codes[i] for i in lsoa), ""]),
            "LSOA name": pa.array([*(names[i] for i in lsoa), ""]),
        }
    )


def _crime_ids(rng: np.random.Generator, has_id: npt.NDArray[np.bool_]) -> pa.Array:
    """Return 64-hex Crime IDs for the rows ``has_id`` marks and empty strings elsewhere."""
    count = int(has_id.sum())
    raw = np.frombuffer(rng.bytes(32 * count), dtype=np.uint8)
    data = HEX[raw].tobytes()  # two hex digits per byte, in order
    lengths = np.where(has_id, 64, 0).astype(np.int64)
    offsets = np.zeros(len(has_id) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return pa.Array.from_buffers(
        pa.large_string(), len(has_id), [None, pa.py_buffer(offsets), pa.py_buffer(data)]
    )


def month_table(
    force: Force, shape: Shape, month: str, rows: int, rng: np.random.Generator
) -> pa.Table:
    """Draw one force's month of records, in police.uk's column order and row order."""
    crime_type = rng.choice(len(shape.type_share), size=rows, p=shape.type_share)
    point = rng.integers(0, force.points.num_rows - 1, rows)
    point[rng.random(rows) < shape.no_location_share] = force.points.num_rows - 1
    order = np.lexsort((crime_type, force.lsoa[point]))  # by LSOA name, then crime type
    crime_type, point = crime_type[order], point[order]
    # Inverse-CDF draw of each row's outcome from its crime type's outcome shares.
    cumulative = shape.outcome_cumulative[crime_type]
    outcome = (rng.random(rows)[:, None] > cumulative[:, :-1]).sum(axis=1)
    is_asb = crime_type == shape.asb
    outcome[is_asb] = 0
    points = force.points.take(pa.array(point))
    columns = {
        "Crime ID": _crime_ids(rng, ~is_asb),
        "Month": pa.repeat(month, rows),
        "Reported by": pa.repeat(force.falls_within, rows),
        "Falls within": pa.repeat(force.falls_within, rows),
        **{name: points[name] for name in points.column_names},
        "Crime type": shape.crime_types.take(pa.array(crime_type)),
        "Last outcome category": shape.outcomes.take(pa.array(outcome)),
        "Context": pa.repeat("", rows),
    }
    return pa.table({name: columns[name] for name in COLUMNS})


def months(first_year: int, years: int) -> list[str]:
    """Return every ``YYYY-MM`` of ``years`` calendar years from January ``first_year``."""
    return [
        f"{year}-{month:02d}"
        for year in range(first_year, first_year + years)
        for month in range(1, 13)
    ]


def write_file(path: Path, table: pa.Table) -> int:
    """Write a street file: police.uk's unquoted header, then unquoted values; return bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        handle.write(HEADER)  # Arrow quotes header names whatever the quoting style
        pacsv.write_csv(
            table, handle, pacsv.WriteOptions(include_header=False, quoting_style="none")
        )
    return path.stat().st_size


def _jobs(
    out: Path, forces: list[Force], shape: Shape, all_months: list[str], per_month: float, seed: int
) -> Iterator[tuple[Path, Force, str, int, np.random.Generator]]:
    for month_number, month in enumerate(all_months):
        season = 1.0 + 0.08 * np.sin(2 * np.pi * (month_number % 12 - 3) / 12)  # summer peak
        for index, force in enumerate(forces):
            # One generator per file, seeded by its position: files do not depend on each other.
            rng = np.random.default_rng([seed, 1, month_number, index])
            rows = max(20, int(rng.poisson(per_month * force.share * season)))
            path = out / month / f"{month}-{force.slug}-street.csv"
            yield path, force, month, rows, rng


def generate(
    out: Path,
    years: int = 1,
    first_year: int = 2019,
    seed: int = 0,
    records_per_year: int = RECORDS_PER_YEAR,
    only_months: int | None = None,
) -> Generated:
    """Write ``years`` years of street files for the 43 forces under ``out``.

    ``only_months`` keeps the first few months only (for quick tests); they are the same
    files a full run writes.
    """
    started = time.perf_counter()
    shape = read_shape()
    forces = read_forces(seed)
    wanted = months(first_year, years)[:only_months]
    jobs = _jobs(out, forces, shape, wanted, records_per_year / 12, seed)

    def run(job: tuple[Path, Force, str, int, np.random.Generator]) -> tuple[int, int]:
        path, force, month, rows, rng = job
        return rows, write_file(path, month_table(force, shape, month, rows, rng))

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        written = list(pool.map(run, jobs))
    return Generated(
        files=len(written),
        rows=sum(rows for rows, _ in written),
        bytes=sum(size for _, size in written),
        seconds=time.perf_counter() - started,
    )


def main(argv: list[str] | None = None) -> int:
    """Generate the files and print what was written."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write the month folders into")
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--first-year", type=int, default=2019)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--records-per-year", type=int, default=RECORDS_PER_YEAR)
    parser.add_argument("--months", type=int, help="write only the first few months")
    options = parser.parse_args(argv)
    done = generate(
        options.out,
        options.years,
        options.first_year,
        options.seed,
        options.records_per_year,
        options.months,
    )
    print(
        f"wrote {done.files} files, {done.rows:,} rows, {done.bytes / 1e9:.2f} GB "
        f"in {done.seconds:.1f} s under {options.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
