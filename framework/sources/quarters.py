"""Financial years and quarters as the Home Office writes them ("2019/20", quarter 1).

Quarter 1 is April to June, 2 July to September, 3 October to December and 4 January to March
of the next calendar year; a quarter's period is the month index of its last month.
"""

from __future__ import annotations

import re

from framework.periods import PeriodError, financial_quarter_end

FINANCIAL_YEAR_RE = re.compile(r"^\s*(?P<start>\d{4})\s*[/-]\s*(?P<end>\d{2}|\d{4})\s*$")


def financial_year_start(text: str) -> int:
    """Return the calendar year in which a financial year ("2019/20") starts."""
    match = FINANCIAL_YEAR_RE.match(str(text))
    if match is None:
        raise PeriodError(f"{text!r} is not a financial year; write it as 2019/20")
    start = int(match["start"])
    end = int(match["end"])
    if end % 100 != (start + 1) % 100 or (end >= 100 and end != start + 1):
        raise PeriodError(f"{text!r}: a financial year runs from one year into the next")
    return start


def financial_quarter_period(year_text: str, quarter: int) -> int:
    """Return the month index of the last month of a financial year's quarter (1-4)."""
    if quarter not in (1, 2, 3, 4):
        raise PeriodError(f"quarter {quarter!r} is not 1, 2, 3 or 4")
    return financial_quarter_end(financial_year_start(year_text), quarter)
