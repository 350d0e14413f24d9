"""Check a spec against the Vega-Lite JSON schema, the one the installed altair bundles."""

from __future__ import annotations

import json
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from renderers.vegalite.vl import SCHEMA_URL


class SpecError(ValueError):
    """A spec the Vega-Lite schema rejects: a bug in a chart builder, never the user's data."""


def schema_path() -> Path:
    """Return the Vega-Lite schema file inside the installed altair (found without importing it)."""
    found = find_spec("altair")
    if found is None or found.origin is None:
        raise SpecError("altair is not installed, so there is no Vega-Lite schema to check with")
    major = SCHEMA_URL.rsplit("/v", 1)[1].split(".")[0]
    return Path(found.origin).parent / "vegalite" / f"v{major}" / "schema" / "vega-lite-schema.json"


@cache
def _validator() -> Any:
    import jsonschema

    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    return jsonschema.validators.validator_for(schema)(schema)


def schema_errors(spec: dict[str, Any]) -> list[str]:
    """Return the schema's complaints about ``spec`` as readable lines (none when valid)."""
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(top level)'}: {error.message[:300]}"
        for error in _validator().iter_errors(spec)
    ]


def check_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """Return ``spec`` if the Vega-Lite schema accepts it; raise :class:`SpecError` if not."""
    errors = schema_errors(spec)
    if errors:
        raise SpecError("the chart's spec is not valid Vega-Lite: " + "; ".join(errors[:5]))
    return spec
