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

    A table of counts lists zeros that a table of records cannot hold, so two differences are
    allowed, and each must be a zero in the file:

    - components of a category an area never recorded, which only the file has;
    - a measure's figures for an area the table never recorded (the demo's City of London
      has no drug-related homicide): the file's rows say zero, and the database's, which has
      no row to find the force by (its coverage comes from the rows), are missing.
    """
    left = files.drop(columns=PROVENANCE).sort_values(KEYS, ignore_index=True)
    right = database.drop(columns=PROVENANCE).sort_values(KEYS, ignore_index=True)
    unrecorded = _unrecorded(left, right)
    left = left.loc[~_in(left, unrecorded)].reset_index(drop=True)
    right = right.loc[~_in(right, unrecorded)].reset_index(drop=True)
    marked = left.merge(right[KEYS], on=KEYS, how="left", indicator=True)
    only_files = marked["_merge"].eq("left_only").to_numpy()
    extra = left.loc[only_files]
    assert extra["component"].notna().all(), extra[KEYS]
    assert (extra["value"].fillna(0) == 0).all(), extra[[*KEYS, "value"]]
    common = left.loc[~only_files].reset_index(drop=True)
    assert len(common) == len(right)
    pd.testing.assert_frame_equal(common, right, check_categorical=False, check_dtype=False)


def _unrecorded(files: pd.DataFrame, database: pd.DataFrame) -> pd.DataFrame:
    """Return the (measure, area) pairs the database run has no figure for at all.

    Each must be zero (or missing) throughout the file run: a pair with any other figure in
    the file is a difference, and fails here.
    """
    pair = ["measure", "area_code"]
    missing = database.groupby(pair, observed=True)["value"].apply(lambda v: bool(v.isna().all()))
    pairs = missing[missing].reset_index()[pair]
    if pairs.empty:
        return pairs
    rows = files.merge(pairs, on=pair)
    zeros = rows.groupby(pair, observed=True)["value"].apply(
        lambda v: bool(v.fillna(0).eq(0).all())
    )
    assert zeros.all(), zeros[~zeros]
    return pairs


def _in(frame: pd.DataFrame, pairs: pd.DataFrame) -> pd.Series:
    """Return True for the rows of ``frame`` whose (measure, area) is one of ``pairs``."""
    keys = pd.MultiIndex.from_frame(frame[["measure", "area_code"]].astype(str))
    wanted = pd.MultiIndex.from_frame(pairs.astype(str))
    return pd.Series(keys.isin(wanted), index=frame.index)
