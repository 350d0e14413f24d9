"""Every force-held measure gives the same figures from CSV files, DuckDB and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from framework.engine.run import RunResult
from framework.loading.catalogue import load_catalogue
from framework.sources.sql_plan import planned_sql
from tests.sql.catalogues import CATALOGUE
from tests.sql.compare import assert_same_figures, run_force_held
from tests.sql.records import RecordTable


@pytest.fixture(scope="module")
def from_files(tables: list[RecordTable]) -> RunResult:
    result = run_force_held(CATALOGUE, {table.dataset for table in tables})
    assert not result.findings
    return result


def _check(root: Path, tables: list[RecordTable], from_files: RunResult) -> RunResult:
    datasets = {table.dataset for table in tables}
    result = run_force_held(root, datasets)
    assert not result.findings, result.findings
    assert set(result.frame["measure"]) == set(from_files.frame["measure"])
    assert len(set(result.frame["measure"])) == 6
    assert_same_figures(from_files.frame, result.frame)
    for table in tables:
        source = result.sources[table.dataset]
        # The database counted every record: nothing was lost or invented on the way.
        value_columns = table.options.get("value_columns", [])
        assert isinstance(value_columns, list)
        width = len(value_columns) or 1
        assert source.report.rows_read == len(table.frame) * width
        assert source.report.rows_used == source.report.rows_read
        assert len(source.frame) < len(table.frame) or len(table.frame) < 3000
        assert source.report.files[0].path == f"sql:records/{table.options['table']}"
    return result


def _sent_is_planned(root: Path, result: RunResult) -> None:
    """Check that the SQL ``explain --plan`` shows from the definition is the SQL sent."""
    catalogue = load_catalogue(root)
    for dataset_id, source in result.sources.items():
        located = catalogue.dataset(dataset_id)
        assert located is not None
        if located.model.adapter.kind != "sql":
            continue  # the population, read from its file
        _, planned = planned_sql(located.model, root / located.model.path, root)
        note = source.report.notes[0]
        sent = note.split(":\n", 1)[1]
        assert sent == planned
        assert source.report.files[0].sha256 in note


def test_duckdb_equals_csv(
    duckdb_catalogue: Path, tables: list[RecordTable], from_files: RunResult
) -> None:
    result = _check(duckdb_catalogue, tables, from_files)
    _sent_is_planned(duckdb_catalogue, result)
    assert "DATE_TRUNC('MONTH'" in result.sources["force_victim_satisfaction"].report.notes[0]


def test_postgres_equals_csv(
    postgres_catalogue: Path, tables: list[RecordTable], from_files: RunResult
) -> None:
    result = _check(postgres_catalogue, tables, from_files)
    _sent_is_planned(postgres_catalogue, result)
    note = result.sources["force_ocg_disruptions"].report.notes[0]
    assert "DATE_TRUNC('QUARTER'" in note
    assert "postgres" in note and "records (" in note
