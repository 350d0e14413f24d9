"""Every finding code is in the one table, emitted through it, and provoked by a test."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from framework.findings.codes import PREFIXES, RETIRED, Code, Stage, prefix_of

REPO = Path(__file__).parents[2]
PACKAGES = ("framework", "renderers")
TABLE = REPO / "framework" / "findings" / "codes.py"
BARE = re.compile("[\"']((?:" + "|".join(PREFIXES) + ")\\d{3})[\"']")
STAGE_OF_PREFIX = {
    "YAML": Stage.PARSE,
    "SCH": Stage.SCHEMA,
    "REF": Stage.REFERENCE,
    "RUL": Stage.RULE,
    "CAT": Stage.CATALOGUE,
    "FOR": Stage.FORCE,
    "SQL": Stage.SQL,
    "DAT": Stage.DATA,
    "RUN": Stage.RUN,
    "SPC": Stage.SPC,
}


def _sources() -> list[Path]:
    paths = [path for package in PACKAGES for path in sorted((REPO / package).rglob("*.py"))]
    return [path for path in paths if path != TABLE]


def _tests() -> str:
    here = Path(__file__)
    paths = sorted((REPO / "tests").rglob("*.py"))
    return "\n".join(path.read_text(encoding="utf-8") for path in paths if path != here)


def test_no_module_spells_a_code_out() -> None:
    bare = [
        f"{path.relative_to(REPO)}: {code}"
        for path in _sources()
        for code in BARE.findall(path.read_text(encoding="utf-8"))
    ]
    assert bare == []


def test_every_code_of_the_table_is_emitted() -> None:
    text = "\n".join(path.read_text(encoding="utf-8") for path in _sources())
    emitted = set(re.findall(r"\bCode\.([A-Z]+\d{3})\b", text))
    assert sorted(code.value for code in Code if code.value not in emitted) == []
    assert sorted(emitted - {code.value for code in Code}) == []


def test_every_code_is_provoked_by_a_fixture_or_a_test() -> None:
    fixtures = {path.name for path in (REPO / "tests" / "fixtures" / "broken").iterdir()}
    tested = _tests()
    missing = sorted(
        code.value
        for code in Code
        if code.value not in fixtures
        and f'"{code.value}"' not in tested
        and f"Code.{code.value}" not in tested
        and f" {code.value} " not in tested  # a golden line: "file:3:5: error RUN001 ..."
    )
    assert missing == []


@pytest.mark.parametrize("code", list(Code), ids=str)
def test_each_entry_is_complete(code: Code) -> None:
    assert code.name == code.value
    assert re.fullmatch(r"[A-Z]{3,4}\d{3}", code.value)
    assert code.stage is STAGE_OF_PREFIX[prefix_of(code)]
    assert code.summary and code.summary == code.summary.strip()
    assert code.hint.endswith((".", "`")) and code.hint[0].isupper()


def test_a_retired_code_is_never_reused() -> None:
    assert sorted(set(RETIRED) & {code.value for code in Code}) == []
    assert all(code.rstrip("0123456789") in PREFIXES for code in RETIRED)


def test_every_prefix_has_a_stage_and_codes() -> None:
    assert set(STAGE_OF_PREFIX) == set(PREFIXES)
    assert {prefix_of(code) for code in Code} == set(PREFIXES)


def test_contributing_lists_every_prefix() -> None:
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert [prefix for prefix in PREFIXES if f"`{prefix}*`" not in text] == []
