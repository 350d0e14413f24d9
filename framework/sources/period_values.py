"""Turn the period cells of force-held tables into month indexes, or say why they cannot be.

Accepted: ``YYYY-MM`` (a month), ``YYYY-MM-DD`` and spreadsheet dates (their month),
``YYYY/YY-Qn`` (a financial quarter) and ``YYYY-Qn`` (a calendar quarter). The dataset's
grain decides which are right: a quarter in a monthly table would be read as one month.
"""

from __future__ import annotations

import datetime as dt
import re

from framework.periods import PeriodError, month_index, parse_period

_ISO_DATE = re.compile(r"^(?P<year>\d{4})-(?P<month>0[1-9]|1[0-2])-\d{2}(?:[ T].*)?$")
FIRST_YEAR = 2000
"""No police force area series begins earlier (recorded crime's standard dates from 2002)."""
LAST_YEAR = dt.date.today().year + 1
"""The years a period of a police table can fall in (to next year, for a quarter written
ahead); outside them a period is a typo, and kept it would stretch a complete series over
decades of empty months."""
NOT_A_PERIOD = "period is not a month (YYYY-MM) or a quarter (YYYY/YY-Qn)"


def period_of(cell: object, grain: str) -> int | str:
    """Return the month index a period cell ends in, or the reason it cannot be used."""
    if isinstance(cell, dt.datetime | dt.date):
        months = 1
        last = month_index(cell.year, cell.month)
    else:
        text = "" if cell is None else str(cell).strip()
        if not text or text.casefold() == "nan":
            return "period is empty"
        date = _ISO_DATE.match(text)
        if date:
            months, last = 1, month_index(int(date["year"]), int(date["month"]))
        else:
            try:
                span = parse_period(text)
            except PeriodError:
                return NOT_A_PERIOD
            months, last = span.months, span.last
    if not FIRST_YEAR * 12 <= last < (LAST_YEAR + 1) * 12:
        # A year 0, 1900 or 9999 is a typing error; kept, it would stretch every series
        # across decades of empty months.
        return f"period is outside the years {FIRST_YEAR} to {LAST_YEAR}"
    if grain == "month" and months != 1:
        return "period is a quarter but the dataset's grain is month"
    if grain == "quarter" and months != 3:
        return "period is a month but the dataset's grain is quarter (write YYYY/YY-Qn)"
    return last
