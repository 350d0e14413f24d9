"""Hypothesis strategies generated from the models themselves, field by field.

Constraints are read from each field's metadata (identifier and period types, bounds,
patterns), so a new field gets a strategy without anyone writing one.
"""

from __future__ import annotations

import types
import typing
from typing import Any, Literal, Union, get_args, get_origin

import annotated_types
from hypothesis import strategies as st
from pydantic import BaseModel

from framework.model.base import PeriodText, Slug
from framework.model.chart_kinds import CHART_KINDS, ChartKind

SLUG_CONSTRAINTS = get_args(Slug)[1]
PERIOD_CONSTRAINTS = get_args(PeriodText)[1]

slugs = st.from_regex(r"[a-z][a-z0-9_]{1,20}", fullmatch=True)
"""Valid identifiers."""

months = st.builds("{}-{:02d}".format, st.integers(2000, 2035), st.integers(1, 12))
financial_quarters = st.integers(2000, 2035).flatmap(
    lambda year: st.builds(
        "{}/{:02d}-Q{}".format, st.just(year), st.just((year + 1) % 100), st.integers(1, 4)
    )
)
calendar_quarters = st.builds("{}-Q{}".format, st.integers(2000, 2035), st.integers(1, 4))
periods = st.one_of(months, financial_quarters, calendar_quarters)
"""Valid period strings of every accepted form."""

texts = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=24)
"""Free text without control characters (which YAML cannot hold unescaped)."""


def strategy_for(model: type[BaseModel]) -> st.SearchStrategy[Any]:
    """Return a strategy building valid instances of ``model``."""
    from framework.model.sql_options import SqlTableOptions
    from tests.sql.strategies import sql_options

    if model is SqlTableOptions:
        return sql_options()  # its rules tie fields together: exactly one of each pair
    fields = {
        name: _field(info.annotation, list(info.metadata))
        for name, info in model.model_fields.items()
    }
    return st.builds(model, **fields)


def _field(annotation: Any, metadata: list[Any]) -> st.SearchStrategy[Any]:
    if annotation == ChartKind:
        return st.sampled_from(list(CHART_KINDS))  # a name is checked against the table
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        inner, *extra = get_args(annotation)
        return _field(inner, [*metadata, *extra])
    if origin is Union or isinstance(annotation, types.UnionType):
        return st.one_of(*[_field(arg, metadata) for arg in get_args(annotation)])
    if annotation is type(None):
        return st.none()
    if origin is Literal:
        return st.sampled_from(get_args(annotation))
    if origin is list:
        (item,) = get_args(annotation)
        return st.lists(_field(item, []), min_size=_bound(metadata, "min_length", 0), max_size=3)
    if origin is dict:
        _, value = get_args(annotation)
        return st.dictionaries(slugs, _field(value, []), max_size=3)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return strategy_for(annotation)
    if annotation is str:
        return _string(metadata)
    if annotation is bool:
        return st.booleans()
    if annotation is int:
        low = max(_bound(metadata, "ge", -(10**9)), _bound(metadata, "gt", -(10**9) - 1) + 1)
        high = min(_bound(metadata, "le", 10**9), _bound(metadata, "lt", 10**9 + 1) - 1)
        return st.integers(low, high)
    if annotation is float:
        return st.floats(
            min_value=_bound(metadata, "ge", None) or _bound(metadata, "gt", None),
            max_value=_bound(metadata, "le", None) or _bound(metadata, "lt", None),
            exclude_min=_has(metadata, "gt"),
            exclude_max=_has(metadata, "lt"),
            allow_nan=False,
            allow_infinity=False,
        )
    raise NotImplementedError(f"no strategy for {annotation!r}")


def _string(metadata: list[Any]) -> st.SearchStrategy[str]:
    if SLUG_CONSTRAINTS in metadata:
        return slugs
    if PERIOD_CONSTRAINTS in metadata:
        return periods
    pattern = next((item.pattern for item in metadata if getattr(item, "pattern", None)), None)
    if pattern:
        return st.from_regex(pattern, fullmatch=True)
    shortest = _bound(metadata, "min_length", 0)
    return texts.filter(lambda text: len(text.strip()) >= shortest) if shortest else texts


_KINDS = {
    "ge": annotated_types.Ge,
    "gt": annotated_types.Gt,
    "le": annotated_types.Le,
    "lt": annotated_types.Lt,
    "min_length": annotated_types.MinLen,
}


def _has(metadata: list[Any], name: str) -> bool:
    return any(isinstance(item, _KINDS[name]) for item in metadata)


def _bound(metadata: list[Any], name: str, default: Any) -> Any:
    for item in metadata:
        if isinstance(item, _KINDS[name]):
            return getattr(item, name)
    return default
