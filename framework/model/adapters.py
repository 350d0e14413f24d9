"""Options of each source adapter, one model per adapter kind.

They live here, free of pandas, so that validating a catalogue never imports the readers;
the reader for each kind is in :mod:`framework.sources`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from framework.model.base import Definition


class HomeOfficeOpenDataOptions(Definition):
    """The Home Office police recorded crime open data table by force and financial quarter."""

    kind: Literal["home_office_prc"] = "home_office_prc"


class OnsPfaTableOptions(Definition):
    """One table of the ONS Police Force Area workbooks: each edition covers 12 months."""

    kind: Literal["ons_pfa_table"] = "ons_pfa_table"
    table: str = Field(examples=["Table P1", "Table P4"])
    """Sheet name of the table, matched with surrounding spaces ignored."""
    value_header: str = Field(examples=["Homicide", "Number of offences involving a knife"])
    """Header text of the value column, matched case-insensitively with footnote markers removed."""
    offence: str | None = None
    """For tables with one column group per offence (Table P4), the group heading to read."""
    extra_value_headers: list[str] = Field(
        default_factory=list, examples=[["Homicide", "Violence with injury", "Robbery"]]
    )
    """Further value columns read beside ``value_header``, matched the same way.

    Each (area, value column) pair is one row, and the ``measure_column`` dimension names its
    column as written here, so one dataset can carry several columns of a table.
    """
    editions: dict[str, str] = Field(
        default_factory=dict, examples=[{"pfatablesdec19.xlsx": "2019-12"}]
    )
    """Edition end month (``YYYY-MM``) by workbook file name.

    Only needed when a workbook's title does not say "year ending <Month> <Year>"; when it
    does, the title is used and this is checked against it.
    """


class PoliceUkStreetOptions(Definition):
    """Monthly police.uk street-level files (the standard 12 columns), one per force and month."""

    kind: Literal["police_uk_street"] = "police_uk_street"
    pattern: str = "*-street.csv"
    """Glob of the monthly files inside the dataset's folder; gzipped copies (``.gz``) match too.

    It is matched below the folder only: a pattern with ``..`` segments or an absolute one is
    a validation finding (RUL010) and is refused when the data are read.
    """
    include_asb: bool = False
    """Anti-social behaviour rows carry no Crime ID; they are excluded unless this is true."""
    aggregate: bool = False
    """Count records instead of listing them, for national data over several years.

    By default every record is a row (value 1, its own line as ``source_row``): each crime
    can be traced to its line, but memory grows with the records read (a national year is
    ~6.5 million rows). With ``aggregate: true`` each file is counted as it is read: one row
    per file, month, force and value of each declared dimension, ``value`` the number of
    records and ``source_row`` the first of them. Memory then grows with the counts (a few
    thousand rows a year by crime type), not the records, and sums over the rows (every
    count measure) are unchanged; rows read, used and excluded, and the example lines of
    each exclusion, are the same as record by record, but ``rows_used`` counts records, so
    it is the sum of ``value``, not the number of rows.
    Declare only the dimensions the measures need: each one splits the counts further
    (``lsoa_code`` leaves little to count together).
    """


class TidyTableOptions(Definition):
    """A tidy table (CSV, Parquet or Excel) held by the force: a row per period, area, category."""

    kind: Literal["tidy"] = "tidy"
    format: Literal["csv", "parquet", "excel"] = "csv"
    sheet: str | None = None
    """For Excel, the sheet to read (the first when omitted)."""
    period_column: str = "period"
    """Column holding the period as ``YYYY-MM`` (a month) or a quarter string."""
    area_column: str = "area"
    """Column holding the force name or ONS code."""
    value_column: str | None = None
    """Column of counts; when omitted every row counts as one (record-level data)."""
    value_columns: list[str] = Field(default_factory=list, examples=[["victims", "advised"]])
    """Several count columns instead of ``value_column``: each source row gives one row per
    column, with the column's name in the ``measure_column`` dimension."""


class PopulationTableOptions(Definition):
    """A population table by area: ONS code, name and one column per mid-year estimate."""

    kind: Literal["population"] = "population"
    code_column: str = "code"
    name_column: str = "name"
    estimates: dict[str, int] = Field(examples=[{"MYE2018": 2018}])
    """Population columns and the mid-year each estimates."""


AdapterOptions = Annotated[
    HomeOfficeOpenDataOptions
    | OnsPfaTableOptions
    | PoliceUkStreetOptions
    | TidyTableOptions
    | PopulationTableOptions,
    Field(discriminator="kind"),
]
"""The options of any adapter, told apart by ``kind``."""
