"""Helpers shared by the source tests: the real catalogue, dataset definitions, book checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from framework.model.dataset import Dataset
from framework.model.documents import DatasetFile
from framework.sources.base import SourceFrame

CATALOGUE = Path(__file__).parents[2] / "measures"


def load_dataset(dataset_id: str) -> Dataset:
    """Return a registered dataset from measures/*/datasets/<id>.yaml."""
    (path,) = CATALOGUE.glob(f"*/datasets/{dataset_id}.yaml")
    text = path.read_text(encoding="utf-8")
    return DatasetFile.model_validate(yaml.safe_load(text)).dataset


def make_dataset(adapter: dict[str, Any], path: str, **fields: Any) -> Dataset:
    """Build a dataset definition for a test."""
    return Dataset.model_validate(
        {
            "id": fields.pop("id", "test_dataset"),
            "title": "test",
            "adapter": adapter,
            "path": path,
            "grain": fields.pop("grain", "month"),
            "provenance": {"publisher": "test", "title": "test"},
            **fields,
        }
    )


def assert_books_balance(source: SourceFrame) -> None:
    """Every row read is used or excluded, and the frame has the rows the report says."""
    report = source.report
    assert report.rows_read == report.rows_used + report.rows_excluded
    assert len(source.frame) == report.rows_used
    for exclusion in report.exclusions:
        assert exclusion.reason and exclusion.rows > 0
        assert 1 <= len(exclusion.examples) <= 5
