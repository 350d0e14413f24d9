"""``measures render``: write each measure's chart as Vega-Lite JSON, SVG and PNG."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from framework.cli.common import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
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


def render(
    measure: Annotated[
        list[str] | None, typer.Option("--measure", help="Measure id (repeat; default all).")
    ] = None,
    force: Annotated[str | None, typer.Option(help="Force name, id or ONS code.")] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--period",
            "--as-of",
            help="Last month of the window: 2022-03, or a quarter (2021/22-Q4, 2021-22-Q4).",
        ),
    ] = None,
    out: Annotated[Path, typer.Option(help="Folder for the chart files.")] = Path("charts"),
    all_charts: Annotated[
        bool,
        typer.Option(
            "--all-charts", help="Every chart of each measure (<id>-<kind>.*), not just the first."
        ),
    ] = False,
    catalogue_path: CatalogueOption = None,
) -> None:
    """Write each measure's chart as <measure>.vl.json, with an SVG and a PNG of it."""
    month = parse_month_option(as_of, "--period")
    catalogue = load_valid_catalogue(catalogue_path)
    located = choose_force(catalogue, force)

    from framework.engine.context import comparison_of
    from renderers.chart_kinds import chart_inputs, render_chart
    from renderers.from_results import MeasureView
    from renderers.vegalite.export import export_chart

    chosen = [m for m in chosen_measures(catalogue, measure) if m.model.source is not None]
    engine = engine_or_exit(catalogue)
    # Every force's rows (the funnel plots need them): shared among the cores, as `run`'s.
    processes = default_workers(True, len(chosen))
    with ProgressBar(len(chosen)) as advance:
        result = engine.run(
            located.model, chosen, month, all_forces=True, progress=advance, workers=processes
        )
    comparison = comparison_of(engine, located.model)
    written = 0
    for item in chosen:
        definition = item.model
        rows = (
            result.frame.loc[result.frame["measure"] == definition.id]
            if len(result.frame)
            else None
        )
        if rows is None or rows.empty:
            continue
        view = MeasureView(
            title=definition.title,
            unit=definition.presentation.unit,
            decimals=definition.presentation.decimals,
            improvement=definition.improvement,
            force_code=comparison.force_code,
            force_name=located.model.name,
            region_name=comparison.region_name,
            synthetic=bool(rows["synthetic"].any()),
            illustrative_msg=located.model.msg.illustrative and "msg" in definition.comparators,
            baseline_label=definition.baseline.label if definition.baseline else None,
            msg_codes=comparison.msg_codes,
        )
        kinds = definition.presentation.charts if all_charts else definition.presentation.charts[:1]
        for kind in kinds:
            inputs = chart_inputs(kind, view, rows, comparison.names)
            if inputs is None:
                continue
            name = f"{definition.id}-{kind}" if all_charts else definition.id
            try:
                paths = export_chart(render_chart(kind, inputs), out, name)
            except OSError as error:
                raise write_failed(out, error, f"{written} chart(s) were written before.") from None
            written += 1
            sys.stderr.write(f"wrote {paths['vl.json']} (+ .svg, .png)\n")
    if result.findings:
        print_findings(result.findings, catalogue.files_read)
    sys.stderr.write(f"{written} chart(s) in {out}\n")
    raise typer.Exit(EXIT_FINDINGS if result.findings else EXIT_CLEAN)


def register(app: typer.Typer) -> None:
    """Add the command to the application."""
    app.command("render")(render)
