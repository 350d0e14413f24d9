"""`measures validate FILE` checks one file in its catalogue and reports only that file."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from framework.cli.app import app

CATALOGUE = Path(__file__).parents[2] / "measures"


def test_a_clean_file_in_the_catalogue_has_no_cross_file_false_alarms() -> None:
    homicide = CATALOGUE / "national" / "definitions" / "homicide.yaml"
    result = CliRunner().invoke(app, ["validate", str(homicide)])
    assert result.exit_code == 0, result.output
    assert "1 file checked: no findings." in result.output


def test_a_broken_file_reports_its_own_findings_only(tmp_path: Path) -> None:
    root = tmp_path / "measures"
    shutil.copytree(CATALOGUE, root, ignore=shutil.ignore_patterns("data"))
    target = root / "national" / "definitions" / "homicide.yaml"
    target.write_text(target.read_text().replace("dataset: home_office_prc", "dataset: hom"))
    other = root / "national" / "definitions" / "knife_crime.yaml"
    other.write_text(other.read_text().replace("dataset: ons_pfa_p4_knife", "dataset: nope"))
    result = CliRunner().invoke(app, ["validate", str(target), "--format", "json"])
    assert result.exit_code == 1
    assert '"REF002"' in result.output
    assert "knife_crime" not in result.output


def test_a_path_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["validate", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
