"""Keep a failing run from replacing a good statement, or from choosing the wrong quarter.

A run with errors (a dataset that cannot be read, rows a dataset does not allow) writes no
statement unless ``--allow-errors`` is given: the statement already in the output folder
stays as it was. And the default quarter is never judged from whatever data survived: when
a measure's source could not be read, the latest quarter of the remaining data may be years
old, so the quarter must then be named.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from framework.cli.common import EXIT_FINDINGS
from framework.validation.findings import Finding, Level

if TYPE_CHECKING:
    from framework.engine.run import RunResult

ALLOW_ERRORS_HELP = (
    "Write the statement even when the run has errors, with the measures whose data could "
    "not be read marked. Without it a run with errors writes nothing: the statement already "
    "in --out stays as it was."
)


def errors_in(findings: Sequence[Finding]) -> list[Finding]:
    """Return the findings that are errors (warnings never stop a statement)."""
    return [finding for finding in findings if finding.level is Level.ERROR]


def refuse_errors(findings: Sequence[Finding], allow_errors: bool, out: Path) -> None:
    """Exit 1 without writing when the run has errors, unless they are allowed."""
    errors = errors_in(findings)
    if not errors or allow_errors:
        return
    sys.stderr.write(
        f"error: the run has {len(errors)} error(s), so no statement was written; the "
        f"statement already in {out}, if any, is as it was.\n"
        "    hint: fix the errors above, or pass --allow-errors to write the statement with "
        "the failing measures marked.\n"
    )
    raise typer.Exit(EXIT_FINDINGS)


def require_declared_quarter(result: RunResult) -> None:
    """Exit 1 when the default quarter would be judged from the data that survived.

    The statement's quarter is the one asked for (``--period`` or the profile's
    ``reporting_period``), else the latest most measures reach; when some measures' sources
    could not be read, their data cannot take part in that judgement, so it is not made.
    """
    if not result.unavailable:
        return
    names = ", ".join(sorted(result.unavailable))
    sys.stderr.write(
        f"error: the source of {len(result.unavailable)} measure(s) could not be read "
        f"({names}), so the latest quarter cannot be judged from the catalogue's data; no "
        "statement was written.\n"
        "    hint: name the quarter with --period (or the profile's reporting_period), or "
        "fix the sources.\n"
    )
    raise typer.Exit(EXIT_FINDINGS)
