"""Databases holding the synthetic force-held data as record-level tables, and catalogues."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sql.catalogues import CATALOGUE, sql_catalogue
from tests.sql.postgres import running_server, server_binaries
from tests.sql.records import RecordTable, load_duckdb, load_postgres, record_tables


@pytest.fixture(scope="session")
def tables() -> list[RecordTable]:
    return record_tables(CATALOGUE)


@pytest.fixture(scope="session")
def duckdb_file(tmp_path_factory: pytest.TempPathFactory, tables: list[RecordTable]) -> Path:
    path = tmp_path_factory.mktemp("duckdb") / "records.duckdb"
    load_duckdb(path, tables)
    return path


@pytest.fixture(scope="session")
def duckdb_catalogue(
    tmp_path_factory: pytest.TempPathFactory, tables: list[RecordTable], duckdb_file: Path
) -> Path:
    target = tmp_path_factory.mktemp("duckdb-catalogue") / "warwickshire"
    return sql_catalogue(target, tables, {"backend": "duckdb", "database": str(duckdb_file)})


@pytest.fixture(scope="session")
def postgres() -> Iterator[dict[str, object]]:
    """Start a throwaway PostgreSQL server; absent binaries fail in CI and skip elsewhere."""
    binaries = server_binaries()
    if binaries is None:
        message = (
            "the PostgreSQL server binaries (initdb, pg_ctl) are not installed: "
            "`apt-get install -y postgresql` (.ci/run does it)"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    try:
        with running_server(binaries) as settings:
            yield settings
    except subprocess.CalledProcessError as error:
        pytest.fail(f"the throwaway PostgreSQL server did not start: {error.stderr or error}")


@pytest.fixture(scope="session")
def postgres_catalogue(
    tmp_path_factory: pytest.TempPathFactory,
    tables: list[RecordTable],
    postgres: dict[str, object],
) -> Path:
    load_postgres(postgres, tables)
    target = tmp_path_factory.mktemp("postgres-catalogue") / "warwickshire"
    connection = {
        "backend": "postgres",
        "host": postgres["host"],
        "user": postgres["user"],
        "database": postgres["dbname"],
    }
    return sql_catalogue(target, tables, connection)
