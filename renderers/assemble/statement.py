"""Build the quarterly statement from the catalogue, the force profile and a run's results."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd

from framework import __version__
from framework.commentary import Commentary
from framework.loading.catalogue import Catalogue, Located
from framework.model.force import Force
from framework.model.measure import Measure
from framework.periods import Span, long_month, parse_period, year_month
from renderers.assemble.caveats import Groups, measure_caveats
from renderers.assemble.completeness import completeness_of, stale_note
from renderers.assemble.headline import headline_for
from renderers.chart_kinds import chart_inputs, chart_text, render_chart
from renderers.chart_text import windows_of
from renderers.from_results import MeasureView
from renderers.report.statement import (
    ChartRef,
    MeasureSection,
    NationalMeasure,
    Notice,
    Period,
    PrioritySection,
    Provenance,
    SourceFile,
    Statement,
    SwitchedOff,
)
from renderers.vegalite import DEFAULT_THEME, Theme

SvgRenderer = Callable[[dict[str, object]], str]


@dataclass(frozen=True)
class StatementContext:
    """What the statement needs besides results: the force, its comparators and the period."""

    catalogue: Catalogue
    force: Force
    force_code: str
    region_name: str
    msg_codes: tuple[str, ...]
    names: dict[str, str]
    period_label: str
    period: Span
    remarks: Callable[[str], Commentary] = lambda item: Commentary()
    """The commentary on a measure id or ``_priority.<id>``, read by the caller."""
    introduction: str | None = None
    not_supplied: dict[str, str] = field(default_factory=dict)
    """Force-held measures whose table the force has not supplied yet: id → expected file."""
    comparator_notes: tuple[str, ...] = ()
    """Why a comparator (the region, the MSG) is left out of this force's statement."""
    region_codes: tuple[str, ...] = ()
    """The ONS codes of the forces of the force's region."""
    unavailable: Mapping[str, str] = field(default_factory=dict)
    """Measures whose source could not be read in this run (what the source said)."""

    validate_specs: bool = True
    """False builds each chart's spec as plain data, unchecked (the tests check every kind)."""


SOURCE_UNAVAILABLE = (
    "Source unavailable: the data behind this measure could not be read when the statement "
    "was built."
)


def _date(index: int) -> date:
    year, month = year_month(index)
    return date(year, month, 1)


def statement_period(label: str, span: Span) -> Period:
    """Return the report's period: ``2021/22 Q4`` over January to March 2022."""
    return Period(
        label.replace("-", " "), tuple(_date(i) for i in range(span.first, span.last + 1))
    )


def ordered_measures(catalogue: Catalogue, national_ids: list[str]) -> list[Located[Measure]]:
    """Return a priority's sections: each national measure (if computed) followed by its proxies."""
    out: list[Located[Measure]] = []
    for national_id in national_ids:
        national = catalogue.measure(national_id)
        proxies = [m for m in catalogue.measures if m.model.proxy_for == national_id]
        if national is not None and (national.model.source is not None or not proxies):
            out.append(national)
        out.extend(proxies)
    return out


def _national_of(catalogue: Catalogue, measure: Measure) -> NationalMeasure | None:
    target: Measure | None = measure
    if measure.proxy_for:
        located = catalogue.measure(measure.proxy_for)
        target = located.model if located else None
    if target is None or target.national_measure is None:
        return None
    info = target.national_measure
    return NationalMeasure(info.name, info.available, info.supplier, info.reason)


def _charts(
    measure: Measure,
    view: MeasureView,
    rows: pd.DataFrame,
    context: StatementContext,
    theme: Theme,
    svg: SvgRenderer | None,
) -> tuple[ChartRef, ...]:
    own = rows.loc[rows["area_code"] == context.force_code, "value"]
    if own.isna().all():
        return ()  # nothing of the force's to draw: the section says there is no data
    charts = []
    windows = windows_of(rows.loc[rows["area_code"] == context.force_code])
    for kind in measure.presentation.charts:
        inputs = chart_inputs(kind, view, rows, context.names)
        if inputs is None:
            continue
        spec = render_chart(kind, inputs, theme, validate=context.validate_specs)
        title = f"{measure.title}: {kind}"
        description, table = chart_text(kind, inputs, title, spec, windows)
        charts.append(
            ChartRef(
                kind,
                title,
                spec,
                f"{measure.id}-{kind}",
                svg(spec) if svg else None,
                description,
                table,
            )
        )
    return tuple(charts)


def _caveats(
    measure: Measure, rows: pd.DataFrame, context: StatementContext
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    dataset = context.catalogue.dataset(measure.source.dataset) if measure.source else None
    groups = Groups(
        force_code=context.force_code,
        members={
            "national": tuple(context.names),
            "region": context.region_codes,
            "msg": context.msg_codes,
        },
        labels={
            "national": "England and Wales",
            "region": context.region_name,
            "msg": "the most similar group average",
        },
        names=context.names,
    )
    data = dataset.model.caveats if dataset else ()
    return measure_caveats(measure, rows, context.period, groups, data)


def _provenance(located: Located[Measure], rows: pd.DataFrame, force_code: str) -> Provenance:
    first = rows.iloc[0]
    files = str(first.get("source_files") or "").split(";")
    hashes = str(first.get("source_sha256") or "").split(";")
    sources = tuple(SourceFile(f, h) for f, h in zip(files, hashes, strict=False) if f)
    # The rows behind the headline figure (those `measures trace` lists), not the whole table.
    own = rows.loc[
        (rows["area_code"] == force_code) & rows["component"].isna() & rows["value"].notna()
    ].sort_values("period_end")
    behind = own["rows_in_window"].iloc[-1] if len(own) else None
    rows_behind = int(behind) if behind is not None and pd.notna(behind) else None
    edition = None
    if len(own) and isinstance(own.iloc[-1].get("source_edition"), str):
        latest = own.iloc[-1]
        edition = (
            f"year ending {long_month(parse_period(str(latest['source_edition'])).last)} "
            f"({latest.get('source_edition_file')})"
        )
    return Provenance(located.file, str(first.get("dataset")), sources, rows_behind, edition)


def measure_section(
    located: Located[Measure],
    rows: pd.DataFrame | None,
    context: StatementContext,
    theme: Theme,
    svg: SvgRenderer | None,
) -> MeasureSection:
    """Return one measure's section: headline, charts, caveats, commentary, provenance."""
    measure = located.model
    remarks = context.remarks(measure.id)
    national = _national_of(context.catalogue, measure)
    if rows is None or rows.empty:
        expected = context.not_supplied.get(measure.id)
        supplied = (
            (f"No data supplied yet: the force keeps this table at {expected}.",)
            if expected
            else ()
        )
        return MeasureSection(
            measure.id,
            measure.title,
            measure.kind,
            Provenance(located.file, "none"),
            national=national,
            caveats=(*supplied, *dict.fromkeys(" ".join(c.text.split()) for c in measure.caveats))
            + ((SOURCE_UNAVAILABLE,) if measure.id in context.unavailable else ()),
            force_commentary=remarks.force,
            pcc_commentary=remarks.pcc,
        )
    synthetic = bool(rows["synthetic"].any())
    view = MeasureView(
        title=measure.title,
        unit=measure.presentation.unit,
        decimals=measure.presentation.decimals,
        improvement=measure.improvement,
        force_code=context.force_code,
        force_name=context.force.name,
        region_name=context.region_name,
        synthetic=synthetic,
        illustrative_msg=context.force.msg.illustrative and "msg" in measure.comparators,
        baseline_label=measure.baseline.label if measure.baseline else None,
        msg_codes=context.msg_codes,
    )
    headline = headline_for(
        rows,
        context.force_code,
        measure.improvement,
        measure.presentation.decimals,
        context.region_name,
    )
    if headline is not None:
        period = statement_period(context.period_label, context.period)
        headline = replace(headline, stale_note=stale_note(headline, period))
    caveats, comparison_notes = _caveats(measure, rows, context)
    if headline is None:  # nothing to stand beside: the notes join the caveats
        caveats, comparison_notes = (*caveats, *comparison_notes), ()
    return MeasureSection(
        id=measure.id,
        title=measure.title,
        kind=measure.kind,
        provenance=_provenance(located, rows, context.force_code),
        national=national,
        headline=headline,
        charts=_charts(measure, view, rows, context, theme, svg),
        caveats=caveats,
        comparison_notes=comparison_notes,
        force_commentary=remarks.force,
        pcc_commentary=remarks.pcc,
        synthetic=synthetic,
    )


def statement_rows(rows: pd.DataFrame | None, force_code: str) -> pd.DataFrame | None:
    """Return the rows of a measure a statement reads: the force's, and every area's latest.

    Besides the force's own rows, a statement reads other areas' figures only for the
    window of the force's latest rate (the most similar group's bars, the funnel plot);
    what else it reads of them (the dataset's notes) is the same on every row. Dropping the
    rest first makes each later selection a small one, and changes nothing written.
    """
    if rows is None or rows.empty:
        return rows
    own = (rows["area_code"] == force_code).to_numpy()
    keep = own.copy()
    if "rate_per_100k" in rows:
        rated = own & rows["component"].isna().to_numpy() & rows["rate_per_100k"].notna().to_numpy()
        if rated.any():
            ends = rows["period_end"].to_numpy()
            latest = ends[rated].max()
            keep |= ends == latest
    return rows.loc[keep]


def compact(rows: pd.DataFrame) -> pd.DataFrame:
    """Return ``rows`` with text columns as Python objects, in one block per dtype.

    A statement selects from each measure's rows a few hundred times (the force's own, a
    window, one row): with every text column an Arrow array of its own, each selection
    takes each column on its own. The same values held as objects, the columns of a kind
    together, are taken a block at a time; missing text stays NaN.
    """
    text = {c: object for c, kind in rows.dtypes.items() if isinstance(kind, pd.StringDtype)}
    return rows.astype(text).copy() if text else rows.copy()


def build_statement(
    context: StatementContext,
    results: pd.DataFrame,
    generated_on: date,
    theme: Theme = DEFAULT_THEME,
    svg: SvgRenderer | None = None,
    progress: Callable[[str], None] | None = None,
) -> Statement:
    """Return the statement of every priority and measure from a run's results."""
    catalogue = context.catalogue
    by_measure = (
        {key: group for key, group in compact(results).groupby("measure")} if len(results) else {}
    )
    sections = []
    priorities = [p for file in catalogue.priorities for p in file.model.items]
    for priority in sorted(priorities, key=lambda p: p.order):
        measures = []
        for located in ordered_measures(catalogue, priority.national_measures):
            if progress:
                progress(located.model.id)
            rows = statement_rows(by_measure.get(located.model.id), context.force_code)
            measures.append(measure_section(located, rows, context, theme, svg))
        remarks = context.remarks(f"_priority.{priority.id}")
        sections.append(
            PrioritySection(
                priority.title,
                priority.order,
                tuple(measures),
                priority.not_applicable,
                remarks.force,
                remarks.pcc,
            )
        )
    notices = []
    synthetic = [m.title for s in sections for m in s.measures if m.synthetic]
    if synthetic:
        notices.append(
            Notice(
                "synthetic",
                "Some measures use SYNTHETIC data generated for this demonstration ("
                + "; ".join(synthetic)
                + "); they are marked wherever they appear.",
            )
        )
    notices.extend(Notice("information", note) for note in context.comparator_notes)
    if context.force.msg.illustrative and context.force.msg.members:
        notices.append(
            Notice(
                "illustrative",
                f"The most similar group used here is illustrative ({context.force.msg.source}), "
                "not an official HMICFRS list.",
            )
        )
    return Statement(
        force=context.force.name,
        pcc_office=context.force.pcc_office,
        period=statement_period(context.period_label, context.period),
        generated_on=generated_on,
        framework_version=__version__,
        priorities=tuple(sections),
        completeness=completeness_of(
            sections,
            [p.title for p in priorities],
            switched_off=tuple(
                SwitchedOff(title, reason) for title, reason in catalogue.switched_off.values()
            ),
        ),
        notices=tuple(notices),
        introduction=context.introduction,
        office_kind=context.force.office_kind,
    )
