"""Parse and format the period strings used in measure definitions.

Every period is held as a *month index* (``year * 12 + month - 1``) naming the last month
it covers; a quarter is the index of its final month. Integers make rolling windows plain
arithmetic and keep this module free of pandas, so validation stays fast.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

MONTH_RE = re.compile(r"^(?P<year>\d{4})-(?P<month>0[1-9]|1[0-2])$")
FINANCIAL_QUARTER_RE = re.compile(r"^(?P<start>\d{4})[/-](?P<end>\d{2})-Q(?P<q>[1-4])$")
"""A financial quarter, ``2021/22-Q4``, or as commentary folders write it, ``2021-22-Q4``."""
CALENDAR_QUARTER_RE = re.compile(r"^(?P<year>\d{4})-Q(?P<q>[1-4])$")
PLAIN_NUMBER: Final = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
"""A number written plainly: no thousands separators, units or notes."""

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


def ordering_keys(periods: Sequence[str]) -> list[tuple[float, float]] | None:
    """Return sortable keys when every period has one form that can be ordered, else None.

    The forms, tried in turn for the whole list: the periods of the definition language
    (months and quarters), plain numbers, ISO dates.
    """
    for parse in _PARSERS:
        keys = [parse(period) for period in periods]
        if all(key is not None for key in keys):
            return [key for key in keys if key is not None]
    return None


def _month_key(period: str) -> tuple[float, float] | None:
    try:
        span = parse_period(period)
    except PeriodError:
        return None
    return (span.last, span.first)


def _number_key(period: str) -> tuple[float, float] | None:
    return (float(period), 0.0) if PLAIN_NUMBER.match(period) else None


def _date_key(period: str) -> tuple[float, float] | None:
    try:
        return (float(dt.date.fromisoformat(period).toordinal()), 0.0)
    except ValueError:
        return None


_PARSERS: Final[tuple[Callable[[str], tuple[float, float] | None], ...]] = (
    _month_key,
    _number_key,
    _date_key,
)
"""Period forms in the order tried: every period of a list must have the same one."""


def is_orderable(period: str) -> bool:
    """Return True when ``period`` has any form :func:`ordering_keys` can order."""
    return any(parse(period) is not None for parse in _PARSERS)
