"""The demo needs no database library; a sql dataset without one says what to install."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from framework.sources.area_list import default_registry
from framework.sources.base import SourceError
from framework.sources.registry import read_dataset
from tests.cli.helpers import REPO
from tests.sql.catalogues import CATALOGUE

DEMO_RUN = """
import json, sys
from pathlib import Path
from framework.engine.run import Engine
from framework.loading.catalogue import load_catalogue
catalogue = load_catalogue(Path(sys.argv[1]))
force = catalogue.forces[0].model
measures = [m for m in catalogue.measures if m.model.id in ("victim_satisfaction", "homicide")]
result = Engine(catalogue).run(force, measures)
print(json.dumps({"rows": len(result.frame), "findings": len(result.findings),
                  "database": [m for m in ("ibis", "duckdb", "psycopg") if m in sys.modules]}))
"""


def test_the_demo_imports_no_database_library() -> None:
    done = subprocess.run(
        [sys.executable, "-c", DEMO_RUN, str(CATALOGUE)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["rows"] > 0 and report["findings"] == 0
    assert report["database"] == []


def test_without_ibis_a_sql_dataset_says_what_to_install(
    duckdb_catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from framework.loading.catalogue import load_catalogue

    catalogue = load_catalogue(duckdb_catalogue)
    located = catalogue.dataset("force_drug_related_homicides")
    assert located is not None
    monkeypatch.setitem(sys.modules, "ibis", None)  # as if the [sql] extra were not installed
    with pytest.raises(SourceError) as caught:
        read_dataset(located.model, duckdb_catalogue, default_registry(duckdb_catalogue))
    assert "needs Ibis, which is not installed" in caught.value.detail
    assert "pip install police-measures[sql]" in caught.value.hint
