"""CONTRIBUTING's recipes, followed step by step with a toy chart kind and a toy source adapter.

Both are registered here only, through the public registration functions, and taken from a
definition in a force catalogue to a figure (the adapter) and to a chart in the statement
(the chart kind). The fixtures take them out again, so no other test sees them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import pytest

from framework.areas.registry import AreaRegistry
from framework.model import chart_kinds as model_chart_kinds
from framework.model.base import Definition
from framework.model.dataset import Dataset
from framework.model.measure import Presentation
from framework.periods import PeriodError, parse_period
from framework.sources.adapters import adapter_kinds, register_adapter, unregister_adapter
from framework.sources.base import SourceFrame
from framework.sources.files import digest, relative_name
from framework.sources.frame import canonical_frame
from framework.sources.ledger import Ledger
from renderers.chart_kinds import (
    ChartKindEntry,
    chart_inputs,
    chart_kind_names,
    chart_text,
    register_chart_kind,
    render_chart,
    unregister_chart_kind,
)
from renderers.from_results import MeasureView, context, own_rows
from renderers.vegalite import ChartContext, Theme, vl
from renderers.vegalite.layers import chart_title, finish, inline
from renderers.vegalite.vl import Spec
from tests.assemble.test_from_results import NAMES, VIEW, result_rows
from tests.cli.helpers import invoke
from tests.init.helpers import new_force
from tests.renderers.helpers import schema_errors

# --- Adding a source adapter ---------------------------------------------------------------


class SemicolonOptions(Definition):
    """Step 1: the options model, with its ``kind`` literal (here it needs no other option)."""

    kind: Literal["semicolon_lines"] = "semicolon_lines"


class SemicolonAdapter:
    """Step 2: the reader of a toy format, one ``YYYY-MM;area;count`` line per figure."""

    def read(self, dataset: Dataset, path: Path, root: Path, areas: AreaRegistry) -> SourceFrame:
        """Read every line into the canonical frame; account for each line left out."""
        name = relative_name(path, root)
        lines = path.read_text(encoding="utf-8").splitlines()
        ledger = Ledger(dataset.id, rows_read=len(lines))
        ledger.files.append(digest(path, root))
        periods, codes, names, values, rows = [], [], [], [], []
        for line, text in enumerate(lines, start=1):
            month, area_name, count = [*text.split(";"), "", ""][:3]
            area = areas.resolve(area_name)
            if area is None:
                ledger.exclude(areas.exclusion_reason(area_name), 1, [line], values=area_name)
                continue
            try:
                period = parse_period(month).last
            except PeriodError:
                ledger.exclude("the month is not YYYY-MM", 1, [line], values=month)
                continue
            if not count.strip().isdigit():
                ledger.exclude("the count is not a whole number", 1, [line], values=count)
                continue
            periods.append(period)
            codes.append(area.code)
            names.append(area.name)
            values.append(float(count))
            rows.append(line)
        frame = canonical_frame(
            period=np.asarray(periods, dtype=np.int64),
            area_code=codes,
            area=names,
            value=values,
            source_row=rows,
            source_file=name,
        )
        return SourceFrame(frame, ledger.report(len(frame)))


@pytest.fixture
def toy_adapter() -> Iterator[str]:
    """Step 3: register the options and the reader; take them out again afterwards."""
    register_adapter(SemicolonOptions, SemicolonAdapter)
    try:
        yield "semicolon_lines"
    finally:
        unregister_adapter(SemicolonOptions)
    assert "semicolon_lines" not in adapter_kinds()


DATASET = """\
dataset:
  id: semicolon_counts
  title: Counts the force keeps in a toy format
  adapter:
    kind: semicolon_lines
  path: data/counts.txt
  grain: month
  complete: true
  max_excluded_rows: 1
  provenance:
    publisher: the force
    title: A toy table for the recipe test
    licence: as the force publishes it
"""

MEASURE = """\
measure:
  id: semicolon_measure
  title: Toy counts
  description: The toy format's counts over the last 12 months.
  priority: disrupt_drugs_supply
  kind: proxy
  proxy_for: drug_related_homicide
  source:
    dataset: semicolon_counts
  aggregation: {kind: count}
  grain: month
  window: {kind: rolling, months: 12}
  improvement: lower_is_better
  presentation:
    charts: [CHARTS]
    unit: incidents
"""

COUNTS = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7]
"""A month each from January 2022; the last 12 months (March 2022 on) sum to 64."""


def force_catalogue(tmp_path: Path, charts: str = "trend") -> Path:
    """Write a force catalogue whose own measure reads the toy format, drawn as ``charts``."""
    folder = new_force(tmp_path)
    (folder / "datasets").mkdir()
    (folder / "datasets" / "semicolon_counts.yaml").write_text(DATASET, encoding="utf-8")
    definition = MEASURE.replace("CHARTS", charts)
    (folder / "definitions" / "semicolon_measure.yaml").write_text(definition, encoding="utf-8")
    months = pd.period_range("2022-01", periods=len(COUNTS), freq="M")
    lines = [f"{month};Durham;{count}" for month, count in zip(months, COUNTS, strict=True)]
    lines.append("2022-02;Atlantis;7")  # not an area: left out with the registry's reason
    (folder / "data" / "counts.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_a_registered_adapter_is_read_validated_and_evaluated(
    tmp_path: Path, toy_adapter: str
) -> None:
    folder = force_catalogue(tmp_path)
    checked = invoke("validate", str(folder), "--data")
    assert checked.exit_code == 0, checked.output
    run = invoke(
        "run", "--catalogue", str(folder), "--measure", "semicolon_measure",
        "--period", "2023-02", "--format", "csv",
    )  # fmt: skip
    assert run.exit_code == 0, run.output
    rows = pd.read_csv(StringIO(run.stdout))
    latest = rows.loc[rows["period_end"] == "2023-02-28"].iloc[0]
    assert latest["value"] == sum(COUNTS[-12:])
    assert latest["source_files"] == "data/counts.txt"


def test_an_unregistered_kind_is_a_finding(tmp_path: Path) -> None:
    folder = force_catalogue(tmp_path)
    checked = invoke("validate", str(folder))
    assert checked.exit_code == 1
    assert "semicolon_lines" in checked.stdout and "adapter.kind" in checked.stdout


def test_the_reader_accounts_for_every_line(tmp_path: Path, toy_adapter: str) -> None:
    from framework.loading.catalogue import load_catalogue
    from framework.sources.area_list import default_registry
    from framework.sources.registry import read_dataset

    folder = force_catalogue(tmp_path)
    catalogue = load_catalogue(folder)
    dataset = catalogue.dataset("semicolon_counts")
    assert dataset is not None
    source = read_dataset(dataset.model, folder, default_registry(folder))
    assert source.report.rows_read == len(COUNTS) + 1
    assert source.report.rows_used == len(COUNTS) == len(source.frame)
    (exclusion,) = source.report.exclusions
    assert exclusion.rows == 1 and exclusion.listed[0].value == "Atlantis"


# --- Adding a chart kind -------------------------------------------------------------------


@dataclass(frozen=True)
class DotsInputs:
    """Step 1: the inputs of the toy kind: plain data, no YAML."""

    context: ChartContext
    points: pd.DataFrame
    """``period_end`` and ``value``: the force's series."""


def dots_chart(inputs: DotsInputs, theme: Theme) -> Spec:
    """Step 2: a pure function from inputs and a theme to a spec; every mark has a tooltip.

    The spec is plain data built with ``renderers.vegalite.vl``; the title and the theme come
    from the shared helpers, which also put the synthetic-data label on the chart when the
    data are synthetic.
    """
    rows = [
        {"period_end": pd.Timestamp(end).strftime("%Y-%m-%d"), "value": float(value)}
        for end, value in zip(inputs.points["period_end"], inputs.points["value"], strict=True)
    ]
    chart = vl.unit(
        inline(rows),
        vl.mark("point", color=theme.force_colour),
        {
            "tooltip": [vl.field("period_end:T"), vl.field("value:Q")],
            "x": vl.field("period_end:T", title="Period ending"),
            "y": vl.field("value:Q", title=inputs.context.unit),
        },
        height=theme.height,
        title=chart_title(inputs.context),
        width=theme.width,
    )
    return finish(chart, theme)


def dots_inputs(view: MeasureView, rows: pd.DataFrame, names: Mapping[str, str]) -> DotsInputs:
    """Step 3: map a measure's result rows onto the inputs."""
    own = own_rows(rows, view.force_code)
    own = own.loc[own["value"].notna()]
    return DotsInputs(context(view, rows), own[["period_end", "value"]])


DOTS = ChartKindEntry("dots", DotsInputs, dots_chart, dots_inputs)
"""Step 4: the kind's row; without words of its own, the spec's values are listed."""


@pytest.fixture
def toy_chart_kind() -> Iterator[str]:
    """Step 5: register the row and its description; take them out again afterwards."""
    register_chart_kind(DOTS, "the force's figures as dots")
    try:
        yield "dots"
    finally:
        unregister_chart_kind("dots")
    assert "dots" not in chart_kind_names() and "dots" not in model_chart_kinds.CHART_KINDS


def test_the_model_accepts_a_registered_kind(toy_chart_kind: str) -> None:
    assert Presentation.model_validate({"charts": ["trend", "dots"]}).charts == ["trend", "dots"]
    schema = Presentation.model_json_schema()["properties"]["charts"]["items"]
    assert schema["enum"][-1] == "dots"
    assert chart_kind_names()[-1] == "dots" == tuple(model_chart_kinds.CHART_KINDS)[-1]


def test_an_unregistered_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="Input should be 'trend'"):
        Presentation.model_validate({"charts": ["dots"]})


def test_a_registered_kind_is_mapped_drawn_and_told(toy_chart_kind: str) -> None:
    inputs = chart_inputs("dots", VIEW, result_rows(), NAMES)
    assert isinstance(inputs, DotsInputs)
    spec: dict[str, Any] = render_chart("dots", inputs)
    assert schema_errors(spec) == []
    text, table = chart_text("dots", inputs, "Homicide: dots", spec)
    points = len(inputs.points)
    assert text == f"Homicide: dots: a chart of {points} values, listed in the table below."
    assert table.columns == ("period_end", "value")


@pytest.mark.slow
def test_a_registered_kind_reaches_the_statement(
    tmp_path: Path, toy_adapter: str, toy_chart_kind: str
) -> None:
    folder = force_catalogue(tmp_path, charts="trend, dots")
    out = tmp_path / "report"
    report = invoke(
        "report", "--catalogue", str(folder), "--out", str(out), "--format", "md",
        "--period", "2022/23-Q4", "--no-svg",
    )  # fmt: skip
    assert report.exit_code in (0, 1), report.output
    spec = (out / "semicolon_measure-dots.vl.json").read_text(encoding="utf-8")
    assert '"mark": {' in spec or '"mark":{' in spec
    statement = (out / "statement.md").read_text(encoding="utf-8")
    assert "*Toy counts: dots*" in statement
    told = r"Toy counts: dots: a chart of \d+ values, listed in the table below"
    assert re.search(told, statement)
