"""Write a chart's spec, SVG and PNG to a folder, each atomically, offline via vl-convert."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

import vl_convert

from framework.atomic import write_bytes_atomic

Format = Literal["vl.json", "svg", "png"]
FORMATS: tuple[Format, ...] = ("vl.json", "svg", "png")

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_SCHEMA_VERSION = re.compile(r"/v(\d+)\.(\d+)(?:\.\d+)?\.json$")


def spec_json(spec: Mapping[str, Any]) -> str:
    """Return ``spec`` as stable JSON: sorted keys, two-space indent, no NaN, final newline."""
    return json.dumps(spec, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def vegalite_version(spec: Mapping[str, Any]) -> str | None:
    """Return the Vega-Lite version the spec's ``$schema`` names, if vl-convert bundles it.

    ``None`` lets vl-convert use its newest bundled version.
    """
    match = _SCHEMA_VERSION.search(str(spec.get("$schema", "")))
    if not match:
        return None
    version = f"{match.group(1)}.{match.group(2)}"
    return version if version in vl_convert.get_vegalite_versions() else None


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so readers see the old file or the new one, never a part."""
    write_bytes_atomic(path, data)


def render_bytes(spec: Mapping[str, Any], fmt: Format, *, png_scale: float = 2.0) -> bytes:
    """Return the bytes of one output: the spec's JSON, or its SVG or PNG from vl-convert."""
    if fmt == "vl.json":
        return spec_json(spec).encode("utf-8")
    text = spec_json(spec)
    version = vegalite_version(spec)
    if fmt == "svg":
        svg: str = vl_convert.vegalite_to_svg(text, vl_version=version)
        return svg.encode("utf-8")
    if fmt == "png":
        png: bytes = vl_convert.vegalite_to_png(text, vl_version=version, scale=png_scale)
        return png
    raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")


def export_chart(
    spec: Mapping[str, Any],
    folder: str | os.PathLike[str],
    name: str,
    formats: Iterable[Format] = FORMATS,
    *,
    png_scale: float = 2.0,
) -> dict[Format, Path]:
    """Write ``<name>.vl.json``, ``.svg`` and ``.png`` into ``folder`` and return their paths.

    Every output is rendered in memory before any is written, so a conversion failure leaves
    all earlier files as they were; each file is then replaced atomically.
    """
    if not _NAME.match(name):
        raise ValueError(f"chart name {name!r} must be letters, digits, '.', '_' or '-'")
    directory = Path(folder)
    directory.mkdir(parents=True, exist_ok=True)
    wanted = list(dict.fromkeys(formats))
    rendered = {fmt: render_bytes(spec, fmt, png_scale=png_scale) for fmt in wanted}
    paths: dict[Format, Path] = {}
    for fmt, data in rendered.items():
        path = directory / f"{name}.{fmt}"
        atomic_write(path, data)
        paths[fmt] = path
    return paths
