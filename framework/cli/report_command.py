"""``measures report``: build the quarterly statement for a force, as HTML or Markdown."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from framework.cli.common import (
    EXIT_FINDINGS,
    EXIT_USAGE,
    choose_force,
    load_valid_catalogue,
    print_findings,
    write_failed,
)

if TYPE_CHECKING:
    from framework.engine.run import Engine, RunResult
    from framework.loading.catalogue import Catalogue
    from framework.model.force import Force
    from framework.periods import Span


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
            help="Financial quarter, e.g. 2021/22-Q4 (default: the profile's reporting_period, "
            "else the latest quarter with published data)."
        ),
    ] = None,
    out: Annotated[Path, typer.Option(help="Folder to write the statement into.")] = Path("report"),
    output: Annotated[
        ReportFormat,
        typer.Option("--format", help="html, md or pdf (printed by headless Chromium)."),
    ] = (ReportFormat.html),
    svg: Annotated[
        bool, typer.Option("--svg/--no-svg", help="Embed SVG fallbacks of every chart.")
    ] = True,
    catalogue_path: Annotated[Path, typer.Option("--catalogue", help="Catalogue folder.")] = Path(
        "measures"
    ),
) -> None:
    """Write the statement: every measure's headline, charts, commentary and caveats."""
    from framework.commentary import CommentaryRefusedError
    from framework.periods import PeriodError, parse_period
    from renderers.report.pdf import PdfError

    span = None
    if period is not None:
        try:
            span = parse_period(period)
        except PeriodError as error:
            sys.stderr.write(f"error: --period: {error}\n")
            raise typer.Exit(EXIT_USAGE) from None
        if span.months != 3:
            sys.stderr.write("error: --period must be a quarter, e.g. 2021/22-Q4\n")
            raise typer.Exit(EXIT_USAGE)
    if output is ReportFormat.pdf:
        _need_chromium()
    catalogue = load_valid_catalogue(catalogue_path)
    located = choose_force(catalogue, force)
    profile = located.model
    if span is None and profile.reporting_period:
        span = parse_period(profile.reporting_period)

    from framework.cli.run_command import engine_or_exit
    from framework.periods import financial_quarter_label

    engine = engine_or_exit(catalogue)
    result = _run(engine, catalogue, profile, span)
    if result.frame.empty:
        if result.findings:
            print_findings(result.findings, catalogue.files_read)
        sys.stderr.write("error: no measure has any figure, so there is no statement to write\n")
        raise typer.Exit(EXIT_FINDINGS)
    if span is None:
        span = latest_quarter(result)
        # Cut at the quarter's end unless the data end there anyway (the run would repeat).
        if span.last < int(result.frame["period"].max()):
            result = _run(engine, catalogue, profile, span)
    if result.findings:
        print_findings(result.findings, catalogue.files_read)
    label = financial_quarter_label(span.last)
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


def _run(engine: Engine, catalogue: Catalogue, force: Force, span: Span | None) -> RunResult:
    from framework.cli.run_command import ProgressBar

    as_of = span.last if span else None
    with ProgressBar(len(catalogue.measures), "evaluating") as advance:
        return engine.run(force, catalogue.measures, as_of, all_forces=True, progress=advance)


def latest_quarter(result: RunResult) -> Span:
    """Return the latest quarter for which published (not synthetic) data have a figure."""
    from framework.periods import Span

    frame = result.frame
    real = frame.loc[frame["value"].notna() & ~frame["synthetic"].astype(bool)]
    last = int(real["period"].max() if len(real) else frame["period"].max())
    last -= (last % 3 + 1) % 3  # back to the last month of a quarter (Mar, Jun, Sep, Dec)
    return Span(last - 2, last)


def _write(
    engine: Engine, catalogue: Catalogue, force: Force, result: RunResult, span: Span,
    label: str, out: Path, form: str, svg: bool,
) -> list[Path]:  # fmt: skip
    from framework.cli.run_command import ProgressBar
    from framework.commentary import commentary_for, introduction_for
    from renderers.assemble.statement import StatementContext, build_statement
    from renderers.report.write import write_report

    groups = engine.groups(force)
    names = {area.code: area.name for area in engine.areas.forces()}
    own = engine.force_code(force)
    region = engine.areas.region_of(own)
    context = StatementContext(
        catalogue=catalogue,
        force=force,
        force_code=own,
        region_name=region.name if region else force.region,
        msg_codes=groups["msg"],
        region_codes=groups["region"],
        names=names,
        period_label=label,
        period=span,
        remarks=lambda item: commentary_for(catalogue.root, force, label, item),
        introduction=introduction_for(catalogue.root, force, label),
    )
    renderer = _svg_renderer() if svg else None
    with ProgressBar(len(catalogue.measures), "charting") as advance:
        statement = build_statement(
            context, result.frame, date.today(), svg=renderer, progress=advance
        )
    return write_report(statement, out, ReportFormat(form).value)


def _need_chromium() -> None:
    """Exit 2 before any work when the PDF cannot be printed: there is no Chromium."""
    from renderers.report.pdf import INSTALL_HINT, find_chromium

    if find_chromium() is None:
        sys.stderr.write(
            f"error: --format pdf prints the statement with headless Chromium, which was not "
            f"found.\n    hint: {INSTALL_HINT}\n"
        )
        raise typer.Exit(EXIT_USAGE)


def _svg_renderer() -> Callable[[dict[str, object]], str]:
    from renderers.vegalite.export import render_bytes

    def render(spec: dict[str, object]) -> str:
        return render_bytes(spec, "svg").decode("utf-8")

    return render


def register(app: typer.Typer) -> None:
    """Add the command to the application."""
    app.command("report")(report)
