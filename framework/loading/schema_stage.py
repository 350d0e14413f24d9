"""Stage (a): check one located YAML document against the pydantic model of its kind."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, get_args

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from framework.findings.codes import Code
from framework.findings.finding import Finding, Level, Location
from framework.findings.suggest import close_matches
from framework.loading.located_yaml import KeyPath, LocatedData
from framework.loading.model_paths import fields_at, tags_at
from framework.model.base import Slug
from framework.model.documents import DOCUMENT_KINDS
from framework.periods import PERIOD_FORMS, PeriodError, parse_period

PERIOD_FIELDS = frozenset(
    {"start", "end", "applies_from", "as_of", "reporting_period", "at", "from", "to"}
)
"""Fields whose strings must parse as periods; checked here so the message names the field."""

SLUG_PATTERN: str = get_args(Slug)[1].pattern
"""The identifier pattern; a value that misses it gets SCH006 rather than a type error."""

_NOT_A_MAPPING = {
    "list": "a list",
    "str": "plain text",
    "int": "a number",
    "float": "a number",
    "bool": "true or false",
}


@dataclass(frozen=True)
class ValidDocument:
    """A document that passed its schema: its kind, model and located data."""

    file: str
    kind: str
    model: BaseModel
    located: LocatedData


def validate_document(
    file: str, located: LocatedData
) -> tuple[ValidDocument | None, list[Finding]]:
    """Check the document's kind and fields; return the model, or None and every finding."""
    data = located.data
    if not isinstance(data, dict) or not data:
        return None, [_not_a_mapping(file, located)]
    kinds = [key for key in data if key in DOCUMENT_KINDS]
    if len(data) != 1 or len(kinds) != 1:
        return None, [_kind_finding(file, located, list(data))]
    kind = kinds[0]
    model_class = DOCUMENT_KINDS[kind]
    period_findings = list(_period_findings(file, located, data, ()))
    try:
        model = model_class.model_validate(data)
    except ValidationError as error:
        found = [*_findings_from(error, file, located, model_class), *period_findings]
        return None, sorted(found, key=Finding.sort_key)
    if period_findings:
        return None, period_findings
    return ValidDocument(file, kind, model, located), []


def _not_a_mapping(file: str, located: LocatedData) -> Finding:
    data = located.data
    what = "an empty mapping" if data == {} else _NOT_A_MAPPING.get(type(data).__name__, "nothing")
    return Finding(
        located.location(file, ()),
        Code.YAML006,
        Level.ERROR,
        f"the document is {what}, not a mapping with one top-level key",
        f"Start the file with one top-level key: {', '.join(DOCUMENT_KINDS)}.",
    )


def _kind_finding(file: str, located: LocatedData, keys: list[str]) -> Finding:
    known = ", ".join(f"`{kind}:`" for kind in DOCUMENT_KINDS)
    unknown = [key for key in keys if key not in DOCUMENT_KINDS]
    if unknown:
        key = unknown[0]
        guess = close_matches(key, DOCUMENT_KINDS)
        hint = f"Did you mean `{guess[0]}:`?" if guess else f"Use one of {known}."
        return Finding(
            located.location(file, (key,)),
            Code.YAML008,
            Level.ERROR,
            f"unknown top-level key {key!r}: a catalogue file holds one of {known}",
            hint,
        )
    return Finding(
        located.location(file, (keys[1],)),
        Code.YAML008,
        Level.ERROR,
        f"the file has {len(keys)} top-level keys ({', '.join(keys)}); it must have exactly one",
        "Put each definition in a file of its own.",
    )


@dataclass(frozen=True)
class _Problem:
    """One pydantic error, mapped onto the data: where, which code, what to say."""

    path: KeyPath
    code: str
    message: str
    hint: str
    detail: ErrorDetails


def _findings_from(
    error: ValidationError, file: str, located: LocatedData, model_class: type[BaseModel]
) -> list[Finding]:
    groups: dict[tuple[KeyPath, str], list[_Problem]] = {}
    for detail in error.errors(include_url=False):
        path = _data_path(located.data, tuple(detail["loc"]), detail["type"])
        problem = _describe(detail, path, model_class)
        groups.setdefault((problem.path, problem.code), []).append(problem)
    findings = []
    for problems in groups.values():
        # A union reports one failure per member; say once what the members would accept.
        problem = _merge_alternatives(problems) if len(problems) > 1 else problems[0]
        # Unknown and missing keys point at a key; a wrong value at the value itself.
        at_key = problem.code in {Code.SCH001, Code.SCH002}
        where = located.location if at_key else located.value_location
        findings.append(
            Finding(
                where(file, problem.path),
                problem.code,
                Level.ERROR,
                problem.message,
                problem.hint,
            )
        )
    return sorted(findings, key=Finding.sort_key)


def _data_path(data: Any, loc: tuple[Any, ...], error_type: str) -> KeyPath:
    """Map pydantic's error location onto keys of the data, skipping the markers it inserts.

    Pydantic puts a discriminated union's tag (``rolling``), a plain union's member
    (``int``, ``constrained-str``) or ``[key]`` into the location; none is a key of the data.
    """
    path: list[str | int] = []
    current = data
    for index, part in enumerate(loc):
        last = index == len(loc) - 1
        if (isinstance(current, dict) and part in current) or (
            isinstance(current, list) and isinstance(part, int) and part < len(current)
        ):
            path.append(part)
            current = current[part]
        elif last and error_type == "missing" and isinstance(current, dict):
            path.append(part)  # a missing key: point at it by name
    return tuple(path)


def _dotted(path: KeyPath) -> str:
    return Location("", key_path=path).dotted or "document"


def _describe(detail: ErrorDetails, path: KeyPath, model_class: type[BaseModel]) -> _Problem:
    kind = detail["type"]
    ctx: dict[str, Any] = dict(detail.get("ctx") or {})
    field = str(path[-1]) if path else "document"
    where = _dotted(path)
    if kind == "extra_forbidden":
        allowed = sorted(fields_at(model_class, path[:-1]))
        guess = close_matches(field, allowed)
        hint = (
            f"Did you mean {guess[0]!r}?" if guess else f"Allowed keys here: {', '.join(allowed)}."
        )
        return _Problem(
            path, Code.SCH001, f"unknown key {field!r} in {_dotted(path[:-1])}", hint, detail
        )
    if kind == "missing":
        return _Problem(
            path,
            Code.SCH002,
            f"{where} is required but missing",
            f"Add `{field}:` to {_dotted(path[:-1])}.",
            detail,
        )
    if kind == "union_tag_not_found":
        tag_path = (*path, _discriminator(ctx))
        tags = tags_at(model_class, path, _discriminator(ctx))
        return _Problem(
            tag_path,
            Code.SCH002,
            f"{_dotted(tag_path)} is required but missing",
            f"Add `{_discriminator(ctx)}:` with one of {', '.join(map(repr, tags))}.",
            detail,
        )
    if kind == "union_tag_invalid":
        tag_path = (*path, _discriminator(ctx))
        return _choice(tag_path, ctx.get("tag"), _quoted(ctx.get("expected_tags", "")), detail)
    if kind in {"literal_error", "enum"}:
        return _choice(path, detail["input"], _quoted(ctx.get("expected", "")), detail)
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == SLUG_PATTERN:
        return _Problem(
            path,
            Code.SCH006,
            f"{where}: {detail['input']!r} is not an identifier",
            "Use lower case letters, digits and underscores, starting with a letter.",
            detail,
        )
    return _Problem(path, Code.SCH003, f"{where}: {detail['msg']}", _type_hint(detail), detail)


def _choice(path: KeyPath, value: Any, options: list[str], detail: ErrorDetails) -> _Problem:
    guess = close_matches(str(value), options)
    listed = ", ".join(repr(option) for option in options)
    hint = f"Did you mean {guess[0]!r}? " if guess else ""
    return _Problem(
        path,
        Code.SCH004,
        f"{_dotted(path)}: {value!r} is not one of the allowed values",
        f"{hint}Use one of {listed}.",
        detail,
    )


def _discriminator(ctx: dict[str, Any]) -> str:
    return str(ctx.get("discriminator", "kind")).strip("'")


def _quoted(text: str) -> list[str]:
    """Pull the options out of pydantic's ``'a', 'b' or 'c'``."""
    return re.findall(r"'([^']*)'", text)


_TYPE_WORDS = {
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "string": "text",
    "list": "a list (`[a, b]` or one `- item` per line)",
    "dict": "a mapping of keys to values",
    "model": "a mapping of keys to values",
}


def _type_word(detail: ErrorDetails) -> str | None:
    kind = str(detail["type"])
    if kind.endswith(("_type", "_parsing")):
        head = kind.split("_")[0]
        return _TYPE_WORDS.get(head, head)
    return None


def _type_hint(detail: ErrorDetails) -> str:
    word = _type_word(detail)
    if word is not None:
        return f"Write {word} here (you wrote {detail['input']!r})."
    return "Check the value against docs/reference.md."


def _merge_alternatives(problems: list[_Problem]) -> _Problem:
    first = problems[0]
    words = list(dict.fromkeys(w for p in problems if (w := _type_word(p.detail)) is not None))
    if first.code != Code.SCH003 or len(words) < 2:
        return first
    options = ", ".join(words[:-1]) + f" or {words[-1]}"
    return _Problem(
        first.path,
        first.code,
        f"{_dotted(first.path)}: expected {options}",
        f"Write {options} here (you wrote {first.detail['input']!r}).",
        first.detail,
    )


def _period_findings(
    file: str, located: LocatedData, data: Any, path: KeyPath
) -> Iterator[Finding]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key in PERIOD_FIELDS and isinstance(value, str):
                try:
                    parse_period(value)
                except PeriodError as error:
                    yield Finding(
                        located.value_location(file, (*path, key)),
                        Code.SCH005,
                        Level.ERROR,
                        f"{_dotted((*path, key))}: {str(error).split('; write')[0]}",
                        f"Write {PERIOD_FORMS}.",
                    )
            else:
                yield from _period_findings(file, located, value, (*path, key))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from _period_findings(file, located, item, (*path, index))
