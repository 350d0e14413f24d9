"""``measures run``: evaluate the catalogue for a force and write the tidy results."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    import pandas as pd

    from framework.engine.evaluate import EvaluationError
    from framework.engine.run import Engine, Progress, RunResult
    from framework.loading.catalogue import Catalogue, Located
    from framework.model.measure import Measure
    from framework.sources.base import SourceError

from framework.cli.common import (
    EXIT_FINDINGS,
    CatalogueOption,
    choose_force,
    load_valid_catalogue,
    parse_month_option,
    print_findings,
    write_failed,
)
from framework.findings.codes import Code
from framework.findings.suggest import did_you_mean


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
    catalogue_path: CatalogueOption = None,
) -> None:
    """Evaluate the measures and print or write one row per measure, area and period."""
    month = parse_month_option(as_of, "--period")
    if output in (RunFormat.parquet, RunFormat.xlsx) and out is None:
        sys.stderr.write(f"error: --format {output.value} needs --out FILE\n")
        raise typer.Exit(2)
    catalogue = load_valid_catalogue(catalogue_path)
    located_force = choose_force(catalogue, force)
    chosen = chosen_measures(catalogue, measure)

    from framework.engine.output import write_results

    engine = engine_or_exit(catalogue)
    with ProgressBar(len(chosen)) as advance:
        result = engine.run(located_force.model, chosen, month, all_forces, advance)
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
    raise typer.Exit(EXIT_FINDINGS if result.findings else 0)


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


def engine_or_exit(catalogue: Catalogue) -> Engine:
    """Return an engine for the catalogue; exit 1 with a finding when its reference data fail."""
    from framework.engine.run import Engine
    from framework.sources.base import SourceError

    try:
        return Engine(catalogue)
    except SourceError as error:
        raise source_failed(error) from None


def source_failed(error: SourceError | EvaluationError) -> typer.Exit:
    """Print a source or evaluation error as a run finding and return the exit (1) to raise."""
    from framework.sources.base import SourceError

    if isinstance(error, SourceError):
        sys.stderr.write(f"{error.path}: error {Code.RUN001} {error.detail}\n")
    else:
        sys.stderr.write(f"error {Code.RUN002} {error}\n")
    if error.hint:
        sys.stderr.write(f"    hint: {error.hint}\n")
    return typer.Exit(EXIT_FINDINGS)


def chosen_measures(catalogue: Catalogue, ids: list[str] | None) -> list[Located[Measure]]:
    """Return the measures named by ``--measure`` (all when none); exit 2 on an unknown id."""
    if not ids:
        return list(catalogue.measures)
    chosen = []
    for measure_id in ids:
        located = catalogue.measure(measure_id)
        if located is None:
            known = [m.model.id for m in catalogue.measures]
            hint = did_you_mean(measure_id, known) or "Run `measures list` to see the ids."
            sys.stderr.write(f"error: no measure {measure_id!r}. {hint}\n")
            raise typer.Exit(2)
        chosen.append(located)
    return chosen


class ProgressBar:
    """A progress bar on standard error, one step per measure."""

    def __init__(self, total: int, label: str = "evaluating") -> None:
        from rich.console import Console
        from rich.progress import Progress as Bar

        console = Console(stderr=True)
        self.bar = Bar(console=console, transient=True, disable=not console.is_terminal)
        self.label = label
        self.task = self.bar.add_task(label, total=total)

    def __enter__(self) -> Progress:
        self.bar.start()

        def advance(label: str) -> None:
            self.bar.update(self.task, advance=1, description=f"{self.label} {label}")

        return advance

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()


def register(app: typer.Typer) -> None:
    """Add the command to the application."""
    app.command("run")(run)
