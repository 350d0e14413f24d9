"""Rules on force profiles and commentary files, on broken copies of the real catalogue."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from framework.findings.finding import Finding
from framework.validation.pipeline import validate_catalogue
from tests.cli.helpers import copy_measures

CATALOGUE = Path(__file__).parents[2] / "measures"


@pytest.fixture()
def catalogue(tmp_path: Path) -> Path:
    """Return a copy of the catalogue's definitions (not its data) that a test may break."""
    return copy_measures(
        tmp_path, ignore=shutil.ignore_patterns("*.parquet", "*.xlsx", "*.gz", "police-uk")
    )


def _findings(root: Path, code: str) -> list[Finding]:
    return [f for f in validate_catalogue(root).findings if f.code == code]


def _line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_real_profiles_and_commentary_are_clean() -> None:
    codes = {f.code for f in validate_catalogue(CATALOGUE).findings}
    assert not codes & {"FOR001", "FOR002", "FOR003", "CAT003"}


def test_an_unknown_force_code_is_found(catalogue: Path) -> None:
    profile = catalogue / "warwickshire" / "forces" / "cleveland.yaml"
    _edit(profile, "ons_code: E23000013", "ons_code: E23000099")
    (finding,) = _findings(catalogue, "FOR001")
    assert finding.location.line == _line_of(profile, "ons_code:")
    assert "E23000099" in finding.message


def test_a_name_that_does_not_match_the_code_is_found(catalogue: Path) -> None:
    profile = catalogue / "warwickshire" / "forces" / "cleveland.yaml"
    _edit(profile, "ons_code: E23000013", "ons_code: E23000017")  # Warwickshire's code
    (finding,) = _findings(catalogue, "FOR001")
    assert finding.location.line == _line_of(profile, "name: Cleveland")
    assert "Warwickshire" in finding.message


def test_a_misspelt_msg_member_is_found_with_a_suggestion(catalogue: Path) -> None:
    profile = catalogue / "warwickshire" / "forces" / "cleveland.yaml"
    _edit(profile, "members: [Durham,", "members: [Durhm,")
    (finding,) = _findings(catalogue, "FOR001")
    assert finding.location.dotted == "force.msg.members[0]"
    assert finding.location.line == _line_of(profile, "members:")
    assert "'Durham'" in finding.hint


def test_a_reporting_period_that_is_a_month_is_found(catalogue: Path) -> None:
    profile = catalogue / "warwickshire" / "forces" / "cleveland.yaml"
    _edit(profile, "  reporting_period: 2021/22-Q4", "  reporting_period: 2022-02")
    (finding,) = _findings(catalogue, "FOR002")
    assert finding.location.line == _line_of(profile, "reporting_period:")


def test_misnamed_commentary_is_a_warning_with_a_suggestion(catalogue: Path) -> None:
    folder = catalogue / "warwickshire" / "commentary" / "warwickshire" / "2021-22-Q4"
    (folder / "homicide.force.md").rename(folder / "homocide.force.md")
    (finding,) = _findings(catalogue, "CAT003")
    assert finding.level.value == "warning"
    assert finding.location.file.endswith("2021-22-Q4/homocide.force.md")
    assert "'homicide'" in finding.hint


def test_commentary_that_is_not_utf8_is_an_error(catalogue: Path) -> None:
    folder = catalogue / "warwickshire" / "commentary" / "warwickshire" / "2021-22-Q4"
    (folder / "homicide.pcc.md").write_bytes("caf\xe9".encode("latin-1"))
    (finding,) = _findings(catalogue, "CAT003")
    assert finding.level.value == "error"


def test_commentary_outside_a_quarter_folder_is_a_warning(catalogue: Path) -> None:
    folder = catalogue / "warwickshire" / "commentary" / "warwickshire"
    (folder / "homicide.force.md").write_text("x")
    (finding,) = _findings(catalogue, "CAT003")
    assert "quarter" in finding.message


def test_a_file_that_fails_its_schema_causes_no_false_findings_elsewhere(catalogue: Path) -> None:
    definition = catalogue / "national" / "definitions" / "homicide.yaml"
    _edit(definition, "  kind: national\n", "  kind: nationall\n")
    findings = validate_catalogue(catalogue).findings
    assert {f.location.file.rsplit("/", 1)[-1] for f in findings} == {"homicide.yaml"}
    assert [f.code for f in findings] == ["SCH004"]


def test_a_dataset_caveat_naming_no_force_is_found(catalogue: Path) -> None:
    dataset = catalogue / "national" / "datasets" / "home_office_prc.yaml"
    _edit(dataset, "- areas: [South Yorkshire]", "- areas: [South Yorkshir]")
    (finding,) = _findings(catalogue, "FOR003")
    assert finding.location.dotted == "dataset.caveats[0].areas[0]"
    assert finding.location.line == _line_of(dataset, "- areas:")
    assert "'South Yorkshire'" in finding.hint


def test_a_dataset_caveat_ending_before_it_starts_is_found(catalogue: Path) -> None:
    dataset = catalogue / "national" / "datasets" / "home_office_prc.yaml"
    _edit(dataset, "to: 2017-03", "to: 2015-03")
    (finding,) = _findings(catalogue, "FOR003")
    assert finding.location.line == _line_of(dataset, "to: 2015-03")
    assert "before it starts" in finding.message


def test_a_dataset_caveat_with_a_bad_month_is_a_schema_finding(catalogue: Path) -> None:
    dataset = catalogue / "national" / "datasets" / "home_office_prc.yaml"
    _edit(dataset, "from: 2016-04", "from: 2016-13")
    findings = _findings(catalogue, "SCH005")
    assert [f.location.line for f in findings] == [_line_of(dataset, "from: 2016-13")]
