"""Judge the statement's currency: which headlines are out of date, which priorities are covered.

The statement (:mod:`renderers.report.statement`) carries only what is decided here, so the
HTML and Markdown writers say the same thing without deciding it again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from renderers.report.statement import (
    Completeness,
    CoverageGap,
    Headline,
    MeasureSection,
    Period,
    PrioritySection,
    SwitchedOff,
    month_label,
)


def _month_index(month: date) -> int:
    return month.year * 12 + month.month - 1


def stale_note(headline: Headline, period: Period) -> str | None:
    """Return why the headline is out of date when its data end before the statement's period.

    The renderers lead the sentence with a bold "Out of date."; None means the data are current.
    """
    if headline.data_to is None or _month_index(headline.data_to) >= _month_index(period.first):
        return None
    return (
        f"The data behind this figure end in {month_label(headline.data_to)}, before this "
        f"statement's period ({period.label}, {period.months_label}), so it does not "
        "describe the current period."
    )


def completeness_of(
    priorities: Sequence[PrioritySection],
    expected: Sequence[str],
    switched_off: tuple[SwitchedOff, ...] = (),
) -> Completeness:
    """Return which of the ``expected`` priority titles the sections leave uncovered, and why.

    A priority is covered when at least one of its measures has a figure that is not out of
    date (its headline has no ``stale_note``). A priority that says why no measure applies
    is still a gap, with that reason, since every force is expected to report on all six.
    """
    by_title = {p.title: p for p in priorities}
    gaps: list[CoverageGap] = []
    for title in expected:
        section = by_title.get(title)
        if section is None:
            gaps.append(CoverageGap(title, "The statement has no section for this priority."))
        elif any(_current(m) for m in section.measures):
            continue
        elif any(m.status != "no data" for m in section.measures):
            gaps.append(
                CoverageGap(title, "Its measures' data all end before this statement's period.")
            )
        elif section.not_applicable:
            gaps.append(CoverageGap(title, section.not_applicable))
        elif not section.measures:
            gaps.append(CoverageGap(title, "No measure is reported for this priority."))
        else:
            gaps.append(CoverageGap(title, "None of this priority's measures has any data."))
    return Completeness(tuple(gaps), switched_off)


def _current(measure: MeasureSection) -> bool:
    """Return True when the measure has a figure whose data are not out of date."""
    headline = measure.headline
    if headline is None or measure.status == "no data":
        return False
    return headline.stale_note is None
