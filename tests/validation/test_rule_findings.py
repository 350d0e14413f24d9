"""Each cross-file rule (and each catalogue check) fires, with its code, at the right place."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from framework.findings.finding import Level
from framework.validation.pipeline import validate_catalogue
from framework.validation.rule_set import RULES
from tests.validation.catalogue_copies import copy_catalogue, edit

HOMICIDE = "definitions/homicide.yaml"
PROXY = "definitions/victim_satisfaction.yaml"
CSEW = "definitions/victim_satisfaction_csew.yaml"
PRIORITIES = "priorities.yaml"


@dataclass(frozen=True)
class Case:
    """One edit of the valid catalogue and the finding it must give."""

    code: str
    file: str
    old: str
    new: str
    line: int
    column: int
    also: frozenset[str] = field(default_factory=frozenset)
    """Other error codes the same edit rightly gives."""


CASES = [
    Case("REF002", PROXY, "dataset: victim_survey", "dataset: victim_surve", 9, 14),
    Case("REF003", HOMICIDE, "msg, urban_forces]", "msg, urban_force]", 19, 40),
    Case("REF004", PROXY, "proxy_for: victim_satisfaction_csew", "proxy_for: victim_csew", 7, 14),
    Case("REF005", HOMICIDE, "priority: reduce_homicide", "priority: reduce_homicides", 6, 13),
    Case("RUL001", HOMICIDE, "start: 2018-07", "start: 2018-08", 18, 52),
    Case("RUL002", HOMICIDE, "months: 12}", "months: 4}", 17, 35),
    Case("RUL003", PROXY, "    denominator: {}\n", "", 10, 3),
    Case("RUL004", PROXY, "  proxy_for: victim_satisfaction_csew\n", "", 6, 3),
    Case(
        "RUL005",
        PRIORITIES,
        "      not_applicable: The test catalogue has no cyber measure.\n",
        "",
        12,
        7,
    ),
    Case("RUL006", CSEW, "    reason: No force-level estimate is published.\n", "", 9, 5),
    Case(
        "RUL007",
        HOMICIDE,
        "  source:\n    dataset: recorded_crime\n"
        "    filters:\n      offence_subgroup: [Homicide]\n",
        "",
        3,
        3,
    ),
    Case("RUL008", HOMICIDE, "grain: quarter", "grain: month", 16, 10),
    Case("RUL009", HOMICIDE, "offence_subgroup: [Homicide]", "offence_group: [Homicide]", 14, 7),
    Case(
        "RUL010", "datasets/recorded_crime.yaml", "path: data/prc.csv", "path: ../../prc.csv", 5, 9
    ),
    Case("RUL011", HOMICIDE, "spc_profile: test_profile", "spc_profile: test_profil", 23, 18),
]


def test_the_fixture_catalogue_is_clean(tmp_path: Path) -> None:
    result = validate_catalogue(copy_catalogue(tmp_path))
    assert result.findings == ()


@pytest.mark.parametrize("case", CASES, ids=[case.code for case in CASES])
def test_rule_fires_at_its_place(tmp_path: Path, case: Case) -> None:
    root = copy_catalogue(tmp_path)
    edit(root, case.file, case.old, case.new)
    findings = validate_catalogue(root).findings
    ours = [f for f in findings if f.code == case.code]
    assert ours, [str(f.location) + " " + f.code for f in findings]
    places = [(f.location.file, f.location.line, f.location.column) for f in ours]
    assert any(
        file.endswith(case.file) and (line, column) == (case.line, case.column)
        for file, line, column in places
    ), places
    assert all(f.message and f.hint for f in ours)
    errors = {f.code for f in findings if f.level is Level.ERROR}
    assert errors <= {case.code, *case.also}


def test_duplicate_ids(tmp_path: Path) -> None:
    root = copy_catalogue(tmp_path)
    shutil.copy(root / HOMICIDE, root / "definitions" / "homicide_again.yaml")
    findings = validate_catalogue(root).findings
    assert [
        (f.code, f.location.file.rsplit("/", 1)[-1], f.location.line, f.location.column)
        for f in findings
    ] == [("REF001", "homicide_again.yaml", 3, 7)]
    assert "homicide.yaml" in findings[0].message


def test_force_overriding_an_unknown_dataset(tmp_path: Path) -> None:
    root = copy_catalogue(tmp_path)
    edit(
        root,
        "forces/testshire.yaml",
        "  reporting_period:",
        "  datasets: {recorded: x.csv}\n  reporting_period:",
    )
    [finding] = validate_catalogue(root).findings
    assert (finding.code, finding.location.line, finding.location.column) == ("REF002", 15, 14)


def test_priority_listing_a_proxy(tmp_path: Path) -> None:
    root = copy_catalogue(tmp_path)
    edit(
        root,
        PRIORITIES,
        "national_measures: [homicide]",
        "national_measures: [victim_satisfaction]",
    )
    codes = [(f.code, f.location.line) for f in validate_catalogue(root).findings]
    assert ("REF005", 7) in codes


def test_missing_catalogue(tmp_path: Path) -> None:
    [finding] = validate_catalogue(tmp_path / "nowhere").findings
    assert finding.code == "CAT001"
    assert finding.location.file.endswith("nowhere") and finding.location.line is None


def test_missing_priorities_file_is_a_warning(tmp_path: Path) -> None:
    root = copy_catalogue(tmp_path)
    (root / PRIORITIES).unlink()
    result = validate_catalogue(root)
    assert [(f.code, f.level) for f in result.findings] == [("CAT002", Level.WARNING)]
    assert result.ok


def test_second_priorities_file_is_an_error(tmp_path: Path) -> None:
    root = copy_catalogue(tmp_path)
    shutil.copy(root / PRIORITIES, root / "more_priorities.yaml")
    findings = validate_catalogue(root).findings
    cat = [f for f in findings if f.code == "CAT002"]
    assert [(f.level, f.location.line, f.location.column) for f in cat] == [(Level.ERROR, 2, 1)]
    assert cat[0].location.file.endswith("priorities.yaml")


def test_every_rule_has_a_case() -> None:
    tested = {case.code for case in CASES} | {"REF001"}
    # Force-profile and commentary rules have their cases in test_profile_rules.py.
    tested |= {"FOR001", "FOR002", "FOR003", "CAT003"}
    # The warnings --strict fails on have theirs in tests/init/test_layers.py.
    tested |= {"FOR004", "FOR005", "RUL012"}
    # The sql rule needs a database catalogue: its case is in tests/sql/test_options.py.
    tested |= {"SQL001"}
    # Path containment rules have theirs in test_path_containment.py.
    tested |= {"RUL013", "RUL014"}
    # Rules on values that cannot be right have theirs in test_value_rules.py.
    tested |= {"RUL015", "RUL016", "RUL017", "RUL018"}
    assert {rule.code for rule in RULES} - {"CAT002"} <= tested


@pytest.mark.parametrize("pattern", ["../../*-street.csv", "/etc/*", "2019-06/../../x.csv"])
def test_a_file_pattern_that_leaves_the_folder_is_located(tmp_path: Path, pattern: str) -> None:
    root = copy_catalogue(tmp_path)
    (root / "datasets" / "street.yaml").write_text(
        "dataset:\n"
        "  id: street\n"
        "  title: Street records\n"
        "  adapter:\n"
        "    kind: police_uk_street\n"
        f"    pattern: '{pattern}'\n"
        "  path: data/street\n"
        "  grain: month\n"
        "  provenance: {publisher: police.uk, title: Street records}\n",
        encoding="utf-8",
    )
    findings = [f for f in validate_catalogue(root).findings if f.code == "RUL010"]
    assert len(findings) == 1
    (finding,) = findings
    assert finding.location.file.endswith("datasets/street.yaml")
    assert (finding.location.line, finding.location.column) == (6, 14)
    assert finding.location.dotted == "dataset.adapter.pattern"
    assert pattern in finding.message and finding.level is Level.ERROR
