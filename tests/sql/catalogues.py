"""Copies of the demo force's catalogue whose force-held datasets are read from a database.

The demo force's folder builds on the national catalogue installed with the package, and
replaces its definitions of the force-held tables; a copy of the folder alone is a whole
catalogue, and its force-held tables (and their connections file) live in it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from tests.sql.records import RecordTable

CATALOGUE = Path(__file__).resolve().parents[2] / "measures" / "warwickshire"
"""The demo force's catalogue: its synthetic force-held datasets are the ones moved into SQL."""


def sql_catalogue(target: Path, tables: list[RecordTable], connection: dict[str, object]) -> Path:
    """Copy the demo force's catalogue to ``target``, each table's dataset read from SQL.

    The connection entry is written to ``connections.yaml`` under the name ``records``; every
    table's dataset must be one of the folder's, or the copy would quietly read its CSV.
    """
    shutil.copytree(CATALOGUE, target, ignore=shutil.ignore_patterns("commentary"))
    (target / "connections.yaml").write_text(
        yaml.safe_dump({"connections": {"records": connection}}), encoding="utf-8"
    )
    by_id = {table.dataset: table for table in tables}
    moved: set[str] = set()
    for file in sorted(target.glob("datasets/*.yaml")):
        document = yaml.safe_load(file.read_text(encoding="utf-8"))
        dataset = document["dataset"]
        table = by_id.get(dataset["id"])
        if table is None:
            continue
        dataset["adapter"] = {"kind": "sql", "connection": "records", **table.options}
        dataset["path"] = "connections.yaml"
        file.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
        moved.add(dataset["id"])
    assert moved == set(by_id), f"no dataset file for {sorted(set(by_id) - moved)}"
    return target


def copy_with(source: Path, target: Path, dataset_id: str, **adapter: object) -> Path:
    """Copy a catalogue, changing (or, with ``None``, removing) keys of one dataset's adapter."""
    shutil.copytree(source, target)
    for file in target.glob("**/datasets/*.yaml"):
        document = yaml.safe_load(file.read_text(encoding="utf-8"))
        if document["dataset"]["id"] != dataset_id:
            continue
        options = document["dataset"]["adapter"]
        for key, value in adapter.items():
            if value is None:
                options.pop(key, None)
            else:
                options[key] = value
        file.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return target


def set_connection(root: Path, name: str, entry: dict[str, object]) -> None:
    """Add or replace a named entry in a catalogue's connections file."""
    path = root / "connections.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["connections"][name] = entry
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
