"""Every finding code the framework can emit has a test that provokes it."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).parents[2]
CODE = re.compile(r'"((?:YAML|SCH|REF|RUL|CAT|FOR)\d{3})"')
SOURCES = [
    *sorted((REPO / "framework" / "loading").glob("*.py")),
    *sorted((REPO / "framework" / "validation").glob("*.py")),
]
TESTS = [*sorted((REPO / "tests" / "validation").glob("test_*.py")),
         *sorted((REPO / "tests" / "loading").glob("test_*.py")),
         *sorted((REPO / "tests" / "init").glob("test_*.py"))]  # fmt: skip


def emitted_codes() -> set[str]:
    codes: set[str] = set()
    for path in SOURCES:
        if path.name == "data_stage.py":
            continue  # the data stage's codes are tested with the data
        codes.update(CODE.findall(path.read_text(encoding="utf-8")))
    return codes


def test_every_code_is_provoked_by_a_fixture_or_a_test() -> None:
    fixtures = {p.name for p in (REPO / "tests" / "fixtures" / "broken").iterdir()}
    tested_text = "\n".join(path.read_text(encoding="utf-8") for path in TESTS)
    missing = sorted(
        code for code in emitted_codes() if code not in fixtures and f'"{code}"' not in tested_text
    )
    assert missing == []


def test_the_codes_are_the_documented_ones() -> None:
    expected = {f"YAML00{i}" for i in range(1, 9)} | {f"SCH00{i}" for i in range(1, 7)}
    expected |= {f"REF00{i}" for i in range(1, 6)} | {f"RUL{i:03d}" for i in range(1, 12)}
    expected |= {"RUL013", "RUL014", "RUL015", "RUL016", "RUL017", "RUL018"}
    expected |= {"CAT001", "CAT002", "CAT003", "FOR001", "FOR002", "FOR003"}
    expected |= {f"CAT{i:03d}" for i in range(10, 16)}  # force catalogues on a base
    expected |= {"FOR004", "FOR005", "RUL012"}
    assert emitted_codes() == expected
