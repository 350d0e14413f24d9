"""Where a measure's rows end, read from its evaluation without laying the rows out.

A statement's quarter (:func:`framework.engine.context.latest_quarter`) reads only two
things of each measure's rows: the last period they reach, and the last period with a
figure. Both follow from the evaluation's wide tables, so the statement's first pass over
the data need not build the rows, statuses, signals and provenance of every window.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from framework.engine.comparators import rate_per_100k
from framework.engine.evaluate import Evaluated

END_COLUMNS = ["measure", "period", "value", "synthetic"]


def _areas_have_figure(wide: pd.DataFrame, codes: list[str], index: pd.Index) -> np.ndarray:
    """Return, per period of ``index``, whether any column of the areas ``codes`` has a figure."""
    if isinstance(wide.columns, pd.MultiIndex):
        chosen = wide.loc[:, wide.columns.get_level_values(0).isin(codes)]
    else:
        chosen = wide.loc[:, wide.columns.isin(codes)]
    return np.asarray(chosen.reindex(index).notna().to_numpy().any(axis=1), dtype=bool)


def end_rows(evaluated: Evaluated, own: str, codes: list[str]) -> pd.DataFrame:
    """Return a measure's last row and its last row with a figure, as a statement's run has them.

    That run (``others_at_latest``) lays out every period of the force ``own``, totals and
    components, and, of the other areas ``codes``, only the window of the force's latest
    rate per 100,000. The rows returned have the columns ``measure``, ``period``, ``value``
    and ``synthetic``: one at the last period (its figure, possibly empty) and, when any row
    has a figure, one at the last such period with that figure.
    """
    plan = evaluated.plan
    figure = evaluated.totals.figure
    index = figure.index
    if len(index) == 0:
        return pd.DataFrame(columns=END_COLUMNS)
    periods = index.to_numpy(dtype="int64")
    mine = [own]
    own_values = figure.reindex(columns=mine).to_numpy(dtype="float64")[:, 0]
    valued = ~np.isnan(own_values)
    components = evaluated.components
    if components is not None:
        valued |= _areas_have_figure(components.figure, mine, index)
    rates = rate_per_100k(evaluated)
    if rates is not None:
        rated = rates.reindex(columns=mine).notna().to_numpy()[:, 0]
        if rated.any():
            # The other areas' rows are kept at the force's latest rated window only.
            at = int(np.flatnonzero(rated)[-1])
            others = [code for code in codes if code != own]
            here = index[at : at + 1]
            found = _areas_have_figure(figure, others, here)[0]
            if components is not None:
                found |= _areas_have_figure(components.figure, others, here)[0]
            valued[at] |= bool(found)
    last = len(periods) - 1
    ends = [(int(periods[last]), 1.0 if valued[last] else np.nan)]
    if valued.any():
        ends.append((int(periods[np.flatnonzero(valued)[-1]]), 1.0))
    return pd.DataFrame(
        {
            "measure": plan.measure.id,
            "period": pd.Series([period for period, _ in ends], dtype="int64"),
            "value": pd.Series([value for _, value in ends], dtype="float64"),
            "synthetic": bool(plan.dataset.synthetic),
        },
        columns=END_COLUMNS,
    )
