"""Stage (c): check definitions against the data: columns exist, filter values occur.

This stage reads every referenced dataset through the source adapters, so it imports
pandas; stages (a) and (b) never do.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from framework.findings.codes import Code
from framework.findings.finding import Finding, Level, Location
from framework.findings.suggest import close_matches
from framework.loading.catalogue import Catalogue, Located
from framework.model.dataset import Dataset
from framework.model.measure import Measure, ProportionAggregation

if TYPE_CHECKING:
    from framework.areas.registry import AreaRegistry
    from framework.sources.base import SourceReport


def check_data(catalogue: Catalogue) -> list[Finding]:
    """Read each dataset a measure uses and report unknown columns and filter values."""
    from framework.sources.area_list import default_registry
    from framework.sources.base import SourceError
    from framework.sources.registry import read_dataset

    try:
        areas = default_registry(catalogue.areas_root())
    except SourceError as error:
        return [Finding(Location(error.path), Code.DAT001, Level.ERROR, error.detail, error.hint)]
    findings: list[Finding] = []
    frames: dict[str, object] = {}
    for item in catalogue.measures:
        source = item.model.source
        if source is None:
            continue
        dataset = catalogue.dataset(source.dataset)
        if dataset is None:
            continue  # stage (b) has reported it
        root = catalogue.data_root(dataset)
        if dataset.model.force_held and not (root / dataset.model.path).exists():
            continue  # not supplied yet: the statement says so; nothing is wrong
        if source.dataset not in frames:
            try:
                read = read_dataset(dataset.model, root, areas)
                frames[source.dataset] = read.frame
                shown = catalogue.data_display_root(dataset)
                findings.extend(exclusion_findings(dataset, read.report, shown))
            except SourceError as error:
                frames[source.dataset] = None
                is_sql = dataset.model.adapter.kind == "sql"
                findings.append(
                    Finding(
                        dataset.location("adapter" if is_sql else "path"),
                        Code.DAT001,
                        Level.ERROR,
                        f"the dataset {dataset.model.id!r} cannot be read: {error.detail}",
                        error.hint or "Check the path, or run the bundling script.",
                    )
                )
            else:
                if dataset.model.adapter.kind == "sql":
                    from framework.validation.sql_data import check_sql_filters

                    findings.extend(check_sql_filters(dataset, catalogue.root))
        frame = frames[source.dataset]
        # A dataset with no usable row has findings of its own (what was left out and why);
        # checking filters against nothing would only say "no row has ...".
        if frame is not None and not getattr(frame, "empty", False):
            findings.extend(_check_measure(item, frame, dataset.model.dimensions))
    findings.extend(_check_covers(catalogue, frames, areas))
    findings.extend(_population_findings(catalogue, areas, set(frames)))
    return findings


def exclusion_findings(
    dataset: Located[Dataset], report: SourceReport, display_root: str
) -> list[Finding]:
    """Return the findings about the rows a dataset's reader left out (see ``exclusions``)."""
    from framework.validation.exclusions import (
        over_threshold,
        period_format_findings,
        row_findings,
        threshold_finding,
    )

    findings = list(period_format_findings(dataset, report, Code.DAT013))
    if over_threshold(dataset.model, report):
        findings.append(threshold_finding(dataset, report, Code.DAT011))
    findings.extend(row_findings(dataset, report, display_root, Code.DAT012))
    return findings


def _population_findings(
    catalogue: Catalogue, areas: AreaRegistry, read: set[str]
) -> list[Finding]:
    """Check the exclusions of the force profiles' population datasets not read above."""
    from framework.sources.base import SourceError
    from framework.sources.registry import read_dataset

    findings: list[Finding] = []
    for dataset_id in dict.fromkeys(force.model.population for force in catalogue.forces):
        dataset = catalogue.dataset(dataset_id)
        if dataset is None or dataset_id in read:
            continue
        try:
            report = read_dataset(dataset.model, catalogue.data_root(dataset), areas).report
        except SourceError as error:
            findings.append(
                Finding(
                    dataset.location("path"),
                    Code.DAT001,
                    Level.ERROR,
                    f"the dataset {dataset_id!r} cannot be read: {error.detail}",
                    error.hint or "Check the path, or run the bundling script.",
                )
            )
            continue
        findings.extend(exclusion_findings(dataset, report, catalogue.data_display_root(dataset)))
    return findings


def _check_covers(
    catalogue: Catalogue, frames: Mapping[str, object], areas: AreaRegistry
) -> Iterator[Finding]:
    """Check each read dataset's ``covers`` declaration against its rows."""
    import pandas as pd

    from framework.validation.coverage_check import check_coverage

    for dataset_id, frame in frames.items():
        located = catalogue.dataset(dataset_id)
        if located is not None and isinstance(frame, pd.DataFrame):
            yield from check_coverage(located, frame, areas)


def _check_measure(
    item: Located[Measure], frame: object, declared: Sequence[str]
) -> Iterator[Finding]:
    """Yield the data findings of one measure; undeclared dimensions are stage (b)'s (RUL009)."""
    import pandas as pd

    assert isinstance(frame, pd.DataFrame)
    measure = item.model
    assert measure.source is not None
    columns = [str(c) for c in frame.columns]
    filters: list[tuple[tuple[str | int, ...], Mapping[str, Sequence[object]]]] = [
        (("source", "filters"), measure.source.filters)
    ]
    needed: list[tuple[tuple[str | int, ...], str]] = [
        (("breakdown", i), name) for i, name in enumerate(measure.breakdown)
    ]
    aggregation = measure.aggregation
    if isinstance(aggregation, ProportionAggregation):
        for side in ("numerator", "denominator"):
            part = getattr(aggregation, side)
            if part is not None:
                filters.append((("aggregation", side, "filters"), part.filters))
                needed.append((("aggregation", side, "column"), part.column))
    elif hasattr(aggregation, "column"):
        needed.append((("aggregation", "column"), str(aggregation.column)))
    for path, name in needed:
        if path[0] == "breakdown" and name not in declared:
            continue
        if name not in columns:
            yield Finding(
                item.location(*path),
                Code.DAT002,
                Level.ERROR,
                f"the data of {measure.source.dataset!r} has no column {name!r}",
                _near(name, columns),
            )
    for base, mapping in filters:
        for column, values in mapping.items():
            if column not in declared:
                continue
            if column not in columns:
                yield Finding(
                    item.location(*base, column),
                    Code.DAT002,
                    Level.ERROR,
                    f"the data of {measure.source.dataset!r} has no column {column!r}",
                    _near(column, columns),
                )
                continue
            present = sorted({str(v) for v in frame[column].dropna().unique()})
            for index, value in enumerate(values):
                if str(value) not in present:
                    yield Finding(
                        item.location(*base, column, index),
                        Code.DAT003,
                        Level.ERROR,
                        f"no row of {measure.source.dataset!r} has {column} = {value!r}",
                        _near(str(value), present),
                    )


def _near(value: str, options: list[str]) -> str:
    if not options:
        return "No row of the data has a value in this column."
    guesses = close_matches(value, options, limit=3)
    if guesses:
        return "Nearest values in the data: " + ", ".join(repr(g) for g in guesses) + "."
    shown = ", ".join(repr(o) for o in options[:8])
    return f"Values in the data include {shown}."
