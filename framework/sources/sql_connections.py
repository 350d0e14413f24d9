"""Find a ``sql`` dataset's connection, by name or environment variable, without secrets in YAML.

A connection is described in one of two places, never in a dataset:

- an entry of the local connections file (``connections.yaml`` beside the catalogue's
  definitions, ignored by git), whose password, if any, comes from an environment variable::

      connections:
        warehouse:
          backend: postgres            # duckdb, postgres, mssql, or another Ibis backend
          host: db.force.local
          port: 5432
          database: warehouse
          user: measures_reader
          password_env: WAREHOUSE_PASSWORD
        embedded:
          backend: duckdb
          database: data/force_held.duckdb   # relative to the catalogue folder

- an environment variable holding a URL (``postgres://user:secret@host:5432/db``,
  ``mssql://user@host/db``, ``duckdb:///path/file.duckdb``), whose query string gives
  further driver options (``?host=/run/postgresql``).

What a connection says about itself (:attr:`Connection.label`) never holds the password.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote, urlsplit

import yaml

from framework.sources.base import SourceError

if TYPE_CHECKING:
    from framework.model.sql_options import SqlTableOptions

ENTRY_KEYS = frozenset(
    {"backend", "host", "port", "database", "schema", "user", "password_env", "options"}
)
"""The keys a connection entry may have; ``password`` is refused, ``password_env`` is not."""
SCHEMES = {"postgresql": "postgres", "postgres": "postgres", "mssql": "mssql", "duckdb": "duckdb"}
"""URL schemes and the Ibis backend each names."""
EXTRAS = {"postgres": "postgres", "mssql": "mssql", "duckdb": "sql"}
"""The optional dependency set that installs each backend's driver."""


@dataclass(frozen=True)
class Connection:
    """Where a database is and how to reach it; the password is kept apart and never shown."""

    name: str
    backend: str
    settings: dict[str, Any] = field(default_factory=dict)
    """Keyword arguments of the backend's ``connect`` (host, port, database, user, ...)."""
    password: str | None = field(default=None, repr=False)

    @property
    def label(self) -> str:
        """Say which connection this is, for provenance and messages: no secrets."""
        where = self.settings.get("host") or self.settings.get("database") or ""
        if self.backend == "duckdb" and where:
            where = Path(str(where)).name  # the file, not where it sits on this machine
        return f"{self.name} ({self.backend}{': ' + str(where) if where else ''})"


def connection_for(
    options: SqlTableOptions, connections_file: Path, root: Path, secrets: bool = True
) -> Connection:
    """Return the dataset's connection; raise :class:`SourceError` saying what is missing.

    With ``secrets`` false the password is not looked for (a plan is shown without one).
    """
    if options.connection_env is not None:
        variable = options.connection_env
        url = os.environ.get(variable, "").strip()
        if not url:
            raise SourceError(
                variable,
                f"the environment variable {variable} is not set",
                f"Set {variable} to the database URL (e.g. postgres://user@host:5432/db).",
            )
        return _from_url(variable, url, root)
    assert options.connection is not None
    return _from_file(options.connection, connections_file, root, secrets)


def _from_file(name: str, path: Path, root: Path, secrets: bool) -> Connection:
    shown = _shown(path, root)
    if not path.is_file():
        raise SourceError(
            shown,
            f"no connections file, so the connection {name!r} is not defined",
            f"Create {shown} (it is ignored by git) with an entry `connections: {{{name}: "
            "{backend: postgres, host: ..., database: ..., user: ..., password_env: ...}}`.",
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise SourceError(shown, f"the connections file cannot be read: {error}") from error
    entries = data.get("connections") if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        raise SourceError(
            shown, "the connections file has no `connections:` mapping of named entries"
        )
    entry = entries.get(name)
    if not isinstance(entry, dict):
        known = ", ".join(sorted(map(str, entries))) or "none"
        raise SourceError(
            shown, f"no connection named {name!r}", f"Connections defined there: {known}."
        )
    if "password" in entry:
        raise SourceError(
            shown,
            f"the connection {name!r} has a password written in the file",
            "Remove it: put the password in an environment variable and name that variable "
            "with `password_env`.",
        )
    unknown = sorted(set(map(str, entry)) - ENTRY_KEYS)
    if unknown:
        raise SourceError(
            shown,
            f"the connection {name!r} has unknown key(s): {', '.join(unknown)}",
            f"A connection entry may have: {', '.join(sorted(ENTRY_KEYS))}.",
        )
    backend = str(entry.get("backend", "")).strip()
    if not backend:
        raise SourceError(shown, f"the connection {name!r} does not say its backend")
    settings: dict[str, Any] = {
        key: entry[key] for key in ("host", "port", "database", "schema", "user") if key in entry
    }
    options = entry.get("options") or {}
    if not isinstance(options, dict):
        raise SourceError(shown, f"the connection {name!r}: options must be a mapping")
    settings.update(options)
    password = None
    variable = entry.get("password_env")
    if variable and secrets:
        password = os.environ.get(str(variable))
        if password is None:
            raise SourceError(
                shown,
                f"the connection {name!r} reads its password from {variable}, which is not set",
                f"Set the environment variable {variable} before the run.",
            )
    return _normalised(Connection(name, SCHEMES.get(backend, backend), settings, password), root)


def _from_url(variable: str, url: str, root: Path) -> Connection:
    parts = urlsplit(url)
    scheme = parts.scheme.split("+")[0].lower()
    backend = SCHEMES.get(scheme, scheme)
    if not backend:
        raise SourceError(variable, "the connection URL has no scheme (postgres://, mssql://...)")
    settings: dict[str, Any] = dict(parse_qsl(parts.query))
    if backend == "duckdb":
        settings["database"] = unquote(url.split("://", 1)[1].split("?", 1)[0]) or ":memory:"
        return _normalised(Connection(variable, backend, settings), root)
    if parts.hostname:
        settings.setdefault("host", parts.hostname)
    if parts.port:
        settings["port"] = parts.port
    if parts.username:
        settings["user"] = unquote(parts.username)
    if parts.path.strip("/"):
        settings["database"] = unquote(parts.path.strip("/"))
    password = unquote(parts.password) if parts.password else None
    return _normalised(Connection(variable, backend, settings, password), root)


def _normalised(connection: Connection, root: Path) -> Connection:
    """Resolve an embedded database's relative path against the catalogue folder."""
    if connection.backend != "duckdb":
        return connection
    database = str(connection.settings.get("database", ":memory:"))
    if database != ":memory:" and not Path(database).is_absolute():
        settings = {**connection.settings, "database": str(root / database)}
        return Connection(connection.name, connection.backend, settings, connection.password)
    return connection


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name


def extra_for(backend: str) -> str:
    """Return the optional dependency set that brings a backend's driver."""
    return EXTRAS.get(backend, backend)
