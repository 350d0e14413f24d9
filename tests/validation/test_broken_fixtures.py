"""Every broken fixture gives exactly the findings its first line expects, at those places."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from framework.loading.catalogue import load_catalogue

BROKEN = Path(__file__).parents[1] / "fixtures" / "broken"
EXPECT = re.compile(r"^# expect: (?P<items>.+)$")


def expected(path: Path) -> list[tuple[str, int, int]]:
    """Read ``# expect: SCH001 4:3, SCH002 2:1`` from the file's first line."""
    match = EXPECT.match(path.read_text(encoding="utf-8").splitlines()[0])
    assert match, f"{path} must start with '# expect: CODE line:column'"
    items = []
    for item in match["items"].split(","):
        code, place = item.split()
        line, column = place.split(":")
        items.append((code, int(line), int(column)))
    return items


FIXTURES = sorted(BROKEN.rglob("*.yaml"))


@pytest.mark.parametrize("path", FIXTURES, ids=[str(p.relative_to(BROKEN)) for p in FIXTURES])
def test_broken_file_gives_expected_findings(path: Path) -> None:
    findings = load_catalogue(path).findings
    got = [(f.code, f.location.line, f.location.column) for f in findings]
    assert got == expected(path)
    assert path.parent.name in {code for code, _, _ in got}, "the folder names the code under test"
    for finding in findings:
        assert finding.message and finding.hint, (
            "every finding says what is wrong and how to fix it"
        )


def test_every_fixture_folder_is_a_code() -> None:
    assert FIXTURES
    for folder in BROKEN.iterdir():
        assert re.fullmatch(r"[A-Z]{3,4}\d{3}", folder.name), folder
