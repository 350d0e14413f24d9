"""``measures explain --plan`` shows the SQL a sql dataset sends, without connecting."""

from __future__ import annotations

from pathlib import Path

from tests.cli.helpers import invoke
from tests.sql.catalogues import copy_with


def test_plan_shows_the_sql(duckdb_catalogue: Path) -> None:
    result = invoke("explain", "ocg_disruptions", "--plan", "--catalogue", str(duckdb_catalogue))
    assert result.exit_code == 0, result.output
    out = result.output
    assert (
        "SQL sent to records (duckdb: records.duckdb); the database returns one row per "
        "period, area, category, never the records:" in out
    )
    assert 'DATE_TRUNC(\'QUARTER\', "t0"."disrupted_on") AS "period"' in out
    assert 'FROM "crime"."ocg_disruptions" AS "t0"' in out
    assert 'COUNT(*) AS "records"' in out
    assert "GROUP BY" in out


def test_plan_in_the_connection_dialect_and_with_filters(
    tmp_path: Path, duckdb_catalogue: Path
) -> None:
    root = copy_with(
        duckdb_catalogue,
        tmp_path / "c",
        "force_victim_satisfaction",
        connection="server",
        filters={"victim_type": ["domestic abuse", "other"]},
    )
    (root / "connections.yaml").write_text(
        "connections:\n  server: {backend: mssql, host: sql01.force.local, database: crm}\n",
        encoding="utf-8",
    )
    result = invoke("explain", "victim_satisfaction", "--plan", "--catalogue", str(root))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "SQL sent to server (mssql: sql01.force.local)" in out
    assert "DATETRUNC(MONTH, [t" in out and "COUNT_BIG(*)" in out  # SQL Server's own words
    assert "IN ('domestic abuse', 'other')" in out


def test_plan_without_the_connection_says_why(tmp_path: Path, duckdb_catalogue: Path) -> None:
    root = copy_with(duckdb_catalogue, tmp_path / "c", "force_drug_related_homicides")
    (root / "connections.yaml").unlink()
    result = invoke("explain", "drug_related_homicide", "--plan", "--catalogue", str(root))
    assert result.exit_code == 0, result.output
    assert "SQL sent to duckdb (connection not found: no connections file" in result.output
    assert 'FROM "crime"."drug_related_homicides"' in result.output


def test_plan_of_a_query_source(tmp_path: Path, duckdb_catalogue: Path) -> None:
    query = "SELECT * FROM crime.drug_related_homicides WHERE force_name <> 'Kent'"
    root = copy_with(
        duckdb_catalogue, tmp_path / "c", "force_drug_related_homicides", table=None, query=query
    )
    result = invoke("explain", "drug_related_homicide", "--plan", "--catalogue", str(root))
    assert result.exit_code == 0, result.output
    assert f"WITH source AS (\n    {query}\n    )" in result.output
