"""Gather every file of a catalogue folder into validated, located definitions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel

from framework.findings.codes import Code
from framework.findings.finding import Finding, Level, Location
from framework.loading.containment import is_inside
from framework.loading.layers import ROOT_FILE, Layer, catalogue_folder, national_root
from framework.loading.located_yaml import KeyPath, LocatedData, load_located
from framework.loading.schema_stage import ValidDocument, validate_document
from framework.model.catalogue_root import CatalogueRoot
from framework.model.dataset import Dataset
from framework.model.force import Force
from framework.model.measure import Measure
from framework.model.priority import Priorities
from framework.model.spc import SpcProfile

SKIPPED_FOLDERS = frozenset({"data", "commentary"})
"""Folders of a catalogue that hold data and prose, not definitions."""
SKIPPED_FILES = frozenset({"connections.yaml", "connections.yml"})
"""The local, git-ignored file of database connections (:mod:`framework.sources.adapters.sql`)."""

ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass(frozen=True)
class Located(Generic[ModelT]):
    """A definition with the file it came from and the positions of its keys."""

    model: ModelT
    file: str
    located: LocatedData
    root_key: str
    layer: Layer | None = None
    """The folder the definition came from: the installed package or a force's folder."""
    path: Path | None = None
    """The file on disk, absolute."""

    @property
    def line(self) -> int:
        """Return the line of the definition's top-level key (1 when unknown)."""
        return self.location().line or 1

    @property
    def layer_label(self) -> str:
        """Name the layer the definition came from: ``package`` or ``force <folder>``."""
        return self.layer.label if self.layer else "folder"

    def location(self, *path: str | int) -> Location:
        """Return the location of a key path inside the definition (``"source", "dataset"``)."""
        full: KeyPath = (self.root_key, *path)
        return self.located.location(self.file, full)

    def value_location(self, *path: str | int) -> Location:
        """Return the location of the value at a key path (the word after the colon)."""
        full: KeyPath = (self.root_key, *path)
        return self.located.value_location(self.file, full)


@dataclass
class Catalogue:
    """Every valid definition of a catalogue folder, by kind, and the findings of loading it."""

    root: Path
    display_root: str = ""
    """The root as findings name it: relative to the working folder when it is inside it."""
    measures: list[Located[Measure]] = field(default_factory=list)
    datasets: list[Located[Dataset]] = field(default_factory=list)
    forces: list[Located[Force]] = field(default_factory=list)
    priorities: list[Located[Priorities]] = field(default_factory=list)
    spc_profiles: list[Located[SpcProfile]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    files_read: int = 0
    invalid_ids: set[str] = field(default_factory=set)
    layers: list[Layer] = field(default_factory=list)
    """The folders the catalogue is built from, the base first and the force's folder last."""
    roots: list[Located[CatalogueRoot]] = field(default_factory=list)
    """The root file (``catalogue.yaml``) of a force catalogue."""
    switched_off: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Base measures the force does not report, by id: their title and the force's reason."""
    replaced: dict[str, str] = field(default_factory=dict)
    """Base definitions a force file replaces, by id, with the base file's name."""
    default_force: str | None = None
    """Id of the profile the root file names as the force's own."""
    """Ids of definitions whose file failed its schema: they exist, but have no model.

    Rules across files skip references to them, so one broken file gives its own findings
    and not a second, false one ("no such measure") wherever it is named.
    """

    def layer_root(self, item: Located[Any]) -> Path:
        """Return the folder a definition's relative paths start from: its layer's root."""
        return item.layer.root if item.layer else self.root

    def data_root(self, dataset: Located[Dataset]) -> Path:
        """Return the folder a dataset's path is relative to.

        A force-held table lives in the force's own folder whatever layer defines it.
        """
        return self.root if dataset.model.force_held else self.layer_root(dataset)

    def data_display_root(self, dataset: Located[Dataset]) -> str:
        """Name the folder a dataset's files are in, as findings name files."""
        root = self.data_root(dataset)
        return display_name(root, root)

    def areas_root(self) -> Path:
        """Return the layer holding the area list: the force's own if it has one, else the base."""
        from framework.areas.registry import REFERENCE_PATH

        for layer in reversed(self.layers):
            if (layer.root / REFERENCE_PATH).is_file():
                return layer.root
        return self.root

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
        return next((item.model for item in self.spc_profiles if item.model.id == profile_id), None)


def catalogue_files(root: Path) -> list[Path]:
    """List the definition files under ``root`` in a stable order, skipping data and prose."""
    if root.is_file():
        return [root]
    files = []
    for pattern in ("*.yaml", "*.yml"):
        for path in root.rglob(pattern):
            parts = path.relative_to(root).parts
            # Hidden files and folders are tools' settings (.github, .pre-commit-config.yaml).
            if SKIPPED_FOLDERS.intersection(parts[:-1]) or any(p.startswith(".") for p in parts):
                continue
            if path.name in SKIPPED_FILES:
                continue
            if not is_inside(path, [root]):  # a link out of the catalogue is reported, never read
                continue
            files.append(path)
    return sorted(files)


def load_catalogue(root: Path, overlay: Mapping[Path, str] | None = None) -> Catalogue:
    """Read and schema-check every definition file under ``root``; nothing raises.

    ``overlay`` maps paths to texts read in place of those files (or as extra files):
    ``measures new`` checks a file this way before it writes it.
    """
    root = catalogue_folder(root)
    base = root if root.is_dir() else root.parent
    catalogue = Catalogue(root=base, display_root=display_name(base, base))
    catalogue.layers.append(Layer(_kind_of(base), base))
    if not root.exists():
        missing = display_name(root, base)
        catalogue.findings.append(
            Finding(
                Location(missing),
                Code.CAT001,
                Level.ERROR,
                f"{missing} does not exist",
                "Give the path of a catalogue folder (the one holding measures and datasets).",
            )
        )
        return catalogue
    extra = {path.absolute(): text for path, text in (overlay or {}).items()}
    files = {path.absolute(): path for path in catalogue_files(root)}
    for absolute in extra:
        files.setdefault(absolute, absolute)
    for absolute in sorted(files):
        text = extra.get(absolute)
        add_file(catalogue, files[absolute], text)
    if not files:
        catalogue.findings.append(
            Finding(
                Location(catalogue.display_root),
                Code.CAT015,
                Level.ERROR,
                "the folder holds no definition files: an empty catalogue checks nothing",
                "Start a force's catalogue with `measures init DIR --force NAME`, or name the "
                "folder holding catalogue.yaml.",
            )
        )
    if root.is_dir() and (root / ROOT_FILE).is_file():
        from framework.loading.stacking import stack_on_base

        return stack_on_base(catalogue)
    return catalogue


def _kind_of(folder: Path) -> Literal["package", "force", "folder"]:
    if (folder / ROOT_FILE).is_file():
        return "force"
    try:
        national = national_root().resolve()
    except (ModuleNotFoundError, TypeError):
        return "folder"
    return "package" if folder.resolve() == national else "folder"


def add_file(catalogue: Catalogue, path: Path, text: str | None = None) -> None:
    """Read one definition file (or ``text`` in its place) into the catalogue."""
    catalogue.files_read += 1
    name = display_name(path, catalogue.root)
    if text is None and not path.is_file():
        # A pipe or a device named like a definition would block the read, or never end.
        catalogue.findings.append(
            Finding(
                Location(name),
                Code.YAML001,
                Level.ERROR,
                "cannot read the file: it is not a regular file (a pipe, a device or a folder)",
                "Replace it with a YAML text file, or remove it.",
            )
        )
        return
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            catalogue.findings.append(
                Finding(
                    Location(name, 1, 1),
                    Code.YAML001,
                    Level.ERROR,
                    f"cannot read the file: {error}",
                    "Save the file as UTF-8 text.",
                )
            )
            return
    located, findings = load_located(text, name)
    catalogue.findings.extend(findings)
    if located is None:
        return
    document, findings = validate_document(name, located)
    catalogue.findings.extend(findings)
    if document is not None:
        _add(catalogue, document, path.absolute())
    else:
        catalogue.invalid_ids.update(_declared_ids(located.data))


def display_name(path: Path, base: Path) -> str:
    """Name a path for findings: relative to the working folder, else to the catalogue's parent.

    Names use ``/`` on every system so reports and annotations read the same everywhere.
    """
    absolute = path.absolute()
    for anchor in (Path.cwd(), base.absolute().parent):
        if absolute.is_relative_to(anchor):
            return absolute.relative_to(anchor).as_posix() or "."
    return absolute.as_posix()


def _add(catalogue: Catalogue, document: ValidDocument, path: Path) -> None:
    value = getattr(document.model, document.kind)
    layer = catalogue.layers[-1] if catalogue.layers else None
    item = Located(value, document.file, document.located, document.kind, layer, path)
    # The kind was checked against DOCUMENT_KINDS, so the model matches the list it joins.
    target: dict[str, list[Any]] = {
        "measure": catalogue.measures,
        "dataset": catalogue.datasets,
        "force": catalogue.forces,
        "priorities": catalogue.priorities,
        "spc_profile": catalogue.spc_profiles,
        "catalogue": catalogue.roots,
    }
    target[document.kind].append(item)


def _declared_ids(data: object) -> set[str]:
    """Return the ``id`` a document that failed its schema still declares, if any."""
    if not isinstance(data, dict):
        return set()
    return {str(body["id"]) for body in data.values() if isinstance(body, dict) and "id" in body}
