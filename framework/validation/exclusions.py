"""Report the rows a dataset's reader left out: a summary line, findings, and the rows.

Rows left out by design (bodies the reference list declares not to be police force areas,
police.uk anti-social behaviour) are *expected* and never a finding. Any other exclusion is
*unexpected*: more such rows than the dataset's ``max_excluded_rows`` (default 0) is a
finding at the dataset's definition, and ``validate --data`` lists each row at its file and
line. A period column in another format than the declared one gets its own finding naming
the column and showing a value.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from framework.findings.finding import Finding, Level, Location

if TYPE_CHECKING:
    from framework.loading.catalogue import Located
    from framework.model.dataset import Dataset
    from framework.sources.base import ExcludedRow, Exclusion, SourceReport

THRESHOLD_HINT = (
    "Correct the rows in the source (`measures trace MEASURE --excluded` or `measures "
    "validate --data` lists them with file and line), add a body that is not a police force "
    "area to the reference list of areas (areas.csv) as kind non_force, or, if the rows are "
    "meant to be left out, raise the dataset's max_excluded_rows."
)
PERIOD_REASONS = ("period is not", "period is a", "Month is not", "Financial Year is not")
"""Reasons that mean a period or date cell is in another form than the reader expects."""


def summary_line(dataset_id: str, report: SourceReport) -> str:
    """Say in one line what a read left out: counts and reasons, unexpected ones first."""
    head = (
        f"{dataset_id}: {report.rows_read:,} rows read, {report.rows_used:,} used, "
        f"{report.rows_excluded:,} left out"
    )
    if not report.exclusions:
        return head
    unexpected = report.rows_unexpected
    head += f" ({unexpected:,} unexpected)" if unexpected else " (all expected by design)"
    parts = [
        f"{item.rows:,} × {item.reason}{' [expected]' if item.expected else ''}"
        for item in sorted(report.exclusions, key=lambda e: (e.expected, -e.rows, e.reason))
    ]
    return f"{head}: " + "; ".join(parts)


def over_threshold(dataset: Dataset, report: SourceReport) -> bool:
    """Return True when the read left out more unexpected rows than the dataset allows."""
    return report.rows_unexpected > dataset.max_excluded_rows


def threshold_finding(located: Located[Dataset], report: SourceReport, code: str) -> Finding:
    """Return the finding for a dataset that left out more unexpected rows than it allows."""
    dataset = located.model
    unexpected = [item for item in report.exclusions if not item.expected]
    reasons = "; ".join(f"{item.rows:,} × {item.reason}{_where(item)}" for item in unexpected)
    return Finding(
        located.location("max_excluded_rows"),
        code,
        Level.ERROR,
        f"the dataset {dataset.id!r} left out {report.rows_unexpected:,} row(s) it did not "
        f"expect (max_excluded_rows: {dataset.max_excluded_rows}): {reasons}",
        THRESHOLD_HINT,
    )


def _where(item: Exclusion) -> str:
    """Name where the first few rows of an exclusion are: ``(file lines 14, 15, 16, ...)``."""
    shown = item.listed[:3]
    if not shown:
        return ""
    lines: dict[str, list[str]] = {}
    for row in shown:
        lines.setdefault(row.file, []).append(str(row.line))
    places = "; ".join(
        f"{file} line{'s' if len(numbers) > 1 else ''} {', '.join(numbers)}"
        for file, numbers in lines.items()
    )
    more = ", ..." if item.rows > len(shown) else ""
    return f" ({places}{more})"


def row_findings(
    located: Located[Dataset], report: SourceReport, display_root: str, code: str
) -> Iterator[Finding]:
    """Yield one finding per listed unexpected row, at its data file and line.

    They are errors when the dataset is over its threshold, warnings when within it.
    """
    level = Level.ERROR if over_threshold(located.model, report) else Level.WARNING
    for item in report.exclusions:
        if item.expected:
            continue
        for row in item.listed:
            yield Finding(
                Location(_display(row.file, display_root), row.line),
                code,
                level,
                f"row left out of {located.model.id!r}: {row.reason}"
                + (_cell_note(row) if row.value else ""),
                "Correct the row in the source file, or raise the dataset's max_excluded_rows "
                "if it is meant to be left out.",
            )
        unlisted = item.rows - len(item.listed)
        if unlisted > 0:
            yield Finding(
                located.location("path"),
                code,
                level,
                f"{unlisted:,} more row(s) of {located.model.id!r} left out for the same "
                f"reason ({item.reason}) are not listed one by one",
                "Fix the cause above; the rows share it.",
            )


def period_format_findings(
    located: Located[Dataset], report: SourceReport, code: str
) -> Iterator[Finding]:
    """Yield a finding per period column whose cells are in another form than declared."""
    dataset = located.model
    adapter = dataset.adapter
    column = str(getattr(adapter, "period_column", "") or _period_column(adapter.kind))
    key = ("adapter", "period_column") if hasattr(adapter, "period_column") else ("adapter",)
    for item in report.exclusions:
        if item.expected or not item.reason.startswith(PERIOD_REASONS):
            continue
        example = next((row for row in item.listed if row.value), None)
        if example is None:
            continue
        yield Finding(
            located.value_location(*key),
            code,
            Level.ERROR,
            f"the period column {column!r} of {dataset.id!r} holds values in another form "
            f"than declared: {item.rows:,} row(s) such as {example.value!r} "
            f"({_display_row(example)}); {item.reason}",
            _period_hint(dataset),
        )


def _period_column(kind: str) -> str:
    return {"police_uk_street": "Month", "home_office_prc": "Financial Year"}.get(kind, "period")


def _period_hint(dataset: Dataset) -> str:
    if dataset.grain == "quarter":
        forms = "a financial quarter (2019/20-Q1) or a calendar quarter (2019-Q2)"
    else:
        forms = "a month (2019-06) or a date (2019-06-30)"
    return (
        f"The dataset's grain is {dataset.grain}: write the column as {forms}, or convert the "
        "column before it is read."
    )


def _cell_note(row: ExcludedRow) -> str:
    """Show the offending cell, unless the reason already quotes it."""
    return "" if repr(row.value) in row.reason else f" (the cell reads {row.value!r})"


def _display_row(row: ExcludedRow) -> str:
    return f"{row.file}:{row.line}"


def _display(file: str, display_root: str) -> str:
    return f"{display_root.rstrip('/')}/{file}" if display_root and file else file
