"""``measures trace``: list the source rows behind one figure, to check it by hand."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from framework.findings.codes import Code

if TYPE_CHECKING:
    from framework.loading.catalogue import Catalogue
    from framework.sources.base import SourceFrame

from framework.cli.common import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    EXIT_USAGE,
    CatalogueOption,
    choose_force,
    engine_or_exit,
    load_valid_catalogue,
    parse_month_option,
    source_failed,
)


def trace(
    measure: Annotated[str, typer.Argument(help="Measure id.")],
    period: Annotated[
        str | None,
        typer.Option(
            help="Last month of the window: 2022-03, or a quarter (2021/22-Q4, 2021-22-Q4)."
        ),
    ] = None,
    excluded: Annotated[
        bool,
        typer.Option(
            "--excluded", help="List the rows the measure's dataset left out, and why, instead."
        ),
    ] = False,
    force: Annotated[str | None, typer.Option(help="Force name, id or ONS code.")] = None,
    catalogue_path: CatalogueOption = None,
) -> None:
    """Print, as CSV, the source rows behind the force's figure for one window.

    With --excluded, print instead the rows the measure's dataset left out: file, line,
    reason, the cell that made each unusable, and whether it was expected by design.
    """
    if period is None and not excluded:
        sys.stderr.write("error: give --period YYYY-MM (or --excluded)\n")
        raise typer.Exit(EXIT_USAGE)
    month = parse_month_option(period, "--period")
    catalogue = load_valid_catalogue(catalogue_path)
    located = choose_force(catalogue, force)
    item = catalogue.measure(measure)
    if item is None or item.model.source is None:
        sys.stderr.write(f"error: no computed measure {measure!r}\n")
        raise typer.Exit(EXIT_USAGE)

    from framework.engine.evaluate import EvaluationError
    from framework.engine.trace import period_end_at, source_rows, window_span
    from framework.periods import long_month, month_label
    from framework.sources.base import SourceError

    engine = engine_or_exit(catalogue)
    try:
        plan = engine.plan(item.model, located.model)
        source = engine.source(plan.dataset.id, located.model)
        own = engine.force_code(located.model)
    except (SourceError, EvaluationError) as error:
        raise source_failed(error) from None
    if excluded:
        _print_excluded(catalogue, plan.dataset.id, source)
    assert month is not None
    # A quarterly measure's windows end in March, June, September and December: as with
    # ``run --as-of``, a month inside a quarter means the window ending before it.
    end = period_end_at(plan, month)
    if end != month:
        sys.stderr.write(
            f"note: a {plan.measure.grain}ly measure's windows end in March, June, September "
            f"and December; {long_month(month)} is inside the quarter to "
            f"{long_month(end + plan.step)}, so this traces the {plan.window_label(end)}\n"
        )
    rows = source_rows(plan, source.frame, own, end)
    first, last = window_span(plan, end)
    span = month_label(first) if first == last else f"{month_label(first)} to {month_label(last)}"
    sys.stderr.write(
        f"{item.model.id} for {located.model.name}, {plan.window_label(end)} ({span}): "
        f"{len(rows)} source rows, total value {rows['value'].sum():,.0f}\n"
    )
    if plan.aggregation.kind == "proportion":
        sys.stderr.write(
            "note: the rows of every part are listed; the numerator and denominator keep the "
            "rows their own filters select (see `measures explain --plan`).\n"
        )
    if rows.empty:
        sys.stderr.write(
            "error: no source row falls in this window for the force; "
            "the run has no figure for it.\n"
        )
        raise typer.Exit(EXIT_FINDINGS)
    figure = engine.run(located.model, [item], as_of=end).frame
    at = (
        figure.loc[
            (figure["period"] == end) & (figure["area_code"] == own) & figure["component"].isna()
        ]
        if len(figure)
        else figure
    )
    if len(at) and at["value"].isna().all():
        missing = int(at["missing_periods"].fillna(0).iloc[0])
        sys.stderr.write(
            f"warning: the run leaves this window empty: {missing} of its periods are missing "
            "in the source, so these rows are not a figure.\n"
        )
    sys.stdout.write(rows.drop(columns=["period"]).to_csv(index=False))


def _print_excluded(catalogue: Catalogue, dataset_id: str, source: SourceFrame) -> None:
    """Print the dataset's left-out rows as CSV and exit: 1 when over its threshold."""
    import csv

    from framework.cli.common import print_findings
    from framework.validation.exclusions import over_threshold, summary_line, threshold_finding

    report = source.report
    sys.stderr.write(f"source {summary_line(dataset_id, report)}\n")
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["file", "line", "reason", "value", "expected"])
    for exclusion in sorted(report.exclusions, key=lambda e: e.expected):
        for row in exclusion.listed:
            writer.writerow([row.file, row.line, row.reason, row.value, exclusion.expected])
        unlisted = exclusion.rows - len(exclusion.listed)
        if unlisted > 0:
            kind = "expected " if exclusion.expected else ""
            sys.stderr.write(
                f"note: {unlisted:,} more {kind}row(s) left out for {exclusion.reason!r} "
                "are not listed one by one\n"
            )
    located = catalogue.dataset(dataset_id)
    if located is not None and over_threshold(located.model, report):
        print_findings([threshold_finding(located, report, Code.RUN011)], catalogue.files_read)
        raise typer.Exit(EXIT_FINDINGS)
    raise typer.Exit(EXIT_CLEAN)


def register(app: typer.Typer) -> None:
    """Add the command to the application."""
    app.command("trace")(trace)
