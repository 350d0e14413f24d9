"""Options of the ``sql`` adapter: a table or read-only query in a database, aggregated there.

Kept in their own module so the shared :mod:`framework.model.adapters` only names them.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from framework.model.base import Definition

FilterValue = str | int | float | bool

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")
_ENV = re.compile(r"^[A-Z][A-Z0-9_]*$")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*){0,2}$")
_WRITES = re.compile(
    r"\b(insert|update|delete|merge|drop|alter|create|truncate|grant|revoke|exec|execute|call|"
    r"copy|into)\b",
    re.IGNORECASE,
)


class SqlTableOptions(Definition):
    """A table or read-only query in a database; filters, periods and totals are computed there.

    The database returns one row per period, area and value of each declared dimension, never
    the records. The connection is named, never written here: either an entry of the local
    connections file (the dataset's ``path``) or an environment variable holding its URL.
    """

    kind: Literal["sql"] = "sql"
    connection: str | None = Field(default=None, examples=["warehouse"])
    """Name of an entry in the connections file that the dataset's ``path`` names."""
    connection_env: str | None = Field(default=None, examples=["MEASURES_WAREHOUSE_URL"])
    """Environment variable holding the connection URL (``postgres://user@host/db``),
    instead of ``connection``; a password in it is read from the environment, never from YAML."""
    table: str | None = Field(default=None, examples=["survey.responses", "responses"])
    """The table or view, with its schema when it has one (``schema.table``)."""
    query: str | None = None
    """A read-only ``SELECT`` (or ``WITH ... SELECT``) used as the table, instead of ``table``."""
    date_column: str | None = Field(default=None, examples=["responded_on"])
    """A date or timestamp column, truncated in the database to the dataset's grain
    (a month, or a quarter: financial quarters start in April, so they are calendar quarters)."""
    period_column: str | None = None
    """Instead of ``date_column``: a text column holding ``YYYY-MM`` or a quarter
    (``2023/24-Q1``), grouped on as written."""
    area_column: str = "area"
    """Column holding the force name or ONS code."""
    value_column: str | None = None
    """Column of counts, summed in the database; when omitted every record counts as one."""
    value_columns: list[str] = Field(default_factory=list, examples=[["victims", "advised"]])
    """Several count columns instead of ``value_column``, each summed; their names go in the
    ``measure_column`` dimension, as for tidy tables."""
    filters: dict[str, list[FilterValue]] = Field(
        default_factory=dict, examples=[{"survey": ["victim satisfaction"]}]
    )
    """Keep only the records whose column takes one of the values, in the database
    (``{source column: [values]}``): for a shared table that holds more than this dataset."""
    timeout_seconds: int = Field(default=120, ge=1, le=86_400)
    """How long the database may take over the query before it is cancelled (PostgreSQL and
    SQL Server; DuckDB runs in the process and has no timeout)."""

    @field_validator("connection")
    @classmethod
    def _named(cls, value: str | None) -> str | None:
        if value is not None and not _NAME.match(value):
            if "://" in value or "@" in value or "password" in value.casefold():
                raise ValueError(
                    "a connection is a name, never a URL or a password in YAML: put the URL in "
                    "the connections file (its password in an environment variable) and name "
                    "the entry here"
                )
            raise ValueError("a connection name is letters, digits, '_', '-' and '.'")
        return value

    @field_validator("connection_env")
    @classmethod
    def _env_name(cls, value: str | None) -> str | None:
        if value is not None and not _ENV.match(value):
            raise ValueError(
                "connection_env names an environment variable (upper case, digits and '_'), "
                "never the URL itself"
            )
        return value

    @field_validator("table")
    @classmethod
    def _table_name(cls, value: str | None) -> str | None:
        if value is not None and not _IDENTIFIER.match(value):
            raise ValueError("a table is written name, schema.name or catalog.schema.name")
        return value

    @field_validator("query")
    @classmethod
    def _read_only(cls, value: str | None) -> str | None:
        if value is None:
            return value
        text = value.strip().rstrip(";").strip()
        if ";" in text:
            raise ValueError("the query must be one statement (no ';' inside it)")
        if not re.match(r"^(select|with)\b", text, re.IGNORECASE):
            raise ValueError("the query must be a read-only SELECT (or WITH ... SELECT)")
        word = _WRITES.search(text)
        if word:
            raise ValueError(f"the query must only read, but it says {word.group(0)!r}")
        return text

    @model_validator(mode="after")
    def _one_of_each(self) -> SqlTableOptions:
        if (self.connection is None) == (self.connection_env is None):
            raise ValueError("give exactly one of connection (a named entry) or connection_env")
        if (self.table is None) == (self.query is None):
            raise ValueError("give exactly one of table or query")
        if (self.date_column is None) == (self.period_column is None):
            raise ValueError("give exactly one of date_column or period_column")
        if self.value_column is not None and self.value_columns:
            raise ValueError("give one value_column, or several in value_columns, not both")
        return self
