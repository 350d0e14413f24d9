"""Rules on definition values that parse but cannot be right: infinities, odd ranges, clashes."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator

from framework.findings.codes import Code
from framework.findings.finding import Finding
from framework.loading.catalogue import Catalogue
from framework.model.measure import RateAggregation
from framework.periods import PeriodError, parse_period
from framework.validation.rules import Rule

MAX_PER = 1_000_000
"""The largest ``per`` of a rate: per million residents."""
FIRST_YEAR = 2000
"""Baselines and rebases before this year predate every bundled series."""


class ValuesFinite(Rule):
    """Targets and limit factors are finite numbers, and a rate's ``per`` is at most a million."""

    code = Code.RUL015

    def check(self, catalogue: Catalogue) -> Iterator[Finding]:
        """Yield a finding per NaN or infinite value, or an outsized ``per``."""
        for item in catalogue.measures:
            target = item.model.presentation.target
            if target is not None and not math.isfinite(target):
                yield self.finding(
                    item.value_location("presentation", "target"),
                    f"the target {target} is not a finite number",
                    "Write the target as a number, or remove it.",
                )
            aggregation = item.model.aggregation
            if isinstance(aggregation, RateAggregation) and aggregation.per > MAX_PER:
                yield self.finding(
                    item.value_location("aggregation", "per"),
                    f"per {aggregation.per:,} is more than a million: no area has that many people",
                    "Use 1000, 100000 or 1000000.",
                )
        for profile in catalogue.spc_profiles:
            factor = profile.model.limit_factor
            if not math.isfinite(factor):
                yield self.finding(
                    profile.value_location("limit_factor"),
                    f"the limit factor {factor} is not a finite number",
                    "Use 2.66 (three sigma), or another positive number.",
                )


class PeriodsPlausible(Rule):
    """Baselines and SPC rebases fall between 2000 and today."""

    code = Code.RUL016

    def check(self, catalogue: Catalogue) -> Iterator[Finding]:
        """Yield a finding per baseline end or rebase before 2000 or after the current month."""
        today = dt.date.today()
        latest = today.year * 12 + today.month - 1
        for item in catalogue.measures:
            measure = item.model
            places: list[tuple[tuple[str | int, ...], str]] = []
            if measure.baseline is not None:
                places += [
                    (("baseline", "start"), measure.baseline.start),
                    (("baseline", "end"), measure.baseline.end),
                ]
            places += [
                (("presentation", "spc_rebases", i, "at"), rebase.at)
                for i, rebase in enumerate(measure.presentation.spc_rebases)
            ]
            for path, text in places:
                try:
                    span = parse_period(text)
                except PeriodError:
                    continue  # the schema stage reports it
                if span.first < FIRST_YEAR * 12 or span.last > latest:
                    yield self.finding(
                        item.value_location(*path),
                        f"{text} is outside the years any data can cover ({FIRST_YEAR} to now)",
                        "Choose a period inside the dataset's span.",
                    )


class OneOfEach(Rule):
    """No two priorities share an ``order`` (a second default profile is FOR005)."""

    code = Code.RUL017

    def check(self, catalogue: Catalogue) -> Iterator[Finding]:
        """Yield a finding for a repeated priority order."""
        for located in catalogue.priorities:
            seen: dict[int, str] = {}
            for i, priority in enumerate(located.model.items):
                if priority.order in seen:
                    yield self.finding(
                        located.value_location("items", i, "order"),
                        f"order {priority.order} is also the order of {seen[priority.order]}",
                        "Give each priority its own place in the statement.",
                    )
                seen.setdefault(priority.order, priority.id)


class ForcePopulationKnown(Rule):
    """A force profile's ``population`` names a population dataset of the catalogue."""

    code = Code.RUL018

    def check(self, catalogue: Catalogue) -> Iterator[Finding]:
        """Yield a finding when the population dataset is missing or of another kind."""
        if not catalogue.forces or not catalogue.datasets:
            return
        for item in catalogue.forces:
            wanted = item.model.population
            if wanted in catalogue.invalid_ids:
                continue
            dataset = catalogue.dataset(wanted)
            named = "population" in item.model.model_fields_set
            where = item.value_location("population") if named else item.location()
            if dataset is None and named:
                yield self.finding(
                    where,
                    f"the population dataset {wanted!r} is not in the catalogue",
                    "Name a dataset of kind population (ons_population by default).",
                )
            elif dataset is not None and not _is_population(dataset.model.adapter):
                yield self.finding(
                    where,
                    f"{wanted!r} is a {dataset.model.adapter.kind} dataset, not a population",
                    "Name a population dataset (kind population, or the ONS tables' "
                    "population table): rates divide by residents.",
                )


def _is_population(adapter: object) -> bool:
    """Say whether a dataset's adapter reads population estimates."""
    kind = getattr(adapter, "kind", None)
    return kind == "population" or (
        kind == "ons_pfa_table" and getattr(adapter, "table", None) == "population"
    )
