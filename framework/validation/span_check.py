"""Check definitions against the span the data cover: baselines, rebases, declared ends.

A baseline of months the data do not reach gives no baseline figure (or one of part of its
months), and a rebase outside the data moves no limit: either is a mistake in the
definition that only the data can reveal, so it is a finding of ``validate --data``
(DAT014). The span runs from the first month the earliest row covers (a quarter's first
month, or the first of the 12 months of a rolling total) to the latest row's month.

A dataset's declared ``latest_period`` stands in for its rows when they cannot be read (to
judge the statement's default quarter), so it must say where they end: DAT015 otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from framework.findings.codes import Code
from framework.findings.finding import Finding, Level
from framework.periods import PeriodError, month_label, parse_period

if TYPE_CHECKING:
    import pandas as pd

    from framework.loading.catalogue import Located
    from framework.model.dataset import Dataset
    from framework.model.measure import Measure


def data_span(dataset: Dataset, frame: pd.DataFrame) -> tuple[int, int] | None:
    """Return the first and last month the dataset's rows with a value cover, if any."""
    valued = frame.loc[frame["value"].notna(), "period"]
    if valued.empty:
        return None
    covers = dataset.covers_months or (3 if dataset.grain == "quarter" else 1)
    return int(valued.min()) - covers + 1, int(valued.max())


def check_span(item: Located[Measure], dataset: Dataset, frame: pd.DataFrame) -> Iterator[Finding]:
    """Yield a finding for a baseline or rebase of the measure outside its data's span."""
    span = data_span(dataset, frame)
    if span is None:
        return
    first, last = span
    measure = item.model
    covered = f"{month_label(first)} to {month_label(last)}"
    if measure.baseline is not None:
        try:
            start: int | None = parse_period(measure.baseline.start).first
            end = parse_period(measure.baseline.end).last
        except PeriodError:
            start, end = None, 0  # the schema stage reports it
        if start is not None and (start < first or end > last):
            yield Finding(
                item.value_location("baseline", "start" if start < first else "end"),
                Code.DAT014,
                Level.ERROR,
                f"{measure.id}: the baseline {measure.baseline.start} to "
                f"{measure.baseline.end} lies outside the data of {dataset.id!r}, which cover "
                f"{covered}",
                "Choose a baseline whose months the data cover, or extend the data.",
            )
    for index, rebase in enumerate(measure.presentation.spc_rebases):
        try:
            at = parse_period(rebase.at).first
        except PeriodError:
            continue
        if not first <= at <= last:
            yield Finding(
                item.value_location("presentation", "spc_rebases", index, "at"),
                Code.DAT014,
                Level.ERROR,
                f"{measure.id}: the SPC rebase at {rebase.at} lies outside the data of "
                f"{dataset.id!r}, which cover {covered}",
                "Rebase at a period inside the data, or remove the rebase.",
            )


def check_latest(located: Located[Dataset], frame: pd.DataFrame) -> Iterator[Finding]:
    """Yield a finding when a dataset's declared ``latest_period`` is not where its rows end."""
    dataset = located.model
    if dataset.latest_period is None:
        return
    try:
        declared = parse_period(dataset.latest_period).last
    except PeriodError:
        return  # the schema stage reports it
    valued = frame.loc[frame["value"].notna(), "period"]
    if valued.empty:
        return
    last = int(valued.max())
    if last != declared:
        yield Finding(
            located.value_location("latest_period"),
            Code.DAT015,
            Level.ERROR,
            f"{dataset.id!r} declares latest_period {dataset.latest_period}, but its rows end "
            f"in {month_label(last)}",
            f"Set latest_period: {month_label(last)!r} (the month of the latest row), as the "
            "data were refreshed.",
        )
