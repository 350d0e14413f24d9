"""Rules for measures that read a ``sql`` dataset, whose rows are the database's groups."""

from __future__ import annotations

from collections.abc import Iterator

from framework.findings.codes import Code
from framework.findings.finding import Finding
from framework.loading.catalogue import Catalogue
from framework.model.measure import MeanAggregation
from framework.validation.rules import Rule


class MeanOverGroups(Rule):
    """A mean divides by rows; a sql dataset's rows are groups of records, not records."""

    code = Code.SQL001

    def check(self, catalogue: Catalogue) -> Iterator[Finding]:
        """Yield a finding for each mean over a dataset the database aggregates."""
        for item in catalogue.measures:
            source = item.model.source
            dataset = catalogue.dataset(source.dataset) if source else None
            if (
                dataset is not None
                and dataset.model.adapter.kind == "sql"
                and isinstance(item.model.aggregation, MeanAggregation)
            ):
                yield self.finding(
                    item.location("aggregation", "kind"),
                    f"a mean over {dataset.model.id!r} would divide by the database's groups, "
                    "not by its records",
                    "Use a proportion whose numerator sums the column and whose denominator "
                    "counts the records, or read the data from a file.",
                )
