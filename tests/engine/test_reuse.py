"""One evaluation serves every force's run: the rows are those a fresh engine gives."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from framework.engine.run import Engine
from framework.loading.catalogue import load_catalogue

pytestmark = pytest.mark.slow

CATALOGUE = Path(__file__).parents[2] / "measures"
AS_OF = 2023 * 12 + 5  # June 2023


def test_a_second_force_on_one_engine_gets_a_fresh_engines_rows() -> None:
    catalogue = load_catalogue(CATALOGUE)
    warwickshire, cleveland = (catalogue.force(n) for n in ("Warwickshire", "Cleveland"))
    assert warwickshire is not None and cleveland is not None
    shared = Engine(catalogue)
    shared.run(warwickshire.model, catalogue.measures, AS_OF, all_forces=True)
    reused = shared.run(cleveland.model, catalogue.measures, AS_OF, all_forces=True)
    fresh = Engine(catalogue).run(cleveland.model, catalogue.measures, AS_OF, all_forces=True)
    assert reused.findings == fresh.findings
    pd.testing.assert_frame_equal(reused.frame, fresh.frame)
    # Each run's plans carry its own force's comparator groups.
    assert {p.groups.get("msg") for p in reused.plans.values()} == {
        p.groups.get("msg") for p in fresh.plans.values()
    }


def test_asking_for_some_areas_gives_their_rows_of_the_all_forces_run() -> None:
    catalogue = load_catalogue(CATALOGUE)
    located = catalogue.force("Warwickshire")
    assert located is not None
    engine = Engine(catalogue)
    msg = engine.groups(located.model)["msg"]
    everyone = engine.run(located.model, catalogue.measures, AS_OF, all_forces=True).frame
    some = engine.run(located.model, catalogue.measures, AS_OF, areas=msg).frame
    assert set(some["area_code"]) == set(msg)
    expected = everyone.loc[everyone["area_code"].isin(msg)].reset_index(drop=True)
    pd.testing.assert_frame_equal(some, expected)
