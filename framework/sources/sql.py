"""Read a table or query in a database, with the filters, periods and totals computed there.

The reader builds one Ibis expression from the dataset: keep the records that pass the
dataset's ``filters``, truncate the date column to the month or quarter (or take the period
column as written), and group by period, area and each declared dimension, counting the
records and summing each value column. The database runs it and returns one row per group,
never the records, so memory grows with the number of groups, not the table.

The same expression compiles to the SQL of every backend Ibis knows (DuckDB, PostgreSQL,
SQL Server, Snowflake, BigQuery, Trino, Spark, ...): :func:`planned_sql` prints it from the
definition alone for ``measures explain --plan``; :meth:`SqlAdapter.read` sends it and
records its text, SHA-256, the rows returned and when, in the read's notes and provenance.

Rows are accounted as in the other readers, counted in records: records whose period or area
is empty or unknown, or whose value is empty, are excluded with that reason; each frame row's
``source_row`` is its row number in the query's result.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from framework.model.sql_options import SqlTableOptions
from framework.periods import month_index
from framework.sources.base import FileDigest, SourceError, SourceFrame
from framework.sources.frame import MEASURE_COLUMN, canonical_frame, concat_frames
from framework.sources.ledger import Ledger
from framework.sources.period_values import period_of
from framework.sources.sql_connections import Connection, connection_for, extra_for

if TYPE_CHECKING:
    from ibis.expr.types import Table

    from framework.areas.registry import AreaRegistry
    from framework.model.dataset import Dataset

RECORDS = "records"
"""The result column counting the records of each group."""
DEFAULT_DIALECT = "duckdb"
"""The dialect a plan is shown in when the connection cannot be found."""


@dataclass(frozen=True)
class SqlRead:
    """What was sent to the database and what came back, for provenance (no secrets)."""

    connection: str
    source: str
    query: str
    sha256: str
    rows_returned: int
    records: int
    seconds: float
    read_at: str

    def note(self) -> str:
        """Say what was read, in one line, then the query."""
        return (
            f"{self.source} via {self.connection}: {self.rows_returned} aggregated rows for "
            f"{self.records} records, read {self.read_at} in {self.seconds:.2f} s; query "
            f"sha256 {self.sha256}:\n{self.query}"
        )


def _ibis() -> Any:
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
    ibis = _ibis()
    options = options_of(dataset)
    schema = _assumed_schema(dataset)
    if options.table is not None:
        name, database = _split(options.table)
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


def _split(table: str) -> tuple[str, str | tuple[str, str] | None]:
    parts = table.split(".")
    if len(parts) == 1:
        return parts[0], None
    if len(parts) == 2:
        return parts[1], parts[0]
    return parts[2], (parts[0], parts[1])


class SqlAdapter:
    """Reads a database table or query, aggregated in the database (kind ``sql``)."""

    def read(self, dataset: Dataset, path: Path, root: Path, areas: AreaRegistry) -> SourceFrame:
        """Send the aggregation to the database and build the canonical frame from its groups."""
        options = options_of(dataset)
        connection = connection_for(options, path, root)
        backend = connect(connection, options.timeout_seconds)
        try:
            started = time.perf_counter()
            read_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            if options.table is not None:
                expression = aggregate(_table(backend, options, dataset, connection), dataset)
                query = str(_ibis().to_sql(expression, dialect=dialect_of(connection.backend)))
                try:
                    result = expression.to_pyarrow().to_pandas()
                except Exception as error:
                    raise _database_error(connection, error, "the query failed") from error
            else:
                query = sql_for(dataset, connection.backend)
                result = _run_text(backend, query, connection)
            seconds = time.perf_counter() - started
        finally:
            _close(backend)
        digest = hashlib.sha256(query.encode("utf-8")).hexdigest()
        source = f"sql:{connection.name}/{source_name(options)}"
        ledger = Ledger(dataset.id)
        ledger.files.append(FileDigest(source, digest))
        frame, records = _frame(result, dataset, options, areas, ledger, source)
        read = SqlRead(
            connection.label,
            source_name(options),
            query,
            digest,
            len(result),
            records,
            seconds,
            read_at,
        )
        ledger.note(read.note())
        dimensions = (*dimension_sources(dataset), *([MEASURE_COLUMN] if _named(dataset) else []))
        used = ledger.rows_read - ledger.rows_excluded
        return SourceFrame(frame, ledger.report(used), tuple(dimensions))


def connect(connection: Connection, timeout_seconds: int) -> Any:
    """Open a read-only connection; raise :class:`SourceError` with the database's message."""
    ibis = _ibis()
    settings = dict(connection.settings)
    if connection.password is not None:
        settings["password"] = connection.password
    try:
        if connection.backend == "duckdb":
            database = str(settings.pop("database", ":memory:"))
            if database != ":memory:" and not Path(database).is_file():
                raise SourceError(
                    connection.name,
                    f"the DuckDB file {Path(database).name} does not exist",
                    "Check the connection's database path (relative to the catalogue folder).",
                )
            return ibis.duckdb.connect(database, read_only=database != ":memory:", **settings)
        if connection.backend == "postgres":
            # Read-only and bounded in time, whatever the account may do.
            limit = f"-c statement_timeout={timeout_seconds * 1000}"
            settings.setdefault("options", f"-c default_transaction_read_only=on {limit}")
            settings.setdefault("connect_timeout", min(timeout_seconds, 30))
        backend = getattr(ibis, connection.backend, None)
        if backend is None or not hasattr(backend, "connect"):
            raise SourceError(
                connection.name,
                f"no database backend named {connection.backend!r}",
                "Use duckdb, postgres, mssql, or another backend Ibis supports.",
            )
        return backend.connect(**settings)
    except SourceError:
        raise
    except ImportError as error:
        extra = extra_for(connection.backend)
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise SourceError(
            connection.name,
            f"the driver for {connection.backend} is not installed ({first})",
            f"Install it with `pip install police-measures[{extra}]`.",
        ) from error
    except Exception as error:
        raise _database_error(connection, error, "cannot connect") from error


def _run_text(backend: Any, query: str, connection: Connection) -> pd.DataFrame:
    """Send SQL text as it is and return its rows (a few per period and area)."""
    try:
        cursor = backend.raw_sql(query)
        names = [str(column[0]) for column in cursor.description]
        rows = cursor.fetchall()
    except Exception as error:
        raise _database_error(connection, error, "the query failed") from error
    return pd.DataFrame.from_records(rows, columns=names)


def _table(backend: Any, options: SqlTableOptions, dataset: Dataset, connection: Connection) -> Any:
    """Return the table (or query) as an Ibis table; check the columns the read needs."""
    try:
        if options.table is not None:
            name, database = _split(options.table)
            table = backend.table(name, database=database)
        else:
            table = backend.sql(options.query)
    except Exception as error:
        what = f"the table {options.table}" if options.table else "the query"
        raise _database_error(connection, error, f"{what} cannot be read") from error
    columns = [str(column) for column in table.columns]
    absent = [column for column in needed_columns(dataset) if column not in columns]
    if absent:
        guesses = {
            column: difflib.get_close_matches(column, columns, n=1, cutoff=0.6) for column in absent
        }
        near = "; ".join(f"{c}: did you mean {g[0]!r}?" for c, g in guesses.items() if g)
        raise SourceError(
            connection.name,
            f"{source_name(options)} has no column(s) {', '.join(absent)}",
            (near + " " if near else "") + f"Its columns are: {', '.join(columns)}.",
        )
    return table


def distinct_values(
    dataset: Dataset,
    root: Path,
    path: Path,
    column: str,
    limit: int,
    among: list[object] | None = None,
) -> list[str]:
    """Return up to ``limit`` distinct values of a source column (only those ``among``, if given).

    Both are bounded queries: the database returns at most ``limit`` values.
    """
    options = options_of(dataset)
    connection = connection_for(options, path, root)
    backend = connect(connection, options.timeout_seconds)
    try:
        table = _table(backend, options, dataset, connection)
        if among is not None:
            table = table.filter(table[column].isin(among))
        expression = table.select(column).distinct().order_by(column).limit(limit)
        try:
            values = expression.to_pyarrow().column(0).to_pylist()
        except Exception as error:
            raise _database_error(connection, error, "the query failed") from error
    finally:
        _close(backend)
    return [_cell_text(value) for value in values if value is not None]


def _close(backend: Any) -> None:
    disconnect = getattr(backend, "disconnect", None)
    if disconnect is not None:
        try:
            disconnect()
        except Exception:  # a connection that is already gone has nothing left to close
            return


def _database_error(connection: Connection, error: Exception, what: str) -> SourceError:
    """Turn a driver's exception into a finding's words: the database's own message."""
    # The driver's class names the kind of failure (TableNotFound, InsufficientPrivilege,
    # QueryCanceled, OperationalError); its text is the database's own message.
    message = f"{type(error).__name__}: {' '.join(str(error).split())}".rstrip(": ")
    if connection.password:
        message = message.replace(connection.password, "***")
    if len(message) > 400:
        message = message[:400] + " ..."
    return SourceError(
        connection.name,
        f"{what} ({connection.label}): {message}",
        "Check the connection entry, that the database is reachable and that the account may "
        "read the table; `measures validate --data` checks every sql dataset.",
    )


def _named(dataset: Dataset) -> bool:
    return MEASURE_COLUMN in dataset.dimensions


def _frame(
    result: pd.DataFrame,
    dataset: Dataset,
    options: SqlTableOptions,
    areas: AreaRegistry,
    ledger: Ledger,
    source: str,
) -> tuple[pd.DataFrame, int]:
    """Build the canonical frame from the groups; return it and the records counted."""
    records = result[RECORDS].to_numpy(dtype=np.int64)
    columns = value_columns(options)
    width = max(1, len(columns))
    ledger.rows_read = int(records.sum()) * width
    source_rows = np.arange(1, len(result) + 1, dtype=np.int64)
    periods, period_ok = _periods(result["period"], dataset.grain, options, records, ledger, width)
    # A group is excluded for its first fault only: an empty period, then an unknown area.
    codes, names, area_ok = _areas(
        result["area"], areas, np.where(period_ok, records, 0), ledger, width, source_rows
    )
    keep = period_ok & area_ok
    dimensions = {
        name: np.array(
            [None if pd.isna(cell) else _cell_text(cell) for cell in result[name]], dtype=object
        )
        for name in dimension_sources(dataset)
    }
    parts = []
    for index, column in enumerate(columns or [None]):
        if column is None:
            values = records.astype(np.float64)
            usable = keep
        else:
            present = result[f"present_{index}"].to_numpy(dtype=np.int64)
            empty = np.where(keep, records - present, 0)
            if empty.sum():
                rows = source_rows[empty > 0][:5].tolist()
                ledger.exclude(f"{column} is empty", int(empty.sum()), rows)
            values = result[f"sum_{index}"].to_numpy(dtype=np.float64, na_value=np.nan)
            usable = keep & (present > 0)
        named = dict(dimensions)
        if _named(dataset):
            named[MEASURE_COLUMN] = np.full(len(result), column or "value", dtype=object)
        ordered = {name: named[name][usable] for name in dataset.dimensions}
        parts.append(
            canonical_frame(
                period=periods[usable],
                area_code=codes[usable],
                area=names[usable],
                dimensions=ordered,
                value=values[usable],
                source_row=source_rows[usable],
                source_file=source,
            )
        )
    return concat_frames(parts), int(records.sum())


def _periods(
    cells: pd.Series,
    grain: str,
    options: SqlTableOptions,
    records: np.ndarray[Any, np.dtype[np.int64]],
    ledger: Ledger,
    width: int,
) -> tuple[np.ndarray[Any, np.dtype[np.int64]], np.ndarray[Any, np.dtype[np.bool_]]]:
    """Return each group's month index (the last month it covers) and which are usable."""
    out = np.full(len(cells), -1, dtype=np.int64)
    reasons: dict[str, list[int]] = {}
    for row, cell in enumerate(cells.tolist()):
        if cell is None or (isinstance(cell, float) and np.isnan(cell)) or cell is pd.NaT:
            reasons.setdefault("period is empty", []).append(row)
            continue
        if options.date_column is not None:
            stamp = pd.Timestamp(cell)
            # A quarter's first month is truncated to; the frame holds its last month.
            out[row] = month_index(stamp.year, stamp.month) + (2 if grain == "quarter" else 0)
            continue
        parsed = period_of(cell, grain)
        if isinstance(parsed, str):
            reasons.setdefault(parsed, []).append(row)
        else:
            out[row] = parsed
    for reason, rows in reasons.items():
        ledger.exclude(reason, int(records[rows].sum()) * width, [r + 1 for r in rows[:5]])
    return out, out >= 0


def _areas(
    cells: pd.Series,
    areas: AreaRegistry,
    records: np.ndarray[Any, np.dtype[np.int64]],
    ledger: Ledger,
    width: int,
    source_rows: np.ndarray[Any, np.dtype[np.int64]],
) -> tuple[
    np.ndarray[Any, np.dtype[np.object_]],
    np.ndarray[Any, np.dtype[np.object_]],
    np.ndarray[Any, np.dtype[np.bool_]],
]:
    """Resolve each distinct area once; count the records of unknown areas by reason."""
    labels = [None if cell is None else str(cell).strip() for cell in cells.tolist()]
    resolved: dict[str, tuple[str, str] | str] = {}
    for label in set(labels):
        if not label:
            continue
        area = areas.resolve(label)
        resolved[label] = (area.code, area.name) if area else areas.exclusion_reason(label)
    codes = np.empty(len(labels), dtype=object)
    names = np.empty(len(labels), dtype=object)
    ok = np.zeros(len(labels), dtype=bool)
    excluded: dict[str, list[int]] = {}
    for row, label in enumerate(labels):
        found = resolved.get(label) if label else "no area given"
        if isinstance(found, tuple):
            codes[row], names[row] = found
            ok[row] = True
        else:
            excluded.setdefault(str(found), []).append(row)
    for reason, rows in excluded.items():
        counted = [row for row in rows if records[row] > 0]
        ledger.exclude(
            reason, int(records[counted].sum()) * width, source_rows[counted][:5].tolist()
        )
    return codes, names, ok


def _cell_text(cell: object) -> str:
    """Return a dimension value as text ("1", not "1.0"; booleans as true/false)."""
    if isinstance(cell, bool | np.bool_):
        return "true" if cell else "false"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


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
