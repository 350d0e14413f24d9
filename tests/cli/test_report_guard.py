"""A run with errors never replaces the statement, and never picks the quarter from survivors."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    _survivor_ends_in_2019(root)
    _missing(root)
    code, output = _report(root, out, "--allow-errors")
    assert code == 1, output
    assert "cannot be judged" in output and "--period" in output and "latest_period" in output
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


def _survivor_ends_in_2019(root: Path) -> None:
    """Take away the profile's quarter, and cut the surviving dataset off years early."""
    force = root / "forces" / "warwickshire.yaml"
    text = force.read_text(encoding="utf-8").replace("  reporting_period: 2021/22-Q4\n", "")
    force.write_text(text, encoding="utf-8")
    other = root / "data" / "other.csv"
    lines = other.read_text(encoding="utf-8").splitlines()
    other.write_text("\n".join(x for x in lines if x < "2020" or x == lines[0]) + "\n", "utf-8")


def test_a_declared_latest_period_stands_in_for_a_source_that_cannot_be_read(
    good: tuple[Path, Path, str],
) -> None:
    root, out, _ = good
    _survivor_ends_in_2019(root)
    dataset = root / "datasets" / "firearms.yaml"
    dataset.write_text(dataset.read_text("utf-8") + "  latest_period: 2023-06\n", "utf-8")
    assert invoke("validate", str(root), "--data").exit_code == 0  # the declaration is true
    _missing(root)
    code, output = _report(root, out, "--allow-errors")
    assert code == 1, output
    # Two of the three measures end in June 2023 by declaration: not 2019/20-Q3.
    assert "Statement for Warwickshire, 2023/24-Q1" in output


def test_a_declared_latest_period_must_be_true(tmp_path: Path) -> None:
    root = build(tmp_path / "catalogue")
    dataset = root / "datasets" / "firearms.yaml"
    dataset.write_text(dataset.read_text("utf-8") + "  latest_period: 2022/23-Q4\n", "utf-8")
    result = invoke("validate", str(root), "--data")
    assert result.exit_code == 1, result.output
    assert (
        "error DAT015 'firearms' declares latest_period 2022/23-Q4, but its rows end in "
        "2023-06" in result.output
    )
    assert "at dataset.latest_period" in result.output


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(st.sampled_from("abcdef"), st.integers(24_200, 24_300), min_size=1),
    st.dictionaries(st.sampled_from("uvwxyz"), st.integers(24_200, 24_300)),
)
def test_the_default_quarter_is_the_lower_median_of_read_and_declared_ends(
    read: dict[str, int], declared: dict[str, int]
) -> None:
    from framework.engine.context import latest_quarter
    from framework.engine.run import RunResult

    rows = [
        {"measure": measure, "period": period, "value": 1.0, "synthetic": False}
        for measure, end in read.items()
        for period in (end - 12, end)
    ]
    result = RunResult(pd.DataFrame(rows))
    span = latest_quarter(result, {m: (end, False) for m, end in declared.items()})
    ends = sorted([*read.values(), *declared.values()])
    median = ends[(len(ends) - 1) // 2]
    assert span.months == 3 and span.last % 3 == 2  # a quarter ending in Mar, Jun, Sep, Dec
    assert median - 2 <= span.last <= median
    # Synthetic declarations do not outvote published data.
    fake = latest_quarter(result, {m: (end, True) for m, end in declared.items()})
    real = sorted(read.values())[(len(read) - 1) // 2]
    assert real - 2 <= fake.last <= real
