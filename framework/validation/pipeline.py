"""Run the validation stages in order and gather every finding."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from framework.loading.catalogue import Catalogue, load_catalogue
from framework.validation.findings import Finding, has_errors
from framework.validation.rule_set import check_rules

DataStage = Callable[[Catalogue], list[Finding]]


@dataclass(frozen=True)
class ValidationResult:
    """The catalogue as loaded and every finding of every stage, sorted by location."""

    catalogue: Catalogue
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        """Return True when no finding is an error."""
        return not has_errors(self.findings)


def validate_catalogue(
    root: Path,
    data_stage: DataStage | None = None,
    overlay: Mapping[Path, str] | None = None,
) -> ValidationResult:
    """Validate the YAML and schema (a), the rules across files (b) and, if given, the data (c).

    ``overlay`` maps paths to texts that stand in for those files, so a file can be
    checked in its catalogue before it is written.
    """
    catalogue = load_catalogue(root, overlay)
    findings = [*catalogue.findings, *check_rules(catalogue)]
    if data_stage is not None:
        findings.extend(data_stage(catalogue))
    unique = sorted(set(findings), key=Finding.sort_key)
    return ValidationResult(catalogue, tuple(unique))
