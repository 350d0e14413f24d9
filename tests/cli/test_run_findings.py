"""`measures run` turns data problems into located findings and exit 1."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from framework.cli.app import app

CATALOGUE = Path(__file__).parents[2] / "measures"


def test_a_filter_that_selects_nothing_is_a_run_finding(tmp_path: Path) -> None:
    root = tmp_path / "measures"
    shutil.copytree(CATALOGUE, root)
    definition = root / "definitions" / "homicide.yaml"
    text = definition.read_text(encoding="utf-8")
    definition.write_text(text.replace("[Homicide]", "[Homocide]"), encoding="utf-8")
    result = CliRunner().invoke(
        app, ["run", "--catalogue", str(root), "--measure", "homicide", "--format", "csv"]
    )
    assert result.exit_code == 1
    assert "RUN003" in result.output
    assert "homicide.yaml" in result.output
    assert "Traceback" not in result.output
