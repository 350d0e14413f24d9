"""The engine's front door: evaluate a catalogue's measures for a force, with provenance."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from framework.engine.coverage import Coverage, coverage_of
from framework.engine.evaluate import Evaluated, EvaluationError, evaluate_plan
from framework.engine.plan import EvaluationPlan, build_plan
from framework.engine.results import component_rows, finish, total_rows
from framework.engine.signals import attach_signals
from framework.engine.status import attach_status
from framework.loading.catalogue import Catalogue, Located
from framework.model.force import Force
from framework.model.measure import Measure
from framework.periods import year_month
from framework.sources.base import SourceError, SourceFrame
from framework.validation.findings import Finding, Level, Location

Progress = Callable[[str], None]


@dataclass
class RunResult:
    """The tidy results of a run, the plans behind them, the source reports, and findings."""

    frame: pd.DataFrame
    plans: dict[str, EvaluationPlan] = field(default_factory=dict)
    sources: dict[str, SourceFrame] = field(default_factory=dict)
    evaluated: dict[str, Evaluated] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    force: Force | None = None


class Engine:
    """Evaluates measures of one catalogue; reads each dataset once per engine."""

    def __init__(self, catalogue: Catalogue) -> None:
        from framework.areas.registry import default_registry

        self.catalogue = catalogue
        self.root = catalogue.root
        self.areas = default_registry(self.root)
        self._sources: dict[tuple[str, str], SourceFrame] = {}
        self._population: dict[str, tuple[pd.DataFrame, pd.DataFrame]] = {}

    # -- inputs -------------------------------------------------------------------------

    def source(self, dataset_id: str, force: Force) -> SourceFrame:
        """Read a dataset (the force's own copy when its profile overrides the path)."""
        from framework.sources.registry import read_dataset

        located = self.catalogue.dataset(dataset_id)
        if located is None:
            raise SourceError(dataset_id, "no such dataset in the registry")
        override = force.datasets.get(dataset_id)
        key = (dataset_id, override or located.model.path)
        if key not in self._sources:
            self._sources[key] = read_dataset(located.model, self.root, self.areas, override)
        return self._sources[key]

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
            year_of = pd.Series(
                [year_month(int(p))[0] for p in estimates.index],
                index=estimates.index,
                dtype="float64",
            )
            years = (
                pd.DataFrame(
                    {code: year_of.where(estimates[code].notna()) for code in estimates.columns}
                )
                .reindex(months)
                .ffill()
                .bfill()
            )
            self._population[force.population] = (values, years)
        return self._population[force.population]

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
        groups = {"national": codes, "region": region, "msg": msg}
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
        return build_plan(measure, dataset.model, force, self.groups(force), path)

    def run(
        self,
        force: Force,
        measures: Iterable[Located[Measure]],
        as_of: int | None = None,
        all_forces: bool = False,
        progress: Progress | None = None,
    ) -> RunResult:
        """Evaluate each computable measure; problems become findings, never exceptions."""
        result = RunResult(pd.DataFrame(), force=force)
        frames: list[pd.DataFrame] = []
        own = self._code(force.ons_code, force.name)
        codes = [area.code for area in self.areas.forces()] if all_forces else [own]
        names = {area.code: area.name for area in self.areas.forces()}
        try:
            population, years = self.population(force)
        except SourceError as error:
            # Every rate needs the population: without it no measure can run.
            result.findings.append(_population_finding(force, error))
            return result
        for located in measures:
            measure = located.model
            if measure.source is None:
                continue
            if progress:
                progress(measure.id)
            try:
                plan = self.plan(measure, force)
                source = self.source(plan.dataset.id, force)
                evaluated = evaluate_plan(
                    plan,
                    source.frame,
                    list(names),
                    population,
                    self.coverage(plan, source, list(names)),
                    [area.code for area in self.areas.areas() if not area.is_force],
                )
                rows = pd.concat(
                    [
                        total_rows(evaluated, codes, names, own, self.group_areas(force)),
                        component_rows(evaluated, codes, names),
                    ],
                    ignore_index=True,
                )
                rows = finish(rows, evaluated, as_of)
                rows = attach_signals(rows, evaluated, self.catalogue, own)
                rows = attach_status(rows, evaluated, self.catalogue)
                rows = _provenance(rows, located, source, plan, years, force, self.root)
            except (SourceError, EvaluationError) as error:
                result.findings.append(_finding(located, error))
                continue
            except (ArithmeticError, ValueError) as error:
                # Figures no check foresaw (an overflow, say): a finding, never a traceback.
                result.findings.append(_finding(located, EvaluationError(str(error))))
                continue
            result.plans[measure.id] = plan
            result.sources[plan.dataset.id] = source
            result.evaluated[measure.id] = evaluated
            frames.append(rows)
        if frames:
            result.frame = pd.concat(frames, ignore_index=True)
        result.sources.setdefault(force.population, self.source(force.population, force))
        result.findings.extend(self._exclusion_findings(result.sources))
        return result

    def _exclusion_findings(self, sources: dict[str, SourceFrame]) -> list[Finding]:
        """Return a finding for each dataset that left out more rows than it allows (RUN011)."""
        from framework.validation.exclusions import over_threshold, threshold_finding

        findings = []
        for dataset_id, source in sources.items():
            located = self.catalogue.dataset(dataset_id)
            if located is not None and over_threshold(located.model, source.report):
                findings.append(threshold_finding(located, source.report, "RUN011"))
        return findings


def _finding(located: Located[Measure], error: Exception) -> Finding:
    if isinstance(error, SourceError):
        return Finding(
            Location(error.path),
            "RUN001",
            Level.ERROR,
            f"{located.model.id}: {error.detail}",
            error.hint or f"Check the dataset path in the registry (used by {located.file}).",
        )
    return Finding(
        located.location("source"),
        getattr(error, "code", "RUN002"),
        Level.ERROR,
        f"{located.model.id}: {error}",
        getattr(error, "hint", ""),
    )


def _population_finding(force: Force, error: SourceError) -> Finding:
    return Finding(
        Location(error.path),
        "RUN001",
        Level.ERROR,
        f"population dataset {force.population}: {error.detail}",
        error.hint or "Check the population dataset's path in the registry.",
    )


def _add_flag(flags: pd.Series, where: pd.Series, label: str | pd.Series) -> pd.Series:
    """Append ``label`` to the flags of the rows ``where`` is true, ``;``-separated."""
    joined = flags.where(flags == "", flags + ";") + label
    return joined.where(where, flags)


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
    root: Path,
) -> pd.DataFrame:
    report = source.report
    rows = rows.copy()
    if "population" in rows:
        lookup = years.stack(future_stack=True)
        keys = pd.MultiIndex.from_arrays([rows["period"], rows["area_code"]])
        estimate = lookup.reindex(keys).to_numpy()
        rows["population_estimate"] = [
            f"mid-{int(y)}" if not np.isnan(y) else None for y in estimate.astype("float64")
        ]
    flags = pd.Series("", index=rows.index, dtype="object")
    if plan.dataset.synthetic:
        flags = _add_flag(flags, pd.Series(True, index=rows.index), "synthetic")
    if "msg" in plan.groups and force.msg.illustrative:
        flags = _add_flag(flags, pd.Series(True, index=rows.index), "illustrative_msg")
    missing = rows["missing_periods"].fillna(0)
    labels = "missing_periods:" + missing.astype("int64").astype(str)
    flags = _add_flag(flags, missing > 0, labels)
    if "signal_flags" in rows:
        extra = rows["signal_flags"].fillna("").astype(str)
        flags = _add_flag(flags, extra != "", extra)
    rows["flags"] = flags
    rows = rows.drop(columns=["signal_flags"], errors="ignore")
    rows["synthetic"] = plan.dataset.synthetic
    rows["definition_file"] = located.file
    definition = definition_path(located.file, root)
    rows["definition_sha256"] = _sha256_text(definition) if definition else None
    rows["dataset"] = plan.dataset.id
    rows["source_files"] = ";".join(f.path for f in report.files)
    rows["source_sha256"] = ";".join(f.sha256 for f in report.files)
    rows["source_rows_read"] = report.rows_read
    rows["source_rows_used"] = report.rows_used
    return rows
