"""`measures run` turns data problems into located findings and exit 1."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from framework.cli.app import app
from tests.cli.helpers import copy_measures

CATALOGUE = Path(__file__).parents[2] / "measures"


def test_a_filter_that_selects_nothing_is_a_run_finding(tmp_path: Path) -> None:
    root = copy_measures(tmp_path)
    definition = root / "national" / "definitions" / "homicide.yaml"
    text = definition.read_text(encoding="utf-8")
    definition.write_text(text.replace("[Homicide]", "[Homocide]"), encoding="utf-8")
    result = CliRunner().invoke(
        app, ["run", "--catalogue", str(root), "--measure", "homicide", "--format", "csv"]
    )
    assert result.exit_code == 1
    assert "RUN003" in result.output
    assert "homicide.yaml" in result.output
    assert "Traceback" not in result.output


def test_trace_of_a_window_with_no_source_rows_exits_1() -> None:
    result = CliRunner().invoke(
        app, ["trace", "homicide", "--period", "2016-03", "--catalogue", str(CATALOGUE)]
    )
    assert result.exit_code == 1
    assert "no source row" in result.output


def test_trace_warns_when_the_run_leaves_the_window_empty() -> None:
    # The 12 months to June 2016 reach back into 2015/16, which the Home Office table lacks.
    result = CliRunner().invoke(
        app, ["trace", "homicide", "--period", "2016-06", "--catalogue", str(CATALOGUE)]
    )
    assert result.exit_code == 0
    assert "leaves this window empty" in result.output


def test_a_column_the_data_lacks_is_a_run_finding_at_the_measure(tmp_path: Path) -> None:
    root = copy_measures(tmp_path)
    definition = root / "national" / "definitions" / "cyber_victim_advice.yaml"
    text = definition.read_text(encoding="utf-8")
    old = "      filters: {measure_column: [advised]}\n"
    definition.write_text(text.replace(old, old + "      column: valeu\n"), encoding="utf-8")
    result = CliRunner().invoke(
        app,
        ["run", "--catalogue", str(root), "--measure", "cyber_victim_advice", "--format", "csv"],
    )
    assert result.exit_code == 1
    (line,) = [line for line in result.stderr.splitlines() if "RUN002" in line]
    assert line.endswith(
        "error RUN002 cyber_victim_advice: the data has no column 'valeu' for the numerator"
    )
    assert "cyber_victim_advice.yaml" in line
    assert "Traceback" not in result.output
