"""The list of every cross-file rule, in the order their findings are reported."""

from __future__ import annotations

from framework.findings.finding import Finding
from framework.loading.catalogue import Catalogue
from framework.validation.path_rules import DefinitionFilesInside, ForcePathsInside
from framework.validation.profile_rules import (
    BaselineLabelAgrees,
    CommentaryNamed,
    DataCaveatAreasKnown,
    ForceAreasKnown,
    OneDefaultProfile,
    RegionAgrees,
    ReportingPeriodIsQuarter,
)
from framework.validation.rules import (
    BaselineFitsGrain,
    CatalogueComplete,
    DanglingComparator,
    DanglingDataset,
    DanglingNationalMeasure,
    DanglingPriority,
    DatasetPathInside,
    DimensionsDeclared,
    DuplicateIds,
    GrainAndWindowFitDataset,
    KindFieldsPresent,
    PriorityCovered,
    ProportionHasDenominator,
    Rule,
    SourcePresent,
    SpcProfileKnown,
    UnavailableHasReasonAndProxy,
    WindowWholePeriods,
)
from framework.validation.sql_rules import MeanOverGroups
from framework.validation.value_rules import (
    ForcePopulationKnown,
    OneOfEach,
    PeriodsPlausible,
    ValuesFinite,
)

RULES: tuple[Rule, ...] = (
    DuplicateIds(),
    DanglingDataset(),
    DanglingComparator(),
    DanglingNationalMeasure(),
    DanglingPriority(),
    BaselineFitsGrain(),
    WindowWholePeriods(),
    ProportionHasDenominator(),
    KindFieldsPresent(),
    PriorityCovered(),
    UnavailableHasReasonAndProxy(),
    SourcePresent(),
    GrainAndWindowFitDataset(),
    DimensionsDeclared(),
    DatasetPathInside(),
    ForcePathsInside(),
    DefinitionFilesInside(),
    ValuesFinite(),
    PeriodsPlausible(),
    OneOfEach(),
    ForcePopulationKnown(),
    SpcProfileKnown(),
    CatalogueComplete(),
    ForceAreasKnown(),
    ReportingPeriodIsQuarter(),
    CommentaryNamed(),
    DataCaveatAreasKnown(),
    RegionAgrees(),
    OneDefaultProfile(),
    BaselineLabelAgrees(),
    MeanOverGroups(),
)
"""Every cross-file rule, in the order their findings are reported."""


def check_rules(catalogue: Catalogue) -> list[Finding]:
    """Run every rule over the catalogue and return all their findings."""
    return [finding for rule in RULES for finding in rule.check(catalogue)]
