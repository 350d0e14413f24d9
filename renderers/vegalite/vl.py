"""Vega-Lite specs as plain data: encodings, marks, units and the finished top-level spec.

The chart builders write their specs with these small functions rather than through altair
objects: a statement builds some twenty charts, and altair's objects (copied and checked
as each part is made) cost more than everything else a chart needs. The specs are those
altair wrote for the same charts (same keys and values; ``tests/renderers`` checks each
kind against its snapshot and against the Vega-Lite schema), inline data moved into
top-level ``datasets`` under a name hashed from the rows, as altair names them.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

Spec = dict[str, Any]
"""A Vega-Lite spec, or any part of one, as JSON-ready data."""

SCHEMA_URL = "https://vega.github.io/schema/vega-lite/v6.4.1.json"
"""The Vega-Lite schema the specs are written to (the one altair bundles; a test checks)."""

TYPES = {"Q": "quantitative", "N": "nominal", "O": "ordinal", "T": "temporal"}

_TIME_UNIT = re.compile(r"^(\w+)\((\w+)\)$")


def field(shorthand: str, **options: Any) -> Spec:
    """Return an encoding of a field: ``"value:Q"``, or ``"utcyearmonth(period_end):T"``.

    Options are written as given; ``None`` is kept, as Vega-Lite's explicit ``null`` (no
    title, no legend, no axis).
    """
    name, _, code = shorthand.rpartition(":")
    if not name or code not in TYPES:
        raise ValueError(f"{shorthand!r} is not 'field:TYPE' with TYPE one of {''.join(TYPES)}")
    spec: Spec = {}
    unit = _TIME_UNIT.match(name)
    if unit:
        spec["field"], spec["timeUnit"] = unit.group(2), unit.group(1)
    else:
        spec["field"] = name
    spec["type"] = TYPES[code]
    spec.update(options)
    return spec


def value(constant: Any) -> Spec:
    """Return an encoding of a constant: a pixel position, a colour."""
    return {"value": constant}


def tooltip(shorthand: str, title: str, **options: Any) -> Spec:
    """Return one tooltip entry: a field with its title (and a ``format``, say)."""
    return field(shorthand, title=title, **options)


def inline(rows: Iterable[Mapping[str, Any]]) -> Spec:
    """Return rows as inline data; :func:`top_level` moves them into ``datasets``."""
    return {"values": [dict(row) for row in rows]}


def mark(kind: str, **properties: Any) -> Spec:
    """Return a mark definition: its type and properties."""
    return {"type": kind, **properties}


def unit(data: Spec, mark_def: Spec, encoding: Mapping[str, Any], **properties: Any) -> Spec:
    """Return a unit view: data, mark and encoding, with any view properties."""
    return {"data": data, "mark": mark_def, "encoding": dict(encoding), **properties}


def title(text: str, **properties: Any) -> Spec:
    """Return a title block: its text and any properties (``subtitle``, ``fontSize``)."""
    return {"text": text, **properties}


def dataset_name(values: Any) -> str:
    """Return the name of inline rows in ``datasets``: a hash of their sorted JSON."""
    if values == [{}]:
        return "empty"
    text = json.dumps(values, sort_keys=True, default=str)
    return "data-" + hashlib.sha256(text.encode()).hexdigest()[:32]


def top_level(spec: Spec, config: Spec) -> Spec:
    """Return the finished spec: the theme's ``config``, inline data named in ``datasets``."""
    datasets: dict[str, Any] = {}
    body = _named(spec, datasets)
    out: Spec = {"config": config, **body, "$schema": SCHEMA_URL}
    if datasets:
        out["datasets"] = datasets
    return out


def _named(spec: Spec, datasets: dict[str, Any]) -> Spec:
    """Return ``spec`` with each view's inline rows replaced by their name in ``datasets``."""
    out = dict(spec)
    data = out.get("data")
    if isinstance(data, dict) and "values" in data and "name" not in data:
        name = dataset_name(data["values"])
        datasets.setdefault(name, data["values"])
        out["data"] = {"name": name, **{k: v for k, v in data.items() if k != "values"}}
    for key in ("layer", "vconcat", "hconcat", "concat"):
        if key in out:
            out[key] = [_named(child, datasets) for child in out[key]]
    return out


def layer(children: list[Spec], **properties: Any) -> Spec:
    """Return a layered view of ``children``, with view properties (``width``, ``title``).

    Where every layer draws the same rows (the one inline data object), they are given once,
    to the layered view, as altair gives them.
    """
    first = children[0].get("data") if children else None
    if first is not None and all(child.get("data") is first for child in children):
        bare = [{k: v for k, v in child.items() if k != "data"} for child in children]
        return {"data": first, "layer": bare, **properties}
    return {"layer": children, **properties}
