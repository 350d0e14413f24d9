"""Fixtures for the source tests: the real catalogue, its registry and its datasets, read once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from framework.areas.registry import AreaRegistry
from framework.sources.area_list import default_registry
from framework.sources.base import SourceFrame
from framework.sources.registry import read_dataset
from tests.sources.helpers import CATALOGUE, load_dataset, root_of


@pytest.fixture(scope="session")
def catalogue() -> Path:
    return CATALOGUE


@pytest.fixture(scope="session")
def areas() -> AreaRegistry:
    return default_registry(CATALOGUE)


@pytest.fixture(scope="session")
def read_registered(areas: AreaRegistry) -> Callable[[str], SourceFrame]:
    """Read a registered dataset, once per test session."""
    cache: dict[str, SourceFrame] = {}

    def read(dataset_id: str) -> SourceFrame:
        if dataset_id not in cache:
            cache[dataset_id] = read_dataset(load_dataset(dataset_id), root_of(dataset_id), areas)
        return cache[dataset_id]

    return read
