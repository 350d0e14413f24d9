"""Rows a reader leaves out are reported: run summary, trace --excluded, validate --data.

The case of the issue: a force's own CSV where 12 rows misspell the force's name. They used
to vanish and lower the baseline from 775 to 552 without a word.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from tests.cli.helpers import invoke
from tests.snapshots import Snapshot

CATALOGUE = Path(__file__).parents[2] / "measures"
BURGLARY = [40, 45, 50, 42, 48, 44, 46, 47, 43, 49, 50, 48]  # 552 over July 2018 to June 2019
ROBBERY = [18, 19, 17, 20, 18, 19, 18, 17, 19, 20, 19, 19]  # 223
MONTHS = [f"{2018 + (6 + i) // 12}-{(6 + i) % 12 + 1:02d}" for i in range(12)]
DATASET = """dataset:
  id: force_counts
  title: The force's own monthly counts
  adapter: {kind: tidy, format: csv, value_column: value}
  path: data/force/counts.csv
  grain: month
  dimensions: [category]
  provenance: {publisher: Warwickshire Police, title: Monthly counts}
"""
MEASURE = """measure:
  id: force_counts
  title: Burglary and robbery from the force's own table
  description: Burglary and robbery, 12 months to each month.
  priority: reduce_neighbourhood_crime
  kind: proxy
  proxy_for: neighbourhood_crime_csew
  source: {dataset: force_counts}
  grain: month
  window: {kind: rolling, months: 12}
  baseline: {label: 12 months to June 2019, start: 2018-07, end: 2019-06}
  presentation: {charts: [trend]}
"""


def _link_copy(source: str, target: str) -> None:
    # Hard links: the big data files are never written by these tests, only new files are.
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


@pytest.fixture()
def catalogue(tmp_path: Path) -> Path:
    root = tmp_path / "measures"
    shutil.copytree(CATALOGUE, root, copy_function=_link_copy)
    (root / "warwickshire" / "definitions").mkdir()
    (root / "warwickshire" / "datasets" / "force_counts.yaml").write_text(DATASET, encoding="utf-8")
    (root / "warwickshire" / "definitions" / "force_counts.yaml").write_text(
        MEASURE, encoding="utf-8"
    )
    _write_counts(root, "Warwickshre")
    return root


def _write_counts(root: Path, robbery_area: str) -> None:
    lines = ["period,area,category,value"]
    lines += [f"{m},Warwickshire,burglary,{v}" for m, v in zip(MONTHS, BURGLARY, strict=True)]
    lines += [f"{m},{robbery_area},robbery,{v}" for m, v in zip(MONTHS, ROBBERY, strict=True)]
    folder = root / "warwickshire" / "data" / "force"
    folder.mkdir(exist_ok=True)
    (folder / "counts.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _set_threshold(root: Path, rows: int) -> None:
    path = root / "warwickshire" / "datasets" / "force_counts.yaml"
    text = DATASET.replace("  grain: month\n", f"  grain: month\n  max_excluded_rows: {rows}\n")
    path.unlink()
    path.write_text(text, encoding="utf-8")


def _run(root: Path) -> tuple[int, pd.DataFrame, str]:
    result = invoke("run", "--catalogue", str(root), "--measure", "force_counts", "--format", "csv")
    frame = pd.read_csv(io.StringIO(result.stdout))
    return result.exit_code, frame, result.stderr


def _baseline(frame: pd.DataFrame) -> float:
    values = frame.loc[frame["period_end"] == "2019-06-30", "baseline"]
    return float(values.iloc[0])


def test_the_misspelt_rows_are_a_finding_that_names_them(catalogue: Path) -> None:
    code, frame, stderr = _run(catalogue)
    assert code == 1
    # The figure still comes out (552), but not silently: the run says what was left out.
    assert _baseline(frame) == sum(BURGLARY) == 552
    assert "RUN011" in stderr
    assert "force_counts" in stderr and "12 row(s) it did not expect" in stderr
    assert "'Warwickshre' is not in the area registry" in stderr
    assert "data/force/counts.csv lines 14, 15, 16, ..." in stderr  # the robbery rows
    summary = next(line for line in stderr.splitlines() if line.startswith("source force_counts"))
    assert "24 rows read, 12 used, 12 left out (12 unexpected)" in summary


def test_with_the_name_put_right_the_baseline_is_775_and_the_run_is_clean(
    catalogue: Path,
) -> None:
    _write_counts(catalogue, "Warwickshire")
    code, frame, stderr = _run(catalogue)
    assert code == 0, stderr
    assert _baseline(frame) == sum(BURGLARY) + sum(ROBBERY) == 775
    assert "RUN011" not in stderr


def test_the_summary_is_on_stderr_so_the_csv_stays_clean(catalogue: Path) -> None:
    _, frame, stderr = _run(catalogue)
    assert next(iter(frame.columns)) == "measure"
    assert set(frame["measure"]) == {"force_counts"}
    assert "source ons_population:" in stderr and "[expected]" in stderr


def test_a_threshold_in_the_yaml_allows_known_rows(catalogue: Path) -> None:
    _set_threshold(catalogue, 12)
    code, _, stderr = _run(catalogue)
    assert code == 0, stderr
    assert "12 unexpected" in stderr  # still said, no longer a finding
    _set_threshold(catalogue, 11)
    code, _, stderr = _run(catalogue)
    assert code == 1 and "max_excluded_rows: 11" in stderr


def test_trace_excluded_lists_each_row_with_file_and_line(catalogue: Path) -> None:
    result = invoke("trace", "force_counts", "--excluded", "--catalogue", str(catalogue))
    assert result.exit_code == 1
    rows = pd.read_csv(io.StringIO(result.stdout))
    assert list(rows.columns) == ["file", "line", "reason", "value", "expected"]
    assert len(rows) == 12
    assert set(rows["file"]) == {"data/force/counts.csv"}
    assert rows["line"].tolist() == list(range(14, 26))
    assert set(rows["value"]) == {"Warwickshre"} and not rows["expected"].any()


def test_validate_data_lists_each_row_at_its_line(catalogue: Path) -> None:
    result = invoke("validate", str(catalogue), "--data", "--format", "json")
    assert result.exit_code == 1
    import json

    findings = json.loads(result.stdout)["findings"]
    rows = [f for f in findings if f["code"] == "DAT012"]
    assert [f["line"] for f in rows] == list(range(14, 26))
    assert all(f["file"].endswith("data/force/counts.csv") for f in rows)
    assert all("'Warwickshre'" in f["message"] and f["level"] == "error" for f in rows)
    (summary,) = [f for f in findings if f["code"] == "DAT011"]
    assert summary["file"].endswith("datasets/force_counts.yaml")
    # Within the threshold the rows are still shown, as warnings, and validation passes.
    _set_threshold(catalogue, 12)
    result = invoke("validate", str(catalogue), "--data", "--format", "json")
    assert result.exit_code == 0
    findings = json.loads(result.stdout)["findings"]
    assert {f["code"] for f in findings} == {"DAT012"}
    assert {f["level"] for f in findings} == {"warning"}


def test_the_bundled_catalogue_expects_all_its_exclusions() -> None:
    # British Transport Police, Action Fraud and the other fraud bodies, police.uk
    # anti-social behaviour: left out by design, so a threshold of 0 is no finding.
    result = invoke(
        "run", "--catalogue", str(CATALOGUE), "--measure", "homicide",
        "--measure", "neighbourhood_crime_police_uk", "--format", "csv",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("source ")]
    assert len(lines) == 3
    assert all("(all expected by design)" in line for line in lines), lines
    assert any("British Transport Police" in line for line in lines)
    assert any("anti-social behaviour" in line for line in lines)


def test_dates_in_another_format_are_one_finding_naming_the_column(catalogue: Path) -> None:
    path = catalogue / "warwickshire" / "data" / "force" / "counts.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    # 2018-07 written as 01/07/2018: a day-first date, not the declared YYYY-MM.
    redated = [lines[0]] + [f"01/{row[5:7]}/{row[:4]}{row[7:]}" for row in lines[1:]]
    path.unlink()
    path.write_text("\n".join(redated) + "\n", encoding="utf-8")
    measure = catalogue / "warwickshire" / "definitions" / "force_counts.yaml"
    measure.unlink()
    measure.write_text(
        MEASURE.replace("source: {dataset: force_counts}",
                        "source: {dataset: force_counts, filters: {category: [burglary]}}"),
        encoding="utf-8",
    )  # fmt: skip
    import json

    result = invoke("validate", str(catalogue), "--data", "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    (dates,) = [f for f in findings if f["code"] == "DAT013"]
    assert "the period column 'period'" in dates["message"]
    assert "'01/07/2018'" in dates["message"] and "data/force/counts.csv:2" in dates["message"]
    assert dates["file"].endswith("datasets/force_counts.yaml")
    assert "YYYY-MM" in dates["hint"] or "2019-06" in dates["hint"]
    # Not a filter finding with an empty "values include" hint.
    assert not [f for f in findings if f["code"] == "DAT003"]
    assert all("include ." not in f["hint"] for f in findings)


GOLDEN = Path(__file__).parent / "golden" / "exclusions.text.txt"


def test_the_findings_read_as_the_golden_file(
    catalogue: Path, monkeypatch: pytest.MonkeyPatch, snapshot: Snapshot
) -> None:
    """Pin the wording; ``--update-snapshots`` rewrites it after an intended change."""
    path = catalogue / "warwickshire" / "data" / "force" / "counts.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("2018-07", "July 2018")  # a date in another form
    lines[2] = lines[2].rsplit(",", 1)[0] + ",twelve"  # a count that is not a number
    path.unlink()
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.chdir(catalogue.parent)  # file names are relative to the working folder
    result = invoke("validate", "measures", "--data")
    assert result.exit_code == 1
    snapshot.assert_match(result.stdout, GOLDEN)
    for code in ("DAT011", "DAT012", "DAT013"):
        assert f" {code} " in result.stdout
