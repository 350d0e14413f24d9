"""``measures render`` on the real catalogue: each chart as Vega-Lite JSON, SVG and PNG."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from tests.cli.helpers import invoke
from tests.renderers.helpers import schema_errors, unit_values, units

pytestmark = pytest.mark.slow  # make test-fast leaves it out; make test runs it

CATALOGUE = Path(__file__).parents[2] / "measures"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def render(*args: str) -> Result:
    """Run ``measures render`` in this process on the real catalogue."""
    return invoke("render", "--catalogue", str(CATALOGUE), *args)


def spec_of(path: Path) -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return spec


def period_ends(spec: dict[str, Any]) -> set[str]:
    """Return every ``period_end`` of the data the spec's marks draw."""
    drawn = [unit for unit in units(spec) if unit.get("data") is not None]
    assert drawn, "the spec draws no data"
    return {
        str(row["period_end"])
        for unit in drawn
        for row in unit_values(spec, unit)
        if "period_end" in row
    }


@pytest.fixture(scope="module")
def first_chart(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    out = tmp_path_factory.mktemp("render") / "charts"
    return render("--measure", "homicide", "--out", str(out)), out


@pytest.fixture(scope="module")
def all_charts(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    out = tmp_path_factory.mktemp("render-all") / "charts"
    return render("--measure", "homicide", "--out", str(out), "--all-charts"), out


def test_writes_the_spec_svg_and_png_of_the_first_chart(first_chart: tuple[Result, Path]) -> None:
    result, out = first_chart
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "homicide.png",
        "homicide.svg",
        "homicide.vl.json",
    ]
    assert (out / "homicide.png").read_bytes().startswith(PNG_SIGNATURE)
    svg = (out / "homicide.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "Homicide" in svg
    assert f"wrote {out / 'homicide.vl.json'}" in result.stderr
    assert f"1 chart(s) in {out}" in result.stderr


def test_the_spec_validates_against_the_vegalite_schema(first_chart: tuple[Result, Path]) -> None:
    _, out = first_chart
    spec = spec_of(out / "homicide.vl.json")
    assert schema_errors(spec) == []
    assert "Homicide" in json.dumps(spec["title"])
    # The trend (homicide's first chart) runs to the latest bundled quarter.
    assert max(period_ends(spec)) == "2023-06-30"


def test_all_charts_writes_one_set_per_kind(
    all_charts: tuple[Result, Path], first_chart: tuple[Result, Path]
) -> None:
    result, out = all_charts
    assert result.exit_code == 0, result.output
    kinds = ("trend", "spc", "comparator")
    expected = {f"homicide-{kind}.{ext}" for kind in kinds for ext in ("vl.json", "svg", "png")}
    assert {p.name for p in out.iterdir()} == expected
    for kind in kinds:
        assert schema_errors(spec_of(out / f"homicide-{kind}.vl.json")) == [], kind
        assert (out / f"homicide-{kind}.png").read_bytes().startswith(PNG_SIGNATURE)
    assert "3 chart(s)" in result.stderr
    # Without --all-charts the measure's first chart is written under the measure's name.
    _, single = first_chart
    trend = (out / "homicide-trend.vl.json").read_text(encoding="utf-8")
    assert (single / "homicide.vl.json").read_text(encoding="utf-8") == trend


def test_as_of_cuts_the_charted_periods(tmp_path: Path) -> None:
    result = render("--measure", "homicide", "--out", str(tmp_path), "--as-of", "2019-06")
    assert result.exit_code == 0, result.output
    assert max(period_ends(spec_of(tmp_path / "homicide.vl.json"))) == "2019-06-30"


def test_an_unknown_measure_exits_2(tmp_path: Path) -> None:
    result = render("--measure", "nosuch", "--out", str(tmp_path / "charts"))
    assert result.exit_code == 2, result.output
    assert "no measure 'nosuch'" in result.stderr
    assert not (tmp_path / "charts").exists()


def test_writing_into_a_file_is_a_clean_error(tmp_path: Path) -> None:
    blocker = tmp_path / "charts"
    blocker.write_text("not a folder\n", encoding="utf-8")
    result = render("--measure", "homicide", "--out", str(blocker))
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert f"could not write {blocker}" in result.stderr


def test_the_charts_are_the_same_on_one_process_and_two(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from framework.cli import render_command

    written: dict[int, dict[str, str]] = {}
    for processes in (1, 2):
        monkeypatch.setattr(render_command, "default_workers", lambda _all, _count, n=processes: n)
        out = tmp_path / str(processes)
        result = render("--measure", "homicide", "--measure", "knife_crime", "--out", str(out))
        assert result.exit_code == 0, result.output
        written[processes] = {p.name: p.read_text("utf-8") for p in out.glob("*.vl.json")}
    assert sorted(written[1]) == ["homicide.vl.json", "knife_crime.vl.json"]
    assert written[2] == written[1]
