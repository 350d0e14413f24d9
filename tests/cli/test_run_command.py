"""``measures run`` on the real catalogue: the tidy rows, their columns, options and errors."""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import Result

from framework.loading.catalogue import load_catalogue
from tests.cli.helpers import copy_measures, invoke, run_measures

pytestmark = pytest.mark.slow  # make test-fast leaves it out; make test runs it

CATALOGUE = Path(__file__).parents[2] / "measures"
WARWICKSHIRE = "E23000017"
CLEVELAND = "E23000013"
NORTH_EAST = {"E23000013", "E23000008", "E23000007"}  # Cleveland, Durham, Northumbria
CLEVELAND_MID_2019 = 569_100  # ONS Table P3: the estimate dated inside the 12 months to June 2019
WARWICKSHIRE_MID_2019 = 577_900

DOCUMENTED = (
    "measure", "area_code", "area", "component", "period_end", "window", "value", "unit",
    "baseline", "baseline_label", "change", "change_pct", "rate_per_100k", "population",
    "population_estimate", "national_value", "national_rate", "national_members",
    "national_members_with_data", "region_value", "region_rate", "region_members",
    "region_members_with_data", "msg_average", "msg_rank", "msg_size", "flags", "synthetic",
    "definition_file", "definition_sha256", "dataset", "source_files", "source_sha256",
    "source_rows_read", "source_rows_used",
)  # fmt: skip
LEADING = (
    "measure", "area_code", "area", "component", "period_end", "window", "value", "unit",
    "baseline", "change", "change_pct", "rate_per_100k",
)  # fmt: skip


def run(*args: str, catalogue: Path = CATALOGUE) -> Result:
    """Run ``measures run`` in this process on a catalogue."""
    return invoke("run", "--catalogue", str(catalogue), *args)


def csv_rows(result: Result) -> pd.DataFrame:
    """Return the CSV a successful run printed, with ``component`` as text."""
    assert result.exit_code == 0, result.output
    return pd.read_csv(io.StringIO(result.stdout), dtype={"component": "string"})


def assert_clean_failure(result: Result, code: int) -> None:
    """Check the command exited with ``code`` through its own error handling, no traceback."""
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output


def at(frame: pd.DataFrame, measure: str, period_end: str, area: str = WARWICKSHIRE) -> pd.Series:
    """Return the one total row of a measure for an area and period."""
    rows = frame.loc[
        (frame["measure"] == measure)
        & (frame["area_code"] == area)
        & (frame["period_end"] == period_end)
        & frame["component"].isna()
    ]
    assert len(rows) == 1, rows
    return rows.iloc[0]


@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    """Every measure's rows for Warwickshire, the default force, as CSV."""
    return csv_rows(run("--format", "csv"))


@pytest.fixture(scope="module")
def json_records() -> list[dict[str, object]]:
    result = run("--format", "json")
    assert result.exit_code == 0, result.output
    records: list[dict[str, object]] = json.loads(result.stdout)
    return records


@pytest.fixture(scope="module")
def june_2019() -> pd.DataFrame:
    return csv_rows(run("--format", "csv", "--as-of", "2019-06"))


@pytest.fixture(scope="module")
def cleveland_all_forces() -> pd.DataFrame:
    """Homicide for every force, with Cleveland's comparators."""
    return csv_rows(
        run("--format", "csv", "--force", "cleveland", "--all-forces", "--measure", "homicide")
    )


# -- the rows and their columns -------------------------------------------------------------


def test_csv_has_the_documented_columns_leading_ones_first(rows: pd.DataFrame) -> None:
    missing = [column for column in DOCUMENTED if column not in rows.columns]
    assert missing == []
    assert tuple(rows.columns[: len(LEADING)]) == LEADING
    assert "period" not in rows.columns  # the internal month index stays inside


def test_one_row_per_measure_area_period_and_component(rows: pd.DataFrame) -> None:
    keys = rows[["measure", "area_code", "period_end", "component"]].fillna({"component": ""})
    assert not keys.duplicated().any()
    totals = rows.loc[rows["component"].isna()]
    assert not totals.duplicated(["measure", "area_code", "period_end"]).any()
    assert set(rows["area_code"]) == {WARWICKSHIRE}
    assert set(rows["area"]) == {"Warwickshire"}


def test_every_computed_measure_has_rows(rows: pd.DataFrame) -> None:
    computed = {m.model.id for m in load_catalogue(CATALOGUE).measures if m.model.source}
    assert set(rows["measure"]) == computed
    # Those without a source (the unavailable national measures) give no rows at all.
    assert "hospital_admissions_sharp_object" not in set(rows["measure"])


def test_period_end_is_the_iso_date_of_a_month_end(rows: pd.DataFrame) -> None:
    assert rows["period_end"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    dates = pd.to_datetime(rows["period_end"], format="%Y-%m-%d")
    assert dates.dt.is_month_end.all()
    quarterly = rows.loc[rows["measure"] == "homicide", "period_end"]
    assert pd.to_datetime(quarterly).dt.month.isin([3, 6, 9, 12]).all()


def test_window_names_the_months_covered(rows: pd.DataFrame) -> None:
    pattern = r"(\d+ months|quarter) to [A-Z][a-z]+ \d{4}|[A-Z][a-z]+ \d{4}"
    assert rows["window"].str.fullmatch(pattern).all(), rows["window"].unique()
    assert at(rows, "homicide", "2023-06-30")["window"] == "12 months to June 2023"


def test_change_is_value_minus_baseline(rows: pd.DataFrame) -> None:
    both = rows.dropna(subset=["value", "baseline"])
    assert len(both) > 100
    assert (both["change"] - (both["value"] - both["baseline"])).abs().max() < 1e-9
    nonzero = both.loc[both["baseline"] != 0]
    expected = nonzero["change"] / nonzero["baseline"] * 100
    assert (nonzero["change_pct"] - expected).abs().max() < 1e-9


def test_rate_per_100k_divides_by_the_population(rows: pd.DataFrame) -> None:
    rated = rows.dropna(subset=["rate_per_100k"])
    assert len(rated) > 50
    totals = rated["total"] / rated["population"] * 100_000
    assert (rated["rate_per_100k"] - totals).abs().max() < 1e-9


def test_comparator_columns_are_filled(rows: pd.DataFrame) -> None:
    homicide = at(rows, "homicide", "2023-06-30")
    assert homicide["national_members"] == 43
    assert homicide["national_members_with_data"] == 43
    assert homicide["region_members"] == 4  # West Midlands: four forces
    assert homicide["msg_size"] == 8  # the force and its seven similar forces
    assert 1 <= homicide["msg_rank"] <= 8
    assert homicide["national_value"] > homicide["region_value"] > homicide["value"]


def test_provenance_columns(rows: pd.DataFrame) -> None:
    homicide = rows.loc[rows["measure"] == "homicide"]
    definition = CATALOGUE / "national" / "definitions" / "homicide.yaml"
    assert set(homicide["definition_file"]) == {"measures/national/definitions/homicide.yaml"}
    assert set(homicide["definition_layer"]) == {"package"}
    assert set(homicide["definition_line"]) == {2}
    assert set(homicide["definition_sha256"]) == {
        hashlib.sha256(definition.read_bytes()).hexdigest()
    }
    assert set(homicide["dataset"]) == {"home_office_prc"}
    (files,) = set(homicide["source_files"])
    (hashes,) = set(homicide["source_sha256"])
    for name, digest in zip(files.split(";"), hashes.split(";"), strict=True):
        assert not Path(name).is_absolute()
        national = CATALOGUE / "national"
        assert hashlib.sha256((national / name).read_bytes()).hexdigest() == digest
    read = int(homicide["source_rows_read"].iloc[0])
    used = int(homicide["source_rows_used"].iloc[0])
    assert 0 < used <= read


def test_definition_hash_does_not_depend_on_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    frame = csv_rows(run("--format", "csv", "--measure", "homicide", "--as-of", "2019-06"))
    definition = CATALOGUE / "national" / "definitions" / "homicide.yaml"
    assert set(frame["definition_sha256"]) == {hashlib.sha256(definition.read_bytes()).hexdigest()}


def test_synthetic_measures_are_flagged(rows: pd.DataFrame) -> None:
    catalogue = load_catalogue(CATALOGUE)
    synthetic_sets = {d.model.id for d in catalogue.datasets if d.model.synthetic}
    expected = {
        m.model.id
        for m in catalogue.measures
        if m.model.source and m.model.source.dataset in synthetic_sets
    }
    assert {"victim_satisfaction", "ocg_disruptions", "drug_related_homicide"} <= expected
    assert "firearm_offences" not in expected  # real: the ONS firearms table
    flagged = rows["flags"].fillna("").str.split(";").map(lambda f: "synthetic" in f)
    assert set(rows.loc[flagged, "measure"]) == expected
    assert set(rows.loc[rows["synthetic"], "measure"]) == expected
    assert (flagged == rows["synthetic"]).all()
    assert rows["synthetic"].dtype == bool


def test_json_gives_the_same_rows_as_csv(
    rows: pd.DataFrame, json_records: list[dict[str, object]]
) -> None:
    assert len(json_records) == len(rows)
    assert list(json_records[0]) == list(rows.columns)
    frame = pd.DataFrame(json_records)
    pd.testing.assert_series_equal(
        frame["value"].astype("float64"), rows["value"], check_names=False
    )
    assert list(frame["period_end"]) == list(rows["period_end"])
    # Missing figures are JSON null, never NaN (which is not JSON).
    assert any(record["value"] is None for record in json_records)


# -- options --------------------------------------------------------------------------------


def test_as_of_makes_june_2019_the_last_period(june_2019: pd.DataFrame) -> None:
    assert june_2019["period_end"].max() == "2019-06-30"
    homicide = at(june_2019, "homicide", "2019-06-30")
    assert homicide["value"] == 1
    assert homicide["window"] == "12 months to June 2019"
    assert homicide["baseline"] == 1
    assert homicide["change"] == 0
    assert homicide["rate_per_100k"] == pytest.approx(1 / WARWICKSHIRE_MID_2019 * 100_000)
    for measure, group in june_2019.groupby("measure"):
        assert group["period_end"].max() <= "2019-06-30", measure


def test_as_of_keeps_the_earlier_rows_as_they_were(
    rows: pd.DataFrame, june_2019: pd.DataFrame
) -> None:
    earlier = rows.loc[rows["period_end"] <= "2019-06-30"]
    keys = ["measure", "area_code", "component", "period_end"]
    merged = earlier.merge(june_2019, on=keys, suffixes=("", "_cut"), how="outer")
    assert len(merged) == len(earlier) == len(june_2019)
    assert ((merged["value"] == merged["value_cut"]) | merged["value"].isna()).all()


def test_as_of_before_the_data_gives_no_rows_but_the_columns() -> None:
    result = run("--format", "csv", "--as-of", "2000-01", "--measure", "homicide")
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[0].split(",")
    assert tuple(header[: len(LEADING)]) == LEADING
    assert "period" not in header
    assert pd.read_csv(io.StringIO(result.stdout)).empty
    as_json = run("--format", "json", "--as-of", "2000-01", "--measure", "homicide")
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.stdout) == []


def test_measure_option_restricts_the_measures() -> None:
    frame = csv_rows(run("--format", "csv", "--measure", "homicide", "--measure", "knife_crime"))
    assert set(frame["measure"]) == {"homicide", "knife_crime"}


def test_force_option_gives_that_force_only() -> None:
    frame = csv_rows(run("--format", "csv", "--force", "cleveland", "--measure", "homicide"))
    assert set(frame["area_code"]) == {CLEVELAND}
    assert set(frame["area"]) == {"Cleveland"}
    homicide = at(frame, "homicide", "2019-06-30", CLEVELAND)
    assert homicide["population"] == CLEVELAND_MID_2019
    assert homicide["population_estimate"] == "mid-2019"
    assert homicide["rate_per_100k"] == pytest.approx(
        homicide["value"] / CLEVELAND_MID_2019 * 100_000
    )


def test_cleveland_region_pools_the_north_east(cleveland_all_forces: pd.DataFrame) -> None:
    frame = cleveland_all_forces
    row = at(frame, "homicide", "2019-06-30", CLEVELAND)
    assert row["region_members"] == 3
    assert row["region_members_with_data"] == 3
    same = frame.loc[(frame["period_end"] == "2019-06-30") & frame["component"].isna()]
    region = same.loc[same["area_code"].isin(NORTH_EAST)]
    assert len(region) == 3
    assert row["region_value"] == region["value"].sum()
    assert row["region_rate"] == pytest.approx(
        region["value"].sum() / region["population"].sum() * 100_000
    )
    assert row["national_value"] == same["value"].sum()


def test_all_forces_gives_43_areas(cleveland_all_forces: pd.DataFrame) -> None:
    frame = cleveland_all_forces
    assert frame["area_code"].nunique() == 43
    assert frame["area"].notna().all()
    per_area = frame.groupby("area_code")["period_end"].nunique()
    assert per_area.nunique() == 1  # every force has the same periods
    # The MSG rank is the chosen force's own: other forces' rows leave it empty.
    others = frame.loc[frame["area_code"] != CLEVELAND]
    assert others["msg_rank"].isna().all()


def test_parquet_reads_back_as_the_csv_rows(tmp_path: Path) -> None:
    args = ("--measure", "homicide", "--measure", "victim_satisfaction")
    out = tmp_path / "results.parquet"
    result = run("--format", "parquet", "--out", str(out), *args)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    parquet = pd.read_parquet(out)
    csv = csv_rows(run("--format", "csv", *args))
    assert list(parquet.columns) == list(csv.columns)
    assert len(parquet) == len(csv)
    for column in ("measure", "area_code", "period_end", "window", "flags"):
        assert list(parquet[column].fillna("")) == list(csv[column].fillna("")), column
    for column in ("value", "baseline", "rate_per_100k", "spc_value"):
        pd.testing.assert_series_equal(
            parquet[column].astype("float64"), csv[column].astype("float64"), check_names=False
        )
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left beside it


def test_out_writes_the_csv_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "nested" / "homicide.csv"
    result = run("--format", "csv", "--measure", "homicide", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert pd.read_csv(out)["measure"].unique().tolist() == ["homicide"]


def test_table_shows_each_measures_latest_row() -> None:
    result = run("--measure", "homicide", "--measure", "knife_crime")
    assert result.exit_code == 0, result.output
    assert "12 months to June 2023" in result.stdout
    assert "12 months to March 2024" in result.stdout  # knife crime: the March 2024 edition
    assert "12 months to December 2019" not in result.stdout


# -- usage errors exit 2 ----------------------------------------------------------------------


def test_unknown_measure_exits_2_with_a_guess() -> None:
    result = run("--measure", "homicde")
    assert_clean_failure(result, 2)
    assert "no measure 'homicde'" in result.stderr
    assert "Did you mean 'homicide'?" in result.stderr


def test_unknown_measure_without_a_close_match_exits_2() -> None:
    result = run("--measure", "nosuch")
    assert_clean_failure(result, 2)
    assert "no measure 'nosuch'" in result.stderr
    assert "Run `measures list` to see the ids." in result.stderr


@pytest.mark.parametrize("month", ["2019-13", "2019-6", "June 2019", "2019/20-Q5"])
def test_a_bad_as_of_exits_2(month: str) -> None:
    result = run("--as-of", month)  # --as-of is another name of --period
    assert_clean_failure(result, 2)
    assert "--period" in result.stderr
    assert "YYYY-MM" in result.stderr


def test_parquet_without_out_exits_2() -> None:
    result = run("--format", "parquet")
    assert_clean_failure(result, 2)
    assert "--out" in result.stderr


def test_unknown_force_exits_2() -> None:
    result = run("--force", "atlantis")
    assert_clean_failure(result, 2)
    assert "Warwickshire" in result.stderr  # the profiles there are


def test_unknown_format_exits_2() -> None:
    assert run("--format", "xlsx").exit_code == 2


# -- findings exit 1, never a traceback -------------------------------------------------------


def copy_catalogue(destination: Path) -> Path:
    """Copy the real catalogue (a few megabytes) to break it."""
    return copy_measures(destination)


def test_a_missing_data_file_is_a_finding_naming_it(tmp_path: Path) -> None:
    root = copy_catalogue(tmp_path)
    (root / "national" / "data" / "home-office-prc" / "prc_pfa_quarterly.parquet").unlink()
    # A fresh interpreter, as a shell runs it: a traceback would show on standard error.
    result = run_measures("run", "--catalogue", str(root), "--format", "csv")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    findings = [line for line in result.stderr.splitlines() if "RUN001" in line]
    assert findings, result.stderr
    assert all("data/home-office-prc/prc_pfa_quarterly.parquet" in f for f in findings)
    assert {"homicide", "serious_violence", "neighbourhood_crime"} <= {
        m for f in findings for m in re.findall(r"RUN001 (\w+):", f)
    }
    # The measures on other datasets still give their rows.
    frame = pd.read_csv(io.StringIO(result.stdout))
    assert "homicide" not in set(frame["measure"])
    assert {"knife_crime", "victim_satisfaction"} <= set(frame["measure"])


def test_a_missing_population_file_is_a_finding(tmp_path: Path) -> None:
    root = copy_catalogue(tmp_path)
    shutil.rmtree(root / "national" / "data" / "ons-pfa-tables")
    result = run("--format", "csv", catalogue=root)
    assert_clean_failure(result, 1)
    assert "data/ons-pfa-tables: error RUN001" in result.stderr
    assert "population dataset ons_population" in result.stderr


def test_an_unreadable_edition_is_a_warning_and_the_rest_run(tmp_path: Path) -> None:
    root = copy_catalogue(tmp_path)
    damaged = root / "national" / "data" / "ons-pfa-tables" / "pfajun22.xlsx"
    damaged.write_bytes(damaged.read_bytes()[:4000])
    result = run("--format", "csv", "--measure", "firearm_offences", catalogue=root)
    assert_clean_failure(result, 1)
    (line,) = [x for x in result.stderr.splitlines() if "RUN004" in x and "firearms" in x]
    assert line.startswith("data/ons-pfa-tables/pfajun22.xlsx: warning RUN004")
    assert "not a readable .xlsx workbook" in line and "the other files were read" in line
    frame = pd.read_csv(io.StringIO(result.stdout))
    own = frame.loc[frame["area_code"] == "E23000017"].set_index("period_end")
    assert own.loc["2021-09-30", "value"] == 47  # the other editions still load
    assert own["value"].isna()["2021-06-30"]  # only the June 2022 edition gave it


def test_a_broken_definition_is_the_validation_finding(tmp_path: Path) -> None:
    root = copy_catalogue(tmp_path)
    definition = root / "national" / "definitions" / "homicide.yaml"
    text = definition.read_text(encoding="utf-8")
    definition.write_text(text.replace("grain: quarter", "grain: fortnight"), encoding="utf-8")
    result = run("--format", "csv", catalogue=root)
    assert_clean_failure(result, 1)
    assert result.stdout == ""  # nothing is evaluated from an invalid catalogue
    (line,) = [x for x in result.stderr.splitlines() if "homicide.yaml" in x and "error" in x]
    assert re.search(r"homicide\.yaml:\d+:\d+: error SCH\d{3}", line), line
    assert "grain" in result.stderr


def test_unparseable_yaml_is_the_validation_finding(tmp_path: Path) -> None:
    root = copy_catalogue(tmp_path)
    definition = root / "national" / "definitions" / "knife_crime.yaml"
    definition.write_text(
        definition.read_text(encoding="utf-8") + "  oops: [unclosed\n", encoding="utf-8"
    )
    result = run("--format", "csv", catalogue=root)
    assert_clean_failure(result, 1)
    assert re.search(r"knife_crime\.yaml:\d+:\d+: error YAML\d{3}", result.stderr), result.stderr


def test_writing_into_a_folder_is_a_clean_error(tmp_path: Path) -> None:
    result = run("--format", "csv", "--measure", "homicide", "--out", str(tmp_path))
    assert_clean_failure(result, 1)
    assert f"could not write {tmp_path}" in result.stderr
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind


def test_any_number_of_workers_writes_the_same_rows() -> None:
    # Three measures on three kinds of source; the default shares them among the cores.
    chosen = (
        "--measure",
        "homicide",
        "--measure",
        "knife_crime",
        "--measure",
        "victim_satisfaction",
    )
    args = ("--format", "csv", "--all-forces", *chosen)
    one = run(*args, "--workers", "1")
    assert one.exit_code == 0, one.output
    assert len(csv_rows(one)) > 5_000
    for workers in (("--workers", "2"), ("--workers", "3"), ()):
        other = run(*args, *workers)
        assert other.exit_code == 0, other.output
        assert other.stdout == one.stdout
        assert other.stderr == one.stderr
