"""Load the area registry a catalogue reads: its own reference list, else the national one."""

from __future__ import annotations

from pathlib import Path

from framework.areas.registry import REFERENCE_PATH, AreaRegistry, AreaRegistryError
from framework.loading.layers import national_root
from framework.sources.base import SourceError


def default_registry(root: Path) -> AreaRegistry:
    """Load the registry from the reference list of the catalogue at ``root``, else the national.

    Raises :class:`~framework.sources.base.SourceError` when the list is missing or malformed,
    so callers report it like any other unreadable source.
    """
    path = root / REFERENCE_PATH
    if not path.exists():
        # A force's folder has no area list of its own: it uses the national one.
        path = national_root() / REFERENCE_PATH
    try:
        return AreaRegistry.from_csv(path)
    except FileNotFoundError as error:
        raise SourceError(
            REFERENCE_PATH.as_posix(),
            "the reference list of areas does not exist",
            "Run scripts/bundle_data.py, which derives it from the ONS population table.",
        ) from error
    except (OSError, UnicodeDecodeError, AreaRegistryError) as error:
        raise SourceError(
            REFERENCE_PATH.as_posix(),
            f"cannot read the reference list: {error}",
            "Check the file against data/reference/PROVENANCE.md.",
        ) from error
