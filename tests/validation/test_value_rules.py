# ruff: noqa: E501  (the case tables read best one case a line)
"""Definition values that parse but cannot be right are located findings with their codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from framework.validation.pipeline import validate_catalogue
from tests.hostile.template import FILES, build

COUNT = "definitions/firearm_discharges.yaml"
RATE = "definitions/firearm_rate.yaml"
TREND = "presentation: {charts: [trend], unit: offences}"
SPC = 'presentation: {charts: [trend, spc], unit: "offences per 100,000"}'
BASELINE = "start: 2018-07, end: 2019-06"


def _edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


CASES = [
    ("RUL015", COUNT, TREND, TREND[:-1] + ", target: .nan}", "presentation.target"),
    ("RUL015", COUNT, TREND, TREND[:-1] + ", target: .inf}", "presentation.target"),
    ("RUL015", COUNT, TREND, TREND[:-1] + ", target: -.inf}", "presentation.target"),
    ("RUL015", RATE, "per: 100000", "per: 1000001", "aggregation.per"),
    ("RUL015", "spc.yaml", "limit_factor: 2.66", "limit_factor: .inf", "limit_factor"),
    ("RUL016", COUNT, BASELINE, "start: 1990-07, end: 1991-06", "baseline.start"),
    ("RUL016", COUNT, BASELINE, "start: 2040-07, end: 2041-06", "baseline.start"),
    ("RUL016", RATE, SPC, SPC[:-1] + ", spc_rebases: [{at: 1999-01, reason: Old}]}", "at"),
    ("RUL018", "forces/warwickshire.yaml", "default: true", "default: true\n  population: firearms", "force.population"),
    ("RUL018", "forces/warwickshire.yaml", "default: true", "default: true\n  population: nothing", "force.population"),
]  # fmt: skip


@pytest.mark.parametrize(("code", "file", "old", "new", "where"), CASES)
def test_value_is_a_located_finding(
    tmp_path: Path, code: str, file: str, old: str, new: str, where: str
) -> None:
    root = build(tmp_path / "catalogue")
    _edit(root, file, old, new)
    found = [f for f in validate_catalogue(root).findings if f.code == code]
    assert found, validate_catalogue(root).findings
    assert found[0].location.file.endswith(file)
    assert found[0].location.line is not None
    assert where in found[0].location.dotted or found[0].location.dotted.endswith(where)


def test_a_second_default_force_is_a_finding(tmp_path: Path) -> None:
    root = build(tmp_path / "catalogue")
    text = FILES["forces/warwickshire.yaml"].replace("id: warwickshire", "id: again")
    (root / "forces" / "again.yaml").write_text(text, encoding="utf-8")
    # A second default is the FOR005 warning (``--strict`` fails on it), not RUL017.
    findings = validate_catalogue(root).findings
    assert not [f for f in findings if f.code == "RUL017"]
    found = [f for f in findings if f.code == "FOR005"]
    assert len(found) == 1


def test_a_repeated_priority_order_is_a_finding(tmp_path: Path) -> None:
    root = build(tmp_path / "catalogue")
    with (root / "priorities.yaml").open("a", encoding="utf-8") as stream:
        stream.write(
            "    - id: disrupt_drugs_supply\n      order: 1\n      title: Drugs\n"
            "      national_measures: []\n      not_applicable: Not here.\n"
        )
    found = [f for f in validate_catalogue(root).findings if f.code == "RUL017"]
    assert [f.location.dotted for f in found] == ["priorities.items[1].order"]
    assert found[0].location.line == 8
