"""The six national priorities, as data."""

from __future__ import annotations

from pydantic import Field

from framework.model.base import Definition, Slug


class Priority(Definition):
    """One National Crime and Policing priority and the national measures that serve it."""

    id: Slug
    title: str
    order: int = Field(ge=1)
    """Position in the statement."""
    national_measures: list[Slug] = Field(default_factory=list)
    """Ids of the national measures of this priority."""
    not_applicable: str | None = None
    """Why the priority has no measure; required when ``national_measures`` is empty."""


class Priorities(Definition):
    """The list of national priorities a statement covers."""

    items: list[Priority]
