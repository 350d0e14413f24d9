"""The generated JSON Schemas accept the valid catalogue files and reject broken ones."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from framework.model.documents import DOCUMENT_KINDS
from framework.schema.json_schema import DIALECT, document_schema

FIXTURES = Path(__file__).parents[1] / "fixtures"
VALID = sorted((FIXTURES / "catalogue_ok").rglob("*.yaml"))


def kind_of(data: dict[str, object]) -> str:
    [kind] = data
    return kind


@pytest.mark.parametrize("path", VALID, ids=[p.name for p in VALID])
def test_valid_files_pass_their_schema(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML reads 2018-07 as text already; dates like 2019-06-30 would need the same care.
    jsonschema.validate(data, document_schema(kind_of(data)))


@pytest.mark.parametrize(
    "name", ["SCH001/misspelt_key.yaml", "SCH004/bad_kind.yaml", "SCH006/bad_id.yaml"]
)
def test_broken_files_fail_their_schema(name: str) -> None:
    data = yaml.safe_load((FIXTURES / "broken" / name).read_text(encoding="utf-8"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, document_schema(kind_of(data)))


@pytest.mark.parametrize("kind", list(DOCUMENT_KINDS))
def test_schema_is_valid_json_schema(kind: str) -> None:
    schema = document_schema(kind)
    assert schema["$schema"] == DIALECT
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["required"] == [kind]
    assert schema["additionalProperties"] is False
    assert list(schema["$defs"]) == sorted(schema["$defs"])
    json.dumps(schema)
