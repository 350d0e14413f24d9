"""Where catalogues are: the national one installed with the package, and a force's folder.

A force's folder holds a root file, ``catalogue.yaml``, and builds on a base catalogue: the
national catalogue shipped as package data by default. Each definition keeps the layer it
came from, so findings, plans and provenance say which file to edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

ROOT_FILE = "catalogue.yaml"
"""The root file that makes a folder a force catalogue."""
NATIONAL_PACKAGE = "police_measures_national"
"""The package whose data is the national catalogue."""
DEFAULT_FOLDERS = (".", "measures")
"""Where commands look for a catalogue when none is given, in order."""

LayerKind = Literal["package", "force", "folder"]


@dataclass(frozen=True)
class Layer:
    """One folder of a catalogue: the installed package, a force's folder, or a plain folder."""

    kind: LayerKind
    root: Path

    @property
    def label(self) -> str:
        """Name the layer for people: ``package`` or ``force folder <name>``."""
        if self.kind == "package":
            return "package"
        return f"{self.kind} {self.root.resolve().name}"


def national_root() -> Path:
    """Return the folder of the national catalogue installed with the package."""
    folder = resources.files(NATIONAL_PACKAGE)
    # Installed as files (a wheel or an editable install): a real folder on disk.
    return Path(str(folder))


def is_catalogue(folder: Path) -> bool:
    """Return True for a folder that is a catalogue: a root file or a priorities file."""
    return (folder / ROOT_FILE).is_file() or (folder / "priorities.yaml").is_file()


def catalogue_folder(path: Path) -> Path:
    """Return the catalogue a path names: itself, or its one child that is a force catalogue.

    The repository's ``measures/`` holds the national catalogue and the demo force beside it;
    naming ``measures`` means the demo force, built on the national catalogue.
    """
    if not path.is_dir() or is_catalogue(path):
        return path
    children = sorted(
        child for child in path.iterdir() if child.is_dir() and (child / ROOT_FILE).is_file()
    )
    return children[0] if len(children) == 1 else path


def default_catalogue() -> Path | None:
    """Return the catalogue a command uses when none is given: here, else ``measures/``."""
    for name in DEFAULT_FOLDERS:
        folder = catalogue_folder(Path(name))
        if folder.is_dir() and is_catalogue(folder):
            return folder
    return None
