"""The completeness check does not count out-of-date figures as covering a priority."""

from __future__ import annotations

import dataclasses
from datetime import date

from renderers.assemble.completeness import completeness_of, stale_note
from renderers.report.statement import Period
from tests.report.builders import knife_crime, sample_statement


def test_a_priority_whose_only_figure_is_out_of_date_is_a_gap() -> None:
    statement = sample_statement()
    measure = knife_crime()
    assert measure.headline is not None
    period = Period("2021/22 Q4", (date(2022, 1, 1), date(2022, 2, 1), date(2022, 3, 1)))
    old = dataclasses.replace(measure.headline, data_to=date(2019, 12, 1))
    old = dataclasses.replace(old, stale_note=stale_note(old, period))
    section = dataclasses.replace(
        statement.priorities[0], measures=(dataclasses.replace(measure, headline=old),)
    )
    (gap,) = completeness_of([section], [section.title]).gaps
    assert "end before" in gap.reason
    current = dataclasses.replace(old, data_to=date(2022, 3, 1), stale_note=None)
    section = dataclasses.replace(
        section, measures=(dataclasses.replace(measure, headline=current),)
    )
    assert completeness_of([section], [section.title]).complete
