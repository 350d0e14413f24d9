"""Snapshot of the evaluation plan of every measure in the catalogue.

A plan says exactly what a run will do, so a change to one is a change to the figures:
review the diff, then rewrite the snapshot with ``pytest tests/engine --update-snapshots``.
"""

from __future__ import annotations

from pathlib import Path

from framework.engine.run import Engine
from framework.loading.catalogue import load_catalogue
from tests.snapshots import Snapshot

CATALOGUE = Path(__file__).parents[2] / "measures"
SNAPSHOT = Path(__file__).parent / "snapshots" / "plans.txt"


def all_plans() -> str:
    catalogue = load_catalogue(CATALOGUE)
    engine = Engine(catalogue)
    force = catalogue.force("warwickshire")
    assert force is not None
    plans = [
        engine.plan(item.model, force.model).describe()
        for item in sorted(catalogue.measures, key=lambda m: m.model.id)
        if item.model.source is not None
    ]
    return "\n\n".join(plans) + "\n"


def test_plans_match_the_snapshot(snapshot: Snapshot) -> None:
    snapshot.assert_match(all_plans(), SNAPSHOT)


def test_no_plan_names_a_path_outside_the_catalogue() -> None:
    assert ".." not in all_plans()
