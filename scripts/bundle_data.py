"""Bundle the published source files into the catalogue's ``measures/national/data`` folder.

Usage (from the repository root)::

    .venv/bin/python scripts/bundle_data.py [SHARED_DATA_FOLDER] [--out measures/national/data]

``SHARED_DATA_FOLDER`` holds one sub-folder per source, each with a ``SOURCE.md`` saying where
its files came from; it defaults to ``../shared/data`` beside the repository. The script

* copies the ONS population table, the eight ONS Police Force Area workbooks and the June 2019
  police.uk street file byte-for-byte (and checks the copies' SHA-256);
* gzips the 13 monthly police.uk street files of March 2021 to March 2022 reproducibly, each
  checked to unpack to the published file;
* converts the Home Office open data CSV into a zstd Parquet file with the same 8 columns and
  every row unchanged, in the same order (checked by reading both back as text);
* derives ``reference/areas.csv`` (forces, regions, countries) from the population table;
* writes a ``PROVENANCE.md`` beside each bundle: the source's ``SOURCE.md`` plus how the copy
  was made.

Running it twice gives the same files.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

HOME_OFFICE_CSV = "prc_pfa_quarterly_2012-13_to_2023-24Q1.csv"
HOME_OFFICE_TYPES = {
    "Financial Year": "string",
    "Financial Quarter": "int64",
    "Force Name": "string",
    "Offence Description": "string",
    "Offence Group": "string",
    "Offence Subgroup": "string",
    "Offence Code": "string",
    "Number of Offences": "int64",
}
"""The Home Office table's columns and the Parquet type each is stored as."""

# Other spellings met in the Home Office, ONS and police.uk files that the generic matching
# (case, punctuation, footnotes, a trailing "Police"/"Constabulary") does not already cover.
ALIASES: dict[str, tuple[str, ...]] = {
    "K04000001": ("England & Wales",),
    "E12000006": ("East",),
    "E23000034": ("London, City of",),
    "E23000030": ("Hampshire and Isle of Wight",),
}
NON_FORCES: tuple[tuple[str, str], ...] = (
    ("Action Fraud", "national fraud reporting centre"),
    ("CIFAS", "fraud prevention service"),
    ("UK Finance", "banking trade body reporting fraud"),
    ("Financial Fraud Action UK", "banking fraud body, replaced by UK Finance"),
    ("British Transport Police", "special police force, not a police force area"),
    ("Police Service of Northern Ireland", "outside England and Wales"),
)
"""Bodies that appear in the tables beside the forces but are not police force areas."""
# The population table spells these in capitals or in short; the registry uses ONS's names.
CANONICAL_NAMES = {
    "K04000001": "England and Wales",
    "E92000001": "England",
    "W92000004": "Wales",
    "E12000006": "East of England",
}


def sha256_of(path: Path) -> str:
    """Return the hex SHA-256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def copy_exact(source: Path, target: Path) -> str:
    """Copy a file byte-for-byte, check the copy and return its SHA-256."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    digest = sha256_of(source)
    if sha256_of(target) != digest:
        raise SystemExit(f"copy of {source.name} differs from the original")
    return digest


def write_provenance(folder: Path, source_md: Path, section: str) -> None:
    """Write PROVENANCE.md: the source's SOURCE.md followed by how the bundled copy was made."""
    text = source_md.read_text(encoding="utf-8").rstrip() + "\n\n" + section.strip() + "\n"
    (folder / "PROVENANCE.md").write_text(text, encoding="utf-8")


def bundle_population(shared: Path, out: Path) -> Path:
    """Copy the ONS mid-2018 population table and return the copy's path."""
    source = shared / "ons-pfa-population-mid2018"
    folder = out / "ons-population"
    target = folder / "population_data.csv"
    digest = copy_exact(source / "population_data.csv", target)
    write_provenance(
        folder,
        source / "SOURCE.md",
        f"""
## This copy

`population_data.csv` is copied byte-for-byte by `scripts/bundle_data.py` from the shared data
folder `ons-pfa-population-mid2018/`. SHA-256: `{digest}`.
The registry's reference list (`../reference/areas.csv`) is derived from it.
""",
    )
    return target


def bundle_areas(population_csv: Path, out: Path) -> None:
    """Derive the reference list of areas from the population table's region grouping."""
    rows = list(csv.DictReader(population_csv.open(encoding="utf-8", newline="")))
    lines: list[dict[str, str]] = []
    region = ""
    for row in rows:
        code, name = row["code"].strip(), row["name"].strip()
        if not code:
            continue  # "Beds Cambs Herts": the repository author's sum of three forces
        if code.startswith("K04"):
            kind, parent = "national", ""
        elif code.startswith(("E92", "W92")):
            kind, parent = "country", "K04000001"
            region = code  # Wales has no English region: its forces sit under Wales
        elif code.startswith("E12"):
            kind, parent = "region", "E92000001"
            region = code
        elif code.startswith(("E23", "W15")):
            kind, parent = "force", region
        else:
            raise SystemExit(f"unexpected area code {code} in {population_csv.name}")
        lines.append(
            {
                "code": code,
                "name": CANONICAL_NAMES.get(code, name),
                "kind": kind,
                "parent_code": parent,
                "aliases": "|".join(
                    alias
                    for alias in dict.fromkeys((name, *ALIASES.get(code, ())))
                    if alias != CANONICAL_NAMES.get(code, name)
                ),
            }
        )
    for body, _ in NON_FORCES:
        lines.append(
            {"code": "", "name": body, "kind": "non_force", "parent_code": "", "aliases": ""}
        )
    forces = sum(line["kind"] == "force" for line in lines)
    if forces != 43:
        raise SystemExit(f"expected 43 forces in {population_csv.name}, found {forces}")
    folder = out / "reference"
    folder.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=["code", "name", "kind", "parent_code", "aliases"], lineterminator="\n"
    )
    writer.writeheader()
    writer.writerows(lines)
    (folder / "areas.csv").write_text(buffer.getvalue(), encoding="utf-8")
    non_forces = "\n".join(f"- {body}: {why}" for body, why in NON_FORCES)
    (folder / "PROVENANCE.md").write_text(
        f"""# Reference list of areas (`areas.csv`)

Derived by `scripts/bundle_data.py` from the ONS mid-2018 population table by Police Force
Area (`../ons-population/population_data.csv`; see its PROVENANCE.md: Office for National
Statistics, Open Government Licence v3.0). That table lists England and Wales, England, each
English region followed by its forces, and Wales followed by its four forces; the `parent_code`
column records that grouping (a force's region, Wales for the Welsh forces; a region's country).

Columns: `code` (ONS code), `name`, `kind` (`national`, `country`, `region`, `force`,
`non_force`), `parent_code`, `aliases` (other spellings, `|`-separated).

Changes from the population table, all made by the script:

- names: "ENGLAND AND WALES", "ENGLAND", "WALES" are written "England and Wales", "England",
  "Wales"; region E12000006 "East" is written with its ONS name "East of England". The table's
  own spellings are kept as aliases.
- the uncoded "Beds Cambs Herts" row (a sum of three forces) is left out.
- aliases added by hand for spellings other publishers use: {
            ", ".join(f"{code}: {' / '.join(names)}" for code, names in ALIASES.items())
        }.
- rows of kind `non_force`, added by hand: bodies that appear beside the forces in the Home
  Office and ONS tables but are not police force areas. They resolve to no area, and readers
  exclude their rows with the reason "{"not a territorial police force area of England and Wales"}".

{non_forces}
""",
        encoding="utf-8",
    )


def bundle_home_office(shared: Path, out: Path) -> None:
    """Convert the Home Office CSV to zstd Parquet with the same columns and rows, and check it."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    source = shared / "ho-prc-pfa-open-data"
    csv_path = source / HOME_OFFICE_CSV
    schema = pa.schema([(name, getattr(pa, kind)()) for name, kind in HOME_OFFICE_TYPES.items()])
    table = pacsv.read_csv(
        csv_path,
        convert_options=pacsv.ConvertOptions(column_types=schema, strings_can_be_null=False),
    )
    if table.column_names != list(HOME_OFFICE_TYPES):
        raise SystemExit(f"{csv_path.name}: columns {table.column_names} are not the expected 8")
    folder = out / "home-office-prc"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "prc_pfa_quarterly.parquet"
    pq.write_table(
        table,
        target,
        compression="zstd",
        compression_level=19,
        use_dictionary=True,
        row_group_size=table.num_rows,
    )
    # The check: every cell of the Parquet, written back as text, equals the CSV's text.
    as_text = pacsv.read_csv(
        csv_path,
        convert_options=pacsv.ConvertOptions(
            column_types={name: pa.string() for name in HOME_OFFICE_TYPES},
            strings_can_be_null=False,
        ),
    )
    back = pq.read_table(target)
    back_text = pa.table({name: back[name].cast(pa.string()) for name in HOME_OFFICE_TYPES})
    if not back_text.equals(as_text):
        raise SystemExit("the Parquet file does not hold the CSV's rows unchanged")
    csv_digest = sha256_of(csv_path)
    write_provenance(
        folder,
        source / "SOURCE.md",
        f"""
## This copy

`prc_pfa_quarterly.parquet` was made by `scripts/bundle_data.py` from
`{HOME_OFFICE_CSV}` (SHA-256 `{csv_digest}`, {csv_path.stat().st_size:,} bytes,
{table.num_rows:,} rows). It holds the same 8 columns and every row unchanged, in the same
order: text columns as strings (offence codes stay text, so "4.1" stays "4.1"), Financial
Quarter and Number of Offences as 64-bit integers; zstd compression (level 19), dictionary
encoding, one row group. The script checks the conversion by reading both files back as text
and comparing every cell. The original xlsx dashboard is not bundled.
Parquet SHA-256: `{sha256_of(target)}`.
""",
    )


def bundle_ons_tables(shared: Path, out: Path) -> None:
    """Copy the eight ONS Police Force Area workbooks byte-for-byte."""
    source = shared / "ons-pfa-tables-2018-2019"
    folder = out / "ons-pfa-tables"
    lines = []
    for workbook in sorted(source.glob("*.xlsx")):
        digest = copy_exact(workbook, folder / workbook.name)
        lines.append(f"- `{workbook.name}`: SHA-256 `{digest}`")
    if len(lines) != 8:
        raise SystemExit(f"expected 8 ONS workbooks, found {len(lines)}")
    listing = "\n".join(lines)
    write_provenance(
        folder,
        source / "SOURCE.md",
        f"""
## This copy

The eight workbooks are copied byte-for-byte by `scripts/bundle_data.py` from the shared data
folder `ons-pfa-tables-2018-2019/`:

{listing}
""",
    )


def gzip_exact(source: Path, target: Path) -> tuple[str, str]:
    """Gzip a file reproducibly, check it unpacks to the original; return both SHA-256s.

    The header carries no name and no time, so running the script twice gives the same bytes.
    """
    import gzip

    data = source.read_bytes()
    target.parent.mkdir(parents=True, exist_ok=True)
    packed = gzip.compress(data, compresslevel=9, mtime=0)
    target.write_bytes(packed)
    if gzip.decompress(target.read_bytes()) != data:
        raise SystemExit(f"gzip copy of {source.name} does not unpack to the original")
    return hashlib.sha256(data).hexdigest(), sha256_of(target)


def bundle_police_uk(shared: Path, out: Path) -> None:
    """Copy the police.uk street files into month folders, as police.uk lays its downloads out.

    June 2019 is copied as it is; the 13 months of 2021-22 are gzipped (about a fifth of the
    size), which the police.uk reader reads as they are.
    """
    sample = shared / "police-uk-street-sample"
    name = "2019-06-warwickshire-street.csv"
    folder = out / "police-uk"
    digest = copy_exact(sample / name, folder / "2019-06" / name)
    months = shared / "police-uk-warwickshire-2021-2022"
    lines = []
    for street in sorted(months.glob("*-street.csv")):
        month = street.name[:7]
        plain, packed = gzip_exact(street, folder / month / f"{street.name}.gz")
        lines.append(f"| `{month}/{street.name}.gz` | `{plain}` | `{packed}` |")
    if len(lines) != 13:
        raise SystemExit(f"expected 13 monthly police.uk files for 2021-22, found {len(lines)}")
    table = "\n".join(lines)
    text = (
        "# police.uk street-level crime files, Warwickshire\n\n"
        "Two sources, laid out as police.uk lays its downloads out (one folder per month, one\n"
        "file per force): June 2019 (part 1) and March 2021 to March 2022 (part 2). February\n"
        "2021 is missing as published; the reader leaves every window that needs it empty.\n\n"
        "# Part 1\n\n"
        + (sample / "SOURCE.md").read_text(encoding="utf-8").rstrip()
        + f"""

## This copy

Copied byte-for-byte by `scripts/bundle_data.py` to `2019-06/{name}`. SHA-256: `{digest}`.

# Part 2

"""
        + (months / "SOURCE.md").read_text(encoding="utf-8").rstrip()
        + f"""

## This copy

Each month is stored gzip-compressed by `scripts/bundle_data.py` (level 9, no name or time in
the header, so the script gives the same bytes each time) as `YYYY-MM/<file>.gz`, and the
script checks that each unpacks to the published file byte-for-byte. Compressed, the 13 files
take about 2.5 MB instead of 12 MB; every column is kept, so each crime can still be traced to
its line, and the police.uk reader reads `.csv.gz` files as they are. The first SHA-256 is the
published file's (unpacked), the second the stored `.gz` file's, which the results'
`source_sha256` names.

| file | SHA-256 of the published CSV | SHA-256 of the `.gz` |
| --- | --- | --- |
{table}
"""
    )
    (folder / "PROVENANCE.md").write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Bundle every source; return the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "shared",
        nargs="?",
        default=None,
        help="the shared data folder (default: ../shared/data beside the repository)",
    )
    parser.add_argument(
        "--out", default=None, help="the catalogue's data folder (default: measures/national/data)"
    )
    args = parser.parse_args(argv)
    shared = Path(args.shared) if args.shared else REPO / ".." / "shared" / "data"
    out = Path(args.out) if args.out else REPO / "measures" / "national" / "data"
    if not shared.is_dir():
        print(f"error: {shared} is not a folder", file=sys.stderr)
        return 2
    population = bundle_population(shared, out)
    bundle_areas(population, out)
    bundle_home_office(shared, out)
    bundle_ons_tables(shared, out)
    bundle_police_uk(shared, out)
    print(f"bundled into {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
