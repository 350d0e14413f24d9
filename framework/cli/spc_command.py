"""``measures spc``: an XmR chart of one column of a CSV file, read by the Making Data Count rules.

Exit codes: 0 when the chart was computed (special causes are results, not errors), 1 when
the file or profile has a problem (reported as findings naming the file, line and column),
2 for a bad option.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Final

import typer

if TYPE_CHECKING:
    # The statistics import numpy; the CLI loads them only when this command runs.
    from framework.model.measure import Improvement
    from framework.stats.spc import SpcResult
    from framework.stats.xmr import Rebase

from framework.findings.codes import Code
from framework.findings.finding import Finding, Level, Location
from framework.periods import PERIOD_FORMS, PeriodError, parse_period

EXIT_FINDINGS: Final = 1
_NUMBER: Final = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_EXAMPLES: Final = 5
"""Rows quoted in a finding about many rows."""


class ImprovementChoice(StrEnum):
    """Which way is better for the measure, as typed on the command line."""

    HIGHER = "higher"
    LOWER = "lower"
    NEUTRAL = "neutral"

    @property
    def improvement(self) -> Improvement:
        """Return the improvement direction the definition language uses."""
        directions: dict[str, Improvement] = {
            "higher": "higher_is_better",
            "lower": "lower_is_better",
            "neutral": "neutral",
        }
        return directions[self.value]


class OutputFormat(StrEnum):
    """The forms the chart can be printed in."""

    TEXT = "text"
    JSON = "json"


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


def spc(
    file: Annotated[
        Path,
        typer.Argument(metavar="FILE.csv", help="CSV file with a header row.", show_default=False),
    ],
    value_column: Annotated[
        str, typer.Option("--value-column", help="Column holding the values to chart.")
    ],
    period_column: Annotated[
        str | None,
        typer.Option(
            "--period-column",
            help="Column naming each row's period (YYYY-MM, YYYY-Qn, YYYY/YY-Qn, ISO dates or "
            "numbers); rows are put in period order. Without it rows are taken in file order.",
        ),
    ] = None,
    screen_outliers: Annotated[
        bool | None,
        typer.Option(
            "--screen-outliers/--no-screen-outliers",
            help="Screen outlying moving ranges before computing limits (the profile's "
            "setting unless given); --no-screen-outliers reproduces the Making Data Count "
            "Excel tool.",
            show_default=False,
        ),
    ] = None,
    improvement: Annotated[
        ImprovementChoice,
        typer.Option("--improvement", help="Which way is better for the measure."),
    ] = ImprovementChoice.LOWER,
    profile_path: Annotated[
        Path | None,
        typer.Option(
            "--profile",
            help="SPC profile YAML (measures/national/spc/*.yaml); the built-in making_data_count "
            "by default.",
        ),
    ] = None,
    target: Annotated[
        float | None, typer.Option("--target", help="Target value, for the assurance icon.")
    ] = None,
    rebase: Annotated[
        list[str] | None,
        typer.Option(
            "--rebase",
            metavar="PERIOD=REASON",
            help="Recompute the limits from PERIOD on (a row number without --period-column), "
            "for the reason given; repeat for several.",
        ),
    ] = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="text (a table for people) or json.")
    ] = OutputFormat.TEXT,
) -> None:
    """Chart one column of a CSV file as an XmR chart and flag its special causes."""
    from framework.loading.profiles import ProfileError, load_profile
    from framework.model.spc import DEFAULT_PROFILE, SpcProfile
    from framework.stats.spc import analyse_series

    rebase_requests = [_parse_rebase(text) for text in rebase or []]
    try:
        profile = load_profile(profile_path) if profile_path is not None else DEFAULT_PROFILE
        if screen_outliers is not None:
            profile = SpcProfile.model_validate(
                {**profile.model_dump(), "screen_outliers": screen_outliers}
            )
        series = read_series(file, value_column, period_column)
    except (ProfileError, DataError) as error:
        _report(error.findings, output)
        raise typer.Exit(EXIT_FINDINGS) from None
    rebases = _rebases(rebase_requests, series, period_column)
    result = analyse_series(
        series.values,
        profile,
        improvement=improvement.improvement,
        target=target,
        rebases=rebases,
    )
    if output is OutputFormat.JSON:
        payload = {
            "file": str(file),
            "value_column": value_column,
            **result.as_dict(series.periods),
        }
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
    else:
        _print_table(result, series, file, value_column)


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
        elif not _NUMBER.match(text) or not math.isfinite(float(text)):
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
    keys = _period_keys(periods)
    if keys is None:
        unknown = next(
            (p for p in periods if all(parse(p) is None for parse in _PARSERS)),
            next(p for p in periods if _month_key(p) is None),
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


def _period_keys(periods: list[str]) -> list[tuple[float, float]] | None:
    """Return sortable keys when every period has one form this command understands, else None."""
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
    return (float(period), 0.0) if _NUMBER.match(period) else None


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
"""Period forms in the order tried: every period of a file must have the same one."""


def _parse_rebase(text: str) -> tuple[str, str]:
    period, sep, reason = text.partition("=")
    if not sep or not period.strip() or not reason.strip():
        raise typer.BadParameter(
            f"{text!r} should be PERIOD=REASON, e.g. --rebase '2021-04=new crime recording rules'",
            param_hint="--rebase",
        )
    return period.strip(), reason.strip()


def _rebases(
    requests: list[tuple[str, str]], series: Series, period_column: str | None
) -> list[Rebase]:
    from framework.stats.xmr import Rebase

    labels = [str(period) for period in series.periods]
    rebases: list[Rebase] = []
    for period, reason in requests:
        if period not in labels:
            where = f"column {period_column!r}" if period_column else "the row numbers"
            raise typer.BadParameter(
                f"{period!r} is not in {where} (from {labels[0]} to {labels[-1]})",
                param_hint="--rebase",
            )
        position = labels.index(period)
        if position == 0:
            raise typer.BadParameter(
                f"{period!r} is the first period; the limits already start there",
                param_hint="--rebase",
            )
        if any(existing.at == position for existing in rebases):
            raise typer.BadParameter(f"{period!r} is rebased twice", param_hint="--rebase")
        rebases.append(Rebase(position, reason))
    return rebases


def _report(findings: Sequence[Finding], output: OutputFormat) -> None:
    if output is OutputFormat.JSON:
        payload = {"findings": [finding.as_dict() for finding in findings]}
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
        return
    for finding in findings:
        typer.echo(
            f"{finding.location}: {finding.level.value} {finding.code} {finding.message}", err=True
        )
        if finding.location.key_path:
            typer.echo(f"    at {finding.location.dotted}", err=True)
        if finding.hint:
            typer.echo(f"    hint: {finding.hint}", err=True)


def _print_table(result: SpcResult, series: Series, file: Path, value_column: str) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False, soft_wrap=True)
    scale = max(abs(value) for value in series.values)
    # Rates and proportions below 1 need more places than counts to show any variation.
    places = 2 if scale >= 1 else 4

    def _format(value: float) -> str:
        number = float(value)
        return "-" if number != number else f"{number:,.{places}f}"

    profile = result.profile
    current = result.limits.current
    direction = result.improvement.replace("_", " ")
    screening = "screening on" if profile.screen_outliers else "screening off"
    console.print(
        f"[bold]{file}[/bold], column {value_column!r}: profile {profile.id} "
        f"({screening}), {direction}"
    )
    console.print(
        f"mean {_format(current.mean)}, process limits {_format(current.lower_limit)} to "
        f"{_format(current.upper_limit)}, near limits {_format(current.near_lower)} to "
        f"{_format(current.near_upper)}"
    )
    console.print(
        f"variation: {result.variation_icon}; "
        f"assurance: {result.assurance_icon or 'none (no target)'}"
    )
    if result.trial_limits:
        console.print(
            f"[yellow]trial limits: computed from {current.points_used} points, fewer than "
            f"{profile.minimum_points}[/yellow]"
        )
    table = Table(show_edge=False)
    for heading in ("period", "value", "mean", "lower", "upper", "rule", "variation"):
        table.add_column(
            heading, justify="right" if heading in {"value", "mean", "lower", "upper"} else "left"
        )
    limits = result.limits
    for i, period in enumerate(series.periods):
        variation = result.variation[i]
        style = {"improvement": "blue", "concern": "dark_orange", "neutral": "magenta"}.get(
            variation
        )
        table.add_row(
            str(period),
            _format(limits.values[i]),
            _format(limits.mean[i]),
            _format(limits.lower_limit[i]),
            _format(limits.upper_limit[i]),
            result.rules.rule[i] or "",
            variation,
            style=style,
        )
    console.print(table)
    for segment in limits.segments[1:]:
        console.print(f"rebased at {series.periods[segment.start]}: {segment.reason}")


def _rows(count: int) -> str:
    return f"{count} row{'s' * (count != 1)}"


def register(app: typer.Typer) -> None:
    """Add the command to the application."""
    app.command("spc")(spc)
