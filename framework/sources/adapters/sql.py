"""Read a table or query in a database, with the filters, periods and totals computed there.

The reader sends the aggregation of :mod:`framework.sources.sql_plan` and receives one row
per period, area and value of each declared dimension, never the records, so memory grows
with the number of groups, not the table; :mod:`framework.sources.sql_frame` turns them into
the canonical frame. It records the query's text, SHA-256, the rows returned and when, in
the read's notes and provenance. Every failure of the database becomes a
:class:`~framework.sources.base.SourceError` carrying the database's own message.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from framework.findings.suggest import close_matches
from framework.model.sql_options import SqlTableOptions
from framework.sources.base import FileDigest, SourceError, SourceFrame
from framework.sources.ledger import Ledger
from framework.sources.sql_connections import Connection, connection_for, extra_for
from framework.sources.sql_frame import cell_text, groups_frame
from framework.sources.sql_plan import (
    aggregate,
    dialect_of,
    ibis_module,
    needed_columns,
    options_of,
    source_name,
    split_table,
    sql_for,
)

if TYPE_CHECKING:
    from framework.areas.registry import AreaRegistry
    from framework.model.dataset import Dataset


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
                query = str(
                    ibis_module().to_sql(expression, dialect=dialect_of(connection.backend))
                )
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
        frame, records = groups_frame(result, dataset, options, areas, ledger, source)
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
        used = ledger.rows_read - ledger.rows_excluded
        # The frame's dimensions, in the dataset's order (measure_column included).
        return SourceFrame(frame, ledger.report(used), tuple(dict.fromkeys(dataset.dimensions)))


def connect(connection: Connection, timeout_seconds: int) -> Any:
    """Open a read-only connection; raise :class:`SourceError` with the database's message."""
    ibis = ibis_module()
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
            name, database = split_table(options.table)
            table = backend.table(name, database=database)
        else:
            table = backend.sql(options.query)
    except Exception as error:
        what = f"the table {options.table}" if options.table else "the query"
        raise _database_error(connection, error, f"{what} cannot be read") from error
    columns = [str(column) for column in table.columns]
    absent = [column for column in needed_columns(dataset) if column not in columns]
    if absent:
        guesses = {column: close_matches(column, columns) for column in absent}
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
    return [cell_text(value) for value in values if value is not None]


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
