"""Stage (c): definitions checked against the data, through the source adapters."""

from __future__ import annotations

from pathlib import Path

import pytest

from framework.findings.finding import Finding
from framework.validation.data_stage import check_data
from framework.validation.pipeline import validate_catalogue
from tests.cli.helpers import copy_measures

CATALOGUE = Path(__file__).parents[2] / "measures"


@pytest.fixture()
def catalogue(tmp_path: Path) -> Path:
    """Return a copy of the real catalogue that a test may break."""
    return copy_measures(tmp_path)


def _data_findings(root: Path) -> list[Finding]:
    result = validate_catalogue(root, check_data)
    return [f for f in result.findings if f.code.startswith("DAT")]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_real_catalogue_matches_its_data() -> None:
    assert _data_findings(CATALOGUE) == []


def test_a_misspelt_filter_value_is_found_with_the_nearest_real_values(catalogue: Path) -> None:
    definition = catalogue / "national" / "definitions" / "homicide.yaml"
    _edit(definition, "offence_subgroup: [Homicide]", "offence_subgroup: [Homicides]")
    (finding,) = _data_findings(catalogue)
    assert finding.code == "DAT003"
    assert finding.location.file.endswith("definitions/homicide.yaml")
    line = (
        definition.read_text(encoding="utf-8")
        .splitlines()
        .index("      offence_subgroup: [Homicides]")
    )
    assert finding.location.line == line + 1
    assert finding.location.dotted == "measure.source.filters.offence_subgroup[0]"
    assert "'Homicide'" in finding.hint


def test_a_breakdown_on_a_column_the_data_lacks(catalogue: Path) -> None:
    definition = catalogue / "national" / "definitions" / "ocg_disruptions.yaml"
    _edit(definition, "breakdown: [category]", "breakdown: [categry]")
    result = validate_catalogue(catalogue, check_data)
    codes = [f.code for f in result.findings]
    # Stage (b) already says the dataset does not declare it; stage (c) does not say it again.
    assert codes == ["RUL009"]


def test_a_missing_data_file_is_a_finding_on_the_dataset(catalogue: Path) -> None:
    (catalogue / "national" / "data" / "home-office-prc" / "prc_pfa_quarterly.parquet").unlink()
    findings = _data_findings(catalogue)
    assert [f.code for f in findings] == ["DAT001"]
    assert findings[0].location.file.endswith("datasets/home_office_prc.yaml")
    assert findings[0].location.dotted == "dataset.path"


def test_an_aggregated_column_the_data_lacks_is_found_with_the_nearest_columns(
    catalogue: Path,
) -> None:
    definition = catalogue / "national" / "definitions" / "cyber_victim_advice.yaml"
    _edit(
        definition,
        "      filters: {measure_column: [advised]}\n",
        "      filters: {measure_column: [advised]}\n      column: valeu\n",
    )
    (finding,) = _data_findings(catalogue)
    assert (finding.code, finding.location.dotted) == (
        "DAT002",
        "measure.aggregation.numerator.column",
    )
    assert finding.message == "the data of 'force_cyber_victims' has no column 'valeu'"
    assert "'value'" in finding.hint
