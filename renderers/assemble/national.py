"""Build every force's statement for one quarter, and the national overview that links them.

The engine evaluates each measure once for all forces and keeps it, so each force's run only
lays out its rows; the charts' SVG fallbacks are drawn on worker threads while the next
statement is built, and each statement is written on a writer thread. A statement that fails
is recorded with its reason and the others carry on.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from framework import __version__
from framework.atomic import write_bytes_atomic
from framework.commentary import commentary_for, introduction_for
from framework.engine.context import comparison_of
from framework.loading.catalogue import Catalogue
from framework.model.force import Force, MostSimilarGroup
from framework.periods import Span, long_month, month_label
from renderers.assemble.fallbacks import SvgFallbacks
from renderers.assemble.statement import StatementContext, build_statement, statement_period
from renderers.chart_kinds import chart_text, render_chart
from renderers.from_results import FUNNEL_MINIMUM, funnel_points
from renderers.report.overview import (
    Overview,
    OverviewColumn,
    OverviewRow,
    overview_cell,
    render_overview_html,
)
from renderers.report.statement import ChartRef, Statement
from renderers.report.write import ReportFormat, write_report
from renderers.vegalite.funnel import AREA_ROLE
from renderers.vegalite.inputs import ChartContext, FunnelInputs

if TYPE_CHECKING:
    from framework.engine.run import Engine, RunResult

Progress = Callable[[str], None]

OVERVIEW_PAGE = "index.html"
PENDING_WRITES = 2
"""Statements waiting to be written at once: enough to keep the writer busy, few in memory."""


def statement_context(
    engine: Engine,
    catalogue: Catalogue,
    force: Force,
    span: Span,
    label: str,
    *,
    validate_specs: bool = True,
    result: RunResult | None = None,
) -> StatementContext:
    """Return what a force's statement needs besides results: names, region, MSG, commentary.

    ``result`` supplies the measures whose force-held table is not supplied yet and those
    whose source could not be read in the run the statement shows.
    """
    comparison = comparison_of(engine, force)
    return StatementContext(
        catalogue=catalogue,
        force=force,
        force_code=comparison.force_code,
        region_name=comparison.region_name,
        msg_codes=comparison.msg_codes,
        region_codes=comparison.region_codes,
        names=comparison.names,
        period_label=label,
        period=span,
        remarks=lambda item: commentary_for(catalogue.root, force, label, item),
        introduction=introduction_for(catalogue.root, force, label),
        not_supplied=result.not_supplied if result is not None else {},
        comparator_notes=comparison.notes,
        unavailable=result.unavailable if result is not None else {},
        validate_specs=validate_specs,
    )


def statement_run(
    engine: Engine,
    catalogue: Catalogue,
    force: Force,
    as_of: int | None,
    progress: Progress | None = None,
) -> RunResult:
    """Run the catalogue for a statement: the force's rows, and every area's latest window.

    A statement reads other areas' figures only for the window of the force's latest rate
    (the most similar group's bars, the funnel plot), and only the force's own rows are
    given a status; the engine keeps each evaluation and judgement for the next force.
    """
    return engine.run(
        force,
        catalogue.measures,
        as_of,
        all_forces=True,
        progress=progress,
        judge=(),
        others_at_latest=True,
    )


def force_id(name: str) -> str:
    """Return a folder-safe id of a force's name: ``Devon & Cornwall`` → ``devon_cornwall``."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def force_profiles(catalogue: Catalogue, engine: Engine, span: Span) -> list[Force]:
    """Return a profile for each of the 43 forces, in area-list order.

    A force with a profile in the catalogue uses it. Any other gets one made from the area
    list: its name, code and region, no commentary, and, since no most similar group was
    supplied, the other forces of its region as an illustrative group (statements say so).
    """
    profiles = {engine.force_code(f.model): f.model for f in catalogue.forces}
    defaults = [f.model for f in catalogue.forces if f.model.default] or [
        f.model for f in catalogue.forces
    ]
    population = defaults[0].population if defaults else "ons_population"
    out = []
    for area in engine.areas.forces():
        if area.code in profiles:
            out.append(profiles[area.code])
            continue
        region = engine.areas.region_of(area.code)
        members = [
            other.name
            for other in engine.areas.members_of_region(region.code if region else "")
            if other.code != area.code
        ]
        out.append(
            Force(
                id=force_id(area.name),
                name=area.name,
                ons_code=area.code,
                region=region.name if region else "",
                pcc_office=f"{area.name}: no force profile in this catalogue",
                msg=MostSimilarGroup(
                    members=members or [area.name],
                    as_of=month_label(span.last),
                    illustrative=True,
                    source="the other forces of the region (no most similar group supplied)",
                ),
                population=population,
            )
        )
    return out


@dataclass
class NationalResult:
    """What was written: the overview page, the statements, and the forces that failed."""

    overview: Path
    forces: int = 0
    """How many forces' statements were attempted."""
    statements: dict[str, Path] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    """Force name → why its statement was not written."""
    findings: int = 0
    """Run findings over every force (each force's statement still written)."""


@dataclass(frozen=True)
class _Outcome:
    """One force's statement as the overview needs it: its row, columns and findings."""

    row: OverviewRow
    columns: tuple[OverviewColumn, ...] = ()
    findings: int = 0
    written: Path | None = None


@dataclass(frozen=True)
class _Job:
    """What every force's statement shares: the run's engine, quarter and where to write."""

    engine: Engine
    catalogue: Catalogue
    span: Span
    label: str
    out: Path
    form: ReportFormat
    today: date


def _statement_of(job: _Job, force: Force, svg: SvgFallbacks | None) -> tuple[Statement, int]:
    """Return a force's statement and its run's findings; raise if it cannot be built."""
    run = statement_run(job.engine, job.catalogue, force, job.span.last)
    if run.frame.empty:
        raise ValueError("no measure has any figure for this force")
    context = statement_context(
        job.engine, job.catalogue, force, job.span, job.label, validate_specs=False, result=run
    )
    return build_statement(context, run.frame, job.today, svg=svg), len(run.findings)


def _outcome(job: _Job, force: Force, statement: Statement, findings: int) -> _Outcome:
    link = f"{force.id}/{'index.html' if job.form == 'html' else 'statement.md'}"
    cells = {m.id: overview_cell(m) for m in statement.measures}
    columns = tuple(OverviewColumn(m.id, m.title) for m in statement.measures)
    return _Outcome(OverviewRow(force.name, link, cells), columns, findings)


def _failed(force: Force, error: BaseException) -> _Outcome:
    return _Outcome(OverviewRow(force.name, None, {}, _reason(error)))


_SHARED: list[tuple[_Job, Sequence[Force]]] = []
"""The job a forked worker inherits (set just before the workers are started)."""


def _in_worker(index: int) -> _Outcome:
    """Build and write one force's statement in a worker process; never raise."""
    job, forces = _SHARED[0]
    force = forces[index]
    try:
        statement, findings = _statement_of(job, force, None)
        outcome = _outcome(job, force, statement, findings)
        written = write_report(statement, job.out / force.id, job.form)[0]
    except Exception as error:  # reported with the force's name; the rest go on
        return _failed(force, error)
    return replace(outcome, written=written)


def default_processes() -> int:
    """Return how many worker processes build statements: one a core, at most four.

    Workers are forked from the process whose engine has read and evaluated everything, so
    they start at once and share its memory; where processes cannot be forked, none is used.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not every system can say which cores the process may use
        cores = os.cpu_count() or 1
    return max(1, min(4, cores))


def _in_processes(
    job: _Job, forces: Sequence[Force], processes: int, progress: Progress | None
) -> list[_Outcome]:
    """Return each force's outcome, built and written by forked workers, in the forces' order."""
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    from renderers.report import assets

    if job.form == "html":
        assets.vega_bundle()  # read once here, so no worker reads it again
    outcomes: dict[int, _Outcome] = {}
    _SHARED[:] = [(job, forces)]
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(processes, mp_context=context) as pool:
            jobs = {pool.submit(_in_worker, i): i for i in range(len(forces))}
            for done in as_completed(jobs):
                index = jobs[done]
                try:
                    outcomes[index] = done.result()
                except BrokenProcessPool as error:  # a worker died (out of memory, killed)
                    outcomes[index] = _failed(forces[index], error)
                if progress:
                    progress(forces[index].name)
    finally:
        _SHARED.clear()
    return [outcomes[i] for i in range(len(forces))]


def _in_this_process(
    job: _Job, forces: Sequence[Force], svg: bool, progress: Progress | None
) -> list[_Outcome]:
    """Return each force's outcome, built here, SVGs drawn and pages written on threads."""
    outcomes: list[_Outcome] = []
    pending: list[tuple[int, Future[list[Path]]]] = []
    fallbacks = SvgFallbacks() if svg and job.form == "html" else None

    def settle(limit: int) -> None:
        while len(pending) > limit:
            index, written = pending.pop(0)
            try:
                outcomes[index] = replace(outcomes[index], written=written.result()[0])
            except Exception as error:  # one statement's failure must not stop the others
                outcomes[index] = _failed(forces[index], error)

    def write(statement: Statement, folder: Path) -> list[Path]:
        if fallbacks is not None:
            statement = fallbacks.resolve(statement)
        return write_report(statement, folder, job.form)

    with _writer() as writer:
        try:
            for force in forces:
                if progress:
                    progress(force.name)
                if fallbacks is not None:
                    fallbacks.begin()
                try:
                    statement, findings = _statement_of(job, force, fallbacks)
                except Exception as error:  # reported with the force's name; the rest go on
                    if fallbacks is not None:
                        fallbacks.cancel_pending()
                    outcomes.append(_failed(force, error))
                    continue
                outcomes.append(_outcome(job, force, statement, findings))
                folder = job.out / force.id
                pending.append((len(outcomes) - 1, writer.submit(write, statement, folder)))
                settle(PENDING_WRITES)
            settle(0)
        finally:
            if fallbacks is not None:
                fallbacks.close()
    return outcomes


@contextmanager
def _writer() -> Iterator[ThreadPoolExecutor]:
    pool = ThreadPoolExecutor(1, "statement-writer")
    try:
        yield pool
    finally:
        pool.shutdown(wait=True)


def build_all_statements(
    engine: Engine,
    catalogue: Catalogue,
    span: Span,
    label: str,
    out: Path,
    *,
    form: ReportFormat = "html",
    svg: bool = False,
    generated_on: date | None = None,
    progress: Progress | None = None,
    profiles: Sequence[Force] | None = None,
    processes: int | None = None,
) -> NationalResult:
    """Write each force's statement into ``out/<force id>/`` and the overview into ``out/``.

    ``profiles`` chooses the forces (default: all 43, see :func:`force_profiles`).
    ``processes`` is how many worker processes build them (default
    :func:`default_processes`); with SVG fallbacks, or 1, they are built in this process.
    """
    today = generated_on or date.today()
    out.mkdir(parents=True, exist_ok=True)
    result = NationalResult(out / OVERVIEW_PAGE)
    forces = list(force_profiles(catalogue, engine, span) if profiles is None else profiles)
    result.forces = len(forces)
    job = _Job(engine, catalogue, span, label, out, form, today)
    workers = default_processes() if processes is None else processes
    if workers > 1 and len(forces) > 1 and not (svg and form == "html"):
        outcomes = _in_processes(job, forces, min(workers, len(forces)), progress)
    else:
        outcomes = _in_this_process(job, forces, svg, progress)
    columns: dict[str, OverviewColumn] = {}
    for force, outcome in zip(forces, outcomes, strict=True):
        result.findings += outcome.findings
        if outcome.row.failed is not None:
            result.failures[force.name] = outcome.row.failed
            continue
        for column in outcome.columns:
            columns.setdefault(column.id, column)
        if outcome.written is not None:
            result.statements[force.name] = outcome.written
    funnels = national_funnels(engine, catalogue, forces[0], span, list(columns)) if forces else ()
    overview = Overview(
        period=statement_period(label, span),
        generated_on=today,
        framework_version=__version__,
        columns=tuple(columns.values()),
        rows=tuple(outcome.row for outcome in outcomes),
        notes=_notes(catalogue, span),
        charts=funnels,
    )
    for chart in funnels:
        spec = json.dumps(chart.spec, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        write_bytes_atomic(out / f"{chart.stem}.vl.json", f"{spec}\n".encode())
    write_bytes_atomic(result.overview, render_overview_html(overview).encode("utf-8"))
    return result


def national_funnels(
    engine: Engine, catalogue: Catalogue, force: Force, span: Span, columns: Sequence[str]
) -> tuple[ChartRef, ...]:
    """Return each measure's funnel plot of every force's latest rate, where the data allow.

    A measure has one when its rows carry rates, populations and the England and Wales rate,
    and at least :data:`~renderers.from_results.FUNNEL_MINIMUM` forces have a rate in its
    latest window up to the quarter; ``columns`` orders the plots as the table's measures.
    """
    run = engine.run(force, catalogue.measures, span.last, all_forces=True, judge=())
    if run.frame.empty or not {"rate_per_100k", "population", "national_rate"} <= set(
        run.frame.columns
    ):
        return ()
    names = {area.code: area.name for area in engine.areas.forces()}
    charts: dict[str, ChartRef] = {}
    for measure_id, rows in run.frame.groupby("measure", sort=False):
        located = catalogue.measure(str(measure_id))
        totals = rows.loc[rows["component"].isna() & rows["rate_per_100k"].notna()]
        if located is None or totals.empty:
            continue
        at = totals.loc[totals["period"] == totals["period"].max()]
        target = at["national_rate"].dropna()
        if len(at) < FUNNEL_MINIMUM or target.empty:
            continue
        measure = located.model
        window = str(at["window"].iloc[0])
        context = ChartContext(
            title=f"{measure.title}: every force",
            unit=measure.presentation.unit,
            area="England and Wales",
            subtitle=f"Rate per 100,000 population against population, {window}",
            decimals=measure.presentation.decimals,
            improvement=measure.improvement,
            synthetic=bool(at["synthetic"].any()),
        )
        forces = funnel_points(at, names, AREA_ROLE)
        inputs = FunnelInputs(context, forces, float(target.iloc[0]))
        spec = render_chart("funnel", inputs, validate=False)
        title = f"{measure.title}: funnel plot, every force"
        description, table = chart_text("funnel", inputs, title, spec)
        charts[measure.id] = ChartRef("funnel", title, spec, f"{measure.id}-funnel", None,
                                      description, table)  # fmt: skip
    return tuple(charts[c] for c in columns if c in charts)


def _notes(catalogue: Catalogue, span: Span) -> tuple[str, ...]:
    profiled = ", ".join(f.model.name for f in catalogue.forces) or "none"
    return (
        f"Figures for the quarter ending {long_month(span.last)}. Forces with a profile in "
        f"this catalogue: {profiled}. The others are compared with the other forces of their "
        "region, as an illustrative group, since no most similar group was supplied for them.",
    )


def _reason(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]
