"""A million records cost the framework no more memory than ten thousand: the database counts."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from pathlib import Path

import duckdb

from framework.model.dataset import Dataset
from framework.sources.adapters.sql import SqlAdapter
from framework.sources.area_list import default_registry
from tests.sql.catalogues import CATALOGUE

FORCES = ["Warwickshire", "West Mercia", "Kent", "Essex"]


def _table(folder: Path, rows: int) -> Path:
    """Write ``rows`` responses over the same months, forces and answers into a DuckDB file."""
    folder.mkdir()
    con = duckdb.connect(str(folder / "db.duckdb"))
    names = ", ".join(f"'{name}'" for name in FORCES)
    con.execute(
        f"""CREATE TABLE responses AS
        SELECT DATE '2018-04-01' + CAST(i % 1826 AS INTEGER) AS responded_on,
               [{names}][1 + CAST(i % 4 AS INTEGER)] AS force_name,
               CASE WHEN i % 3 = 0 THEN 'no' ELSE 'yes' END AS satisfied
        FROM range({rows}) AS t(i)"""
    )
    con.close()
    (folder / "connections.yaml").write_text(
        "connections:\n  db: {backend: duckdb, database: db.duckdb}\n", encoding="utf-8"
    )
    return folder


DATASET = Dataset.model_validate(
    {
        "id": "responses",
        "title": "Responses",
        "adapter": {
            "kind": "sql",
            "connection": "db",
            "table": "responses",
            "date_column": "responded_on",
            "area_column": "force_name",
        },
        "path": "connections.yaml",
        "grain": "month",
        "dimensions": ["satisfied"],
        "provenance": {"publisher": "test", "title": "test"},
    }
)


def _peak(function: Callable[[], object]) -> int:
    """Return the peak of Python memory allocated while ``function`` runs, in bytes."""
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_table(tmp_path: Path) -> None:
    areas = default_registry(CATALOGUE)
    small, large = _table(tmp_path / "small", 10_000), _table(tmp_path / "large", 1_000_000)

    def read(folder: Path) -> Callable[[], object]:
        return lambda: SqlAdapter().read(DATASET, folder / "connections.yaml", folder, areas)

    read(small)()  # imports and first-use caches are not the table's cost
    small_read = SqlAdapter().read(DATASET, small / "connections.yaml", small, areas)
    large_read = SqlAdapter().read(DATASET, large / "connections.yaml", large, areas)
    # The same groups come back (60 months x 4 forces x 2 answers), whatever the records.
    assert len(small_read.frame) == len(large_read.frame) == 60 * 4 * 2
    assert large_read.report.rows_read == 1_000_000
    assert large_read.frame["value"].sum() == 1_000_000

    small_peak, large_peak = _peak(read(small)), _peak(read(large))
    assert large_peak < small_peak * 1.5 + 1_000_000, (small_peak, large_peak)

    # The measurement can see growth: one column of the records, fetched, costs far more.
    def fetch_all() -> object:
        con = duckdb.connect(str(large / "db.duckdb"), read_only=True)
        try:
            return con.execute("SELECT epoch(responded_on) AS day FROM responses").fetchnumpy()
        finally:
            con.close()

    assert _peak(fetch_all) > 20 * large_peak
