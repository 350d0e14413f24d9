"""The root file of a force's catalogue: what it builds on, and what it changes there."""

from __future__ import annotations

from pydantic import Field

from framework.model.base import Definition, Slug


class SwitchedOff(Definition):
    """A base measure the force does not report, and why."""

    measure: Slug
    """Id of the measure of the base catalogue to leave out."""
    reason: str = Field(min_length=3)
    """Why the force does not report it; the statement's completeness section shows it."""


class CatalogueRoot(Definition):
    """A force catalogue: its own definitions, datasets, commentary and data on a base catalogue.

    The folder holding this file (``catalogue.yaml``) is the force's layer. Its
    ``definitions/``, ``datasets/``, ``forces/``, ``spc/``, ``commentary/`` and ``data/`` add to
    the base; an id already in the base is a finding unless ``replaces`` lists it.
    """

    extends: str = "national"
    """The base catalogue: ``national`` (the one installed with the package), a folder
    relative to this file, or ``none`` for a catalogue that stands alone."""
    force: Slug | None = None
    """Id of the force profile commands use when none is named."""
    replaces: list[Slug] = Field(default_factory=list)
    """Ids of base measures, datasets or SPC profiles this folder replaces with its own file."""
    switched_off: list[SwitchedOff] = Field(default_factory=list)
    """Base measures the force does not report, each with its reason."""
