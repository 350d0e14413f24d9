"""Golden files pin how ``measures validate`` reports a catalogue with several errors.

Run ``UPDATE_GOLDEN=1 pytest tests/validation/test_golden.py`` after an intended change in
wording, then read the diff before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.cli.helpers import REPO, invoke

GOLDEN = Path(__file__).parent / "golden"
CATALOGUE = "tests/fixtures/catalogue_bad"
FORMATS = {
    "text": "catalogue_bad.text.txt",
    "github": "catalogue_bad.github.txt",
    "json": "catalogue_bad.json",
}


@pytest.mark.parametrize("output", list(FORMATS))
def test_report_matches_golden(output: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)  # file names in the report are relative to the working folder
    result = invoke("validate", CATALOGUE, "--format", output)
    assert result.exit_code == 1
    golden = GOLDEN / FORMATS[output]
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(result.stdout, encoding="utf-8")
    assert golden.exists(), f"run UPDATE_GOLDEN=1 pytest {__file__} to create {golden.name}"
    assert result.stdout == golden.read_text(encoding="utf-8")


def test_golden_covers_every_stage() -> None:
    text = (GOLDEN / FORMATS["text"]).read_text(encoding="utf-8")
    for code in (
        "YAML004",
        "SCH001",
        "SCH002",
        "SCH004",
        "REF002",
        "REF004",
        "RUL006",
        "RUL010",
        "CAT002",
    ):
        assert f" {code} " in text
