"""The input contract of the report renderers: one quarterly statement, as plain frozen data.

Everything here is already worked out and formatted: the renderers only lay it out. Numbers
arrive as text (``"1,234"``, ``"-5.2%"``) because how to format a figure belongs to the
measure, not to the page. Nothing here knows of YAML files or source formats.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

Status = Literal["improving", "worsening", "no significant change", "not comparable", "no data"]
"""Direction-aware: ``improving`` means better for the public, whichever way the figure moved."""

MeasureKind = Literal["national", "proxy"]
NoticeKind = Literal["synthetic", "illustrative", "information"]
OfficeKind = Literal["pcc", "pfcc", "mayor", "police_authority"]

STATUSES: tuple[Status, ...] = (
    "improving",
    "worsening",
    "no significant change",
    "not comparable",
    "no data",
)

# Stems become file names and ids become URL fragments: one safe shape keeps both trivial.
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")


def month_label(month: date) -> str:
    """Return a month as the statement writes it, e.g. ``March 2022``."""
    return month.strftime("%B %Y")


def long_date(day: date) -> str:
    """Return a date as the statement writes it, e.g. ``1 April 2022``."""
    return f"{day.day} {day.strftime('%B %Y')}"


def span_label(first: date, last: date) -> str:
    """Return a run of months as prose: ``January to March 2022`` or ``April 2019 to May 2020``."""
    if (first.year, first.month) == (last.year, last.month):
        return month_label(first)
    if first.year == last.year:
        return f"{first.strftime('%B')} to {month_label(last)}"
    return f"{month_label(first)} to {month_label(last)}"


def _month_index(month: date) -> int:
    return month.year * 12 + month.month - 1


@dataclass(frozen=True)
class Period:
    """The reporting period of a statement: its label and the calendar months it covers."""

    label: str
    """As the Home Office names it, e.g. ``2021/22 Q4``."""
    months: tuple[date, ...]
    """The months covered, in order; only the year and month of each date count."""

    def __post_init__(self) -> None:
        if not self.months:
            raise ValueError("a period covers at least one month")
        indices = [_month_index(m) for m in self.months]
        if indices != sorted(set(indices)):
            raise ValueError("the months of a period must be distinct and in order")

    @property
    def first(self) -> date:
        """Return the first month of the period."""
        return self.months[0]

    @property
    def last(self) -> date:
        """Return the last month of the period."""
        return self.months[-1]

    @property
    def months_label(self) -> str:
        """Return the months covered as prose, e.g. ``January to March 2022``."""
        return span_label(self.first, self.last)


@dataclass(frozen=True)
class Notice:
    """A banner shown at the top of the statement, e.g. that it contains synthetic data."""

    kind: NoticeKind
    text: str


@dataclass(frozen=True)
class Comparator:
    """One comparison shown beside the headline, e.g. ``England and Wales``: ``77 per 100,000``."""

    label: str
    value: str


@dataclass(frozen=True)
class Headline:
    """The latest figure of a measure, with its baseline, comparators and status."""

    value: str
    """The figure as text, already formatted, e.g. ``1,234`` or ``75``."""
    unit: str
    """What the figure counts, e.g. ``offences`` or ``%``."""
    window: str
    """The window the figure covers, e.g. ``12 months to March 2022``."""
    status: Status
    data_from: date | None = None
    """First month the data behind the figure covers (year and month count)."""
    data_to: date | None = None
    """Last month the data covers; before the statement's period, the headline is stale."""
    baseline_label: str | None = None
    """E.g. ``12 months to June 2019``."""
    baseline_value: str | None = None
    change: str | None = None
    """Change from the baseline, signed, as text, e.g. ``-304``."""
    change_pct: str | None = None
    """Change from the baseline in per cent, signed, as text, e.g. ``-5.2%``."""
    rate_per_100k: str | None = None
    """The rate as text, with the population estimate it divides by, e.g. ``49.7 (mid-2020
    population estimate)``."""
    baseline_rate_per_100k: str | None = None
    """The baseline's rate, on the baseline's own population estimate."""
    comparators: tuple[Comparator, ...] = ()
    """England and Wales, the region, the most similar group average and rank, in that order."""
    status_detail: str | None = None
    """Why the status is what it is, e.g. ``Below the lower process limit for 3 months``."""
    stale_note: str | None = None
    """Why the figure does not describe the statement's period, when its data end before it;
    the renderers lead it with a bold "Out of date."."""

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")
        if self.data_from and self.data_to and self.data_from > self.data_to:
            raise ValueError("data_from is after data_to")


@dataclass(frozen=True)
class NationalMeasure:
    """The national measure a section reports, or stands in for when it is a proxy."""

    name: str
    available: bool
    """Whether the force can report it: False when another body holds the data."""
    supplier: str | None = None
    """Who holds the data, e.g. ``NHS Digital`` or ``Office for National Statistics``."""
    reason: str | None = None
    """Why it is not available to the police, in a sentence."""


@dataclass(frozen=True)
class ChartTable:
    """The values a chart draws, as a table for screen readers and for copying.

    Every cell is text, already formatted; the first cell of each row heads the row.
    """

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...] = ()
    """Values drawn across the whole chart, e.g. ``Warwickshire average: 3.2``."""

    def __post_init__(self) -> None:
        if any(len(row) != len(self.columns) for row in self.rows):
            raise ValueError("every row of a chart table has one cell per column")


@dataclass(frozen=True)
class ChartRef:
    """One chart of a measure: its Vega-Lite spec, an optional SVG and the file name stem."""

    kind: str
    """What the chart shows, e.g. ``trend``, ``spc`` or ``comparator``."""
    title: str
    spec: Mapping[str, Any]
    """A complete Vega-Lite spec with inline data, JSON-serialisable."""
    stem: str
    """File name stem, unique in the statement: the spec is written as ``<stem>.vl.json``."""
    svg: str | None = None
    """The chart already rendered to SVG, shown when the page cannot run the chart."""
    description: str = ""
    """Alternative text for readers who cannot see the chart; defaults to the title."""
    table: ChartTable | None = None
    """The values the chart draws, shown as a collapsible table beside it."""

    def __post_init__(self) -> None:
        if not _SAFE_NAME.fullmatch(self.stem) or ".." in self.stem:
            raise ValueError(f"chart stem {self.stem!r} is not a plain file name stem")

    @property
    def alt(self) -> str:
        """Return the text that stands for the chart for screen readers."""
        return self.description or self.title


@dataclass(frozen=True)
class SourceFile:
    """A source file behind a measure, named relative to the project, with its SHA-256."""

    name: str
    sha256: str


@dataclass(frozen=True)
class Provenance:
    """Where a measure's figures come from, for the footnote of its section."""

    definition: str
    """The definition file, relative to the project, e.g. ``measures/definitions/homicide.yaml``."""
    dataset: str
    sources: tuple[SourceFile, ...] = ()
    rows: int | None = None
    """How many source rows the figures were computed from."""
    edition: str | None = None
    """For a source published in editions: the edition and file the latest figure is from."""


@dataclass(frozen=True)
class MeasureSection:
    """One measure of a priority: headline, charts, caveats, commentary and provenance."""

    id: str
    title: str
    kind: MeasureKind
    provenance: Provenance
    national: NationalMeasure | None = None
    """For a national measure, its own availability; for a proxy, the measure it stands in for."""
    headline: Headline | None = None
    """None when there is no figure at all to show."""
    charts: tuple[ChartRef, ...] = ()
    caveats: tuple[str, ...] = ()
    comparison_notes: tuple[str, ...] = ()
    """Caveats on the comparators shown beside the headline, e.g. an event in an MSG force."""
    force_commentary: str | None = None
    """Markdown from the force; rendered safely (no raw HTML, only http(s) and mailto links)."""
    pcc_commentary: str | None = None
    """Markdown from the PCC's office, rendered like the force's."""
    synthetic: bool = False
    """True when any figure of the measure comes from synthetic (made-up) data."""

    def __post_init__(self) -> None:
        if not _SAFE_NAME.fullmatch(self.id):
            raise ValueError(f"measure id {self.id!r} is not a plain identifier")
        if self.kind not in ("national", "proxy"):
            raise ValueError(f"unknown measure kind {self.kind!r}")

    @property
    def status(self) -> Status:
        """Return the headline's status, or ``no data`` when there is no headline."""
        return self.headline.status if self.headline else "no data"


@dataclass(frozen=True)
class PrioritySection:
    """One of the six national priorities, with its measures in statement order."""

    title: str
    order: int
    measures: tuple[MeasureSection, ...] = ()
    not_applicable: str | None = None
    """Why the force reports no measure for this priority, when it does not."""
    force_commentary: str | None = None
    """Markdown commentary on the priority as a whole, as real statements often give it."""
    pcc_commentary: str | None = None


@dataclass(frozen=True)
class CoverageGap:
    """A priority the statement does not cover, and why."""

    priority: str
    reason: str


@dataclass(frozen=True)
class SwitchedOff:
    """A national measure the force does not report, and the reason its catalogue gives."""

    measure: str
    reason: str


@dataclass(frozen=True)
class Completeness:
    """Whether every priority is covered by at least one measure; the gaps when not."""

    gaps: tuple[CoverageGap, ...] = ()
    switched_off: tuple[SwitchedOff, ...] = ()
    """National measures the force does not report, each with the reason it gives."""

    @property
    def complete(self) -> bool:
        """Return True when no priority is left uncovered."""
        return not self.gaps


@dataclass(frozen=True)
class Statement:
    """A force's quarterly statement against the National Crime and Policing Measures."""

    force: str
    """The force's name, e.g. ``Warwickshire``."""
    pcc_office: str
    """E.g. ``Office of the Police and Crime Commissioner for Warwickshire``."""
    period: Period
    generated_on: date
    framework_version: str
    priorities: tuple[PrioritySection, ...]
    completeness: Completeness
    notices: tuple[Notice, ...] = ()
    introduction: str | None = None
    """Markdown from the PCC's office that opens the statement."""
    office_kind: OfficeKind = "pcc"
    """Who oversees the force (``pcc``, ``pfcc`` or ``mayor``); commentary headings follow it."""
    title: str = "National Crime and Policing Measures: quarterly statement"

    def __post_init__(self) -> None:
        orders = [p.order for p in self.priorities]
        if orders != sorted(orders):
            raise ValueError("priorities must be given in their order")
        ids = [m.id for m in self.measures]
        if len(ids) != len(set(ids)):
            raise ValueError("measure ids must be unique in a statement")
        stems = [c.stem for m in self.measures for c in m.charts]
        if len({s.lower() for s in stems}) != len(stems):
            # Lower-cased: the files must not collide on case-insensitive file systems either.
            raise ValueError("chart stems must be unique in a statement")

    @property
    def measures(self) -> tuple[MeasureSection, ...]:
        """Return every measure of the statement, priority by priority."""
        return tuple(m for p in self.priorities for m in p.measures)

    @property
    def charts(self) -> tuple[ChartRef, ...]:
        """Return every chart of the statement, in page order."""
        return tuple(c for m in self.measures for c in m.charts)

    @property
    def synthetic(self) -> bool:
        """Return True when any measure of the statement uses synthetic data."""
        return any(m.synthetic for m in self.measures)
