"""Test helpers: the Vega-Lite JSON schema altair ships, and walking a spec's layers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

import altair as alt
import jsonschema


@cache
def vegalite_validator() -> jsonschema.protocols.Validator:
    """Return a validator for the Vega-Lite schema bundled inside the installed altair."""
    major = alt.SCHEMA_VERSION.split(".")[0]  # "v6"
    text = (
        resources.files(f"altair.vegalite.{major}.schema")
        .joinpath("vega-lite-schema.json")
        .read_text(encoding="utf-8")
    )
    schema = json.loads(text)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator: jsonschema.protocols.Validator = validator_class(schema)
    return validator


def schema_errors(spec: dict[str, Any]) -> list[str]:
    """Return the schema violations of ``spec`` as readable strings (none when it is valid)."""
    return [
        f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message[:300]}"
        for error in vegalite_validator().iter_errors(spec)
    ]


def units(spec: dict[str, Any], data: Any = None) -> Iterator[dict[str, Any]]:
    """Yield every unit view (a spec with a ``mark``) inside layers and concatenations.

    A unit without data of its own is yielded as a copy carrying the data it inherits.
    """
    data = spec.get("data", data)
    if "mark" in spec:
        yield spec if "data" in spec or data is None else {**spec, "data": data}
    for key in ("layer", "vconcat", "hconcat", "concat"):
        for child in spec.get(key, []):
            yield from units(child, data)
    if "spec" in spec:
        yield from units(spec["spec"], data)


def mark_type(unit: dict[str, Any]) -> str:
    """Return the mark type of a unit view, whether written as a string or an object."""
    mark = unit["mark"]
    return str(mark if isinstance(mark, str) else mark["type"])


def unit_values(spec: dict[str, Any], unit: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the inline rows a unit view draws, following altair's named datasets."""
    data = unit.get("data")
    if data is None:
        raise AssertionError(f"unit {mark_type(unit)} has no data of its own")
    if "values" in data:
        return list(data["values"])
    return list(spec["datasets"][data["name"]])
