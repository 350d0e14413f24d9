"""Gather every file of a catalogue folder into validated, located definitions."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel

from framework.loading.located_yaml import KeyPath, LocatedData, load_located
from framework.model.dataset import Dataset
from framework.model.force import Force
from framework.model.measure import Measure
from framework.model.priority import Priorities
from framework.model.spc import SpcProfile
from framework.validation.findings import Finding, Level, Location
from framework.validation.schema_stage import ValidDocument, validate_document

SKIPPED_FOLDERS = frozenset({"data", "commentary"})
"""Folders of a catalogue that hold data and prose, not definitions."""

ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass(frozen=True)
class Located(Generic[ModelT]):
    """A definition with the file it came from and the positions of its keys."""

    model: ModelT
    file: str
    located: LocatedData
    root_key: str

    def location(self, *path: str | int) -> Location:
        """Return the location of a key path inside the definition (``"source", "dataset"``)."""
        full: KeyPath = (self.root_key, *path)
        return self.located.location(self.file, full)


@dataclass
class Catalogue:
    """Every valid definition of a catalogue folder, by kind, and the findings of loading it."""

    root: Path
    measures: list[Located[Measure]] = field(default_factory=list)
    datasets: list[Located[Dataset]] = field(default_factory=list)
    forces: list[Located[Force]] = field(default_factory=list)
    priorities: list[Located[Priorities]] = field(default_factory=list)
    spc_profiles: list[Located[SpcProfile]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    files_read: int = 0

    def measure(self, measure_id: str) -> Located[Measure] | None:
        """Return the measure with this id, if there is one."""
        return next((item for item in self.measures if item.model.id == measure_id), None)

    def dataset(self, dataset_id: str) -> Located[Dataset] | None:
        """Return the dataset with this id, if there is one."""
        return next((item for item in self.datasets if item.model.id == dataset_id), None)

    def force(self, name_or_id: str) -> Located[Force] | None:
        """Return the force profile whose id, name or ONS code matches, case-insensitively."""
        wanted = name_or_id.strip().casefold()
        for item in self.forces:
            force = item.model
            if wanted in {force.id.casefold(), force.name.casefold(), force.ons_code.casefold()}:
                return item
        return None

    def spc_profile(self, profile_id: str) -> SpcProfile | None:
        """Return the SPC rule profile with this id, if there is one."""
        return next(
            (item.model for item in self.spc_profiles if item.model.id == profile_id), None
        )


def catalogue_files(root: Path) -> list[Path]:
    """List the definition files under ``root`` in a stable order, skipping data and prose."""
    if root.is_file():
        return [root]
    files = [
        path
        for pattern in ("*.yaml", "*.yml")
        for path in root.rglob(pattern)
        if not SKIPPED_FOLDERS.intersection(path.relative_to(root).parts[:-1])
    ]
    return sorted(files)


def load_catalogue(root: Path) -> Catalogue:
    """Read and schema-check every definition file under ``root``; nothing raises."""
    base = root if root.is_dir() else root.parent
    catalogue = Catalogue(root=base)
    if not root.exists():
        catalogue.findings.append(
            Finding(
                Location(str(root)),
                "CAT001",
                Level.ERROR,
                f"{root} does not exist",
                "Give the path of a catalogue folder (the one holding measures and datasets).",
            )
        )
        return catalogue
    for path in catalogue_files(root):
        catalogue.files_read += 1
        name = _display_name(path, base)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            catalogue.findings.append(
                Finding(Location(name, 1, 1), "YAML001", Level.ERROR, f"cannot read: {error}",
                        "Save the file as UTF-8 text.")
            )
            continue
        located, findings = load_located(text, name)
        catalogue.findings.extend(findings)
        if located is None:
            continue
        document, findings = validate_document(name, located)
        catalogue.findings.extend(findings)
        if document is not None:
            _add(catalogue, document)
    return catalogue


def _display_name(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path.relative_to(base.parent)) if base.parent in path.parents else str(path)


def _add(catalogue: Catalogue, document: ValidDocument) -> None:
    value = getattr(document.model, document.kind)
    item = Located(value, document.file, document.located, document.kind)
    target: list[Located[BaseModel]] = {
        "measure": catalogue.measures,
        "dataset": catalogue.datasets,
        "force": catalogue.forces,
        "priorities": catalogue.priorities,
        "spc_profile": catalogue.spc_profiles,
    }[document.kind]  # type: ignore[assignment]
    target.append(item)
