"""Options of each source adapter, one model per adapter kind.

They live here, free of pandas, so that validating a catalogue never imports the readers;
the reader for each kind is in the table of :mod:`framework.sources.adapters`. A format this
package does not ship adds its options model with
:func:`framework.sources.adapters.register_adapter`, which calls :func:`add_adapter_options`.
"""

from __future__ import annotations

import functools
import operator
from typing import Annotated, Any, Literal, get_args

from pydantic import Field, GetCoreSchemaHandler
from pydantic_core import core_schema

from framework.model.base import Definition
from framework.model.sql_options import SqlTableOptions


class HomeOfficeOpenDataOptions(Definition):
    """The Home Office police recorded crime open data table by force and financial quarter."""

    kind: Literal["home_office_prc"] = "home_office_prc"


class OnsPfaTableOptions(Definition):
    """One table of the ONS Police Force Area workbooks, found in each edition by its title."""

    kind: Literal["ons_pfa_table"] = "ons_pfa_table"
    table: Literal[
        "offences_by_group",
        "population",
        "knife_selected_offences",
        "firearms",
        "fraud_computer_misuse",
    ] = Field(examples=["knife_selected_offences", "firearms"])
    """What the table holds; its number changes between editions, so it is found by title.

    ``offences_by_group``: police recorded crime by offence group, number of offences (the
    edition's year, and the previous year where an edition repeats it revised);
    ``population``: the mid-year population column beside the rates of offences;
    ``knife_selected_offences``: offences involving a knife or sharp instrument, total of the
    selected offences, every 12-month window the edition gives; ``firearms``: firearm offences
    (excluding air weapons), every 12-month window; ``fraud_computer_misuse``: fraud and
    computer misuse offences referred by Action Fraud. See docs/ons-tables.md.
    """
    value_header: str | None = Field(
        default=None, examples=["Homicide", "Total recorded crime (excluding fraud)"]
    )
    """For ``offences_by_group``: the header of the value column, matched case-insensitively
    with footnote markers removed. The other tables know their own columns."""
    extra_value_headers: list[str] = Field(
        default_factory=list, examples=[["Homicide", "Violence with injury", "Robbery"]]
    )
    """Further value columns read beside ``value_header``, matched the same way.

    Each (area, value column) pair is one row, and the ``measure_column`` dimension names its
    column as written here, so one dataset can carry several columns of a table.
    """
    first_edition: str | None = Field(default=None, examples=["2021-03"])
    """Editions ending before this month (``YYYY-MM``) do not publish the table: they are
    skipped with a note. In any later edition a table that cannot be found is a finding."""
    editions: dict[str, str] = Field(
        default_factory=dict, examples=[{"pfatablesdec19.xlsx": "2019-12"}]
    )
    """Edition end month (``YYYY-MM``) by workbook file name.

    Only needed when a workbook does not say "year ending <Month> <Year>" on its cover,
    Notes or first table; when it does, that is used and this is checked against it.
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


REGISTERED: list[type[Definition]] = []
"""Options models added by :func:`add_adapter_options`, after the built-in ones."""


class _WithRegistered:
    """Let the union of built-in options take the registered ones too when a schema is made."""

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        members = (*get_args(source), *REGISTERED)
        return handler(functools.reduce(operator.or_, members))


AdapterOptions = Annotated[
    HomeOfficeOpenDataOptions
    | OnsPfaTableOptions
    | PoliceUkStreetOptions
    | TidyTableOptions
    | PopulationTableOptions
    | SqlTableOptions,
    _WithRegistered,
    Field(discriminator="kind"),
]
"""The options of any adapter, told apart by ``kind``."""


def option_kinds() -> tuple[str, ...]:
    """Return the ``kind`` of every options model, built-in and registered."""
    models = (*get_args(get_args(AdapterOptions)[0]), *REGISTERED)
    return tuple(str(model.model_fields["kind"].default) for model in models)


def add_adapter_options(model: type[Definition]) -> None:
    """Accept ``model`` as the options of its ``kind`` wherever a dataset names its adapter."""
    kind = model.model_fields["kind"].default if "kind" in model.model_fields else None
    if not isinstance(kind, str):
        raise ValueError(f"{model.__name__} needs a `kind` field with a literal default")
    if kind in option_kinds():
        raise ValueError(f"adapter kind {kind!r} already has an options model")
    REGISTERED.append(model)
    _rebuild()


def remove_adapter_options(model: type[Definition]) -> None:
    """Stop accepting an options model added by :func:`add_adapter_options`."""
    if model not in REGISTERED:
        raise ValueError(f"{model.__name__} was not added with add_adapter_options")
    REGISTERED.remove(model)
    _rebuild()


def _rebuild() -> None:
    # The models holding the union keep a validator made when they were defined: make them
    # again (the dataset before the file that holds it) so they see the changed union.
    from framework.model.dataset import Dataset
    from framework.model.documents import DatasetFile

    Dataset.model_rebuild(force=True)
    DatasetFile.model_rebuild(force=True)
