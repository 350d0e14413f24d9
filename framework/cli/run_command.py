"""``measures run``: evaluate the catalogue for a force and write the tidy results."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    import pandas as pd

    from framework.engine.run import RunResult

from framework.cli.common import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    EXIT_USAGE,
    CatalogueOption,
    ProgressBar,
    choose_force,
    chosen_measures,
    default_workers,
    engine_or_exit,
    load_valid_catalogue,
    parse_month_option,
    print_findings,
    write_failed,
)


class RunFormat(StrEnum):
    """The forms the results can be written in."""

    table = "table"
    csv = "csv"
    json = "json"
    parquet = "parquet"
    xlsx = "xlsx"


def run(
    force: Annotated[str | None, typer.Option(help="Force name, id or ONS code.")] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--period",
            "--as-of",
            help="Last month of the window: 2022-03, or a quarter (2021/22-Q4, 2021-22-Q4).",
        ),
    ] = None,
    measure: Annotated[
        list[str] | None, typer.Option("--measure", help="Measure id (repeat for several).")
    ] = None,
    output: Annotated[
        RunFormat, typer.Option("--format", help="table, csv, json, parquet or xlsx.")
    ] = (RunFormat.table),
    out: Annotated[
        Path | None, typer.Option(help="Write to this file instead of the screen.")
    ] = None,
    all_forces: Annotated[
        bool, typer.Option("--all-forces", help="Rows for every force, not only the chosen one.")
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Processes that lay out the measures' rows (default: with --all-forces, one "
            "a core, at most one a measure; else 1). The results are the same for any number.",
        ),
    ] = None,
    catalogue_path: CatalogueOption = None,
) -> None:
    """Evaluate the measures and print or write one row per measure, area and period."""
    month = parse_month_option(as_of, "--period")
    if output in (RunFormat.parquet, RunFormat.xlsx) and out is None:
        sys.stderr.write(f"error: --format {output.value} needs --out FILE\n")
        raise typer.Exit(EXIT_USAGE)
    catalogue = load_valid_catalogue(catalogue_path)
    located_force = choose_force(catalogue, force)
    chosen = chosen_measures(catalogue, measure)

    from framework.engine.output import write_results

    engine = engine_or_exit(catalogue)
    processes = workers if workers is not None else default_workers(all_forces, len(chosen))
    with ProgressBar(len(chosen)) as advance:
        result = engine.run(
            located_force.model, chosen, month, all_forces, advance, workers=processes
        )
    print_source_summaries(result)
    print_as_of_notes(result.frame)
    if result.findings:
        print_findings(result.findings, catalogue.files_read)
    try:
        write_results(result.frame, output.value, out)
    except OSError as error:
        if out is None:  # the screen went away (a closed pipe): nothing to say it on
            raise
        raise write_failed(out, error, "A file written before is left as it was.") from None
    raise typer.Exit(EXIT_FINDINGS if result.findings else EXIT_CLEAN)


def print_source_summaries(result: RunResult) -> None:
    """Say on standard error, one line per dataset read, what its reader left out and why.

    Standard error, so CSV or JSON on standard output stays clean for a pipe.
    """
    from framework.validation.exclusions import summary_line

    for dataset_id, source in sorted(result.sources.items()):
        sys.stderr.write(f"source {summary_line(dataset_id, source.report)}\n")


def print_as_of_notes(frame: pd.DataFrame) -> None:
    """Say on standard error, per measure, when ``--as-of`` answers for an earlier window."""
    if "as_of_note" not in frame:
        return
    notes = frame.loc[frame["as_of_note"].fillna("") != "", ["measure", "as_of_note"]]
    for measure, note in notes.drop_duplicates("measure").itertuples(index=False):
        sys.stderr.write(f"note: {measure}: {note}\n")


def register(app: typer.Typer) -> None:
    """Add the command to the application."""
    app.command("run")(run)
