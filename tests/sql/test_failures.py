"""A database that cannot answer gives located findings; the rest of the statement builds."""

from __future__ import annotations

import re
from pathlib import Path

import psycopg
import pytest

from framework.engine.run import RunResult
from tests.cli.helpers import invoke
from tests.sql.catalogues import copy_with, set_connection
from tests.sql.compare import run_force_held
from tests.sql.records import RecordTable

HOMICIDES = "force_drug_related_homicides"
HOMICIDES_FILE = "datasets/force_drug_related_homicides.yaml"


def _datasets(tables: list[RecordTable]) -> set[str]:
    # Homicides (made to fail) and one other, to show the rest still builds; every dataset
    # at once is the equivalence tests' work.
    return {HOMICIDES, "force_ocg_disruptions"}


def _only_homicides_fail(result: RunResult, *message: str) -> str:
    """Assert the one failing measure's finding is located and says ``message``; return it."""
    assert [f.code for f in result.findings] == ["RUN001"]
    finding = result.findings[0]
    assert finding.location.file.endswith(HOMICIDES_FILE)
    assert finding.location.line == 4  # the `adapter:` key of the dataset file
    for words in message:
        assert words in finding.message, finding.message
    assert set(result.unavailable) == {"drug_related_homicide"}
    # The other measure still has its figures.
    assert set(result.frame["measure"]) == {"ocg_disruptions"}
    return finding.message


def test_missing_duckdb_file(
    duckdb_catalogue: Path, tmp_path: Path, tables: list[RecordTable]
) -> None:
    root = copy_with(duckdb_catalogue, tmp_path / "c", HOMICIDES, connection="elsewhere")
    set_connection(root, "elsewhere", {"backend": "duckdb", "database": "data/gone.duckdb"})
    result = run_force_held(root, _datasets(tables))
    _only_homicides_fail(result, "the DuckDB file gone.duckdb does not exist")


def test_missing_table_gives_the_database_message(
    duckdb_catalogue: Path, tmp_path: Path, tables: list[RecordTable]
) -> None:
    root = copy_with(
        duckdb_catalogue, tmp_path / "c", HOMICIDES, table="crime.drug_related_homicide"
    )
    result = run_force_held(root, _datasets(tables))
    message = _only_homicides_fail(result, "the table crime.drug_related_homicide cannot be read")
    assert message.endswith("TableNotFound: drug_related_homicide")  # what the database said


def test_missing_column_names_the_nearest(
    duckdb_catalogue: Path, tmp_path: Path, tables: list[RecordTable]
) -> None:
    root = copy_with(duckdb_catalogue, tmp_path / "c", HOMICIDES, area_column="force_nam")
    result = run_force_held(root, _datasets(tables))
    _only_homicides_fail(result, "crime.drug_related_homicides has no column(s) force_nam")
    assert "did you mean 'force_name'?" in result.findings[0].hint


def test_unknown_connection_name(
    duckdb_catalogue: Path, tmp_path: Path, tables: list[RecordTable]
) -> None:
    root = copy_with(duckdb_catalogue, tmp_path / "c", HOMICIDES, connection="warehous")
    result = run_force_held(root, _datasets(tables))
    _only_homicides_fail(result, "no connection named 'warehous'")
    assert "records" in result.findings[0].hint


@pytest.mark.slow  # builds a real statement
def test_report_builds_and_marks_the_measure(duckdb_catalogue: Path, tmp_path: Path) -> None:
    root = copy_with(duckdb_catalogue, tmp_path / "c", HOMICIDES, table="crime.nothing_here")
    out = tmp_path / "report"
    result = invoke(
        "report", "--catalogue", str(root), "--out", str(out), "--format", "md", "--no-svg",
        "--allow-errors", "--period", "2023/24-Q1",
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert re.search(r"force_drug_related_homicides\.yaml:4:\d+: error RUN001", result.output)
    assert "nothing_here" in result.output
    assert "Traceback" not in result.output
    text = next(out.glob("*.md")).read_text(encoding="utf-8")
    assert "Source unavailable" in text
    assert "Organised crime group disruptions" in text


def test_validate_data_checks_the_table(duckdb_catalogue: Path, tmp_path: Path) -> None:
    root = copy_with(duckdb_catalogue, tmp_path / "c", HOMICIDES, table="crime.nothing_here")
    result = invoke("validate", str(root), "--data")
    assert result.exit_code == 1, result.output
    assert re.search(r"force_drug_related_homicides\.yaml:4:\d+: error DAT001", result.output)
    assert "nothing_here" in result.output


def test_validate_data_checks_dataset_filter_values(duckdb_catalogue: Path, tmp_path: Path) -> None:
    root = copy_with(
        duckdb_catalogue,
        tmp_path / "c",
        "force_victim_satisfaction",
        filters={"victim_type": ["domestic abuse", "domestic abuses"]},
    )
    result = invoke("validate", str(root), "--data", "--format", "json")
    assert result.exit_code == 1, result.output
    assert '"code": "DAT003"' in result.output
    assert "no record of 'force_victim_satisfaction' has victim_type = 'domestic abuses'" in (
        result.output
    )
    assert "Nearest values in the table: 'domestic abuse'" in result.output
    assert result.output.count('"code": "DAT003"') == 1


def test_validate_data_is_clean_on_the_database(duckdb_catalogue: Path) -> None:
    result = invoke("validate", str(duckdb_catalogue), "--data")
    assert result.exit_code == 0, result.output


# -- a real server: refused connections, time limits and permissions ---------------------


def test_postgres_unreachable(
    postgres_catalogue: Path, tmp_path: Path, tables: list[RecordTable]
) -> None:
    root = copy_with(postgres_catalogue, tmp_path / "c", HOMICIDES, connection="down")
    set_connection(
        root, "down", {"backend": "postgres", "host": str(tmp_path / "no-socket"), "user": "x"}
    )
    result = run_force_held(root, _datasets(tables))
    message = _only_homicides_fail(result, "cannot connect (down (postgres:")
    assert "no-socket" in message  # psycopg's own words name the socket it tried


def test_postgres_timeout(
    postgres_catalogue: Path, tmp_path: Path, tables: list[RecordTable]
) -> None:
    slow = (
        "SELECT recorded_on, force_name FROM crime.drug_related_homicides "
        "WHERE pg_sleep(3) IS NOT NULL"
    )
    root = copy_with(
        postgres_catalogue,
        tmp_path / "c",
        HOMICIDES,
        table=None,
        query=slow,
        timeout_seconds=1,
    )
    result = run_force_held(root, _datasets(tables))
    _only_homicides_fail(
        result, "the query failed", "QueryCanceled: canceling statement due to statement timeout"
    )


def test_postgres_permission_denied(
    postgres: dict[str, object],
    postgres_catalogue: Path,
    tmp_path: Path,
    tables: list[RecordTable],
) -> None:
    with psycopg.connect(**postgres, autocommit=True) as con:  # type: ignore[arg-type]
        con.execute("DROP ROLE IF EXISTS outsider")
        con.execute("CREATE ROLE outsider LOGIN")
        con.execute("GRANT USAGE ON SCHEMA crime TO outsider")
    root = copy_with(postgres_catalogue, tmp_path / "c", HOMICIDES, connection="outsider")
    set_connection(
        root,
        "outsider",
        {
            "backend": "postgres",
            "host": postgres["host"],
            "user": "outsider",
            "database": postgres["dbname"],
        },
    )
    result = run_force_held(root, _datasets(tables))
    _only_homicides_fail(result, "InsufficientPrivilege: permission denied for table")


@pytest.mark.usefixtures("postgres_catalogue")  # the table must exist to be refused a write
@pytest.mark.parametrize("statement", ["DELETE FROM crime.drug_related_homicides"])
def test_postgres_session_is_read_only(postgres: dict[str, object], statement: str) -> None:
    """The reader's session refuses writes, whatever the account may do."""
    from framework.sources.adapters.sql import connect
    from framework.sources.sql_connections import Connection

    settings = {"host": postgres["host"], "user": postgres["user"], "database": postgres["dbname"]}
    backend = connect(Connection("records", "postgres", settings), 30)
    try:
        with pytest.raises(Exception, match="read-only transaction"):
            backend.raw_sql(statement)
    finally:
        backend.disconnect()
