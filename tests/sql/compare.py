"""Run the force-held measures of a catalogue and compare two runs row for row."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from framework.engine.run import Engine, RunResult
from framework.loading.catalogue import load_catalogue

PROVENANCE = [
    "source_files",
    "source_sha256",
    "source_rows_read",
    "source_rows_used",
    "definition_file",
    "rows_in_window",
]
"""Columns that say where figures came from, which differ between a file and a database.

``rows_in_window`` counts the source's rows behind a figure: records in a record-level file,
groups (each of many records) in a database's aggregated answer.
"""
KEYS = ["measure", "area_code", "component", "period"]


def run_force_held(root: Path, datasets: set[str]) -> RunResult:
    """Evaluate every measure of ``root`` that reads one of ``datasets``, for all forces."""
    catalogue = load_catalogue(root)
    assert not catalogue.findings, catalogue.findings
    force = catalogue.forces[0].model
    measures = [
        m for m in catalogue.measures if m.model.source and m.model.source.dataset in datasets
    ]
    return Engine(catalogue).run(force, measures, all_forces=True)


def assert_same_figures(files: pd.DataFrame, database: pd.DataFrame) -> None:
    """Assert the database run has the file run's rows, value for value.

    The only rows a file may have more are components of a category an area never recorded,
    which a table of counts lists with zeros and a table of records cannot list: each must
    be zero.
    """
    left = files.drop(columns=PROVENANCE).sort_values(KEYS, ignore_index=True)
    right = database.drop(columns=PROVENANCE).sort_values(KEYS, ignore_index=True)
    marked = left.merge(right[KEYS], on=KEYS, how="left", indicator=True)
    only_files = marked["_merge"].eq("left_only").to_numpy()
    extra = left.loc[only_files]
    assert extra["component"].notna().all(), extra[KEYS]
    assert (extra["value"].fillna(0) == 0).all(), extra[[*KEYS, "value"]]
    common = left.loc[~only_files].reset_index(drop=True)
    assert len(common) == len(right)
    pd.testing.assert_frame_equal(common, right, check_categorical=False, check_dtype=False)
