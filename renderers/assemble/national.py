"""Build every force's statement for one quarter, and the national overview that links them.

The engine evaluates each measure once for all forces and keeps it, so each force's run only
lays out its rows; the charts' SVG fallbacks are drawn on worker threads while the next
statement is built, and each statement is written on a writer thread. A statement that fails
is recorded with its reason and the others carry on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from framework import __version__
from framework.atomic import write_bytes_atomic
from framework.commentary import commentary_for, introduction_for
from framework.loading.catalogue import Catalogue
from framework.model.force import Force, MostSimilarGroup
from framework.periods import Span, long_month, month_label
from renderers.assemble.fallbacks import SvgFallbacks
from renderers.assemble.statement import StatementContext, build_statement, statement_period
from renderers.report.overview import (
    Overview,
    OverviewColumn,
    OverviewRow,
    overview_cell,
    render_overview_html,
)
from renderers.report.statement import Statement
from renderers.report.write import ReportFormat, write_report

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
    groups = engine.groups(force)
    names = {area.code: area.name for area in engine.areas.forces()}
    own = engine.force_code(force)
    region = engine.areas.region_of(own)
    return StatementContext(
        catalogue=catalogue,
        force=force,
        force_code=own,
        region_name=region.name if region else force.region,
        msg_codes=groups.get("msg", ()),
        region_codes=groups.get("region", ()),
        names=names,
        period_label=label,
        period=span,
        remarks=lambda item: commentary_for(catalogue.root, force, label, item),
        introduction=introduction_for(catalogue.root, force, label),
        not_supplied=result.not_supplied if result is not None else {},
        comparator_notes=comparator_notes(engine, force, groups),
        unavailable=result.unavailable if result is not None else {},
        validate_specs=validate_specs,
    )


def comparator_notes(
    engine: Engine, force: Force, groups: dict[str, tuple[str, ...]]
) -> tuple[str, ...]:
    """Say why the region or the most similar group is not compared, when it is not."""
    notes = []
    region = engine.areas.region_of(engine.force_code(force))
    if "region" not in groups and region is not None:
        members = [area.name for area in engine.areas.members_of_region(region.code)]
        notes.append(
            f"Figures are not compared with the {region.name} region: it has "
            f"{len(members)} police force area{'s' if len(members) != 1 else ''} "
            f"({', '.join(members)}), too few for a regional comparison."
        )
    if "msg" not in groups:
        notes.append(
            "The force profile names no most similar group yet, so figures are not compared "
            "with one."
        )
    return tuple(notes)


def statement_run(
    engine: Engine,
    catalogue: Catalogue,
    force: Force,
    as_of: int | None,
    progress: Progress | None = None,
) -> RunResult:
    """Run the catalogue for a statement: every force's rows (its caveats name members').

    Only the force's own rows are given a status (the statement reads no other's); the
    engine keeps each judgement, so the national overview's runs judge each force once.
    """
    return engine.run(
        force, catalogue.measures, as_of, all_forces=True, progress=progress, judge=()
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
) -> NationalResult:
    """Write each force's statement into ``out/<force id>/`` and the overview into ``out/``.

    ``profiles`` chooses the forces (default: all 43, see :func:`force_profiles`).
    """
    today = generated_on or date.today()
    out.mkdir(parents=True, exist_ok=True)
    result = NationalResult(out / OVERVIEW_PAGE)
    rows: list[OverviewRow] = []
    columns: dict[str, OverviewColumn] = {}
    pending: list[tuple[str, Future[list[Path]]]] = []
    fallbacks = SvgFallbacks() if svg and form == "html" else None

    def settle(limit: int) -> None:
        while len(pending) > limit:
            name, job = pending.pop(0)
            try:
                result.statements[name] = job.result()[0]
            except Exception as error:  # one statement's failure must not stop the others
                result.failures[name] = _reason(error)

    def write(statement: Statement, folder: Path) -> list[Path]:
        if fallbacks is not None:
            statement = fallbacks.resolve(statement)
        return write_report(statement, folder, form)

    with _writer() as writer:
        try:
            chosen = force_profiles(catalogue, engine, span) if profiles is None else profiles
            result.forces = len(chosen)
            for force in chosen:
                if progress:
                    progress(force.name)
                if fallbacks is not None:
                    fallbacks.begin()
                try:
                    run = statement_run(engine, catalogue, force, span.last)
                    result.findings += len(run.findings)
                    if run.frame.empty:
                        raise ValueError("no measure has any figure for this force")
                    context = statement_context(
                        engine, catalogue, force, span, label, validate_specs=False, result=run
                    )
                    statement = build_statement(context, run.frame, today, svg=fallbacks)
                except Exception as error:  # reported with the force's name; the rest go on
                    if fallbacks is not None:
                        fallbacks.cancel_pending()
                    result.failures[force.name] = _reason(error)
                    rows.append(OverviewRow(force.name, None, {}, _reason(error)))
                    continue
                for measure in statement.measures:
                    columns.setdefault(measure.id, OverviewColumn(measure.id, measure.title))
                link = f"{force.id}/{'index.html' if form == 'html' else 'statement.md'}"
                cells = {m.id: overview_cell(m) for m in statement.measures}
                rows.append(OverviewRow(force.name, link, cells))
                pending.append((force.name, writer.submit(write, statement, out / force.id)))
                settle(PENDING_WRITES)
            settle(0)
        finally:
            if fallbacks is not None:
                fallbacks.close()
    rows = [
        row
        if row.failed is not None or row.force not in result.failures
        else OverviewRow(row.force, None, {}, result.failures[row.force])
        for row in rows
    ]
    overview = Overview(
        period=statement_period(label, span),
        generated_on=today,
        framework_version=__version__,
        columns=tuple(columns.values()),
        rows=tuple(rows),
        notes=_notes(catalogue, span),
    )
    write_bytes_atomic(result.overview, render_overview_html(overview).encode("utf-8"))
    return result


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
