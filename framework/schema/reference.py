"""Generate ``docs/reference.md``: every model, field, type, default and meaning, from the models.

The meanings are the attribute docstrings pydantic keeps as field descriptions, so the
reference cannot say something the code does not.
"""

from __future__ import annotations

import inspect
import json
import re
import types
import typing
from collections.abc import Iterator
from typing import Any, Final, Literal, Union, get_args, get_origin

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from framework.model.base import PeriodText, Slug
from framework.model.chart_kinds import CHART_KINDS, ChartKind
from framework.model.documents import DOCUMENT_KINDS
from framework.periods import PERIOD_FORMS
from framework.schema.json_schema import schema_file_name

SLUG_CONSTRAINTS: Final = get_args(Slug)[1]
PERIOD_CONSTRAINTS: Final = get_args(PeriodText)[1]
CHART_KIND_CHECK: Final = get_args(ChartKind)[1]

HEADER: Final = """\
# Definition language reference

<!-- Generated from the models in framework/model by `measures schema`; do not edit. -->

Every catalogue file is a YAML mapping with exactly one top-level key, which says what the
file defines. Unknown keys are errors, and so are values of the wrong type; `measures
validate` reports each with a code, a line and a hint. The JSON Schema of each kind, for
editors, is in `measures/national/schema/`; start a file with
`# yaml-language-server: $schema=<path to the schema>` to use it.
"""


def reference_text() -> str:
    """Return the whole reference as Markdown, ending in one newline."""
    lines = [HEADER, "## Files", "", "| top-level key | defines | JSON Schema |", "|---|---|---|"]
    for kind, model in DOCUMENT_KINDS.items():
        target = _field_model(model, kind)
        schema = f"measures/national/schema/{schema_file_name(kind)}"
        lines.append(f"| `{kind}:` | {_link(target)} | `{schema}` |")
    lines += ["", *_value_types()]
    seen: set[type[BaseModel]] = set()
    for kind, model in DOCUMENT_KINDS.items():
        lines += ["", f"## `{kind}` files", "", _doc(model)]
        for nested in _models_under(model, seen):
            lines += ["", *_model_section(nested)]
    return "\n".join(lines).rstrip("\n") + "\n"


def _value_types() -> list[str]:
    return [
        "## Value types",
        "",
        "| type | what it accepts |",
        "|---|---|",
        f"| `slug` | an identifier: lower case letters, digits and underscores, starting with a"
        f" letter, {SLUG_CONSTRAINTS.min_length} to {SLUG_CONSTRAINTS.max_length} characters |",
        f"| `period` | {_escape(PERIOD_FORMS)} |",
    ]


def _field_model(model: type[BaseModel], name: str) -> type[BaseModel]:
    annotation = model.model_fields[name].annotation
    assert isinstance(annotation, type) and issubclass(annotation, BaseModel)
    return annotation


def _models_under(root: type[BaseModel], seen: set[type[BaseModel]]) -> Iterator[type[BaseModel]]:
    """Yield the models reachable from a file model, depth first in field order, once each."""
    for info in root.model_fields.values():
        for model in _models_in(info.annotation):
            if model not in seen:
                seen.add(model)
                yield model
                yield from _models_under(model, seen)


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        return
    for arg in get_args(annotation):
        yield from _models_in(arg)


def _model_section(model: type[BaseModel]) -> list[str]:
    lines = [f"### {model.__name__}", "", _doc(model), ""]
    lines += ["| field | type | default | meaning |", "|---|---|---|---|"]
    for name, info in model.model_fields.items():
        lines.append(
            f"| `{info.alias or name}` | {type_markdown(info.annotation, info.metadata)} | "
            f"{_default(info)} | {_meaning(info)} |"
        )
    return lines


def _doc(model: type[BaseModel]) -> str:
    return _prose(inspect.cleandoc(model.__doc__ or ""))


def type_markdown(annotation: Any, metadata: list[Any] | None = None) -> str:
    """Write a field's type readably: ``list[str]``, ``"rolling" | "period"``, linked models."""
    text, links = _type(annotation, list(metadata or []))
    # GitHub tables need a pipe escaped even inside a code span.
    return _escape(text if links else f"`{text}`")


def _type(annotation: Any, metadata: list[Any]) -> tuple[str, bool]:
    """Return the type as text and whether it holds Markdown links (so it cannot be code)."""
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        inner, *extra = get_args(annotation)
        return _type(inner, [*metadata, *extra])
    if origin is Union or isinstance(annotation, types.UnionType):
        members = [arg for arg in get_args(annotation) if arg is not type(None)]
        parts = [_type(member, metadata) for member in members]
        return _join(parts, " | ")
    if origin is Literal:
        return " | ".join(json.dumps(arg) for arg in get_args(annotation)), False
    if origin in (list, dict, tuple, set):
        parts = [_type(arg, []) for arg in get_args(annotation)]
        inner, links = _join(parts, ", ")
        name = origin.__name__
        return (f"{name}\\[{inner}\\]" if links else f"{name}[{inner}]"), links
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _link(annotation), True
    if annotation is str:
        if SLUG_CONSTRAINTS in metadata:
            return "slug", False
        if PERIOD_CONSTRAINTS in metadata:
            return "period", False
        if CHART_KIND_CHECK in metadata:
            return " | ".join(json.dumps(name) for name in CHART_KINDS), False
    return getattr(annotation, "__name__", str(annotation)), False


def _join(parts: list[tuple[str, bool]], separator: str) -> tuple[str, bool]:
    links = any(link for _, link in parts)
    # Mixing code and links: put the plain pieces in code spans of their own.
    texts = [text if link or not links else f"`{text}`" for text, link in parts]
    return separator.join(texts), links


def _link(model: type[BaseModel]) -> str:
    return f"[{model.__name__}](#{model.__name__.lower()})"


def _default(info: FieldInfo) -> str:
    if info.default_factory is not None:
        value = info.default_factory()  # type: ignore[call-arg]
    elif info.default is PydanticUndefined:
        return "required"
    else:
        value = info.default
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    return f"`{json.dumps(value, ensure_ascii=False)}`"


def _meaning(info: FieldInfo) -> str:
    parts = [_prose(info.description or "")]
    parts += _constraints(info.metadata)
    if info.examples:
        shown = ", ".join(
            f"`{json.dumps(example, ensure_ascii=False)}`" for example in info.examples
        )
        parts.append(f"Examples: {shown}.")
    return _escape(" ".join(part for part in parts if part))


_BOUNDS: Final = (
    (annotated_types.Ge, "ge", "At least {}."),
    (annotated_types.Gt, "gt", "More than {}."),
    (annotated_types.Le, "le", "At most {}."),
    (annotated_types.Lt, "lt", "Less than {}."),
    (annotated_types.MinLen, "min_length", "At least {} item(s)."),
    (annotated_types.MaxLen, "max_length", "At most {} item(s)."),
)


def _constraints(metadata: list[Any]) -> list[str]:
    notes: list[str] = []
    for item in metadata:
        for kind, attribute, text in _BOUNDS:
            if isinstance(item, kind):
                notes.append(text.format(getattr(item, attribute)))
        pattern = getattr(item, "pattern", None)
        if pattern and item not in (SLUG_CONSTRAINTS, PERIOD_CONSTRAINTS):
            notes.append(f"Matches `{pattern}`.")
    return notes


def _prose(text: str) -> str:
    """Turn a docstring into one Markdown line: reST ``code`` becomes `code`."""
    return re.sub(r"``(.+?)``", r"`\1`", " ".join(text.split()))


def _escape(text: str) -> str:
    """Escape the pipes that would end a table cell."""
    return text.replace("|", "\\|")
