"""Golden files pin how ``measures validate`` reports a catalogue with several errors.

Run ``pytest tests/validation/test_golden.py --update-snapshots`` after an intended change in
wording, then read the diff before committing it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.helpers import REPO, invoke
from tests.snapshots import Snapshot

GOLDEN = Path(__file__).parent / "golden"
CATALOGUE = "tests/fixtures/catalogue_bad"
FORMATS = {
    "text": "catalogue_bad.text.txt",
    "github": "catalogue_bad.github.txt",
    "json": "catalogue_bad.json",
}


@pytest.mark.parametrize("output", list(FORMATS))
def test_report_matches_golden(
    output: str, monkeypatch: pytest.MonkeyPatch, snapshot: Snapshot
) -> None:
    monkeypatch.chdir(REPO)  # file names in the report are relative to the working folder
    result = invoke("validate", CATALOGUE, "--format", output)
    assert result.exit_code == 1
    snapshot.assert_match(result.stdout, GOLDEN / FORMATS[output])


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
