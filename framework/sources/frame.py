"""Assemble the canonical tidy frame: resolve areas, pick dimensions, fix column order and types.

Every reader ends here, so the frame has the same columns and dtypes whatever the source.
Text columns are Categoricals: a year of national police.uk data is ~6.5 million rows over a
few hundred distinct strings, and categories keep that in memory and fast to filter.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from framework.sources.base import CANONICAL_COLUMNS, SourceError

if TYPE_CHECKING:
    import numpy.typing as npt

    from framework.areas.registry import AreaRegistry
    from framework.model.dataset import Dataset
    from framework.sources.ledger import Ledger

FRAME_COLUMNS = (*CANONICAL_COLUMNS, "missing_reason")
"""The fixed columns of every frame; dimensions come between ``area`` and ``value``."""
MEASURE_COLUMN = "measure_column"
"""The dimension naming which source column a value came from, for readers that take several."""


@dataclass(frozen=True)
class ResolvedAreas:
    """Area codes and canonical names for a column of raw names, and which rows resolved."""

    code: pd.Categorical[Any]
    name: pd.Categorical[Any]
    resolved: npt.NDArray[np.bool_]


def from_codes(codes: npt.NDArray[np.integer[Any]], categories: object) -> pd.Categorical[Any]:
    """Build a Categorical from integer codes (-1 for missing) and its categories."""
    labels: pd.Index[Any] = pd.Index(list(categories))  # type: ignore[call-overload]
    return pd.Categorical.from_codes(codes, categories=labels)


def compact(categorical: pd.Categorical[Any]) -> pd.Categorical[Any]:
    """Drop categories no row uses (after filtering), in linear time.

    pandas' ``remove_unused_categories`` sorts the codes, which costs a second on a national
    police.uk year; counting them does the same job in a fraction of that.
    """
    codes = np.asarray(categorical.codes)
    size = len(categorical.categories)
    used = np.bincount(codes[codes >= 0], minlength=size) > 0 if size else np.zeros(0, bool)
    if used.all():
        return categorical
    remap = np.full(size + 1, -1, dtype=np.int32)
    remap[:size][used] = np.arange(int(used.sum()), dtype=np.int32)
    new_codes = remap[np.where(codes < 0, size, codes)]
    return from_codes(new_codes, categorical.categories[used])


def as_category(values: object) -> pd.Categorical[Any]:
    """Return the values as a pandas Categorical without unused categories."""
    if isinstance(values, pd.Categorical):
        return compact(values)
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    if isinstance(series.dtype, pd.CategoricalDtype):
        return compact(pd.Categorical(series))
    if series.dtype.kind in "biufcmM":
        # Dimensions are text: a numeric category code is a label, not a number.
        series = series.astype("string")
    return pd.Categorical(series)


def resolve_areas(
    raw: object,
    areas: AreaRegistry,
    ledger: Ledger,
    source_rows: npt.NDArray[np.int64],
    weight: int = 1,
) -> ResolvedAreas:
    """Resolve each distinct name or code once; count unresolved rows in the ledger by reason.

    ``weight`` is the number of rows read per source row (see :meth:`Ledger.exclude_mask`).
    """
    categories = as_category(raw)
    codes = np.asarray(categories.codes)
    labels = [str(label) for label in categories.categories]
    area_codes: list[str] = []
    area_names: list[str] = []
    target = np.full(len(labels) + 1, -1, dtype=np.int64)  # last slot: null input
    unresolved: dict[str, list[int]] = {}
    for index, label in enumerate(labels):
        area = areas.resolve(label)
        if area is None:
            unresolved.setdefault(areas.exclusion_reason(label), []).append(index)
            continue
        if area.code not in area_codes:
            area_codes.append(area.code)
            area_names.append(area.name)
        target[index] = area_codes.index(area.code)
    new_codes = target[np.where(codes < 0, len(labels), codes)]
    if unresolved:
        # The name each left-out row gave, so the listing shows it.
        names = np.asarray([*labels, ""], dtype=object)[np.where(codes < 0, len(labels), codes)]
        for reason, indexes in unresolved.items():
            mask = np.isin(codes, indexes)
            ledger.exclude_mask(reason, mask, source_rows, weight, values=names)
    ledger.exclude_mask("no area given", codes < 0, source_rows, weight)
    return ResolvedAreas(
        code=from_codes(new_codes, area_codes),
        name=from_codes(new_codes, area_names),
        resolved=new_codes >= 0,
    )


def select_dimensions(
    available: Mapping[str, object], dataset: Dataset, source_names: Mapping[str, str] | None = None
) -> dict[str, object]:
    """Return the dataset's declared dimensions, renamed by its ``columns`` mapping.

    ``available`` maps the reader's dimension names to their values; ``source_names`` gives
    the source header of each, so ``columns`` may rename by either name.
    """
    renamed: dict[str, object] = {}
    for name, values in available.items():
        source = (source_names or {}).get(name, name)
        target = dataset.columns.get(source, dataset.columns.get(name, name))
        renamed[target] = values
    wanted = list(dict.fromkeys(dataset.dimensions))
    absent = [name for name in wanted if name not in renamed]
    if absent:
        raise SourceError(
            dataset.path,
            f"dataset {dataset.id} declares dimension(s) {', '.join(absent)} "
            "that the source does not have",
            f"Available: {', '.join(sorted(renamed)) or 'none'}; "
            "rename source columns with `columns`.",
        )
    clashes = [name for name in wanted if name in FRAME_COLUMNS]
    if clashes:
        raise SourceError(
            dataset.path,
            f"dimension name(s) {', '.join(clashes)} clash with frame columns",
            "Rename them with the dataset's `columns` mapping.",
        )
    return {name: renamed[name] for name in wanted}


def canonical_frame(
    *,
    period: object,
    area_code: object,
    area: object,
    value: object,
    source_row: object,
    source_file: object,
    dimensions: Mapping[str, object] | None = None,
    missing_reason: object = None,
) -> pd.DataFrame:
    """Build the frame in canonical column order and dtypes from equal-length columns."""
    period_array = np.asarray(period, dtype=np.int64)
    rows = len(period_array)
    columns: dict[str, object] = {
        "period": period_array,
        "area_code": as_category(area_code),
        "area": as_category(area),
    }
    for name, values in (dimensions or {}).items():
        columns[name] = as_category(values)
    columns["value"] = np.asarray(value, dtype=np.float64)
    columns["source_row"] = np.asarray(source_row, dtype=np.int64)
    columns["source_file"] = (
        from_codes(np.zeros(rows, dtype=np.int8), [source_file])
        if isinstance(source_file, str)
        else as_category(source_file)
    )
    columns["missing_reason"] = (
        from_codes(np.full(rows, -1, dtype=np.int8), [])
        if missing_reason is None
        else as_category(missing_reason)
    )
    return pd.DataFrame(columns)


def concat_frames(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Stack canonical frames, keeping text columns categorical.

    pandas turns categoricals whose categories differ into plain objects when it stacks them.
    """
    if len(frames) == 1:
        return frames[0]
    frame = pd.concat(frames, ignore_index=True)
    for name in frames[0].columns:
        if isinstance(frames[0][name].dtype, pd.CategoricalDtype) and not isinstance(
            frame[name].dtype, pd.CategoricalDtype
        ):
            frame[name] = pd.Categorical(frame[name])
    return frame


def area_codes_in(frame: pd.DataFrame) -> frozenset[str]:
    """Return the area codes that have at least one row in a canonical frame."""
    if not len(frame):
        return frozenset()
    column = frame["area_code"]
    if isinstance(column.dtype, pd.CategoricalDtype):
        # The categories some row uses, counted by code: no per-row value is made.
        codes = column.cat.codes.to_numpy()
        used = np.bincount(codes[codes >= 0], minlength=len(column.cat.categories)) > 0
        return frozenset(str(code) for code in column.cat.categories[used])
    return frozenset(str(code) for code in pd.unique(column.dropna()))
