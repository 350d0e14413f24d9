"""Read a registered dataset safely, with the reader its adapter ``kind`` names.

:func:`read_dataset` is the one entry point the engine uses: it resolves the dataset's path
inside the catalogue, picks the reader from the table of :mod:`framework.sources.adapters`
by the options' ``kind`` and turns every failure to read into a
:class:`~framework.sources.base.SourceError` with a hint, never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from framework.sources.adapters import adapter_for
from framework.sources.base import SourceError, SourceFrame
from framework.sources.files import resolve_inside

if TYPE_CHECKING:
    from framework.areas.registry import AreaRegistry
    from framework.model.dataset import Dataset


def read_dataset(
    dataset: Dataset, root: Path, areas: AreaRegistry, path_override: str | None = None
) -> SourceFrame:
    """Read a dataset into the canonical frame.

    ``path_override`` (a force's own copy, say) replaces the dataset's ``path``; either is
    relative to the catalogue ``root`` and may not lead outside it.
    """
    relative = path_override if path_override is not None else dataset.path
    path = resolve_inside(root, relative)
    # A sql dataset's path is its connections file, which need not exist when the
    # connection comes from the environment; the reader says what is missing.
    if not path.exists() and dataset.adapter.kind != "sql":
        raise SourceError(
            relative,
            "the file or folder does not exist",
            "Check the dataset's path, or run scripts/bundle_data.py to bundle the data.",
        )
    try:
        adapter = adapter_for(dataset.adapter.kind)
    except KeyError as error:
        raise SourceError(relative, str(error.args[0])) from error
    try:
        return adapter.read(dataset, path, root, areas)
    except SourceError:
        raise
    # A catalogue author must get a message, not a traceback, whatever a parser raises on a
    # damaged or unexpected file (zip errors, encoding errors, Arrow errors, ...).
    except Exception as error:
        raise SourceError(
            relative,
            f"cannot be read as a {dataset.adapter.kind} source: {error}",
            "Check that the file is the format the dataset's adapter expects and is not damaged.",
        ) from error
