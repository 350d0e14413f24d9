"""Check a sql dataset's own filters against the database: each value must occur.

A dataset's ``filters`` are applied in the database, so a misspelt value would quietly keep
nothing. Each filtered column's distinct values are fetched with a bounded query (at most
:data:`DISTINCT_LIMIT`) and every value the dataset names is looked for among them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from framework.findings.codes import Code
from framework.findings.finding import Finding, Level
from framework.findings.suggest import close_matches

if TYPE_CHECKING:
    from framework.loading.catalogue import Located
    from framework.model.dataset import Dataset

DISTINCT_LIMIT = 1000
"""The most distinct values fetched for one column."""


def check_sql_filters(dataset: Located[Dataset], root: Path) -> Iterator[Finding]:
    """Yield a DAT003 finding for each filter value of the dataset that no record has."""
    from framework.model.sql_options import SqlTableOptions
    from framework.sources.adapters.sql import distinct_values
    from framework.sources.base import SourceError
    from framework.sources.files import resolve_inside

    options = dataset.model.adapter
    if not isinstance(options, SqlTableOptions):
        return
    for column, wanted in options.filters.items():
        try:
            path = resolve_inside(root, dataset.model.path)
            found = distinct_values(dataset.model, root, path, column, len(wanted), list(wanted))
            present = (
                []
                if len(found) == len(set(map(str, wanted)))
                else distinct_values(dataset.model, root, path, column, DISTINCT_LIMIT)
            )
        except SourceError as error:
            yield Finding(
                dataset.location("adapter", "filters", column),
                Code.DAT001,
                Level.ERROR,
                f"the values of {column} cannot be listed: {error.detail}",
                error.hint,
            )
            continue
        for index, value in enumerate(wanted):
            text = str(value).lower() if isinstance(value, bool) else str(value)
            if text in found:
                continue
            guesses = close_matches(text, present, limit=3)
            hint = (
                "Nearest values in the table: " + ", ".join(repr(g) for g in guesses) + "."
                if guesses
                else "Values in the table include " + ", ".join(repr(v) for v in present[:8]) + "."
            )
            yield Finding(
                dataset.location("adapter", "filters", column, index),
                Code.DAT003,
                Level.ERROR,
                f"no record of {dataset.model.id!r} has {column} = {value!r}",
                hint,
            )
