"""The committed JSON Schemas, docs/reference.md and docs/codes.md match what is generated now.

When a model or the table of finding codes changes, run ``measures schema`` and commit the
regenerated files.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from framework.schema.codes_doc import codes_text
from framework.schema.json_schema import schema_texts
from framework.schema.outputs import find_drift, generated_files
from framework.schema.reference import reference_text

REPO = Path(__file__).parents[2]
SCHEMA_DIR = REPO / "measures" / "national" / "schema"
REFERENCE = REPO / "docs" / "reference.md"
CODES = REPO / "docs" / "codes.md"
FIX = (
    "the models changed: run `measures schema` and commit measures/national/schema "
    "and docs/reference.md"
)


@pytest.mark.parametrize("name", list(schema_texts()))
def test_committed_schema_matches_the_models(name: str) -> None:
    committed = SCHEMA_DIR / name
    assert committed.exists(), FIX
    assert committed.read_text(encoding="utf-8") == schema_texts()[name], FIX


def test_committed_reference_matches_the_models() -> None:
    assert REFERENCE.read_text(encoding="utf-8") == reference_text(), FIX


def test_committed_codes_match_the_table() -> None:
    assert CODES.read_text(encoding="utf-8") == codes_text(), (
        "the table of finding codes changed: run `measures schema` and commit docs/codes.md"
    )


def test_no_stale_schema_files() -> None:
    assert find_drift(generated_files(SCHEMA_DIR, REFERENCE, CODES), SCHEMA_DIR) == [], FIX


def test_generation_is_stable() -> None:
    assert schema_texts() == schema_texts()
    assert reference_text() == reference_text()
    assert codes_text() == codes_text()
    assert all(text.endswith("}\n") for text in schema_texts().values())
