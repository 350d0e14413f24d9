"""A run with errors never replaces the statement, and never picks the quarter from survivors."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.helpers import invoke
from tests.hostile.template import build

OTHER_DATASET = """\
dataset:
  id: other_counts
  title: Other counts
  adapter: {kind: tidy, format: csv, period_column: period, area_column: area, value_column: value}
  path: data/other.csv
  grain: month
  complete: true
  synthetic: true
  provenance: {publisher: Test, title: Other counts}
"""


def _catalogue(tmp_path: Path) -> Path:
    """Build the small catalogue with a second dataset and measure, so one source can fail."""
    root = build(tmp_path / "catalogue")
    shutil.copy(root / "data" / "firearms.csv", root / "data" / "other.csv")
    (root / "datasets" / "other.yaml").write_text(OTHER_DATASET, encoding="utf-8")
    measure = (root / "definitions" / "firearm_discharges.yaml").read_text(encoding="utf-8")
    measure = measure.replace("id: firearm_discharges", "id: other_count")
    measure = measure.replace("dataset: firearms", "dataset: other_counts")
    national = measure[measure.index("  national_measure:") : measure.index("  source:")]
    measure = measure.replace(national, "  proxy_for: firearm_discharges\n")
    measure = measure.replace("kind: national", "kind: proxy")
    (root / "definitions" / "other_count.yaml").write_text(measure, encoding="utf-8")
    return root


def _report(root: Path, out: Path, *extra: str) -> tuple[int, str]:
    result = invoke("report", "--catalogue", str(root), "--out", str(out), "--format", "md", *extra)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def _missing(root: Path) -> None:
    (root / "data" / "firearms.csv").unlink()


def _empty(root: Path) -> None:
    (root / "data" / "firearms.csv").write_text("", encoding="utf-8")


def _empty_folder(root: Path) -> None:
    (root / "data" / "firearms.csv").unlink()
    (root / "data" / "firearms.csv").mkdir()


BREAKS: dict[str, Callable[[Path], None]] = {
    "missing": _missing,
    "empty": _empty,
    "empty-folder": _empty_folder,
}


@pytest.fixture
def good(tmp_path: Path) -> tuple[Path, Path, str]:
    """Build a catalogue and write its good statement for 2021/22 Q4."""
    root = _catalogue(tmp_path)
    out = tmp_path / "report"
    code, output = _report(root, out)
    assert code == 0, output
    page = (out / "statement.md").read_text(encoding="utf-8")
    assert "Other counts" in page or "other_count" in page or "Offences" in page
    return root, out, page


@pytest.mark.parametrize("name", list(BREAKS))
def test_a_failing_source_leaves_the_good_statement_untouched(
    good: tuple[Path, Path, str], name: str
) -> None:
    root, out, page = good
    BREAKS[name](root)
    code, output = _report(root, out)
    assert code == 1, output
    assert "error RUN001" in output
    assert "no statement was written" in output and "--allow-errors" in output
    assert (out / "statement.md").read_text(encoding="utf-8") == page


@pytest.mark.parametrize("name", list(BREAKS))
def test_allow_errors_writes_the_asked_quarter_with_the_failing_measures_marked(
    good: tuple[Path, Path, str], name: str
) -> None:
    root, out, page = good
    BREAKS[name](root)
    code, output = _report(root, out, "--allow-errors")
    assert code == 1, output
    assert "Statement for Warwickshire, 2021/22-Q4" in output
    written = (out / "statement.md").read_text(encoding="utf-8")
    assert written != page
    assert "2021/22" in written and "Source unavailable" in written


def test_without_a_declared_quarter_the_survivors_do_not_choose_it(
    good: tuple[Path, Path, str],
) -> None:
    root, out, page = good
    force = root / "forces" / "warwickshire.yaml"
    text = force.read_text(encoding="utf-8").replace("  reporting_period: 2021/22-Q4\n", "")
    force.write_text(text, encoding="utf-8")
    # The surviving dataset ends years earlier: its latest quarter would be the wrong one.
    other = root / "data" / "other.csv"
    lines = other.read_text(encoding="utf-8").splitlines()
    other.write_text("\n".join(x for x in lines if x < "2020" or x == lines[0]) + "\n", "utf-8")
    _missing(root)
    code, output = _report(root, out, "--allow-errors")
    assert code == 1, output
    assert "cannot be judged" in output and "--period" in output
    assert (out / "statement.md").read_text(encoding="utf-8") == page
    code, output = _report(root, out, "--allow-errors", "--period", "2022/23-Q1")
    assert code == 1, output
    assert "Statement for Warwickshire, 2022/23-Q1" in output


def test_every_forces_statements_are_not_replaced_either(good: tuple[Path, Path, str]) -> None:
    root, out, _ = good
    _missing(root)
    everyone = out.parent / "all"
    code, output = _report(root, everyone, "--all-forces")
    assert code == 1, output
    assert "no statement was written" in output
    assert not everyone.exists()
