"""Check every reader's frame for rows that cannot be right, and leave them out with the reason.

Whatever the adapter, a row is left out (and listed in the exclusions ledger with its file
and line, never dropped silently) when

- its period is outside the years a police series can cover (2000 to next year);
- its value is not a finite number (``inf``, ``1e309``) or is NaN without a reason the
  source gives for the gap;
- its value is negative and the dataset does not allow negative counts
  (:attr:`~framework.model.dataset.Dataset.negative_values`);
- it is a population outside the plausible range of its area (a police force area holds
  1,000 to 20,000,000 people, a region or nation up to 100,000,000);
- it repeats the period, area and key of an earlier row of a dataset whose duplicates are
  a finding (:attr:`~framework.model.dataset.Dataset.duplicates`): the earlier row is used
  and the later is listed naming the earlier's file and line.

Every such exclusion is *unexpected*: it counts against ``max_excluded_rows``, so it is a
finding in ``validate --data`` (DAT011, DAT012) and ``run`` (RUN011).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import numpy as np

from framework.sources.base import LISTED, ExcludedRow, Exclusion, SourceError, SourceFrame
from framework.sources.ledger import EXAMPLES
from framework.sources.period_values import FIRST_YEAR, LAST_YEAR

if TYPE_CHECKING:
    import numpy.typing as npt
    import pandas as pd

    from framework.areas.registry import AreaRegistry
    from framework.model.dataset import Dataset

RECORD_LEVEL_KINDS = ("police_uk_street",)
"""Adapter kinds whose rows are single events, summed by default."""
NEGATIVE_KINDS = ("home_office_prc",)
"""Adapter kinds whose negative counts are adjustments, kept by default."""
MIN_POPULATION = 1_000
MAX_FORCE_POPULATION = 20_000_000
"""The plausible population of a police force area (the largest holds about 9 million)."""
MAX_POPULATION = 100_000_000
"""The plausible population of any area: a region or a nation."""
SAME_KEY = "same key as "
"""How a duplicate's listed cell begins: ``same key as data/file.csv:12``."""
NOT_FINITE = "the value is not a finite number"
OUT_OF_YEARS = f"period is outside the years {FIRST_YEAR} to {LAST_YEAR}"
NEGATIVE = "the value is negative, and the dataset does not allow negative counts"
DUPLICATE = "a second row for the same period, area and key ({key}); the first is used"


def duplicates_policy(dataset: Dataset) -> str:
    """Return what two rows of one key mean for the dataset: ``finding`` or ``sum``."""
    if dataset.duplicates is not None:
        return dataset.duplicates
    adapter = dataset.adapter
    if adapter.kind in RECORD_LEVEL_KINDS:
        return "sum"
    if adapter.kind in ("tidy", "sql"):
        counted = getattr(adapter, "value_column", None) or getattr(adapter, "value_columns", ())
        return "finding" if counted else "sum"
    return "finding"


def negatives_allowed(dataset: Dataset) -> bool:
    """Say whether a negative count can be right in the dataset."""
    if dataset.negative_values is not None:
        return dataset.negative_values == "keep"
    return dataset.adapter.kind in NEGATIVE_KINDS


def is_population(dataset: Dataset) -> bool:
    """Say whether a dataset holds population estimates."""
    adapter = dataset.adapter
    kind = adapter.kind
    return kind == "population" or (
        kind == "ons_pfa_table" and getattr(adapter, "table", None) == "population"
    )


def key_columns(dataset: Dataset, source: SourceFrame) -> list[str]:
    """Return the columns that identify a row: period, area and the key's dimensions."""
    key = list(source.dimensions) if dataset.key is None else list(dataset.key)
    absent = [column for column in key if column not in source.frame.columns]
    if absent:
        raise SourceError(
            dataset.path,
            f"key: {', '.join(map(repr, absent))} is not a dimension of the dataset "
            f"(its dimensions: {', '.join(source.dimensions) or 'none'})",
            "Name in key only columns listed in the dataset's dimensions.",
        )
    return ["period", "area_code", *key]


def check_rows(dataset: Dataset, source: SourceFrame, areas: AreaRegistry) -> SourceFrame:
    """Return the source with the rows that cannot be right left out and accounted for."""
    if source.frame.empty:
        return source
    frame = source.frame.reset_index(drop=True)
    values = frame["value"].to_numpy(dtype="float64", na_value=np.nan)
    reasons = frame["missing_reason"] if "missing_reason" in frame.columns else None
    explained = (
        reasons.notna().to_numpy() if reasons is not None else np.zeros(len(frame), dtype=bool)
    )
    left = np.zeros(len(frame), dtype=bool)
    found: list[Exclusion] = []

    def leave_out(reason: str, mask: npt.NDArray[np.bool_], cells: dict[int, str]) -> None:
        mask = mask & ~left
        if not mask.any():
            return
        found.append(_exclusion(frame, reason, mask, cells))
        left[mask] = True

    finite = np.isfinite(values)
    text = _ValueText(values)
    periods = frame["period"].to_numpy(dtype=np.int64)
    years = _PeriodText(periods)
    leave_out(OUT_OF_YEARS, (periods < FIRST_YEAR * 12) | (periods >= (LAST_YEAR + 1) * 12), years)
    leave_out(NOT_FINITE, ~finite & ~(np.isnan(values) & explained), text)
    if not negatives_allowed(dataset):
        leave_out(NEGATIVE, finite & (values < 0), text)
    if is_population(dataset):
        most = _population_ceiling(frame, areas)
        implausible = finite & ((values < MIN_POPULATION) | (values > most))
        leave_out(
            f"the population is outside the plausible range of its area ({MIN_POPULATION:,} "
            f"to {MAX_FORCE_POPULATION:,} for a police force area, {MAX_POPULATION:,} for a "
            "region or nation)",
            implausible,
            text,
        )
    if duplicates_policy(dataset) == "finding":
        columns = key_columns(dataset, source)
        kept = frame.loc[~left]
        repeats = kept.duplicated(columns, keep="first").to_numpy()
        if repeats.any():
            mask = np.zeros(len(frame), dtype=bool)
            mask[np.flatnonzero(~left)[repeats]] = True
            firsts = _first_of_key(kept, columns)
            cells = {
                int(position): f"{SAME_KEY}{_place(frame, int(first))}"
                for position, first in zip(np.flatnonzero(~left), firsts, strict=True)
                if position != first
            }
            key = ", ".join(columns[2:]) or "no dimensions"
            leave_out(DUPLICATE.format(key=key), mask, cells)
    if not found:
        return source
    report = source.report
    missing = report.missing
    if reasons is not None and left.any():
        dropped = reasons[left].dropna().astype(str).value_counts()
        missing = tuple(
            dataclasses.replace(item, rows=item.rows - int(dropped.get(item.reason, 0)))
            for item in missing
            if item.rows - int(dropped.get(item.reason, 0)) > 0
        )
    rest = frame.loc[~left].reset_index(drop=True)
    report = dataclasses.replace(
        report,
        rows_used=report.rows_used - int(left.sum()),
        exclusions=(*report.exclusions, *found),
        missing=missing,
    )
    return dataclasses.replace(source, frame=rest, report=report)


def _population_ceiling(frame: pd.DataFrame, areas: AreaRegistry) -> npt.NDArray[np.float64]:
    """Return each row's largest plausible population: a force's, or a region's or nation's."""
    codes = frame["area_code"].astype(str).to_numpy()
    forces = {area.code for area in areas.forces()}
    return np.where(
        np.isin(codes, list(forces)), float(MAX_FORCE_POPULATION), float(MAX_POPULATION)
    )


def _first_of_key(kept: pd.DataFrame, columns: list[str]) -> npt.NDArray[np.int64]:
    """Return, for each kept row, the position in the whole frame of its key's first row."""
    import pandas as pd

    positions = pd.Series(kept.index.to_numpy(), index=kept.index)
    groups = kept.groupby(columns, observed=True, sort=False, dropna=False).ngroup()
    first = positions.groupby(groups.to_numpy()).transform("min")
    return first.to_numpy(dtype=np.int64)


def _place(frame: pd.DataFrame, position: int) -> str:
    """Name a row's file and line: ``data/file.csv:12``."""
    row = frame.iloc[position]
    return f"{row['source_file']}:{int(row['source_row'])}"


class _ValueText(dict[int, str]):
    """Each row's value as text, made only for the rows listed."""

    def __init__(self, values: npt.NDArray[np.float64]) -> None:
        super().__init__()
        self._values = values

    def __missing__(self, position: int) -> str:
        return repr(float(self._values[position]))


class _PeriodText(dict[int, str]):
    """Each row's period as text, made only for the rows listed."""

    def __init__(self, periods: npt.NDArray[np.int64]) -> None:
        super().__init__()
        self._periods = periods

    def __missing__(self, position: int) -> str:
        from framework.periods import month_label

        try:
            return month_label(int(self._periods[position]))
        except (ValueError, OverflowError):
            return str(int(self._periods[position]))


def _exclusion(
    frame: pd.DataFrame, reason: str, mask: npt.NDArray[np.bool_], cells: dict[int, str]
) -> Exclusion:
    """Return the exclusion of the rows under ``mask``, listing up to :data:`LISTED`."""
    where = np.flatnonzero(mask)
    files = frame["source_file"].astype(str).to_numpy()
    lines = frame["source_row"].to_numpy()
    listed = tuple(
        ExcludedRow(
            str(files[i]),
            int(lines[i]),
            reason,
            cells[int(i)] if isinstance(cells, _ValueText | _PeriodText) else cells.get(int(i), ""),
        )
        for i in where[:LISTED]
    )
    examples = tuple(dict.fromkeys(int(lines[i]) for i in where[: EXAMPLES * 4]))[:EXAMPLES]
    return Exclusion(reason, len(where), examples, expected=False, listed=listed)
