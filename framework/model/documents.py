"""The kinds of file a catalogue holds, each a mapping with one top-level key."""

from __future__ import annotations

from typing import Final

from pydantic import BaseModel

from framework.model.base import Definition
from framework.model.catalogue_root import CatalogueRoot
from framework.model.dataset import Dataset
from framework.model.force import Force
from framework.model.measure import Measure
from framework.model.priority import Priorities
from framework.model.spc import SpcProfile


class MeasureFile(Definition):
    """A file that defines one measure."""

    measure: Measure


class DatasetFile(Definition):
    """A file that registers one dataset."""

    dataset: Dataset


class ForceFile(Definition):
    """A file that profiles one force."""

    force: Force


class PrioritiesFile(Definition):
    """The file listing the national priorities."""

    priorities: Priorities


class SpcProfileFile(Definition):
    """A file that defines one SPC rule profile."""

    spc_profile: SpcProfile


class CatalogueRootFile(Definition):
    """The root file of a force catalogue (``catalogue.yaml``)."""

    catalogue: CatalogueRoot


DOCUMENT_KINDS: Final[dict[str, type[BaseModel]]] = {
    "measure": MeasureFile,
    "dataset": DatasetFile,
    "force": ForceFile,
    "priorities": PrioritiesFile,
    "spc_profile": SpcProfileFile,
    "catalogue": CatalogueRootFile,
}
"""Top-level key of a catalogue file → the model that file must satisfy."""
