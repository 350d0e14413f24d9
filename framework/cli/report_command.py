"""``measures report``: build the quarterly statement for a force, as HTML or Markdown."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from framework.cli.common import (
    EXIT_FINDINGS,
    EXIT_USAGE,
    CatalogueOption,
    ProgressBar,
    choose_force,
    engine_or_exit,
    load_valid_catalogue,
    print_findings,
    usage_error,
    write_failed,
)
from framework.cli.report_guard import (
    ALLOW_ERRORS_HELP,
    declared_ends,
    errors_in,
    refuse_errors,
)

if TYPE_CHECKING:
    from framework.engine.run import Engine, RunResult
    from framework.loading.catalogue import Catalogue
    from framework.model.force import Force
    from framework.periods import Span


QUARTER_HINT = "Write a financial quarter: 2021/22-Q4, 2021-22-Q4, or the month it ends, 2022-03."


REPORT_HELP = (
    "Write the statement: every measure's headline, charts, commentary and caveats.\n\n"
    "A run with errors writes no statement unless --allow-errors is given, so the one "
    "already in --out is never replaced by a failed one. The quarter is --period, else the "
    "profile's reporting_period, else the latest most measures reach; a measure whose "
    "source cannot be read counts with its dataset's declared latest_period, and without "
    "one the quarter must be named."
)


class ReportFormat(StrEnum):
    """The forms the statement can be written in."""

    html = "html"
    md = "md"
    pdf = "pdf"


def report(
    force: Annotated[str | None, typer.Option(help="Force name, id or ONS code.")] = None,
    period: Annotated[
        str | None,
        typer.Option(
            help="Financial quarter: 2021/22-Q4, 2021-22-Q4, or its last month 2022-03 "
            "(default: the profile's reporting_period, else the latest quarter most measures "
            "on published data reach)."
        ),
    ] = None,
    out: Annotated[Path, typer.Option(help="Folder to write the statement into.")] = Path("report"),
    output: Annotated[
        ReportFormat,
        typer.Option("--format", help="html, md or pdf (printed by headless Chromium)."),
    ] = (ReportFormat.html),
    svg: Annotated[
        bool | None,
        typer.Option(
            "--svg/--no-svg",
            help="Draw each chart as SVG too, embedded and beside the statement (default: for a "
            "PDF or Markdown; an HTML page's charts fall back to their tables without JavaScript).",
        ),
    ] = None,
    catalogue_path: CatalogueOption = None,
    all_forces: Annotated[
        bool,
        typer.Option(
            "--all-forces",
            help="Every force's statement, one folder each, and a national overview (index.html).",
        ),
    ] = False,
    allow_errors: Annotated[bool, typer.Option("--allow-errors", help=ALLOW_ERRORS_HELP)] = False,
) -> None:
    """Write the statement: every measure's headline, charts, commentary and caveats."""
    from framework.commentary import CommentaryRefusedError
    from framework.periods import PeriodError, Span, parse_period
    from renderers.report.pdf import PdfError

    span = None
    if period is not None:
        try:
            span = parse_period(period)
        except PeriodError as error:
            usage_error(f"--period: {error}", QUARTER_HINT)
        if span.months == 1 and span.last % 3 == 2:
            span = Span(span.last - 2, span.last)  # the quarter the month ends
        if span.months != 3:
            usage_error(f"--period {period!r} is not a quarter", QUARTER_HINT)
    if output is ReportFormat.pdf:
        _need_chromium()
    if svg is None:
        # A printed page and Markdown run no script, so they need them; a page draws its own.
        svg = output is not ReportFormat.html
    catalogue = load_valid_catalogue(catalogue_path)
    located = choose_force(catalogue, force)
    if svg and output is ReportFormat.html:
        from renderers.assemble.fallbacks import start_warm_up

        start_warm_up()  # readies the chart converter while the engine evaluates
    profile = located.model
    if span is None and profile.reporting_period:
        span = parse_period(profile.reporting_period)

    from framework.engine.context import statement_quarter
    from framework.periods import financial_quarter_label

    engine = engine_or_exit(catalogue)
    result, span = statement_quarter(
        lambda as_of: _run(engine, catalogue, profile, as_of),
        span,
        lambda result: declared_ends(result, catalogue),
        lambda: _survey(engine, catalogue, profile),
    )
    if result.frame.empty or span is None:
        if result.findings:
            print_findings(result.findings, catalogue.files_read)
        sys.stderr.write("error: no measure has any figure, so there is no statement to write\n")
        raise typer.Exit(EXIT_FINDINGS)
    label = financial_quarter_label(span.last)
    if all_forces:
        from framework.cli.report_all import report_all_forces

        if errors_in(result.findings) and not allow_errors:
            print_findings(result.findings, catalogue.files_read)
            refuse_errors(result.findings, allow_errors, out)
        report_all_forces(engine, catalogue, span, label, out, output.value, svg)
    if result.findings:
        print_findings(result.findings, catalogue.files_read)
    refuse_errors(result.findings, allow_errors, out)
    try:
        written = _write(engine, catalogue, profile, result, span, label, out, output.value, svg)
    except CommentaryRefusedError as error:
        sys.stderr.write(f"error: {error}\nhint: copy the commentary into the catalogue.\n")
        raise typer.Exit(EXIT_FINDINGS) from None
    except OSError as error:
        hint = f"Nothing was replaced: the statement already in {out}, if any, is as it was."
        raise write_failed(out, error, hint) from None
    except PdfError as error:
        sys.stderr.write(f"error: {error}\n")
        sys.stderr.write(
            f"    Nothing was replaced: the statement already in {out}, if any, is as it was.\n"
        )
        raise typer.Exit(EXIT_FINDINGS) from None
    page = written[0] if written else out
    sys.stderr.write(f"Statement for {profile.name}, {label}: open {page}\n")
    raise typer.Exit(EXIT_FINDINGS if result.findings else 0)


def _run(engine: Engine, catalogue: Catalogue, force: Force, as_of: int | None) -> RunResult:
    from renderers.assemble.national import statement_run

    with ProgressBar(len(catalogue.measures), "evaluating") as advance:
        return statement_run(engine, catalogue, force, as_of, advance)


def _survey(engine: Engine, catalogue: Catalogue, force: Force) -> RunResult:
    """Evaluate every measure and find where its rows end: the statement's first pass."""
    with ProgressBar(len(catalogue.measures), "reading") as advance:
        return engine.survey(force, catalogue.measures, advance)


def _write(
    engine: Engine, catalogue: Catalogue, force: Force, result: RunResult, span: Span,
    label: str, out: Path, form: str, svg: bool,
) -> list[Path]:  # fmt: skip
    from renderers.assemble.fallbacks import SvgFallbacks
    from renderers.assemble.national import statement_context
    from renderers.assemble.statement import build_statement
    from renderers.report.write import write_report

    # The tests check every chart kind's spec against the schema: here each is plain data.
    context = statement_context(
        engine, catalogue, force, span, label, validate_specs=False, result=result
    )
    with SvgFallbacks() if svg else nullcontext() as fallbacks:
        with ProgressBar(len(catalogue.measures), "charting") as advance:
            statement = build_statement(
                context, result.frame, date.today(), svg=fallbacks, progress=advance
            )
        if fallbacks is not None:
            statement = fallbacks.resolve(statement)
    return write_report(statement, out, ReportFormat(form).value)


def _need_chromium() -> None:
    """Exit 2 before any work when the PDF cannot be printed: there is no Chromium."""
    from renderers.report.chromium import INSTALL_HINT, find_chromium

    if find_chromium() is None:
        sys.stderr.write(
            f"error: --format pdf prints the statement with headless Chromium, which was not "
            f"found.\n    hint: {INSTALL_HINT}\n"
        )
        raise typer.Exit(EXIT_USAGE)


def register(app: typer.Typer) -> None:
    """Add the command to the application."""
    app.command("report", help=REPORT_HELP)(report)
