"""A force's own extract, holding only that force, gives no comparator and says why.

Before, the same CSV gave "England and Wales" as Warwickshire's own rate (``complete: false``)
or pooled Warwickshire with the other 42 forces counted as zero (``complete: true``).
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pandas as pd
import pytest

from framework.findings.finding import Finding
from framework.validation.data_stage import check_data
from framework.validation.pipeline import validate_catalogue
from tests.cli.helpers import REPO, invoke

DATASET = """\
dataset:
  id: warwickshire_knife_extract
  title: Knife crime extract of one force
  adapter: {kind: tidy, format: csv, period_column: period, area_column: area,
    value_column: value}
  path: data/own/knife.csv
  grain: month
  complete: COMPLETE
COVERS  provenance: {publisher: Warwickshire Police, title: Own extract}
"""
MEASURE = """\
measure:
  id: own_knife_extract
  title: Knife crime from the force's own extract
  description: Knife crime counted from the force's own records, over 12 months.
  priority: reduce_serious_violence
  kind: proxy
  proxy_for: hospital_admissions_sharp_object
  source: {dataset: warwickshire_knife_extract}
  aggregation: {kind: count}
  grain: month
  window: {kind: rolling, months: 12}
  comparators: [national, region, msg]
  improvement: lower_is_better
  presentation: {charts: [trend], unit: offences}
"""
REASON = "the dataset holds only Warwickshire"


def _catalogue(
    tmp_path: Path, complete: bool, covers: str = "", areas: tuple[str, ...] = ("Warwickshire",)
) -> Path:
    root = tmp_path / "measures"
    shutil.copytree(REPO / "measures", root)
    lines = ["period,area,value"] + [
        f"{2018 + (month - 1) // 12}-{(month - 1) % 12 + 1:02d},{area},{month % 7 + 20}"
        for month in range(1, 25)
        for area in areas
    ]
    force = root / "warwickshire"
    (force / "data" / "own").mkdir(parents=True)
    (force / "data" / "own" / "knife.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    text = DATASET.replace("COMPLETE", str(complete).lower()).replace("COVERS", covers)
    (force / "datasets" / "warwickshire_knife_extract.yaml").write_text(text, encoding="utf-8")
    (force / "definitions").mkdir(exist_ok=True)
    (force / "definitions" / "own_knife_extract.yaml").write_text(MEASURE, encoding="utf-8")
    return root


def _run(root: Path) -> pd.DataFrame:
    result = invoke(
        "run", "--catalogue", str(root), "--measure", "own_knife_extract", "--format", "csv"
    )
    assert result.exit_code == 0, result.output
    return pd.read_csv(io.StringIO(result.output))


@pytest.mark.parametrize("complete", [False, True])
def test_a_force_only_csv_yields_empty_comparators_with_a_reason(
    tmp_path: Path, complete: bool
) -> None:
    rows = _run(_catalogue(tmp_path, complete)).dropna(subset=["value"])
    assert len(rows) == 13
    assert rows["value"].gt(0).all()
    for group in ("national", "region"):
        assert rows[f"{group}_value"].isna().all()
        assert rows[f"{group}_rate"].isna().all()
        assert rows[f"{group}_source"].isna().all()
        assert (rows[f"{group}_empty_reason"] == REASON).all()
    assert rows["msg_average"].isna().all() and rows["msg_rank"].isna().all()
    assert (rows["msg_empty_reason"] == REASON).all()


def _covers_findings(root: Path) -> list[Finding]:
    result = validate_catalogue(root, check_data)
    return [f for f in result.findings if f.code == "DAT010"]


def test_a_force_only_csv_matches_its_declaration(tmp_path: Path) -> None:
    assert _covers_findings(_catalogue(tmp_path, False, "  covers: force_only\n")) == []


def test_all_forces_declared_over_one_force_is_a_located_finding(tmp_path: Path) -> None:
    root = _catalogue(tmp_path, False, "  covers: all_forces\n")
    (finding,) = _covers_findings(root)
    assert finding.location.file.endswith("datasets/warwickshire_knife_extract.yaml")
    assert (finding.location.line, finding.location.column) == (9, 3)
    assert finding.location.dotted == "dataset.covers"
    assert finding.message == (
        "the dataset 'warwickshire_knife_extract' declares covers: all_forces, but no row "
        "holds 42 of the 43 forces (Cleveland, Durham, Northumbria, Cheshire, Cumbria and "
        "37 more)"
    )


def test_force_only_declared_over_two_forces_is_a_finding(tmp_path: Path) -> None:
    root = _catalogue(tmp_path, False, "  covers: force_only\n", ("Warwickshire", "Durham"))
    (finding,) = _covers_findings(root)
    assert finding.message == (
        "the dataset 'warwickshire_knife_extract' declares covers: force_only, but its rows "
        "hold 2 forces (Durham, Warwickshire)"
    )


def test_a_covers_list_is_checked_entry_by_entry(tmp_path: Path) -> None:
    covers = "  covers: [Warwickshire, Atlantis, Durham]\n"
    root = _catalogue(tmp_path, False, covers, ("Warwickshire", "Cleveland"))
    findings = _covers_findings(root)
    assert sorted((f.location.dotted, f.message) for f in findings) == [
        (
            "dataset.covers",
            "the rows of 'warwickshire_knife_extract' hold 1 force(s) that covers does not "
            "list (Cleveland)",
        ),
        ("dataset.covers[1]", "covers[1] = 'Atlantis' is not a police force area"),
        (
            "dataset.covers[2]",
            "the dataset 'warwickshire_knife_extract' lists Durham in covers, but no row holds it",
        ),
    ]


def test_a_listed_coverage_gives_the_comparators_it_can(tmp_path: Path) -> None:
    # The extract holds the whole region (West Midlands): the region is pooled, the rest empty.
    region = ("Warwickshire", "West Mercia", "West Midlands", "Staffordshire")
    covers = "  covers: [" + ", ".join(region) + "]\n"
    rows = _run(_catalogue(tmp_path, True, covers, region)).dropna(subset=["value"])
    assert rows["region_value"].notna().all()
    assert (rows["region_source"] == "pooled").all()
    assert rows["national_value"].isna().all()
    assert (
        rows["national_empty_reason"]
        .str.startswith("the dataset does not hold 39 of the 43 forces of England and Wales")
        .all()
    )
