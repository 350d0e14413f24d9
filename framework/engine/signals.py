"""Attach statistical signals to a measure's rows: SPC on the per-period series, Poisson tests."""

from __future__ import annotations

import pandas as pd

from framework.engine.evaluate import Evaluated
from framework.loading.catalogue import Catalogue


def attach_signals(
    rows: pd.DataFrame, evaluated: Evaluated, catalogue: Catalogue, force_code: str
) -> pd.DataFrame:
    """Return ``rows`` with SPC and significance columns where the measure asks for them."""
    return rows
