"""Run the validation stages in order and gather every finding."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from framework.findings.finding import Finding, has_errors
from framework.loading.catalogue import Catalogue, load_catalogue
from framework.validation.rule_set import check_rules

DataStage = Callable[[Catalogue], list[Finding]]


@dataclass(frozen=True)
class ValidationResult:
    """The catalogue as loaded and every finding of every stage, sorted by location."""

    catalogue: Catalogue
    findings: tuple[Finding, ...]
    files_checked: int | None = None
    """How many files the findings speak for; all the catalogue's when None."""

    @property
    def files(self) -> int:
        """Return how many files were checked, for the summary line."""
        return self.catalogue.files_read if self.files_checked is None else self.files_checked

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


def catalogue_root_of(path: Path) -> Path:
    """Return the catalogue folder holding ``path``: the nearest one with a priorities file.

    A file outside any catalogue is its own catalogue.
    """
    for folder in path.resolve().parents:
        if (folder / "priorities.yaml").is_file():
            return folder
    return path


def validate_file(path: Path, data_stage: DataStage | None = None) -> ValidationResult:
    """Validate one definition file in its catalogue, keeping only the findings about it.

    Rules across files need the whole catalogue (a measure's dataset is in another file),
    so the catalogue is loaded; findings elsewhere in it are left out.
    """
    root = catalogue_root_of(path)
    result = validate_catalogue(root, data_stage)
    if root == path:
        return result
    wanted = path.resolve()
    kept = tuple(f for f in result.findings if _names(f.location.file, wanted))
    return ValidationResult(result.catalogue, kept, files_checked=1)


def _names(file: str, wanted: Path) -> bool:
    return wanted.as_posix().endswith("/" + file.lstrip("./")) or Path(file).resolve() == wanted
