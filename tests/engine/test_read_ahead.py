"""A statement whose datasets a helper process reads ahead is the one read in one process."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import framework.sources.registry as registry
from framework.engine.run import Engine
from framework.loading.catalogue import load_catalogue
from framework.sources import read_ahead
from renderers.assemble.national import statement_run

pytestmark = pytest.mark.slow

CATALOGUE = Path(__file__).parents[2] / "measures"
AS_OF = 2023 * 12 + 5  # June 2023


def _run(engine: Engine, ahead: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, list[str]]:
    """Run Warwickshire's statement; return it and the datasets this process read itself."""
    catalogue = engine.catalogue
    force = catalogue.force("Warwickshire")
    assert force is not None
    read_here: list[str] = []
    reader = registry.read_dataset

    def counted(dataset: Any, *args: Any, **kwargs: Any) -> Any:
        read_here.append(dataset.id)  # a helper's list is its own copy: only ours is seen
        return reader(dataset, *args, **kwargs)

    monkeypatch.setattr(registry, "read_dataset", counted)
    monkeypatch.setattr(read_ahead, "can_read_ahead", lambda: ahead)
    with engine.reading_ahead(force.model, catalogue.measures):
        result = statement_run(engine, catalogue, force.model, AS_OF)
    return result, read_here


@pytest.mark.skipif(not read_ahead.can_read_ahead(), reason="no fork, or one core")
def test_reading_ahead_changes_no_row_finding_or_source(monkeypatch: pytest.MonkeyPatch) -> None:
    catalogue = load_catalogue(CATALOGUE)
    alone, read_alone = _run(Engine(catalogue), False, monkeypatch)
    engine = Engine(catalogue)
    helped, read_helped = _run(engine, True, monkeypatch)
    pd.testing.assert_frame_equal(helped.frame, alone.frame)
    assert helped.findings == alone.findings
    assert helped.sources.keys() == alone.sources.keys()
    for key, source in alone.sources.items():
        pd.testing.assert_frame_equal(helped.sources[key].frame, source.frame)
        assert helped.sources[key].report == source.report
        assert helped.sources[key].editions == source.editions
    # This process read the first datasets it needed, the helper the rest: none twice.
    assert read_helped == read_alone[: len(read_helped)]
    assert engine._ahead is None  # the helper is gone once the block ends
