"""Parse and format the period strings used in measure definitions.

Every period is held as a *month index* (``year * 12 + month - 1``) naming the last month
it covers; a quarter is the index of its final month. Integers make rolling windows plain
arithmetic and keep this module free of pandas, so validation stays fast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTH_RE = re.compile(r"^(?P<year>\d{4})-(?P<month>0[1-9]|1[0-2])$")
FINANCIAL_QUARTER_RE = re.compile(r"^(?P<start>\d{4})[/-](?P<end>\d{2})-Q(?P<q>[1-4])$")
"""A financial quarter, ``2021/22-Q4``, or as commentary folders write it, ``2021-22-Q4``."""
CALENDAR_QUARTER_RE = re.compile(r"^(?P<year>\d{4})-Q(?P<q>[1-4])$")

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

PERIOD_FORMS = (
    "'YYYY-MM' (a month), 'YYYY/YY-Qn' or 'YYYY-YY-Qn' (a financial quarter) or 'YYYY-Qn' "
    "(a calendar quarter)"
)


class PeriodError(ValueError):
    """A period string that none of the accepted forms matches."""


@dataclass(frozen=True, order=True)
class Span:
    """An inclusive run of months, from ``first`` to ``last`` (both month indexes)."""

    first: int
    last: int

    @property
    def months(self) -> int:
        """Return how many months the span covers."""
        return self.last - self.first + 1


def month_index(year: int, month: int) -> int:
    """Return the month index of a calendar year and month (1-12)."""
    return year * 12 + month - 1


def year_month(index: int) -> tuple[int, int]:
    """Return the calendar (year, month) of a month index."""
    return index // 12, index % 12 + 1


def month_label(index: int) -> str:
    """Format a month index as ``YYYY-MM``."""
    year, month = year_month(index)
    return f"{year:04d}-{month:02d}"


def month_end_iso(index: int) -> str:
    """Return the ISO date of the last day of the month."""
    year, month = year_month(index)
    days = (31, 29 if _leap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]
    return f"{year:04d}-{month:02d}-{days:02d}"


def month_start_iso(index: int) -> str:
    """Return the ISO date of the first day of the month."""
    return f"{month_label(index)}-01"


def long_month(index: int) -> str:
    """Format a month index as ``June 2019``."""
    year, month = year_month(index)
    return f"{MONTH_NAMES[month - 1]} {year}"


def financial_quarter_label(last_month: int) -> str:
    """Name the financial quarter (``2021/22-Q4``) that ends in the given month."""
    year, month = year_month(last_month)
    if month % 3:
        raise PeriodError(f"{month_label(last_month)} does not end a quarter")
    start_year = year if month >= 4 else year - 1
    quarter = ((month - 4) % 12) // 3 + 1
    return f"{start_year}/{(start_year + 1) % 100:02d}-Q{quarter}"


def financial_quarter_end(start_year: int, quarter: int) -> int:
    """Return the month index that ends quarter ``quarter`` of the financial year ``start_year``."""
    return month_index(start_year, 4) + quarter * 3 - 1


def parse_period(text: str) -> Span:
    """Parse a period string into the span of months it covers.

    >>> parse_period("2019-06")
    Span(first=24233, last=24233)
    >>> parse_period("2021/22-Q4").months
    3
    """
    text = str(text).strip()
    if match := MONTH_RE.match(text):
        index = month_index(int(match["year"]), int(match["month"]))
        return Span(index, index)
    if match := FINANCIAL_QUARTER_RE.match(text):
        start = int(match["start"])
        if (start + 1) % 100 != int(match["end"]):
            expected = f"{start}/{(start + 1) % 100:02d}"
            raise PeriodError(f"{text!r}: the financial year should be written {expected}")
        last = financial_quarter_end(start, int(match["q"]))
        return Span(last - 2, last)
    if match := CALENDAR_QUARTER_RE.match(text):
        last = month_index(int(match["year"]), int(match["q"]) * 3)
        return Span(last - 2, last)
    raise PeriodError(f"{text!r} is not a period; write {PERIOD_FORMS}")


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
