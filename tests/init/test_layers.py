"""A force catalogue on the national one: adding, replacing by declaration, switching off."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pandas as pd
import pytest

from framework.findings.finding import Finding
from framework.loading.catalogue import load_catalogue
from framework.validation.pipeline import validate_catalogue
from tests.cli.helpers import invoke
from tests.init.helpers import NATIONAL, edit, new_force, own_measure


def _codes(folder: Path) -> list[Finding]:
    return list(validate_catalogue(folder).findings)


def test_a_new_force_catalogue_is_clean_and_holds_nothing_national(tmp_path: Path) -> None:
    folder = new_force(tmp_path)
    assert _codes(folder) == []
    catalogue = load_catalogue(folder)
    assert [layer.kind for layer in catalogue.layers] == ["package", "force"]
    assert len(catalogue.measures) == len(list((NATIONAL / "definitions").glob("*.yaml")))
    # Nothing national is copied: no definition, dataset or published table.
    assert not list(folder.rglob("*.parquet")) and not list(folder.rglob("*.xlsx"))
    assert list((folder / "definitions").glob("*.yaml")) == []
    assert not (folder / "datasets").exists()


def test_an_own_measure_and_a_declared_replacement_name_their_layers(tmp_path: Path) -> None:
    folder = new_force(tmp_path)
    own_measure(folder, "homicide_own", "Homicide, own count")
    replacement = own_measure(folder, "homicide", "Homicide (force definition)")
    edit(folder / "catalogue.yaml", "  replaces: []", "  replaces: [homicide]")
    assert _codes(folder) == []
    catalogue = load_catalogue(folder)
    national = "measures/national/definitions/homicide.yaml (package)"
    assert catalogue.replaced == {"homicide": national}
    result = invoke(
        "run", "--catalogue", str(folder), "--measure", "homicide", "--measure",
        "homicide_own", "--measure", "knife_crime", "--format", "csv",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = pd.read_csv(io.StringIO(result.stdout))
    layers = rows.groupby("measure")["definition_layer"].unique().to_dict()
    assert list(layers["homicide"]) == ["force durham"]
    assert list(layers["homicide_own"]) == ["force durham"]
    assert list(layers["knife_crime"]) == ["package"]
    files = rows.groupby("measure")["definition_file"].unique().to_dict()
    # Outside the working folder a file is named from its catalogue's parent folder.
    assert list(files["homicide"]) == ["durham/definitions/homicide.yaml"]
    assert replacement.is_file()
    assert set(rows.loc[rows["measure"] == "homicide", "definition_line"]) == {2}
    plan = invoke("explain", "homicide", "--plan", "--catalogue", str(folder))
    assert "(force durham)" in plan.stdout
    assert "datasets/home_office_prc.yaml:2 (package)" in plan.stdout


def test_an_undeclared_clash_with_a_base_id_is_a_finding(tmp_path: Path) -> None:
    folder = new_force(tmp_path)
    clash = own_measure(folder, "homicide", "Homicide again")
    (finding,) = _codes(folder)
    assert finding.code == "CAT010"
    assert finding.location.file.endswith("definitions/homicide.yaml")
    assert finding.location.line == 3  # the id line of the force's file
    assert "measures/national/definitions/homicide.yaml" in finding.message
    assert "replaces" in finding.hint
    assert clash.exists()


@pytest.mark.slow  # builds a real statement
def test_a_switched_off_measure_leaves_the_run_and_shows_in_completeness(tmp_path: Path) -> None:
    folder = new_force(tmp_path)
    edit(
        folder / "catalogue.yaml",
        "  switched_off: []",
        "  switched_off:\n    - measure: drug_treatment_referrals\n"
        "      reason: Referral figures are not yet shared with the force.",
    )
    assert _codes(folder) == []
    catalogue = load_catalogue(folder)
    assert catalogue.measure("drug_treatment_referrals") is None
    out = tmp_path / "report"
    result = invoke(
        "report", "--catalogue", str(folder), "--format", "md", "--no-svg", "--out", str(out),
        "--period", "2021-22-Q4",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = (out / "statement.md").read_text(encoding="utf-8")
    completeness = text.split("## Completeness", 1)[1].split("\n## ", 1)[0]
    assert "does not report" in completeness
    assert "Referral figures are not yet shared with the force." in completeness
    assert "No data supplied yet: the force keeps this table at data/ocg\\_disruptions.csv" in text


def test_the_root_file_findings(tmp_path: Path) -> None:
    folder = new_force(tmp_path)
    edit(folder / "catalogue.yaml", "  replaces: []", "  replaces: [homicde]")
    edit(
        folder / "catalogue.yaml",
        "  switched_off: []",
        "  switched_off:\n    - measure: no_such_measure\n      reason: Not reported.",
    )
    edit(folder / "catalogue.yaml", "  force: durham", "  force: durhum")
    findings = {f.code: f for f in _codes(folder)}
    assert set(findings) == {"CAT011", "CAT012", "CAT014"}
    assert findings["CAT011"].hint == "Did you mean 'homicide'?"
    assert findings["CAT011"].location.line == 12
    assert findings["CAT012"].location.key_path == ("catalogue", "switched_off", 0, "measure")
    assert findings["CAT014"].location.file.endswith("catalogue.yaml")


def test_a_base_that_is_not_a_folder(tmp_path: Path) -> None:
    folder = new_force(tmp_path)
    edit(folder / "catalogue.yaml", "  extends: national", "  extends: ../nowhere")
    codes = [f.code for f in _codes(folder)]
    assert "CAT013" in codes


def test_a_force_may_build_on_a_copy_of_the_national_folder(tmp_path: Path) -> None:
    base = tmp_path / "national"
    shutil.copytree(NATIONAL, base, ignore=shutil.ignore_patterns("data"))
    folder = new_force(tmp_path)
    edit(folder / "catalogue.yaml", "  extends: national", "  extends: ../national")
    catalogue = load_catalogue(folder)
    assert catalogue.layers[0].root == base
    assert catalogue.measure("homicide") is not None


def test_an_empty_folder_is_a_finding_not_clean(tmp_path: Path) -> None:
    (finding,) = _codes(tmp_path)
    assert finding.code == "CAT015"


def test_warnings_strict_turns_into_failures(tmp_path: Path) -> None:
    folder = new_force(tmp_path)
    edit(folder / "forces" / "durham.yaml", "  region: North East", "  region: North West")
    second = folder / "forces" / "durham_copy.yaml"
    text = (folder / "forces" / "durham.yaml").read_text(encoding="utf-8")
    second.write_text(text.replace("  id: durham\n", "  id: durham_copy\n") + "  default: true\n")
    edit(folder / "forces" / "durham.yaml", "  msg:", "  default: true\n  msg:")
    own = own_measure(folder, "homicide_own", "Homicide, own count")
    edit(own, "label: 12 months to June 2019", "label: 12 months to March 2019")
    findings = {f.code: f for f in _codes(folder)}
    assert set(findings) == {"FOR004", "FOR005", "RUL012"}
    assert all(f.level.value == "warning" for f in findings.values())
    assert findings["FOR004"].hint == "Write `region: North East`."
    assert findings["FOR005"].location.file.endswith("forces/durham_copy.yaml")
    assert "ends in June 2019" in findings["RUL012"].message
    assert invoke("validate", "--catalogue", str(folder)).exit_code == 0
    assert invoke("validate", "--catalogue", str(folder), "--strict").exit_code == 1
