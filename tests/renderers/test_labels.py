"""Notices: synthetic data and an illustrative MSG are labelled, and only when they apply."""

from __future__ import annotations

import json

import pytest

from renderers.chart_kinds import render_chart
from renderers.vegalite import ILLUSTRATIVE_MSG_LABEL, SYNTHETIC_LABEL
from tests.renderers.samples import all_inputs, comparator_inputs, kind_of

REAL = all_inputs()
SYNTHETIC = all_inputs(synthetic=True)


@pytest.mark.parametrize("name", sorted(REAL))
def test_synthetic_label_appears_only_for_synthetic_data(name: str) -> None:
    real = render_chart(kind_of(name), REAL[name])
    fake = render_chart(kind_of(name), SYNTHETIC[name])
    assert SYNTHETIC_LABEL in fake["title"]["subtitle"]
    assert SYNTHETIC_LABEL not in json.dumps(real, ensure_ascii=False)


def test_illustrative_msg_label() -> None:
    shown = render_chart("comparator", comparator_inputs(illustrative=True))
    hidden = render_chart("comparator", comparator_inputs(illustrative=False))
    assert ILLUSTRATIVE_MSG_LABEL in shown["title"]["subtitle"]
    assert ILLUSTRATIVE_MSG_LABEL not in json.dumps(hidden, ensure_ascii=False)


def test_direction_and_baseline_are_in_the_subtitle() -> None:
    subtitle = render_chart("trend", REAL["trend"])["title"]["subtitle"]
    assert "Lower is better" in subtitle
    assert "Baseline: 12 months to June 2019" in subtitle
