"""The aggregation a ``sql`` dataset asks of its database, built from the definition alone.

One Ibis expression: keep the records that pass the dataset's ``filters``, truncate the date
column to the month or quarter (or take the period column as written), and group by period,
area and each declared dimension, counting the records and summing each value column. It
compiles to the SQL of every backend Ibis knows (DuckDB, PostgreSQL, SQL Server, Snowflake,
BigQuery, Trino, Spark, ...); :func:`planned_sql` prints it for ``measures explain --plan``
without connecting.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from framework.model.sql_options import SqlTableOptions
from framework.sources.base import SourceError
from framework.sources.frame import MEASURE_COLUMN
from framework.sources.sql_connections import Connection, connection_for

if TYPE_CHECKING:
    from ibis.expr.types import Table

    from framework.model.dataset import Dataset

RECORDS = "records"
"""The result column counting the records of each group."""
DEFAULT_DIALECT = "duckdb"
"""The dialect a plan is shown in when the connection cannot be found."""


def ibis_module() -> Any:
    """Return the ``ibis`` module, or raise :class:`SourceError` saying which extra to install."""
    try:
        import ibis
    except ImportError as error:  # the [sql] extra is not installed
        raise SourceError(
            "sql",
            f"the sql adapter needs Ibis, which is not installed ({error})",
            "Install it with `pip install police-measures[sql]` (and [postgres] or [mssql] "
            "for a server's driver).",
        ) from error
    return ibis


def options_of(dataset: Dataset) -> SqlTableOptions:
    """Return the dataset's sql options; raise :class:`SourceError` for another kind."""
    options = dataset.adapter
    if not isinstance(options, SqlTableOptions):
        raise SourceError(dataset.path, "the sql reader needs sql options")
    return options


def source_name(options: SqlTableOptions) -> str:
    """Name the table (or say it is a query), as provenance shows it."""
    return options.table if options.table is not None else "query"


def value_columns(options: SqlTableOptions) -> list[str]:
    """Return the columns summed: ``value_columns``, or ``value_column``, or none (count)."""
    if options.value_columns:
        return list(options.value_columns)
    return [options.value_column] if options.value_column else []


def dimension_sources(dataset: Dataset) -> dict[str, str]:
    """Map each declared dimension (but ``measure_column``) to its source column."""
    source_of = {target: source for source, target in dataset.columns.items()}
    return {
        name: source_of.get(name, name) for name in dataset.dimensions if name != MEASURE_COLUMN
    }


def needed_columns(dataset: Dataset) -> list[str]:
    """Return every source column the query reads, each once."""
    options = options_of(dataset)
    period = options.date_column or options.period_column
    assert period is not None
    return list(
        dict.fromkeys(
            [
                period,
                options.area_column,
                *dimension_sources(dataset).values(),
                *value_columns(options),
                *options.filters,
            ]
        )
    )


def aggregate(table: Table, dataset: Dataset) -> Table:
    """Return the aggregation the database runs: filter, truncate, group, count and sum."""
    options = options_of(dataset)
    kept = table
    if options.filters:
        kept = kept.filter(
            *[kept[column].isin(list(values)) for column, values in options.filters.items()]
        )
    if options.date_column is not None:
        unit = "M" if dataset.grain == "month" else "Q"
        period = kept[options.date_column].truncate(unit)
    else:
        assert options.period_column is not None
        period = kept[options.period_column]
    keys = [
        period.name("period"),
        kept[options.area_column].name("area"),
        *[kept[source].name(name) for name, source in dimension_sources(dataset).items()],
    ]
    metrics: dict[str, Any] = {RECORDS: kept.count()}
    for index, column in enumerate(value_columns(options)):
        metrics[f"sum_{index}"] = kept[column].sum()
        metrics[f"present_{index}"] = kept[column].count()
    return kept.group_by(keys).aggregate(**metrics).order_by([key.get_name() for key in keys])


def dialect_of(backend: str) -> str:
    """Return the SQL dialect name of an Ibis backend."""
    return {"postgres": "postgres", "mssql": "mssql"}.get(backend, backend)


def planned_sql(dataset: Dataset, connections_file: Path, root: Path) -> tuple[str, str]:
    """Return the dialect and the SQL a read would send, from the definition alone.

    No connection is made. When the connection cannot be found the SQL is shown in
    DuckDB's dialect and the first element says why.
    """
    options = options_of(dataset)
    try:
        connection: Connection | None = connection_for(
            options, connections_file, root, secrets=False
        )
    except SourceError as error:
        connection, why = None, f"{DEFAULT_DIALECT} (connection not found: {error.detail})"
    backend = connection.backend if connection else DEFAULT_DIALECT
    text = sql_for(dataset, backend)
    label = connection.label if connection else why
    return label, text


def sql_for(dataset: Dataset, backend: str) -> str:
    """Return the aggregation's SQL in a backend's dialect, from the definition alone.

    A query source is a common table expression named ``source``; the reader sends this
    very text for it, since asking a database for a query's columns needs more than reading.
    """
    ibis = ibis_module()
    options = options_of(dataset)
    schema = _assumed_schema(dataset)
    if options.table is not None:
        name, database = split_table(options.table)
        table = ibis.table(schema, name=name, database=database)
        return str(ibis.to_sql(aggregate(table, dataset), dialect=dialect_of(backend)))
    table = ibis.table(schema, name="source")
    body = str(ibis.to_sql(aggregate(table, dataset), dialect=dialect_of(backend)))
    return f"WITH source AS (\n{options.query}\n)\n{body}"


def _assumed_schema(dataset: Dataset) -> dict[str, str]:
    """Column types for a plan made without the database: dates, text and numbers."""
    options = options_of(dataset)
    schema = dict.fromkeys(needed_columns(dataset), "string")
    if options.date_column is not None:
        schema[options.date_column] = "timestamp"
    for column in value_columns(options):
        schema[column] = "float64"
    return schema


def split_table(table: str) -> tuple[str, str | tuple[str, str] | None]:
    """Split ``catalog.schema.name`` into the name and the database Ibis expects."""
    parts = table.split(".")
    if len(parts) == 1:
        return parts[0], None
    if len(parts) == 2:
        return parts[1], parts[0]
    return parts[2], (parts[0], parts[1])


def plan_text(dataset: Dataset, root: Path, path_override: str | None = None) -> str:
    """Return what ``measures explain --plan`` shows of a sql dataset: the SQL it sends."""
    from framework.sources.files import resolve_inside

    try:
        connections = resolve_inside(root, path_override or dataset.path)
        label, text = planned_sql(dataset, connections, root)
    except SourceError as error:
        return f"SQL: cannot be shown: {error.detail}"
    lines = [
        f"SQL sent to {label}; the database returns one row per period, area"
        + "".join(f", {name}" for name in dimension_sources(dataset))
        + ", never the records:",
        *(f"    {line}" for line in text.splitlines()),
    ]
    return "\n".join(lines)
