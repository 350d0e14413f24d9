"""A dataset in the registry: where a table is, how to read it, and where it came from."""

from __future__ import annotations

from typing import Annotated, Literal

from annotated_types import MinLen
from pydantic import ConfigDict, Field

from framework.model.adapters import AdapterOptions
from framework.model.base import Definition, PeriodText, Slug

Grain = Literal["month", "quarter"]
Covers = Literal["force_only", "all_forces"] | Annotated[list[str], MinLen(1)]
"""Which forces a dataset holds: the running force only, all 43, or the listed areas."""


class Provenance(Definition):
    """Who published a table, under what licence, and how the bundled copy was made."""

    publisher: str
    title: str
    licence: str = "Open Government Licence v3.0"
    url: str | None = None
    retrieved: str | None = None
    notes: str | None = None
    """How the copy here differs from the published file, if at all."""


class DataCaveat(Definition):
    """A dated caveat on some areas' figures, e.g. a one-off event or a revision by a force.

    It reaches every statement whose figures, or whose comparators (England and Wales, the
    region, the most similar group), include one of its areas in a window that overlaps it.
    """

    # YAML says ``from``, a Python keyword: the field is ``from_`` and answers to both names.
    model_config = ConfigDict(populate_by_name=True)

    areas: list[str] = Field(min_length=1, examples=[["South Yorkshire"]])
    """Police force areas (names or ONS codes) whose figures it concerns."""
    from_: PeriodText = Field(alias="from", examples=["2016-04"])
    """First month (or period) the caveat concerns."""
    to: PeriodText = Field(examples=["2017-03"])
    """Last month (or period) the caveat concerns."""
    text: str = Field(min_length=1)
    """The caveat as a reader sees it, one or two sentences."""
    filters: dict[str, list[str | int | float | bool]] = Field(
        default_factory=dict, examples=[{"offence_subgroup": ["Homicide"]}]
    )
    """The rows it concerns, when not all: a measure whose own filters on one of these
    dimensions keep none of the values listed is not affected."""


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
    covers: Covers | None = None
    """Which forces the data report for: ``force_only`` (a force's own extract), ``all_forces``,
    or a list of force names or ONS codes; when omitted, the forces that have any row. A
    comparator (England and Wales, region, MSG, a named group) is computed only when every
    member is covered and has a figure for the window; otherwise it is empty with the reason."""
    synthetic: bool = False
    """True for data generated for the demo; every output that uses it is labelled synthetic."""
    force_held: bool = False
    """True for a table each force supplies from its own systems: ``path`` is then relative to
    the force's catalogue folder, and a force that has not supplied it yet is told so, not
    failed."""
    population_estimate: Literal["window", "publishing_edition"] = "window"
    """Which mid-year population estimate a rate per 100,000 divides by.

    ``window`` (the default, for figures the engine computes): the estimate dated inside the
    window, i.e. the latest at or before its last month (30 June 2019 for the 12 months to
    June 2019), else the earliest after. ``publishing_edition`` (for figures taken from a
    publication in editions, the ONS tables): the estimate the edition that published the
    figure used for its own rates, for the edition's year and the year before; older windows
    of a time series fall back to ``window``. See docs/population.md.
    """
    latest_period: PeriodText | None = Field(default=None, examples=["2023-06", "2023/24-Q1"])
    """The last period the files reach, as released (the month, or the quarter, of the
    latest row). When a source cannot be read, the statement's default quarter is judged
    with this in place of its rows, never from the other sources alone; ``validate --data``
    checks it against the rows (DAT015)."""
    key: list[str] | None = Field(default=None, examples=[["offence_code"]])
    """Dimensions that, with the period and the area, identify a row; when omitted, every
    dimension. Two rows of one key are a duplicate (see ``duplicates``)."""
    duplicates: Literal["finding", "sum"] | None = None
    """What two rows with the same period, area and key mean. ``finding``: a mistake in the
    source; the later row is left out and listed with both lines (file and line), which is a
    finding unless ``max_excluded_rows`` allows it. ``sum``: distinct events to add up. When
    omitted: ``sum`` for record-level data (police.uk street crimes; a tidy or sql table
    without a value column, where each row is one event), else ``finding``."""
    negative_values: Literal["exclude", "keep"] | None = None
    """Whether a negative count can be right. ``exclude`` leaves such rows out with the
    reason; ``keep`` uses them. When omitted: ``keep`` for the Home Office tables (whose
    negative counts are adjustments), else ``exclude``."""
    max_excluded_rows: int = Field(default=0, ge=0)
    """Rows the reader may leave out unexpectedly before that is a finding (RUN011, DAT004).

    Rows left out by design do not count: bodies the reference list of areas declares not
    to be police force areas (British Transport Police, Action Fraud, ...) and police.uk
    anti-social behaviour incidents. Every other exclusion (an unknown area name, a date or
    number that cannot be read) counts; raise this only for rows known to be unusable.
    """
    provenance: Provenance
    caveats: list[DataCaveat] = Field(default_factory=list)
    """Dated, area-specific caveats on the source's figures."""
