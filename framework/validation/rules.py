"""Stage (b): rules across files, one small class per invariant (listed in ``rule_set``).

Every rule runs, every finding is kept; the caller decides what they mean together.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from typing import ClassVar, TypeVar

from framework.findings.codes import Code
from framework.findings.finding import Finding, Level, Location
from framework.findings.suggest import suggest
from framework.loading.catalogue import Catalogue, Located
from framework.model.dataset import Dataset
from framework.model.force import Force
from framework.model.measure import Measure, ProportionAggregation, RollingWindow
from framework.model.spc import SpcProfile
from framework.periods import parse_period

BUILT_IN_COMPARATORS = frozenset({"national", "region", "msg"})
GRAIN_MONTHS = {"month": 1, "quarter": 3}


class Rule:
    """One invariant of a catalogue; ``check`` yields a finding per breach.

    The rule's summary is its code's, in the table of codes.
    """

    code: ClassVar[Code]

    def check(self, catalogue: Catalogue) -> Iterator[Finding]:
        """Yield a finding for each place the catalogue breaks this rule."""
        raise NotImplementedError

    def finding(
        self, location: Location, message: str, hint: str, level: Level = Level.ERROR
    ) -> Finding:
        """Make a finding carrying this rule's code."""
        return Finding(location, self.code, level, message, hint)


IdentifiedT = TypeVar("IdentifiedT", Measure, Dataset, Force, SpcProfile)
"""The kinds of definition whose ids must be unique."""


class DuplicateIds(Rule):
    """Two definitions of one kind share an id."""

    code = Code.REF001

    def check(self, catalogue: Catalogue) -> Iterator[Finding]:
        """Yield a finding for the second and later uses of an id."""
        yield from self._within(catalogue.measures)
        yield from self._within(catalogue.datasets)
        yield from self._within(catalogue.forces)
        yield from self._within(catalogue.spc_profiles)

    def _within(self, items: Sequence[Located[IdentifiedT]]) -> Iterator[Finding]:
        first: dict[str, Located[IdentifiedT]] = {}
        for item in items:
            identifier = item.model.id
            if identifier in first:
                yield self.finding(
                    item.value_location("id"),
                    f"the id {identifier!r} is already used by {first[identifier].file}",
                    "Give this definition an id of its own.",
                )
            else:
                first[identifier] = item


class DanglingDataset(Rule):
    """A measure reads a dataset the registry does not have."""

    code = Code.REF002

    def check(self, catalogue: Catalogue) -> Iterator[Finding]:
        """Yield a finding for each unknown dataset id."""
        known = [item.model.id for item in catalogue.datasets]
        for item in catalogue.measures:
            source = item.model.source
            if (
                source is not None
                and source.dataset not in known
                and source.dataset not in catalogue.invalid_ids
            ):
                yield self.finding(
                    item.value_location("source", "dataset"),
                    f"the dataset {source.dataset!r} is not in the registry",
                    suggest(source.dataset, known),
                )
        for force in catalogue.forces:
            for dataset_id in force.model.datasets:
                if dataset_id not in known:
                    yield self.finding(
                        force.location("datasets", dataset_id),
                        f"the force overrides {dataset_id!r}, which is not in the registry",
                        suggest(dataset_id, known),
                    )


class DanglingComparator(Rule):
    """A measure compares with a group no force profile defines."""

    code = Code.REF003

    def check(self, catalogue: Catalogue) -> Iterator[Finding]:
        """Yield a finding for each unknown comparator."""
        named = {group.id for force in catalogue.forces for group in force.model.groups}
        known = sorted(BUILT_IN_COMPARATORS | named)
        for item in catalogue.measures:
            for index, comparator in enumerate(item.model.comparators):
                if comparator not in known:
                    yield self.finding(
                        item.location("comparators", index),
                        f"the comparator {comparator!r} is neither built in nor a named group",
                        suggest(comparator, known),
                    )


class DanglingNationalMeasure(Rule):
    """A proxy stands in for a measure that does not exist or is not national."""

    code = Code.REF004

    def check(self, catalogue: Catalogue) -> Iterator[Finding]:
        """Yield a finding for each proxy_for that names no national measure."""
        national = {m.model.id: m for m in catalogue.measures if m.model.kind == "national"}
        for item in catalogue.measures:
            target = item.model.proxy_for
            if target is None:
                continue
            accounted = {*catalogue.invalid_ids, *catalogue.switched_off}
            if target not in national and target not in accounted:
                other = catalogue.measure(target)
                yield self.finding(
                    item.value_location("proxy_for"),
                    f"{target!r} is a proxy, not a national measure"
                    if other
                    else f"no national measure has the id {target!r}",
                    suggest(target, list(national)),
                )


class DanglingPriority(Rule):
    """A measure names a priority the priorities file lacks, or a priority names a stray measure."""

    code = Code.REF005

    def check(self, catalogue: Catalogue) -> Iterator[Finding]:
        """Yield findings for unknown priorities and for priority lists that disagree."""
        priorities = [p for file in catalogue.priorities for p in file.model.items]
        known = [p.id for p in priorities]
        if not catalogue.priorities:
            return
        for item in catalogue.measures:
            if item.model.priority not in known:
                yield self.finding(
                    item.value_location("priority"),
                    f"the priority {item.model.priority!r} is not in the priorities file",
                    suggest(item.model.priority, known),
                )
        for file in catalogue.priorities:
            for p_index, priority in enumerate(file.model.items):
                for m_index, measure_id in enumerate(priority.national_measures):
                    where = file.location("items", p_index, "national_measures", m_index)
                    measure = catalogue.measure(measure_id)
                    if measure is None and measure_id in catalogue.invalid_ids:
                        continue  # its own file has failed its schema and says why
                    if measure is None and measure_id in catalogue.switched_off:
                        continue  # the force's root file switches it off, with a reason
                    if measure is None:
                        yield self.finding(
                            where,
                            f"priority {priority.id!r} lists {measure_id!r}, which has no file",
                            suggest(measure_id, [m.model.id for m in catalogue.measures]),
                        )
                    elif measure.model.kind != "national":
                        yield self.finding(
                            where,
                            f"{measure_id!r} is a proxy; priorities list national measures",
                            "List the national measure it stands in for instead.",
                        )
                    elif measure.model.priority != priority.id:
                        yield self.finding(
                            where,
                            f"{measure_id!r} says its priority is {measure.model.priority!r}",
                            f"Set `priority: {priority.id}` in {measure.file}, or move it.",
                        )


class BaselineFitsGrain(Rule):
    """A baseline must start and end on whole periods of the measure's grain, in order."""

    code = Code.RUL001

    def check(self, catalogue: Catalogue) -> Iterator[Finding]:
        """Yield a finding for baselines that cut a period or run backwards."""
        for item in catalogue.measures:
            measure, baseline = item.model, item.model.baseline
            if baseline is None:
                continue
            start, end = parse_period(baseline.start), parse_period(baseline.end)
            if start.first > end.last:
                yield self.finding(
                    item.value_location("baseline", "start"),
                    f"the baseline starts ({baseline.start}) after it ends ({baseline.end})",
                    "Swap start and end.",
                )
                continue
            if measure.grain == "quarter":
                if start.first % 3 != 0:  # quarters start in Jan, Apr, Jul, Oct (index % 3 == 0)
                    yield self.finding(
                        item.value_location("baseline", "start"),
                        f"the baseline start {baseline.start} is not the first month of a quarter",
                        "With a quarterly grain, start in January, April, July or October.",
                    )
                if end.last % 3 != 2:
                    yield self.finding(
                        item.value_location("baseline", "end"),
                        f"the baseline end {baseline.end} is not the last month of a quarter",
                        "With a quarterly grain, end in March, June, September or December.",
                    )
            window = measure.window
            months = end.last - start.first + 1
            step = (
                window.months if isinstance(window, RollingWindow) else GRAIN_MONTHS[measure.grain]
            )
            if months % step:
                yield self.finding(
                    item.location("baseline"),
                    f"the baseline covers {months} months, "
                    f"not a whole number of {step}-month windows",
                    f"Make the baseline a multiple of {step} months.",
                )


class WindowWholePeriods(Rule):
    """A rolling window must hold a whole number of the grain's periods."""

    code = Code.RUL002

    def check(self, catalogue: Catalogue) -> Iterator[Finding]:
        """Yield a finding for a rolling window that splits a period."""
        for item in catalogue.measures:
            window, step = item.model.window, GRAIN_MONTHS[item.model.grain]
            if isinstance(window, RollingWindow) and window.months % step:
                yield self.finding(
                    item.value_location("window", "months"),
                    f"a {window.months}-month window is not a whole number of {item.model.grain}s",
                    f"Use a multiple of {step} months, or a monthly grain.",
                )


class ProportionHasDenominator(Rule):
    """A proportion must say what it is a proportion of."""

    code = Code.RUL003

    def check(self, catalogue: Catalogue) -> Iterator[Finding]:
        """Yield a finding for a proportion without a denominator."""
        for item in catalogue.measures:
            aggregation = item.model.aggregation
            if isinstance(aggregation, ProportionAggregation) and aggregation.denominator is None:
                yield self.finding(
                    item.location("aggregation"),
                    "the proportion has a numerator but no denominator",
                    "Add `denominator: {}` for every row of the source, or filters for a subset.",
                )


class KindFieldsPresent(Rule):
    """National measures describe themselves; proxies name what they stand in for."""

    code = Code.RUL004

    def check(self, catalogue: Catalogue) -> Iterator[Finding]:
        """Yield findings for national measures or proxies missing their kind's fields."""
        for item in catalogue.measures:
            measure = item.model
            if measure.kind == "proxy" and measure.proxy_for is None:
                yield self.finding(
                    item.location("kind"),
                    "a proxy must name the national measure it stands in for",
                    "Add `proxy_for: <id of the national measure>`.",
                )
            if measure.kind == "national" and measure.national_measure is None:
                yield self.finding(
                    item.location("kind"),
                    "a national measure needs its `national_measure` block",
                    "Add `national_measure: {name: ..., available: true, supplier: ...}`.",
                )
            if measure.kind == "national" and measure.proxy_for is not None:
                yield self.finding(
                    item.location("proxy_for"),
                    "a national measure cannot be a proxy for another",
                    "Remove `proxy_for`, or set `kind: proxy`.",
                )


class PriorityCovered(Rule):
    """Every priority names a measure, or says why none applies."""

    code = Code.RUL005

    def check(self, catalogue: Catalogue) -> Iterator[Finding]:
        """Yield a finding for a priority with neither measures nor a reason."""
        for file in catalogue.priorities:
            for index, priority in enumerate(file.model.items):
                if not priority.national_measures and not priority.not_applicable:
                    yield self.finding(
                        file.location("items", index),
                        f"the priority {priority.id!r} has no national measure and no reason",
                        "List its national measures, or add `not_applicable: <why>`.",
                    )


class UnavailableHasReasonAndProxy(Rule):
    """A national measure the police do not hold says why, who supplies it, and has a proxy."""

    code = Code.RUL006

    def check(self, catalogue: Catalogue) -> Iterator[Finding]:
        """Yield findings for unavailable measures without a reason or a proxy."""
        proxied = {m.model.proxy_for for m in catalogue.measures}
        for item in catalogue.measures:
            national = item.model.national_measure
            if national is None or national.available:
                continue
            if not national.reason:
                yield self.finding(
                    item.location("national_measure", "available"),
                    "the national measure is unavailable but gives no reason",
                    "Add `reason:` saying why the force cannot report it.",
                )
            if item.model.id not in proxied:
                yield self.finding(
                    item.location("national_measure"),
                    "no proxy stands in for this unavailable national measure",
                    "Add a proxy measure with `proxy_for: " + item.model.id + "`.",
                    Level.WARNING,
                )


class SourcePresent(Rule):
    """A measure that is computed needs a source."""

    code = Code.RUL007

    def check(self, catalogue: Catalogue) -> Iterator[Finding]:
        """Yield a finding for a computed measure without a source."""
        for item in catalogue.measures:
            measure = item.model
            unavailable = (
                measure.national_measure is not None and not measure.national_measure.available
            )
            if measure.source is None and not unavailable:
                yield self.finding(
                    item.location("id"),
                    "the measure has no `source`, so nothing can compute it",
                    "Add `source: {dataset: ..., filters: {...}}`, "
                    "or mark the national measure unavailable.",
                )


class GrainAndWindowFitDataset(Rule):
    """A measure cannot be finer than its data, nor use a window shorter than the data's."""

    code = Code.RUL008

    def check(self, catalogue: Catalogue) -> Iterator[Finding]:
        """Yield findings for grains or windows the dataset cannot supply."""
        for item in catalogue.measures:
            measure = item.model
            if measure.source is None:
                continue
            dataset = catalogue.dataset(measure.source.dataset)
            if dataset is None:
                continue
            if GRAIN_MONTHS[measure.grain] < GRAIN_MONTHS[dataset.model.grain]:
                yield self.finding(
                    item.value_location("grain"),
                    f"the measure is {measure.grain}ly but the dataset "
                    f"{dataset.model.id!r} is {dataset.model.grain}ly",
                    f"Set `grain: {dataset.model.grain}`.",
                )
            covers = dataset.model.covers_months
            window = measure.window
            if covers and not (isinstance(window, RollingWindow) and window.months == covers):
                yield self.finding(
                    item.location("window"),
                    f"{dataset.model.id} publishes {covers}-month totals; the window must match",
                    f"Set `window: {{kind: rolling, months: {covers}}}`.",
                )


class DimensionsDeclared(Rule):
    """Filters and breakdowns use dimensions the dataset declares."""

    code = Code.RUL009

    def check(self, catalogue: Catalogue) -> Iterator[Finding]:
        """Yield a finding for each undeclared dimension a measure uses."""
        for item in catalogue.measures:
            measure = item.model
            if measure.source is None:
                continue
            dataset = catalogue.dataset(measure.source.dataset)
            if dataset is None:
                continue
            declared = list(dataset.model.dimensions)
            used: list[tuple[str, tuple[str | int, ...]]] = [
                (name, ("source", "filters", name)) for name in measure.source.filters
            ]
            used += [(name, ("breakdown", i)) for i, name in enumerate(measure.breakdown)]
            aggregation = measure.aggregation
            if isinstance(aggregation, ProportionAggregation):
                for side, part in (
                    ("numerator", aggregation.numerator),
                    ("denominator", aggregation.denominator),
                ):
                    if part is not None:
                        used += [
                            (name, ("aggregation", side, "filters", name)) for name in part.filters
                        ]
            for name, path in used:
                if name not in declared:
                    yield self.finding(
                        item.location(*path),
                        f"{name!r} is not a dimension of the dataset {dataset.model.id!r}",
                        suggest(name, declared),
                    )


class DatasetPathInside(Rule):
    """A dataset's path, and the file pattern below it, stay inside the catalogue folder."""

    code = Code.RUL010

    def check(self, catalogue: Catalogue) -> Iterator[Finding]:
        """Yield a finding for absolute paths or patterns, or ones that climb out of the folder."""
        from framework.loading.containment import catalogue_roots
        from framework.sources.files import pattern_problem
        from framework.validation.path_rules import path_findings

        roots = catalogue_roots(catalogue)
        # A catalogue of layers names each dataset's path from the folder of its own layer.
        data_root = getattr(catalogue, "data_root", None)
        for item in catalogue.datasets:
            base = data_root(item) if data_root else catalogue.root
            location = item.value_location("path")
            yield from path_findings(self, item.model.path, roots, location, base)
            pattern = getattr(item.model.adapter, "pattern", None)
            problem = pattern_problem(pattern) if isinstance(pattern, str) else None
            if problem is not None:
                yield self.finding(
                    item.value_location("adapter", "pattern"),
                    f"the file pattern {pattern!r} could match files outside the dataset's "
                    f"folder: {problem}",
                    "Write a pattern of file names below the dataset's folder, such as "
                    "'*-street.csv'.",
                )


class SpcProfileKnown(Rule):
    """A measure's SPC profile is defined in the catalogue."""

    code = Code.RUL011

    def check(self, catalogue: Catalogue) -> Iterator[Finding]:
        """Yield a finding for an unknown SPC profile on a measure that draws SPC."""
        known = [item.model.id for item in catalogue.spc_profiles]
        for item in catalogue.measures:
            presentation = item.model.presentation
            if "spc" in presentation.charts and presentation.spc_profile not in known:
                yield self.finding(
                    item.value_location("presentation", "spc_profile"),
                    f"the SPC profile {presentation.spc_profile!r} is not in the catalogue",
                    suggest(presentation.spc_profile, known),
                )


class CatalogueComplete(Rule):
    """A catalogue has one priorities file."""

    code = Code.CAT002

    def check(self, catalogue: Catalogue) -> Iterator[Finding]:
        """Yield a finding when the priorities file is missing or repeated."""
        if not catalogue.measures:
            return
        count = Counter(item.file for item in catalogue.priorities)
        if not count:
            yield self.finding(
                Location(catalogue.display_root),
                "the catalogue has no priorities file, so coverage cannot be checked",
                "Add priorities.yaml with `priorities: {items: [...]}`.",
                Level.WARNING,
            )
        elif len(count) > 1:
            for item in catalogue.priorities[1:]:
                yield self.finding(
                    item.location(),
                    f"a second priorities file (the first is {catalogue.priorities[0].file})",
                    "Keep one priorities file.",
                )
