"""The bundled catalogue and an engine over it, loaded once for every test that reads them."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from framework.engine.run import Engine
from framework.loading.catalogue import Catalogue, load_catalogue

CATALOGUE = Path(__file__).parents[2] / "measures"


@cache
def catalogue() -> Catalogue:
    """Return the bundled catalogue, loaded on first use."""
    return load_catalogue(CATALOGUE)


@cache
def engine() -> Engine:
    """Return one engine over the bundled catalogue, so its evaluations are shared."""
    return Engine(catalogue())
