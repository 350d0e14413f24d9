"""Follow a key path of a document through the models, for hints about what is allowed there."""

from __future__ import annotations

import types
import typing
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from framework.loading.located_yaml import KeyPath


def models_at(model_class: type[BaseModel], path: KeyPath) -> list[type[BaseModel]]:
    """Return the models a mapping at ``path`` may be, following fields, lists and unions.

    List indexes and mapping keys of ``dict`` fields are looked through, so
    ``measure.caveats[0]`` gives :class:`~framework.model.measure.Caveat`.
    """
    candidates: list[Any] = [model_class]
    for part in path:
        if isinstance(part, int):
            continue  # the item type was reached when the list field was followed
        following: list[Any] = []
        for member in _members(candidates):
            if isinstance(member, type) and issubclass(member, BaseModel):
                info = member.model_fields.get(part)
                if info is not None:
                    following.extend(_items(info.annotation))
        candidates = following
    return [m for m in _members(candidates) if isinstance(m, type) and issubclass(m, BaseModel)]


def fields_at(model_class: type[BaseModel], path: KeyPath) -> set[str]:
    """Return the keys allowed in the mapping at ``path``."""
    return {name for model in models_at(model_class, path) for name in model.model_fields}


def tags_at(model_class: type[BaseModel], path: KeyPath, discriminator: str) -> list[str]:
    """Return the values ``discriminator`` may take in the tagged union at ``path``."""
    tags: list[str] = []
    for model in models_at(model_class, path):
        info = model.model_fields.get(discriminator)
        if info is not None and get_origin(info.annotation) is Literal:
            tags.extend(str(arg) for arg in get_args(info.annotation))
    return tags


def _members(candidates: list[Any]) -> list[Any]:
    return [leaf for candidate in candidates for leaf in unwrap(candidate)]


def _items(annotation: Any) -> list[Any]:
    """Look through ``list[...]`` and ``dict[..., ...]`` to the item type."""
    out: list[Any] = []
    for member in unwrap(annotation):
        origin = get_origin(member)
        if origin in (list, tuple, set, frozenset):
            out.extend(get_args(member)[:1])
        elif origin is dict:
            out.extend(get_args(member)[1:2])
        else:
            out.append(member)
    return out


def unwrap(annotation: Any) -> list[Any]:
    """Return the members of a union (through ``Annotated``), or the annotation alone."""
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        return unwrap(get_args(annotation)[0])
    if origin is Union or isinstance(annotation, types.UnionType):
        return [leaf for arg in get_args(annotation) for leaf in unwrap(arg)]
    return [annotation]
