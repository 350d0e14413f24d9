"""measures init: a ready force catalogue for any of the 43 forces, and the CLI around it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from framework.init.offices import UnknownForceError, find_force, force_id
from framework.init.scaffold import current_quarter
from framework.validation.pipeline import validate_catalogue
from tests.cli.helpers import invoke, run_measures
from tests.init.helpers import NATIONAL, new_force


def _profile(folder: Path, force: str) -> dict[str, object]:
    data = yaml.safe_load((folder / "forces" / f"{force}.yaml").read_text(encoding="utf-8"))
    return dict(data["force"])


@pytest.mark.parametrize(
    ("query", "force", "region", "kind"),
    [
        ("Durham", "durham", "North East", "pcc"),
        ("dyfed-powys", "dyfed_powys", "Wales", "pcc"),
        ("W15000004", "dyfed_powys", "Wales", "pcc"),
        ("Metropolitan Police", "metropolitan_police", "London", "mayor"),
        ("Essex", "essex", "East of England", "pfcc"),
        ("City of London", "city_of_london", "London", "police_authority"),
    ],
)
def test_the_profile_comes_from_the_national_area_list(
    tmp_path: Path, query: str, force: str, region: str, kind: str
) -> None:
    folder = new_force(tmp_path, query, "force")
    profile = _profile(folder, force)
    assert profile["region"] == region
    assert profile["office_kind"] == kind
    assert profile["msg"] == {"members": []}
    assert list(validate_catalogue(folder).findings) == []


def test_every_one_of_the_43_forces_is_found_by_name_and_code() -> None:
    import csv

    with (NATIONAL / "data" / "reference" / "areas.csv").open(encoding="utf-8") as handle:
        forces = [row for row in csv.DictReader(handle) if row["kind"] == "force"]
    assert len(forces) == 43
    for row in forces:
        by_name, by_code = find_force(row["name"], NATIONAL), find_force(row["code"], NATIONAL)
        assert by_name == by_code and by_name.region and by_name.office_name
        assert by_name.id == force_id(row["name"])


def test_a_misspelt_force_gets_a_did_you_mean() -> None:
    with pytest.raises(UnknownForceError) as caught:
        find_force("Durhm", NATIONAL)
    assert caught.value.hint == "Did you mean 'Durham'?"


@pytest.mark.parametrize(
    ("today", "folder"),
    [(date(2026, 12, 6), "2026-27-Q3"), (date(2027, 3, 31), "2026-27-Q4"),
     (date(2027, 4, 1), "2027-28-Q1")],
)  # fmt: skip
def test_the_commentary_folder_is_the_current_quarter(today: date, folder: str) -> None:
    assert current_quarter(today) == folder


def test_the_written_files(tmp_path: Path) -> None:
    folder = new_force(tmp_path)
    assert (folder / "commentary" / "durham" / "2026-27-Q3").is_dir()
    header = (folder / "templates" / "victim_satisfaction.csv").read_text(encoding="utf-8")
    assert header == "period,area,victim_type,satisfied\n"
    assert (folder / "templates" / "ocg_disruptions.csv").read_text() == (
        "period,area,category,value\n"
    )
    readme = (folder / "templates" / "README.md").read_text(encoding="utf-8")
    assert "`data/victim_satisfaction.csv`" in readme and "`domestic_abuse_satisfaction`" in readme
    # $schema headers resolve inside the folder.
    for path in [folder / "catalogue.yaml", *folder.glob("forces/*.yaml")]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        target = first.split("$schema=", 1)[1]
        assert (path.parent / target).is_file(), first
    hook = yaml.safe_load((folder / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    entry = hook["repos"][0]["hooks"][0]
    assert entry["entry"] == "measures validate --data --strict"
    assert "commentary/" in entry["files"] and "csv" in entry["files"]
    workflow = yaml.safe_load((folder / ".github" / "workflows" / "measures.yml").read_text())
    paths = workflow[True]["push"]["paths"]  # YAML 1.1 reads the key `on` as True
    assert {"commentary/**", "data/**", "**.csv"} <= set(paths)
    steps = [step.get("run", "") for step in workflow["jobs"]["validate"]["steps"]]
    assert "measures validate --data --strict --format github" in steps


def test_init_refuses_a_folder_with_files_in_it(tmp_path: Path) -> None:
    (tmp_path / "durham").mkdir()
    (tmp_path / "durham" / "notes.txt").write_text("mine")
    result = invoke("init", str(tmp_path / "durham"), "--force", "Durham")
    assert result.exit_code == 2
    assert "not an empty folder" in result.stderr
    assert (tmp_path / "durham" / "notes.txt").read_text() == "mine"


def test_strict_fails_on_a_warning(tmp_path: Path) -> None:
    folder = new_force(tmp_path)
    (folder / "commentary" / "durham" / "2026-27-Q3" / "homicde.force.md").write_text("x")
    assert invoke("validate", "--catalogue", str(folder)).exit_code == 0
    strict = invoke("validate", "--catalogue", str(folder), "--strict")
    assert strict.exit_code == 1
    assert "warning CAT003" in strict.output


def test_every_command_says_the_same_in_an_empty_folder(tmp_path: Path) -> None:
    messages = set()
    for command in ("validate", "list", "run", "report", "render", "new --id x"):
        result = run_measures(*command.split(), cwd=tmp_path)
        assert result.returncode == 2, (command, result.stderr)
        messages.add(result.stderr)
    assert messages == {
        "error: no catalogue here: this folder has no catalogue.yaml\n"
        "hint: Run `measures init DIR --force NAME` to start a force's catalogue, or give one "
        "with --catalogue FOLDER.\n"
    }


def test_a_click_usage_error_has_the_same_style(tmp_path: Path) -> None:
    result = run_measures("report", "--bogus", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("error: No such option: --bogus")
    assert result.stderr.endswith("hint: run `measures report --help` for the options.\n")


def test_version(tmp_path: Path) -> None:
    result = run_measures("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == "measures (police-measures) 0.2.0\n"


def test_one_period_option_in_three_forms() -> None:
    outputs = set()
    for period in ("2022-03", "2021/22-Q4", "2021-22-Q4"):
        result = invoke("trace", "homicide", "--period", period, "--catalogue", "measures")
        assert result.exit_code == 0, result.output
        outputs.add(result.stdout)
    (rows,) = outputs  # a quarter stands for its last month
    assert rows.count("\n") > 1
    earlier = invoke("trace", "homicide", "--period", "2021-12", "--catalogue", "measures")
    assert earlier.exit_code == 0 and earlier.stdout != rows
    bad = invoke("trace", "homicide", "--period", "2022-Q9", "--catalogue", "measures")
    assert bad.exit_code == 2
    assert bad.stderr.startswith("error: --period '2022-Q9' is not a month or a quarter")


def test_help_has_no_restructured_text() -> None:
    for command in ("init", "validate", "list", "explain", "new", "run", "trace", "render",
                    "report", "schema", "spc"):  # fmt: skip
        text = invoke(command, "--help").output
        assert "``" not in text and ":class:" not in text, command
