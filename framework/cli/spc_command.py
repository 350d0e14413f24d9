"""``measures spc``: an XmR chart of one column of a CSV file, read by the Making Data Count rules.

Exit codes: 0 when the chart was computed (special causes are results, not errors), 1 when
the file or profile has a problem (reported as findings naming the file, line and column),
2 for a bad option.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    # The statistics import numpy; the CLI loads them only when this command runs.
    from framework.model.measure import Improvement
    from framework.stats.spc import SpcResult
    from framework.stats.xmr import Rebase

from framework.cli.common import EXIT_FINDINGS
from framework.findings.finding import Finding
from framework.sources.csv_series import DataError, Series, read_series


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


def register(app: typer.Typer) -> None:
    """Add the command to the application."""
    app.command("spc")(spc)
