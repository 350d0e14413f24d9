"""Generate one JSON Schema per kind of catalogue file from the pydantic models.

Editors use these (through the ``yaml-language-server`` line at the top of each file) to
complete keys and flag mistakes as a definition is typed; the models stay the one source.
"""

from __future__ import annotations

import json
from typing import Any, Final

from framework.model.documents import DOCUMENT_KINDS

DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"
"""The JSON Schema dialect pydantic writes."""


def schema_file_name(kind: str) -> str:
    """Return the file name of a kind's schema (``measure.schema.json``)."""
    return f"{kind}.schema.json"


def document_schema(kind: str) -> dict[str, Any]:
    """Return the JSON Schema of one kind of file, with its definitions in name order."""
    generated = DOCUMENT_KINDS[kind].model_json_schema()
    definitions = generated.pop("$defs", {})
    schema: dict[str, Any] = {"$schema": DIALECT, **generated}
    if definitions:
        schema["$defs"] = {name: definitions[name] for name in sorted(definitions)}
    return schema


def render_schema(schema: dict[str, Any]) -> str:
    """Format a schema as the committed file holds it: two-space indents, a final newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def schema_texts() -> dict[str, str]:
    """Return every kind's schema file name and text, in the order of the document kinds."""
    return {schema_file_name(kind): render_schema(document_schema(kind)) for kind in DOCUMENT_KINDS}
