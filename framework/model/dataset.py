"""A dataset in the registry: where a table is, how to read it, and where it came from."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from framework.model.adapters import AdapterOptions
from framework.model.base import Definition, Slug

Grain = Literal["month", "quarter"]


class Provenance(Definition):
    """Who published a table, under what licence, and how the bundled copy was made."""

    publisher: str
    title: str
    licence: str = "Open Government Licence v3.0"
    url: str | None = None
    retrieved: str | None = None
    notes: str | None = None
    """How the copy here differs from the published file, if at all."""


class Dataset(Definition):
    """A table the engine can read, with its adapter, grain, dimensions and provenance."""

    id: Slug
    title: str
    adapter: AdapterOptions
    path: str
    """File or folder, relative to the catalogue root; it may not point outside the catalogue."""
    grain: Grain
    """The period of one row: a month or a quarter."""
    covers_months: int | None = Field(default=None, ge=1, le=36)
    """Months each value already covers, when the publisher gives rolling totals (ONS: 12)."""
    dimensions: list[str] = Field(default_factory=list)
    """Columns a measure may filter or break down on."""
    columns: dict[str, str] = Field(default_factory=dict)
    """Rename source columns to dimension names: ``{source name: dimension}``."""
    complete: bool = False
    """True when an absent period means zero (the source lists every event): gaps are zero."""
    synthetic: bool = False
    """True for data generated for the demo; every output that uses it is labelled synthetic."""
    max_excluded_rows: int = Field(default=0, ge=0)
    """Rows the reader may leave out unexpectedly before that is a finding (RUN011, DAT004).

    Rows left out by design do not count: bodies the reference list of areas declares not
    to be police force areas (British Transport Police, Action Fraud, ...) and police.uk
    anti-social behaviour incidents. Every other exclusion (an unknown area name, a date or
    number that cannot be read) counts; raise this only for rows known to be unusable.
    """
    provenance: Provenance
