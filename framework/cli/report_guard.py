"""Keep a failing run from replacing a good statement, or from choosing the wrong quarter.

A run with errors (a dataset that cannot be read, rows a dataset does not allow) writes no
statement unless ``--allow-errors`` is given: the statement already in the output folder
stays as it was. And the default quarter is never judged from whatever data survived: when
a measure's source could not be read, the latest quarter of the remaining data may be years
old, so its dataset's declared ``latest_period`` stands in for its rows, and without one
the quarter must be named.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from framework.cli.common import EXIT_FINDINGS
from framework.findings.finding import Finding, Level

if TYPE_CHECKING:
    from framework.engine.run import RunResult
    from framework.loading.catalogue import Catalogue

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


def declared_ends(result: RunResult, catalogue: Catalogue) -> dict[str, tuple[int, bool]]:
    """Return, for each measure whose source could not be read, its dataset's declared end.

    The statement's quarter is the one asked for (``--period`` or the profile's
    ``reporting_period``), else the latest most measures reach. A measure whose source could
    not be read takes part in that judgement through its dataset's ``latest_period`` (with
    whether the dataset is synthetic); when one declares none, the judgement is not made
    from the others alone: the command exits 1 asking for the quarter.
    """
    from framework.periods import PeriodError, parse_period

    ends: dict[str, tuple[int, bool]] = {}
    undeclared: list[str] = []
    for measure_id in sorted(result.unavailable):
        located = catalogue.measure(measure_id)
        source = located.model.source if located is not None else None
        dataset = catalogue.dataset(source.dataset) if source is not None else None
        declared = dataset.model.latest_period if dataset is not None else None
        try:
            last = parse_period(declared).last if declared else None
        except PeriodError:
            last = None  # the schema stage reports it
        if dataset is None or last is None:
            undeclared.append(measure_id)
            continue
        ends[measure_id] = (last, dataset.model.synthetic)
    if undeclared:
        from framework.cli.common import print_findings

        print_findings(result.findings, catalogue.files_read)
        sys.stderr.write(
            f"error: the source of {len(undeclared)} measure(s) could not be read "
            f"({', '.join(undeclared)}) and declares no latest_period, so the latest quarter "
            "cannot be judged from the catalogue's data; no statement was written.\n"
            "    hint: name the quarter with --period (or the profile's reporting_period), "
            "declare the dataset's latest_period, or fix the sources.\n"
        )
        raise typer.Exit(EXIT_FINDINGS)
    return ends
