"""Read one numeric column of a CSV file as a series in period order, for ``measures spc``.

Problems are raised as :class:`DataError` carrying findings that name the file, line and
column, never as a bare CSV or number error.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from framework.findings.codes import Code
from framework.findings.finding import Finding, Level, Location
from framework.periods import (
    PERIOD_FORMS,
    PLAIN_NUMBER,
    PeriodError,
    is_orderable,
    ordering_keys,
    parse_period,
)

_EXAMPLES: Final = 5
"""Rows quoted in a finding about many rows."""


@dataclass(frozen=True)
class Series:
    """The values of a CSV column in period order, labelled by period (or by row number)."""

    periods: tuple[str | int, ...]
    values: tuple[float, ...]


class DataError(Exception):
    """The CSV file cannot give a series; the findings say why."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.findings = tuple(findings)
        super().__init__("; ".join(finding.message for finding in self.findings))


def read_series(path: Path, value_column: str, period_column: str | None = None) -> Series:
    """Read one numeric column of a CSV file as a series in period order.

    Raise :class:`DataError` with findings when the file, a column or a value is not usable.
    """
    file = str(path)
    header, rows = _read_rows(path)
    columns = [value_column] if period_column is None else [value_column, period_column]
    for column in columns:
        if column not in header:
            raise DataError(
                [
                    Finding(
                        Location(file, 1),
                        Code.SPC003,
                        Level.ERROR,
                        f"there is no column {column!r} in the header",
                        f"The columns are: {', '.join(repr(name) for name in header)}.",
                    )
                ]
            )
    value_at = header.index(value_column)
    values: list[float] = []
    missing: list[int] = []
    not_numbers: list[tuple[int, str]] = []
    for line, row in rows:
        text = row[value_at].strip() if value_at < len(row) else ""
        if not text:
            missing.append(line)
        elif not PLAIN_NUMBER.match(text) or not math.isfinite(float(text)):
            # The second test catches numbers too large for a float, such as 1e999.
            not_numbers.append((line, text))
        else:
            values.append(float(text))
    findings = []
    if not_numbers:
        quoted = ", ".join(f"line {line}: {text!r}" for line, text in not_numbers[:_EXAMPLES])
        findings.append(
            Finding(
                Location(file, not_numbers[0][0], value_at + 1),
                Code.SPC004,
                Level.ERROR,
                f"column {value_column!r} has {_rows(len(not_numbers))} that "
                f"{'is' if len(not_numbers) == 1 else 'are'} not a number ({quoted})",
                "Write plain numbers such as 1234 or 12.5, without thousands separators, "
                "units or notes.",
            )
        )
    if missing:
        findings.append(
            Finding(
                Location(file, missing[0], value_at + 1),
                Code.SPC005,
                Level.ERROR,
                f"column {value_column!r} is empty on {_rows(len(missing))} "
                f"(line {', '.join(map(str, missing[:_EXAMPLES]))})",
                "An XmR chart needs a value for every period; fill the gap or drop the row.",
            )
        )
    if findings:
        raise DataError(findings)
    if len(values) < 2:
        raise DataError(
            [
                Finding(
                    Location(file),
                    Code.SPC007,
                    Level.ERROR,
                    f"the file has {len(values)} value{'s' * (len(values) != 1)}; "
                    "an XmR chart needs at least 2",
                    "Give a series of values, one row per period.",
                )
            ]
        )
    if period_column is None:
        return Series(tuple(range(1, len(values) + 1)), tuple(values))
    lines = [line for line, _ in rows]
    period_at = header.index(period_column)
    periods = [row[period_at].strip() if period_at < len(row) else "" for _, row in rows]
    order = _period_order(periods, lines, file, period_column, period_at + 1)
    return Series(tuple(periods[i] for i in order), tuple(values[i] for i in order))


def _read_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Return the header and the non-blank rows with their 1-based line numbers."""
    file = str(path)
    if not path.exists():
        raise DataError(
            [
                Finding(
                    Location(file),
                    Code.SPC001,
                    Level.ERROR,
                    "the file does not exist",
                    "Check the path, relative to the folder the command runs in.",
                )
            ]
        )
    try:
        # utf-8-sig: files saved by Excel start with a byte-order mark.
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = [name.strip() for name in next(reader, [])]
            rows = [(reader.line_num, row) for row in reader if any(cell.strip() for cell in row)]
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise DataError(
            [
                Finding(
                    Location(file),
                    Code.SPC002,
                    Level.ERROR,
                    f"the file cannot be read as CSV: {error}",
                    "Give a UTF-8 CSV file with a header row.",
                )
            ]
        ) from None
    if not any(header):
        raise DataError(
            [
                Finding(
                    Location(file, 1),
                    Code.SPC002,
                    Level.ERROR,
                    "the file is empty: there is no header row",
                    "Start the file with a header row naming its columns.",
                )
            ]
        )
    return header, rows


def _period_order(
    periods: list[str], lines: list[int], file: str, column: str, column_number: int
) -> list[int]:
    """Return row positions in period order; raise DataError for missing or repeated periods."""
    blank = [lines[i] for i, period in enumerate(periods) if not period]
    if blank:
        raise DataError(
            [
                Finding(
                    Location(file, blank[0], column_number),
                    Code.SPC006,
                    Level.ERROR,
                    f"column {column!r} is empty on {_rows(len(blank))} "
                    f"(line {', '.join(map(str, blank[:_EXAMPLES]))})",
                    "Name the period of every row.",
                )
            ]
        )
    keys = ordering_keys(periods)
    if keys is None:
        unknown = next(
            (p for p in periods if not is_orderable(p)),
            next(p for p in periods if not _is_period(p)),
        )
        raise DataError(
            [
                Finding(
                    Location(file, lines[periods.index(unknown)], column_number),
                    Code.SPC006,
                    Level.ERROR,
                    f"column {column!r} holds {unknown!r}, which is not a period this command "
                    "can put in order",
                    f"Write every period as {PERIOD_FORMS}, or as ISO dates (YYYY-MM-DD) or "
                    "numbers; or leave out --period-column to take the rows in file order.",
                )
            ]
        )
    seen: dict[object, int] = {}
    for i, key in enumerate(keys):
        if key in seen:
            first = seen[key]
            raise DataError(
                [
                    Finding(
                        Location(file, lines[i], column_number),
                        Code.SPC006,
                        Level.ERROR,
                        f"the period {periods[i]!r} is repeated (first on line {lines[first]})",
                        "Give one row per period; sum or drop the repeated rows.",
                    )
                ]
            )
        seen[key] = i
    return sorted(range(len(periods)), key=lambda i: keys[i])


def _is_period(text: str) -> bool:
    try:
        parse_period(text)
    except PeriodError:
        return False
    return True


def _rows(count: int) -> str:
    return f"{count} row{'s' * (count != 1)}"
