"""Small builders of measures, datasets and canonical frames for engine tests."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from framework.engine.evaluate import Evaluated, evaluate_plan
from framework.engine.plan import build_plan
from framework.model.dataset import Dataset
from framework.model.force import Force
from framework.model.measure import Measure

AREAS = ["E23000001", "E23000002", "E23000003"]


def dataset(grain: str = "month", complete: bool = False, **extra: Any) -> Dataset:
    """Return a tidy dataset definition with one dimension, ``kind``."""
    return Dataset.model_validate(
        {
            "id": "test_data",
            "title": "Test data",
            "adapter": {"kind": "tidy"},
            "path": "data/test.csv",
            "grain": grain,
            "dimensions": ["kind"],
            "complete": complete,
            "provenance": {"publisher": "tests", "title": "generated"},
            **extra,
        }
    )


def measure(**fields: Any) -> Measure:
    """Return a measure reading ``test_data``, overriding any field."""
    base: dict[str, Any] = {
        "id": "test_measure",
        "title": "Test measure",
        "description": "A measure for tests.",
        "priority": "reduce_homicide",
        "kind": "proxy",
        "proxy_for": "homicide",
        "source": {"dataset": "test_data"},
        "aggregation": {"kind": "count"},
        "grain": "month",
        "window": {"kind": "rolling", "months": 12},
    }
    base.update(fields)
    return Measure.model_validate(base)


FORCE = Force.model_validate(
    {
        "id": "first",
        "name": "First",
        "ons_code": AREAS[0],
        "region": "Test region",
        "pcc_office": "Office",
        "msg": {"members": AREAS[1:], "as_of": "2021-04"},
    }
)


def population(values: dict[str, float], first: int = 23_000, last: int = 25_000) -> pd.DataFrame:
    """Return a months × areas population table with constant values."""
    index = pd.Index(np.arange(first, last))
    return pd.DataFrame({code: float(v) for code, v in values.items()}, index=index)


def frame(rows: list[tuple[int, str, str, float]]) -> pd.DataFrame:
    """Return a canonical frame from (period, area_code, kind, value) tuples."""
    return pd.DataFrame(
        {
            "period": pd.Series([r[0] for r in rows], dtype="int64"),
            "area_code": pd.Series([r[1] for r in rows], dtype="string"),
            "kind": pd.Series([r[2] for r in rows], dtype="string"),
            "value": pd.Series([r[3] for r in rows], dtype="float64"),
        }
    )


def evaluate(
    m: Measure,
    data: pd.DataFrame,
    ds: Dataset | None = None,
    pop: pd.DataFrame | None = None,
    areas: list[str] | None = None,
) -> Evaluated:
    """Plan and evaluate ``m`` on ``data`` with the three test areas as the nation."""
    areas = areas or AREAS
    groups = {"national": tuple(areas), "msg": tuple(areas)}
    plan = build_plan(m, ds or dataset(), FORCE, groups, "data/test.csv")
    return evaluate_plan(
        plan, data, areas, pop if pop is not None else population(dict.fromkeys(areas, 1000.0))
    )
