"""Stage (a): check one located YAML document against the pydantic model of its kind."""

from __future__ import annotations

import difflib
import types
import typing
from dataclasses import dataclass
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from framework.loading.located_yaml import KeyPath, LocatedData
from framework.model.documents import DOCUMENT_KINDS
from framework.periods import PERIOD_FORMS, PeriodError, parse_period
from framework.validation.findings import Finding, Level

PERIOD_FIELDS = frozenset({"start", "end", "applies_from", "as_of", "reporting_period"})
"""Fields whose strings must parse as periods; checked here so the message names the field."""


@dataclass(frozen=True)
class ValidDocument:
    """A document that passed its schema: its kind, model and located data."""

    file: str
    kind: str
    model: BaseModel
    located: LocatedData


def validate_document(file: str, located: LocatedData) -> tuple[ValidDocument | None, list[Finding]]:
    """Check the document's kind and fields; return the model, or None and every finding."""
    data = located.data
    if not isinstance(data, dict):
        kind_of = type(data).__name__ if data is not None else "nothing"
        return None, [
            Finding(
                located.location(file, ()),
                "YAML006",
                Level.ERROR,
                f"the document is a {kind_of}, not a mapping",
                f"Start the file with one top-level key: {', '.join(DOCUMENT_KINDS)}.",
            )
        ]
    kinds = [key for key in data if key in DOCUMENT_KINDS]
    if len(data) != 1 or len(kinds) != 1:
        return None, [_kind_finding(file, located, list(data))]
    kind = kinds[0]
    model_class = DOCUMENT_KINDS[kind]
    period_findings = list(_period_findings(file, located, data, ()))
    try:
        model = model_class.model_validate(data)
    except ValidationError as error:
        return None, sorted([*_findings_from(error, file, located, model_class), *period_findings])
    if period_findings:
        return None, period_findings
    return ValidDocument(file, kind, model, located), []


def _kind_finding(file: str, located: LocatedData, keys: list[str]) -> Finding:
    known = ", ".join(f"`{kind}:`" for kind in DOCUMENT_KINDS)
    unknown = [key for key in keys if key not in DOCUMENT_KINDS]
    if unknown:
        key = unknown[0]
        guess = difflib.get_close_matches(key, list(DOCUMENT_KINDS), n=1)
        hint = f"Did you mean `{guess[0]}:`?" if guess else f"Use one of {known}."
        return Finding(
            located.location(file, (key,)),
            "YAML008",
            Level.ERROR,
            f"unknown top-level key {key!r}: a catalogue file holds one of {known}",
            hint,
        )
    return Finding(
        located.location(file, (keys[1],)),
        "YAML008",
        Level.ERROR,
        f"the file has {len(keys)} top-level keys ({', '.join(keys)}); it must have exactly one",
        "Put each definition in a file of its own.",
    )


def _findings_from(
    error: ValidationError, file: str, located: LocatedData, model_class: type[BaseModel]
) -> list[Finding]:
    findings: list[Finding] = []
    seen: set[tuple[KeyPath, str]] = set()
    for detail in error.errors(include_url=False):
        path = _data_path(located.data, tuple(detail["loc"]))
        code, message, hint = _describe(detail, path, model_class)
        if (path, code) in seen:
            continue  # a union reports one failure per member; one finding is enough
        seen.add((path, code))
        findings.append(Finding(located.location(file, path), code, Level.ERROR, message, hint))
    return sorted(findings)


def _data_path(data: Any, loc: tuple[Any, ...]) -> KeyPath:
    """Map pydantic's error location onto keys of the data, skipping union tags it inserts."""
    path: list[str | int] = []
    current = data
    for part in loc:
        if isinstance(current, dict) and part in current:
            path.append(part)
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and part < len(current):
            path.append(part)
            current = current[part]
        elif isinstance(current, dict) and isinstance(part, str) and not _is_tag(current, part):
            path.append(part)  # a missing or unknown key: point at it by name
            current = None
        # else: a discriminator tag or a function-validator marker, not a key of the data
    return tuple(path)


def _is_tag(mapping: dict[str, Any], part: str) -> bool:
    return mapping.get("kind") == part


def _describe(
    detail: Any, path: KeyPath, model_class: type[BaseModel]
) -> tuple[str, str, str]:
    kind = detail["type"]
    field = str(path[-1]) if path else "document"
    where = ".".join(str(part) for part in path)
    if kind == "extra_forbidden":
        allowed = sorted(_fields_at(model_class, path[:-1]))
        guess = difflib.get_close_matches(field, allowed, n=1, cutoff=0.6)
        hint = f"Did you mean {guess[0]!r}?" if guess else f"Allowed keys here: {', '.join(allowed)}."
        return "SCH001", f"unknown key {field!r} in {'.'.join(map(str, path[:-1]))}", hint
    if kind == "missing":
        return "SCH002", f"{where} is required but missing", f"Add `{field}:` here."
    if kind in {"literal_error", "enum", "union_tag_invalid"}:
        expected = detail.get("ctx", {}).get("expected") or detail.get("ctx", {}).get(
            "expected_tags", ""
        )
        return (
            "SCH004",
            f"{where}: {detail['input']!r} is not one of the allowed values",
            f"Use one of {expected}.",
        )
    if kind == "string_pattern_mismatch" and field in {"id", "priority", "dataset", "proxy_for"}:
        return (
            "SCH006",
            f"{where}: {detail['input']!r} is not an identifier",
            "Use lower case letters, digits and underscores, starting with a letter.",
        )
    return "SCH003", f"{where}: {detail['msg']}", _type_hint(detail)


_TYPE_WORDS = {
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "string": "text",
    "list": "a list (`[a, b]` or one `- item` per line)",
    "dict": "a mapping of keys to values",
    "model": "a mapping of keys to values",
}


def _type_hint(detail: Any) -> str:
    kind = str(detail["type"])
    if kind.endswith("_type") or kind.endswith("_parsing"):
        word = _TYPE_WORDS.get(kind.split("_")[0], kind.split("_")[0])
        return f"Write {word} here (you wrote {detail['input']!r})."
    return "Check the value against docs/reference.md."


def _period_findings(file: str, located: LocatedData, data: Any, path: KeyPath) -> Any:
    if isinstance(data, dict):
        for key, value in data.items():
            if key in PERIOD_FIELDS and isinstance(value, str):
                try:
                    parse_period(value)
                except PeriodError as error:
                    yield Finding(
                        located.location(file, (*path, key)),
                        "SCH005",
                        Level.ERROR,
                        f"{'.'.join(map(str, (*path, key)))}: {str(error).split('; write')[0]}",
                        f"Write {PERIOD_FORMS}.",
                    )
            else:
                yield from _period_findings(file, located, value, (*path, key))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from _period_findings(file, located, item, (*path, index))


def _fields_at(model_class: type[BaseModel], path: KeyPath) -> set[str]:
    """Return the keys allowed at ``path`` inside ``model_class``, following nested models."""
    candidates: list[Any] = [model_class]
    for part in path:
        nxt: list[Any] = []
        for candidate in candidates:
            for member in _unwrap(candidate):
                if isinstance(part, int):
                    continue
                if isinstance(member, type) and issubclass(member, BaseModel):
                    info = member.model_fields.get(part)
                    if info is not None:
                        nxt.extend(_containers(info.annotation))
        candidates = nxt
    keys: set[str] = set()
    for candidate in candidates:
        for member in _unwrap(candidate):
            if isinstance(member, type) and issubclass(member, BaseModel):
                keys.update(member.model_fields)
    return keys


def _containers(annotation: Any) -> list[Any]:
    """Look through list[...] and dict[..., ...] to the item type, since indexes are skipped."""
    out: list[Any] = []
    for member in _unwrap(annotation):
        origin = get_origin(member)
        if origin in (list, tuple, set):
            out.extend(get_args(member)[:1])
        elif origin is dict:
            out.extend(get_args(member)[1:2])
        else:
            out.append(member)
    return out


def _unwrap(annotation: Any) -> list[Any]:
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(get_args(annotation)[0])
    if origin is Union or isinstance(annotation, types.UnionType):
        return [leaf for arg in get_args(annotation) for leaf in _unwrap(arg)]
    return [annotation]
