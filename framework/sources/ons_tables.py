"""The tables of the ONS Police Force Area workbooks, known by what they hold, not their number.

ONS renumbers the tables from edition to edition (firearm offences are Table P9 in March 2021,
P10 in March 2022 and P8 from June 2023), so a dataset names the table it wants
(``knife_selected_offences``) and the reader finds it in each edition by its title. Each entry
says how its title reads, which titles look alike but hold something else (rates, the
January to March quarter, the comparison of recording methods), and which columns hold the
figures: by header text, with each column's 12-month window read from its own heading
("Oct 2020 to Sep 2021", "Apr '19 to Mar '20") or, for a table of one year, from the sheet's
title ("year ending September 2022").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from framework.periods import month_index
from framework.sources.ons_sheet import Column, edition_month

OnsTableName = Literal[
    "offences_by_group",
    "population",
    "knife_selected_offences",
    "firearms",
    "fraud_computer_misuse",
]
"""The tables a dataset can name."""

_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_WINDOW = re.compile(
    r"(?P<m1>[a-z]{3})[a-z]*\.?\s*(?P<y1>'\s*\d{2}|\d{4})\s*to\s*"
    r"(?P<m2>[a-z]{3})[a-z]*\.?\s*(?P<y2>'\s*\d{2}|\d{4})",
)
_MID_YEAR = re.compile(r"mid-?\s*(?P<year>\d{4})")
_NOTE = re.compile(r"\[\s*notes?[^\]]*\]")
_NOT_A_COUNT = ("%", "percentage", "change", "compared", "rate", "household")
"""Words in a column's headings that say it holds something other than a count."""


def heading_text(text: str) -> str:
    """Return header or title text case-folded, "[note 3]" markers gone, spaces collapsed."""
    return " ".join(_NOTE.sub(" ", text.casefold()).split())


def _year(text: str) -> int:
    digits = text.replace("'", "").strip()
    return int(digits) if len(digits) == 4 else 2000 + int(digits)


def window_end(text: str) -> int | None:
    """Return the last month of a 12-month window named in text ("Apr '19 to Mar '20").

    ``None`` when the text names no window, or one that is not 12 months long (the
    January to March quarter tables name 3-month spans).
    """
    match = _WINDOW.search(heading_text(text))
    if match is None:
        return None
    first, last = _MONTHS.get(match["m1"]), _MONTHS.get(match["m2"])
    if first is None or last is None:
        return None
    start = month_index(_year(match["y1"]), first)
    end = month_index(_year(match["y2"]), last)
    return end if end - start == 11 else None


def mid_year(text: str) -> int | None:
    """Return the month index of June of the mid-year a heading names ("(mid-2020)")."""
    match = _MID_YEAR.search(heading_text(text))
    return month_index(int(match["year"]), 6) if match else None


@dataclass(frozen=True)
class Pick:
    """A column chosen to read: where it is, what it is called, and the period it gives."""

    column: Column
    label: str
    period: int


@dataclass(frozen=True)
class OnsTable:
    """How to recognise one table in any edition and which of its columns to read."""

    name: OnsTableName
    looks_for: str
    """What the reader looked for, in words, for findings."""
    title: re.Pattern[str]
    not_title: re.Pattern[str] | None
    columns: Literal["headers", "population", "counts"]
    """``headers``: the dataset's value headers; ``population``: the population column;
    ``counts``: every count column, one per window."""
    count_header: re.Pattern[str] | None = None
    """For ``counts``: a column without a window of its own is read when its text matches."""

    def matches(self, title: str) -> bool:
        """Return True when a sheet's title (and subtitle) says it is this table."""
        text = heading_text(title)
        if not self.title.search(text):
            return False
        return self.not_title is None or not self.not_title.search(text)


_QUARTER = r"\bjan(uary)?\s*-\s*mar|\bjanuary to march|\(jan"
TABLES: dict[str, OnsTable] = {
    table.name: table
    for table in (
        OnsTable(
            "offences_by_group",
            "a title 'Police recorded crime by offence group ... number of offences'",
            re.compile(r"police recorded crime by offence group.*number of offences"),
            re.compile(_QUARTER),
            "headers",
        ),
        OnsTable(
            "population",
            "a title 'Police recorded crime by offence group ... rate of offences' with a "
            "'Population figures (mid-YYYY)' column",
            re.compile(r"police recorded crime by offence group.*rate of offences"),
            re.compile(_QUARTER),
            "population",
        ),
        OnsTable(
            "knife_selected_offences",
            "a title 'knife ... offences ... for selected offences' (numbers, not rates)",
            re.compile(r"knife.*offences.*selected offences"),
            re.compile(_QUARTER + r"|rate|comparison|old and new method"),
            "counts",
            re.compile(
                r"total of selected serious offences.*involving a knife|"
                r"number of selected offences involving a knife"
            ),
        ),
        OnsTable(
            "firearms",
            "a title 'firearm offences (excluding air weapons) by police force area'",
            re.compile(r"firearm offences \(excluding air weapons\)"),
            None,
            "counts",
        ),
        OnsTable(
            "fraud_computer_misuse",
            "a title 'fraud and computer misuse offences referred to National Fraud "
            "Intelligence Bureau by Action Fraud'",
            re.compile(r"fraud and computer misuse offences referred"),
            None,
            "counts",
            re.compile(r"^number of offences$"),
        ),
    )
}
"""Every table a dataset can name, by name."""


def _column_text(column: Column) -> str:
    return heading_text(f"{column.group} {column.heading}")


def pick_counts(table: OnsTable, columns: Sequence[Column], sheet_period: int | None) -> list[Pick]:
    """Return the count columns of a ``counts`` table, each with the window it covers.

    A column whose heading or group names a 12-month window covers that window; any other
    count column covers the sheet's own year (``sheet_period``, from its title).
    """
    picks: list[Pick] = []
    for column in columns:
        text = _column_text(column)
        if not text or any(word in text for word in _NOT_A_COUNT):
            continue
        heading = heading_text(column.heading)
        own = window_end(column.heading)
        group = window_end(column.group)
        if own is not None and _WINDOW.sub("", heading).strip(" ,.") == "":
            picks.append(Pick(column, column.heading, own))
        elif table.count_header is not None and (
            table.count_header.search(heading) or table.count_header.search(text)
        ):
            period = group if group is not None else sheet_period
            if period is not None:
                picks.append(Pick(column, column.heading or column.group, period))
    return picks


def sheet_period(lines: Sequence[str]) -> int | None:
    """Return the 12 months a one-year table covers, from its title or the line below it.

    The first "year ending <Month> <Year>" counts: "percentage change for year ending
    December 2019 compared with ..." is the year ending December 2019.
    """
    for line in lines:
        found = edition_month(heading_text(line))
        if found is not None:
            return found
    return None
