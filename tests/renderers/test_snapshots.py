"""Golden-file tests of every chart kind's Vega-Lite spec.

Each sample input (small fixed frames in ``tests/renderers/samples.py``) is rendered and its
spec, serialised stably (sorted keys, two-space indent), is compared with
``tests/renderers/snapshots/<name>.vl.json``.

After an intended change to a chart, rewrite the snapshots and review the diff::

    .venv/bin/pytest tests/renderers/test_snapshots.py --update-snapshots

(``make snapshots`` does the same for every snapshot test in the project.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from renderers.vegalite import render_chart, spec_json
from tests.renderers.samples import all_inputs, kind_of
from tests.snapshots import Snapshot

SNAPSHOTS = Path(__file__).parent / "snapshots"
SAMPLES = {**all_inputs(), "trend_synthetic": all_inputs(synthetic=True)["trend"]}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_spec_matches_snapshot(name: str, snapshot: Snapshot) -> None:
    actual = spec_json(render_chart(kind_of(name), SAMPLES[name]))
    snapshot.assert_match(actual, SNAPSHOTS / f"{name}.vl.json")


def test_rendering_is_deterministic() -> None:
    """Two renders of one input serialise identically, so snapshots cannot flicker."""
    first = spec_json(render_chart("spc", SAMPLES["spc"]))
    assert spec_json(render_chart("spc", SAMPLES["spc"])) == first


def test_every_kind_has_a_snapshot() -> None:
    from framework.model.chart_kinds import CHART_KINDS

    assert {kind_of(name) for name in SAMPLES} == set(CHART_KINDS)
