"""The engine's front door: evaluate a catalogue's measures for a force, with provenance."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framework.engine.coverage import Coverage, coverage_of
from framework.engine.evaluate import Evaluated, EvaluationError, derived, evaluate_plan
from framework.engine.plan import EvaluationPlan, build_plan
from framework.engine.results import component_rows, finish, spread, total_rows, without
from framework.engine.run_workers import lay_out_in_workers
from framework.engine.signals import attach_signals
from framework.engine.status import attach_status
from framework.engine.workers import can_fork
from framework.findings.codes import Code
from framework.findings.finding import Finding, Level, Location
from framework.loading.catalogue import Catalogue, Located
from framework.model.dataset import Dataset
from framework.model.force import Force
from framework.model.measure import Measure
from framework.periods import month_label, parse_period, year_month
from framework.sources.base import SourceError, SourceFrame

Progress = Callable[[str], None]
Evaluation = tuple[Located[Measure], EvaluationPlan, SourceFrame, Evaluated, pd.DataFrame]
"""An evaluated measure: where it is defined, its plan, source, evaluation, population years."""
MIN_REGION_FORCES = 3
"""Fewer forces than this in a region and it is left out of the comparators, with a note."""


@dataclass
class RunResult:
    """The tidy results of a run, the plans behind them, the source reports, and findings."""

    frame: pd.DataFrame
    plans: dict[str, EvaluationPlan] = field(default_factory=dict)
    sources: dict[str, SourceFrame] = field(default_factory=dict)
    evaluated: dict[str, Evaluated] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    force: Force | None = None
    not_supplied: dict[str, str] = field(default_factory=dict)
    """Measures on force-held tables the force has not supplied yet: id → expected file."""
    unavailable: dict[str, str] = field(default_factory=dict)
    """Measures whose source could not be read, with what the source said."""


class Engine:
    """Evaluates measures of one catalogue; reads each dataset once per engine."""

    def __init__(self, catalogue: Catalogue) -> None:
        from framework.sources.area_list import default_registry

        self.catalogue = catalogue
        self.root = catalogue.root
        self.areas = default_registry(catalogue.areas_root())
        self._sources: dict[tuple[str, str], SourceFrame] = {}
        # A source that failed is not asked again in the same run (a database timeout once).
        self._failed: dict[tuple[str, str], SourceError] = {}
        self._population: dict[str, tuple[pd.DataFrame, pd.DataFrame]] = {}
        self._rate_population: dict[tuple[str, str], tuple[pd.DataFrame, pd.DataFrame]] = {}
        # Evaluation covers every force at once, so one evaluation serves each force's run;
        # only the comparator groups in the plan differ between forces.
        self._evaluated: dict[tuple[str, str, str, str, frozenset[str]], Evaluated] = {}
        self._definition_sha256: dict[str, str | None] = {}

    # -- inputs -------------------------------------------------------------------------

    def source(self, dataset_id: str, force: Force) -> SourceFrame:
        """Read a dataset (the force's own copy when its profile overrides the path)."""
        from framework.sources.registry import read_dataset

        located = self.catalogue.dataset(dataset_id)
        if located is None:
            raise SourceError(dataset_id, "no such dataset in the registry")
        override = force.datasets.get(dataset_id)
        # A force's own copy is in its folder; a definition's path is relative to its layer.
        root = self.root if override else self.catalogue.data_root(located)
        key = (dataset_id, (root / (override or located.model.path)).as_posix())
        if key in self._failed:
            raise self._failed[key]
        if key not in self._sources:
            try:
                self._sources[key] = read_dataset(located.model, root, self.areas, override)
            except SourceError as error:
                self._failed[key] = error
                raise
        return self._sources[key]

    def missing_force_table(self, dataset_id: str, force: Force) -> str | None:
        """Return the expected file of a force-held table the force has not supplied, else None."""
        located = self.catalogue.dataset(dataset_id)
        if located is None or not located.model.force_held:
            return None
        relative = force.datasets.get(dataset_id, located.model.path)
        return None if (self.root / relative).exists() else relative

    def population(self, force: Force) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Return months × area codes tables of the population and of the estimate's year.

        Each month takes the latest mid-year estimate at or before it, else the earliest.
        """
        if force.population not in self._population:
            source = self.source(force.population, force)
            frame = source.frame
            estimates = frame.pivot_table(
                index="period", columns="area_code", values="value", aggfunc="last", observed=True
            )
            months = pd.Index(np.arange(estimates.index.min() - 240, estimates.index.max() + 240))
            values = estimates.reindex(months).ffill().bfill()
            year_of = np.array([year_month(int(p))[0] for p in estimates.index], dtype="float64")
            # Each estimate's year where the area has one, else NaN: one array for all areas.
            held = np.where(estimates.notna().to_numpy(), year_of[:, None], np.nan)
            years = (
                pd.DataFrame(held, index=estimates.index, columns=pd.Index(list(estimates.columns)))
                .reindex(months)
                .ffill()
                .bfill()
            )
            self._population[force.population] = (values, years)
        return self._population[force.population]

    def rate_population(
        self, dataset: Dataset, source: SourceFrame, force: Force
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Return the population tables a dataset's rates divide by, under its rule.

        ``window`` uses :meth:`population` as it is; ``publishing_edition`` takes, for each
        figure an edition rates, the estimate that edition used (see
        :mod:`framework.sources.population_choice`).
        """
        values, years = self.population(force)
        if dataset.population_estimate != "publishing_edition" or not source.editions:
            return values, years
        key = (dataset.id, force.population)
        if key not in self._rate_population:
            from framework.sources.population_choice import publishing_edition_tables

            used = self.source(force.population, force).editions
            estimates = {
                edition.month: edition.population_estimate
                for edition in used
                if edition.population_estimate is not None
            }
            editions = {edition.file: edition.month for edition in source.editions}
            self._rate_population[key] = publishing_edition_tables(
                values, years, source.frame, editions, estimates
            )
        return self._rate_population[key]

    def groups(self, force: Force) -> dict[str, tuple[str, ...]]:
        """Return the comparator groups of a force as ONS codes: national, region, msg, named."""
        codes = tuple(area.code for area in self.areas.forces())
        own = self._code(force.ons_code, force.name)
        # The region comes from the force's ONS code: names are ambiguous ("West Midlands"
        # is both a force and a region).
        parent = self.areas.region_of(own)
        members = self.areas.members_of_region(parent.code) if parent else ()
        region = tuple(area.code for area in members)
        msg = tuple(dict.fromkeys((own, *(self._code(m, m) for m in force.msg.members))))
        groups = {"national": codes}
        # A region of one or two forces (London: the Met and the City) is no comparison.
        if len(region) >= MIN_REGION_FORCES:
            groups["region"] = region
        if force.msg.members:
            groups["msg"] = msg
        for group in force.groups:
            groups[group.id] = tuple(self._code(m, m) for m in group.members)
        return groups

    def group_areas(self, force: Force) -> dict[str, str]:
        """Return the ONS code of each group that is an area: England and Wales, the region."""
        national = next((a.code for a in self.areas.areas() if a.kind == "national"), None)
        parent = self.areas.region_of(self._code(force.ons_code, force.name))
        found = {"national": national, "region": parent.code if parent else None}
        return {group: code for group, code in found.items() if code is not None}

    def coverage(self, plan: EvaluationPlan, source: SourceFrame, codes: list[str]) -> Coverage:
        """Return the forces a dataset reports for, from its ``covers`` or else its rows."""

        def resolve(text: str) -> str | None:
            area = self.areas.resolve(text)
            return area.code if area is not None else None

        return coverage_of(plan.dataset, source.frame, codes, plan.force_code, resolve)

    def force_code(self, force: Force) -> str:
        """Return the ONS code of the profile's force, as the area list spells it."""
        return self._code(force.ons_code, force.name)

    def _code(self, code_or_name: str, label: str) -> str:
        area = self.areas.resolve(code_or_name)
        if area is None:
            raise SourceError(label, f"{code_or_name!r} is not a police force area")
        return str(area.code)

    def _dataset_at(self, measure: Measure) -> Location | None:
        """Return where a database source is defined, so its findings point at that line."""
        located = self.catalogue.dataset(measure.source.dataset) if measure.source else None
        if located is None or located.model.adapter.kind != "sql":
            return None  # a file source's finding names the file that cannot be read
        return located.location("adapter")

    # -- evaluation ----------------------------------------------------------------------

    def plan(self, measure: Measure, force: Force) -> EvaluationPlan:
        """Build the evaluation plan of one measure for the force."""
        if measure.source is None:
            raise EvaluationError(
                f"{measure.id} is not computed (the national measure is unavailable)"
            )
        dataset = self.catalogue.dataset(measure.source.dataset)
        if dataset is None:
            raise EvaluationError(f"{measure.id}: no dataset {measure.source.dataset!r}")
        path = force.datasets.get(dataset.model.id, dataset.model.path)
        located = self.catalogue.measure(measure.id)
        origins = (origin_of(located) if located else "", origin_of(dataset))
        return build_plan(measure, dataset.model, force, self.groups(force), path, origins)

    def run(
        self,
        force: Force,
        measures: Iterable[Located[Measure]],
        as_of: int | None = None,
        all_forces: bool = False,
        progress: Progress | None = None,
        areas: Iterable[str] = (),
        judge: Iterable[str] | None = None,
        others_at_latest: bool = False,
        workers: int = 1,
    ) -> RunResult:
        """Evaluate each computable measure; problems become findings, never exceptions.

        The rows are the force's, every force's with ``all_forces``, or the force's and those
        of the ONS codes ``areas`` (a statement needs only its most similar group's).
        ``judge`` limits the status columns to those areas' rows (a statement reads only its
        force's status; the others' are left empty, as components' are); by default every
        area's rows are judged. ``others_at_latest`` keeps, of the other areas' rows, only
        those of the window of the force's latest rate (all a statement reads of them).
        ``workers`` above 1 shares laying out the measures' rows among that many processes,
        this one and forked ones (:mod:`framework.engine.run_workers`), where the system can
        fork; the result is the same. The statuses a worker judges stay in the worker: only
        this process's are kept in the evaluations for later runs.
        """
        result = RunResult(pd.DataFrame(), force=force)
        frames: list[pd.DataFrame] = []
        own = self._code(force.ons_code, force.name)
        wanted = {own, *areas}
        # In the area list's order, whichever areas are asked for.
        codes = [a.code for a in self.areas.forces() if all_forces or a.code in wanted]
        names = {area.code: area.name for area in self.areas.forces()}
        try:
            self.population(force)
        except SourceError as error:
            # Every rate needs the population: without it no measure can run.
            result.findings.append(_population_finding(force, error))
            return result

        def lay_out(
            located: Located[Measure],
            plan: EvaluationPlan,
            source: SourceFrame,
            evaluated: Evaluated,
            years: pd.DataFrame,
        ) -> pd.DataFrame | Exception:
            try:
                rows = pd.concat(
                    [
                        total_rows(evaluated, codes, names, own, self.group_areas(force)),
                        component_rows(evaluated, codes, names),
                    ],
                    ignore_index=True,
                )
                if others_at_latest:
                    rows = _own_and_latest(rows, own, as_of)
                rows = finish(rows, evaluated, as_of)
                rows = attach_signals(rows, evaluated, self.catalogue.spc_profile, own)
                judged = None if judge is None else {own, *judge}
                rows = attach_status(rows, evaluated, self.catalogue.spc_profile, judged)
                if located.file not in self._definition_sha256:
                    definition = located.path or definition_path(located.file, self.root)
                    digest = _sha256_text(definition) if definition else None
                    self._definition_sha256[located.file] = digest
                rows = _provenance(
                    rows, located, source, plan, years, force, self._definition_sha256[located.file]
                )
            except (SourceError, EvaluationError, ArithmeticError, ValueError) as error:
                return error
            return rows

        laid_out: Iterable[tuple[Evaluation, pd.DataFrame | Exception]]
        if workers > 1 and can_fork():
            computable = [located for located in measures if located.model.source is not None]
            # Read here, before the workers fork; what is not supplied is decided once too.
            supplied = self._read_sources(force, computable)

            def evaluations(notes: RunResult, told: Progress | None) -> Iterator[Evaluation]:
                return self._evaluations(force, computable, notes, list(names), told, supplied)

            def evaluate_one(located: Located[Measure]) -> Evaluation | None:
                return self._evaluate_alone(force, located, list(names), supplied)

            laid_out = lay_out_in_workers(
                computable, evaluations, evaluate_one, result, lay_out, self._failed_measure,
                workers, progress,
            )  # fmt: skip
        else:
            items = self._evaluations(force, measures, result, list(names), progress)
            laid_out = ((item, lay_out(*item)) for item in items)
        for (located, plan, source, evaluated, _), rows in laid_out:
            if isinstance(rows, Exception):
                self._failed_measure(located, rows, result)
                continue
            _keep(result, located, plan, source, evaluated)
            frames.append(rows)
        return self._finish_run(result, frames, force)

    def survey(
        self, force: Force, measures: Iterable[Located[Measure]], progress: Progress | None = None
    ) -> RunResult:
        """Evaluate each computable measure and say where its rows end, without laying them out.

        The light first pass of a statement (:func:`framework.engine.context.statement_quarter`):
        the result has the findings, plans, sources, evaluations and unavailable measures a
        statement's run of all the data would have (a layout that fails aside), and, for its
        frame, each measure's last row and last row with a figure as that run lays them out
        (:func:`framework.engine.ends.end_rows`), so its latest quarter is the same. The
        evaluations are kept for the run that follows.
        """
        from framework.engine.ends import end_rows

        result = RunResult(pd.DataFrame(), force=force)
        own = self._code(force.ons_code, force.name)
        names = [area.code for area in self.areas.forces()]
        try:
            self.population(force)
        except SourceError as error:
            result.findings.append(_population_finding(force, error))
            return result
        frames: list[pd.DataFrame] = []
        for located, plan, source, evaluated, _ in self._evaluations(
            force, measures, result, names, progress
        ):
            try:
                rows = end_rows(evaluated, own, names)
            except (ArithmeticError, ValueError) as error:
                self._failed_measure(located, error, result)
                continue
            _keep(result, located, plan, source, evaluated)
            frames.append(rows)
        return self._finish_run(result, frames, force)

    def _finish_run(self, result: RunResult, frames: list[pd.DataFrame], force: Force) -> RunResult:
        """Stack the measures' rows, keep the population's source, and add RUN011 findings."""
        if frames:
            result.frame = pd.concat(frames, ignore_index=True)
        result.sources.setdefault(force.population, self.source(force.population, force))
        result.findings.extend(self._exclusion_findings(result.sources))
        return result

    def _evaluations(
        self,
        force: Force,
        measures: Iterable[Located[Measure]],
        result: RunResult,
        codes: list[str],
        progress: Progress | None,
        supplied: Mapping[str, str | None] | None = None,
    ) -> Iterator[Evaluation]:
        """Yield each computable measure's plan, source, evaluation and population years.

        A measure on a force-held table not supplied yet is noted in ``result``; one that
        cannot be evaluated becomes a finding there, and is not yielded. ``supplied`` is
        :meth:`_read_sources`' answer, when the run has one, to which tables are missing.
        """
        reported: set[str] = set()
        _problem_findings(self.source(force.population, force), reported, result.findings)
        for located in measures:
            measure = located.model
            if measure.source is None:
                continue
            if progress:
                progress(measure.id)
            dataset = measure.source.dataset
            if supplied is not None and dataset in supplied:
                missing = supplied[dataset]
            else:
                missing = self.missing_force_table(dataset, force)
            if missing is not None:
                result.not_supplied[measure.id] = missing
                continue
            try:
                plan = self.plan(measure, force)
                source = self.source(plan.dataset.id, force)
                _problem_findings(source, reported, result.findings)
                item = self._evaluation(located, plan, source, force, codes)
            except (SourceError, EvaluationError, ArithmeticError, ValueError) as error:
                self._failed_measure(located, error, result)
                continue
            yield item

    def _evaluation(
        self,
        located: Located[Measure],
        plan: EvaluationPlan,
        source: SourceFrame,
        force: Force,
        codes: list[str],
    ) -> Evaluation:
        """Return a measure's evaluation from its plan and source; raise what stops it."""
        population, years = self.rate_population(plan.dataset, source, force)
        return located, plan, source, self._evaluate(plan, force, source, codes, population), years

    def _evaluate_alone(
        self,
        force: Force,
        located: Located[Measure],
        codes: list[str],
        supplied: Mapping[str, str | None],
    ) -> Evaluation | None:
        """Evaluate one measure as :meth:`_evaluations` would, noting nothing.

        None where it would yield nothing: a table not supplied (by ``supplied``, as
        :meth:`_read_sources` found), or an error that stops the evaluation.
        """
        measure = located.model
        if measure.source is None or supplied.get(measure.source.dataset) is not None:
            return None
        try:
            plan = self.plan(measure, force)
            return self._evaluation(located, plan, self.source(plan.dataset.id, force), force,
                                    codes)  # fmt: skip
        except (SourceError, EvaluationError, ArithmeticError, ValueError):
            return None

    def _read_sources(
        self, force: Force, measures: list[Located[Measure]]
    ) -> dict[str, str | None]:
        """Read every source the measures' evaluations will read, and their populations.

        Returns, for each dataset the measures read, the force-held table the force has not
        supplied (None where it has, or the table is not force-held): asked once, so that
        every process of a run sees the same answer. What cannot be read is remembered
        (:meth:`source`) and becomes a finding when the evaluations ask for it, as it would
        have without this.
        """
        self.source(force.population, force)
        supplied: dict[str, str | None] = {}
        for located in measures:
            measure = located.model
            if measure.source is None:
                continue
            dataset = measure.source.dataset
            if dataset not in supplied:
                supplied[dataset] = self.missing_force_table(dataset, force)
            if supplied[dataset] is not None:
                continue
            try:
                plan = self.plan(measure, force)
                source = self.source(plan.dataset.id, force)
                self.rate_population(plan.dataset, source, force)
            except (SourceError, EvaluationError, ArithmeticError, ValueError):
                continue  # noted by the evaluation that meets it
        return supplied

    def _failed_measure(
        self, located: Located[Measure], error: Exception, result: RunResult
    ) -> None:
        """Record why a measure has no rows: a finding, and an unavailable source's detail."""
        if isinstance(error, (SourceError, EvaluationError)):
            result.findings.append(_finding(located, error, self._dataset_at(located.model)))
            if isinstance(error, SourceError):
                result.unavailable[located.model.id] = error.detail
        else:
            # Figures no check foresaw (an overflow, say): a finding, never a traceback.
            result.findings.append(_finding(located, EvaluationError(str(error))))

    def forget_evaluations(self) -> None:
        """Drop the evaluations kept for later runs (the sources read stay)."""
        self._evaluated.clear()

    def _evaluate(
        self,
        plan: EvaluationPlan,
        force: Force,
        source: SourceFrame,
        codes: list[str],
        population: pd.DataFrame,
    ) -> Evaluated:
        """Evaluate a plan, or reuse the evaluation another force's run of it made."""
        path = force.datasets.get(plan.dataset.id, plan.dataset.path)
        # The coverage of a dataset is judged for the plan's force (``force_only`` covers it
        # alone), so it is part of the key: forces that see the same coverage share one.
        coverage = self.coverage(plan, source, codes)
        key = (plan.measure.id, plan.dataset.id, path, force.population, coverage.forces)
        done = self._evaluated.get(key)
        if done is None or done.plan.measure is not plan.measure:
            done = evaluate_plan(
                plan,
                source.frame,
                codes,
                population,
                coverage,
                [area.code for area in self.areas.areas() if not area.is_force],
            )
            self._evaluated[key] = done
        return replace(done, plan=plan)

    def _exclusion_findings(self, sources: dict[str, SourceFrame]) -> list[Finding]:
        """Return a finding for each dataset that left out more rows than it allows (RUN011)."""
        from framework.validation.exclusions import over_threshold, threshold_finding

        findings = []
        for dataset_id, source in sources.items():
            located = self.catalogue.dataset(dataset_id)
            if located is not None and over_threshold(located.model, source.report):
                findings.append(threshold_finding(located, source.report, Code.RUN011))
        return findings


def _keep(
    result: RunResult,
    located: Located[Measure],
    plan: EvaluationPlan,
    source: SourceFrame,
    evaluated: Evaluated,
) -> None:
    """Keep a measure's plan, source and evaluation in the result, as its rows are."""
    result.plans[located.model.id] = plan
    result.sources[plan.dataset.id] = source
    result.evaluated[located.model.id] = evaluated


def _own_and_latest(rows: pd.DataFrame, own: str, as_of: int | None) -> pd.DataFrame:
    """Keep the force's rows, and the other areas' of the window of the force's latest rate."""
    mine = (rows["area_code"] == own).to_numpy()
    keep = mine.copy()
    if "rate_per_100k" in rows:
        periods = rows["period"].to_numpy()
        rated = (
            mine & rows["component"].isna().to_numpy() & rows["rate_per_100k"].notna().to_numpy()
        )
        if as_of is not None:
            rated &= periods <= as_of
        if rated.any():
            keep |= periods == periods[rated].max()
    return rows.loc[keep]


def origin_of(located: Located[Any]) -> str:
    """Name where a definition is: ``file:line (layer)``, the layer a package or force folder."""
    return f"{located.file}:{located.line} ({located.layer_label})"


def _finding(
    located: Located[Measure], error: Exception, dataset_at: Location | None = None
) -> Finding:
    if isinstance(error, SourceError):
        return Finding(
            dataset_at or Location(error.path),
            Code.RUN001,
            Level.ERROR,
            f"{located.model.id}: {error.detail}",
            error.hint or f"Check the dataset path in the registry (used by {located.file}).",
        )
    return Finding(
        located.location("source"),
        getattr(error, "code", Code.RUN002),
        Level.ERROR,
        f"{located.model.id}: {error}",
        getattr(error, "hint", ""),
    )


def _problem_findings(source: SourceFrame, reported: set[str], findings: list[Finding]) -> None:
    """Report, once per dataset, the parts of its source that could not be read."""
    if source.report.dataset in reported:
        return
    reported.add(source.report.dataset)
    for problem in source.report.problems:
        findings.append(
            Finding(
                Location(problem.path),
                Code.RUN004,
                Level.WARNING,
                f"{source.report.dataset}: {problem.detail}; the other files were read",
                problem.hint,
            )
        )


def _population_finding(force: Force, error: SourceError) -> Finding:
    return Finding(
        Location(error.path),
        Code.RUN001,
        Level.ERROR,
        f"population dataset {force.population}: {error.detail}",
        error.hint or "Check the population dataset's path in the registry.",
    )


def _sha256_text(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def definition_path(file: str, root: Path) -> Path | None:
    """Return the definition file a located name stands for, or None when it is not there.

    Names are relative to the working folder or else to the catalogue's parent (see
    :func:`framework.loading.catalogue.display_name`); the file is the candidate inside
    the catalogue, so a run from another folder still finds (and hashes) the right one.
    """
    path = Path(file)
    base = root.absolute()
    inside = (base if base.is_dir() else base.parent).resolve()
    for candidate in (Path.cwd() / path, base.parent / path):
        if candidate.is_file() and candidate.resolve().is_relative_to(inside):
            return candidate
    return None


def _provenance(
    rows: pd.DataFrame,
    located: Located[Measure],
    source: SourceFrame,
    plan: EvaluationPlan,
    years: pd.DataFrame,
    force: Force,
    definition_sha256: str | None,
) -> pd.DataFrame:
    report = source.report
    # The new columns are gathered and joined once: setting them one by one copies the frame.
    added: dict[str, Any] = {}
    if "population" in rows:
        # Rows repeat a few dozen areas: each distinct code is looked up once.
        area_at, area_codes = pd.factorize(rows["area_code"])
        areas = (area_at, pd.Index(np.asarray(area_codes.astype(str), dtype=object)))
        periods = rows["period"].to_numpy(dtype="int64")
        added["population_estimate"] = _estimate_labels(years, periods, areas, rows.index)
        baseline = plan.measure.baseline
        if "baseline_rate_per_100k" in rows and baseline is not None:
            end = parse_period(baseline.end).last
            at_end = np.full(len(rows), end, dtype="int64")
            added["baseline_population_estimate"] = _estimate_labels(
                years, at_end, areas, rows.index
            )
    if source.editions:
        added.update(_editions(rows, source))
    # Each row's flags, ``;``-separated: the measure's own, its gaps, its signals.
    constant = ";".join(
        label
        for label, applies in (
            ("synthetic", plan.dataset.synthetic),
            ("illustrative_msg", "msg" in plan.groups and force.msg.illustrative),
        )
        if applies
    )
    missing = rows["missing_periods"].fillna(0).to_numpy(dtype="float64")
    count = np.where(missing > 0, missing, 0).astype("int64")
    if "signal_flags" in rows:
        found, distinct = pd.factorize(rows["signal_flags"].to_numpy(dtype=object))
        # A row without flags (-1: missing) reads as the empty text.
        signal_names = pd.Index([*(str(name) for name in distinct), ""])
        signal_code = np.where(found < 0, len(signal_names) - 1, found)
    else:
        signal_code, signal_names = np.zeros(len(rows), dtype="int64"), pd.Index([""])
    # Few rows differ in their flags: spell each distinct (gaps, signals) pair once.
    pairs, at = np.unique(count * len(signal_names) + signal_code, return_inverse=True)
    spelt = np.empty(len(pairs), dtype=object)
    for i, pair in enumerate(pairs.tolist()):
        gaps, signal = divmod(pair, len(signal_names))
        gap = f"missing_periods:{gaps}" if gaps > 0 else ""
        spelt[i] = ";".join(part for part in (constant, gap, signal_names[signal]) if part)
    added["flags"] = pd.Series(spelt[at.reshape(-1)], index=rows.index, dtype="object")
    constants = {
        "synthetic": plan.dataset.synthetic,
        "definition_file": located.file,
        "definition_line": located.line,
        "definition_layer": located.layer_label,
        "definition_sha256": definition_sha256,
        "dataset": plan.dataset.id,
        "source_files": ";".join(f.path for f in report.files),
        "source_sha256": ";".join(f.sha256 for f in report.files),
        "source_rows_read": report.rows_read,
        "source_rows_used": report.rows_used,
    }
    # The population and edition columns come before the flags, the constants after them.
    kept = without(rows, ["signal_flags", *added, *constants])
    return pd.concat(
        [kept, pd.DataFrame(added, index=rows.index), pd.DataFrame(constants, index=rows.index)],
        axis=1,
    )


def _estimate_labels(
    years: pd.DataFrame, periods: np.ndarray, areas: tuple[np.ndarray, pd.Index], index: pd.Index
) -> pd.Series:
    """Name the population estimate of each (period, area): ``mid-2019``, or None.

    ``areas`` is each row's position among the distinct area codes (-1 for none), and those
    codes: the estimates are looked up once per distinct period and area, then spread.
    """
    area_at, codes = areas
    period_at, distinct = pd.factorize(periods)
    row = years.index.get_indexer(pd.Index(distinct))
    column = years.columns.get_indexer(codes)
    # One column more than the codes, left empty: a row with no area code (-1) reads it.
    grid = np.full((len(row), len(column) + 1), np.nan)
    rows_found, columns_found = np.flatnonzero(row >= 0), np.flatnonzero(column >= 0)
    grid[np.ix_(rows_found, columns_found)] = years.to_numpy(dtype="float64")[
        np.ix_(row[rows_found], column[columns_found])
    ]
    estimate = grid[period_at, area_at]
    years_seen, at = np.unique(estimate, return_inverse=True)  # NaN sorts last
    labels = [f"mid-{int(y)}" if y == y else None for y in years_seen.tolist()]
    return spread(labels, at.reshape(-1), index)


def _editions(rows: pd.DataFrame, source: SourceFrame) -> dict[str, Any]:
    """Say which edition (and workbook) each row's figure came from, for sources in editions.

    A figure of a source in editions is one published cell per window and area, so its
    edition is that of the frame row at the row's period and area.
    """
    months = {edition.file: edition.month for edition in source.editions}
    # Which file holds each (period, area) is the frame's alone: every measure shares it.
    files = derived(source.frame, "edition_files", lambda: _edition_files(source.frame))
    keys = pd.MultiIndex.from_arrays([rows["period"], rows["area_code"].astype(str)])
    found = files.reindex(keys).to_numpy()
    # Few files: name each one's edition once, then spread the names over the rows (the
    # same objects both times, so a row without a file, NaN, finds its own entry).
    listed = found.tolist()
    named = {
        file: month_label(months[file]) if isinstance(file, str) and file in months else None
        for file in listed
    }
    return {"source_edition_file": found, "source_edition": [named[file] for file in listed]}


def _edition_files(frame: pd.DataFrame) -> pd.Series:
    """Return the file of the frame's first row at each (period, area code)."""
    first = frame.drop_duplicates(["period", "area_code"])
    return pd.Series(
        first["source_file"].astype(str).to_numpy(),
        index=pd.MultiIndex.from_arrays([first["period"], first["area_code"].astype(str)]),
    )
