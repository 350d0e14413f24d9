"""Baselines and SPC rebases outside the span the data cover are findings of validate --data."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.cli.helpers import invoke
from tests.hostile.template import build

COUNT = "definitions/firearm_discharges.yaml"
RATE = "definitions/firearm_rate.yaml"
BASELINE = "baseline: {label: 12 months to June 2019, start: 2018-07, end: 2019-06}"
RATE_CHARTS = 'presentation: {charts: [trend, spc], unit: "offences per 100,000"}'


def _edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize(
    ("start", "end", "key"),
    [
        ("2016-01", "2016-12", "start"),
        ("2017-07", "2018-06", "start"),
        ("2023-01", "2023-12", "end"),
    ],
)
def test_a_baseline_the_data_do_not_cover_is_dat014(
    tmp_path: Path, start: str, end: str, key: str
) -> None:
    root = build(tmp_path / "catalogue")
    _edit(root, COUNT, BASELINE, f"baseline: {{label: B, start: {start}, end: {end}}}")
    assert invoke("validate", str(root)).exit_code == 0  # only the data can tell
    result = invoke("validate", str(root), "--data")
    assert result.exit_code == 1, result.output
    assert re.search(r"firearm_discharges\.yaml:\d+:\d+: error DAT014", result.output)
    assert "error DAT014 firearm_discharges: the baseline" in result.output
    assert "cover 2018-04 to 2023-06" in result.output
    assert f"at measure.baseline.{key}" in result.output


def test_a_rebase_outside_the_data_is_dat014_and_inside_is_not(tmp_path: Path) -> None:
    root = build(tmp_path / "catalogue")
    rebased = RATE_CHARTS[:-1] + ", spc_rebases: [{at: '2017-01', reason: A change}]}"
    _edit(root, RATE, RATE_CHARTS, rebased)
    result = invoke("validate", str(root), "--data")
    assert result.exit_code == 1, result.output
    assert "the SPC rebase at 2017-01 lies outside the data of 'firearms'" in result.output
    _edit(root, RATE, "at: '2017-01'", "at: '2020-04'")
    assert invoke("validate", str(root), "--data").exit_code == 0


def test_the_template_baseline_is_inside(tmp_path: Path) -> None:
    root = build(tmp_path / "catalogue")
    result = invoke("validate", str(root), "--data")
    assert result.exit_code == 0, result.output


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.integers(24_000, 24_400), min_size=1, max_size=30),
    st.sampled_from(["month", "quarter"]),
    st.one_of(st.none(), st.integers(1, 36)),
)
def test_the_span_runs_from_the_first_covered_month_to_the_last_row(
    periods: list[int], grain: str, covers: int | None
) -> None:
    from framework.validation.span_check import data_span
    from tests.sources.helpers import make_dataset

    dataset = make_dataset(
        {"kind": "tidy", "value_column": "value"}, "x.csv", grain=grain, covers_months=covers
    )
    values = [1.0] * len(periods)
    values[0] = float("nan")  # a row without a value does not extend the span
    frame = pd.DataFrame({"period": periods, "value": values})
    span = data_span(dataset, frame)
    rest = periods[1:]
    if not rest:
        assert span is None
        return
    months = covers or (3 if grain == "quarter" else 1)
    assert span == (min(rest) - months + 1, max(rest))
