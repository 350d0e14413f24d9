"""Pieces the commands share: loading a valid catalogue, choosing a force, printing findings."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from framework.validation.findings import Finding, has_errors

if TYPE_CHECKING:
    # The models import pydantic: `measures --help` should not wait for them.
    from framework.loading.catalogue import Catalogue, Located
    from framework.model.force import Force

EXIT_FINDINGS = 1
EXIT_USAGE = 2


def print_findings(findings: Sequence[Finding], files: int) -> None:
    """Print findings to standard error in the text format."""
    from framework.validation.formats import as_text

    sys.stderr.write(as_text(findings, files) + "\n")


def load_valid_catalogue(path: Path) -> Catalogue:
    """Load and validate a catalogue; on errors print them and exit 1."""
    from framework.validation.pipeline import validate_catalogue

    result = validate_catalogue(path)
    if has_errors(result.findings):
        print_findings(result.findings, result.catalogue.files_read)
        raise typer.Exit(EXIT_FINDINGS)
    return result.catalogue


def choose_force(catalogue: Catalogue, name: str | None) -> Located[Force]:
    """Return the named force profile, or the catalogue's default; exit 2 if there is none."""
    if name:
        located = catalogue.force(name)
        if located is None:
            known = ", ".join(f.model.name for f in catalogue.forces) or "none"
            sys.stderr.write(
                f"error: no force profile matches {name!r}; profiles: {known}.\n"
                "hint: add measures/forces/<force>.yaml (see docs/tutorials/new-force.md).\n"
            )
            raise typer.Exit(EXIT_USAGE)
        return located
    defaults = [f for f in catalogue.forces if f.model.default] or catalogue.forces[:1]
    if not defaults:
        sys.stderr.write(
            "error: the catalogue has no force profile\nhint: add measures/forces/<force>.yaml\n"
        )
        raise typer.Exit(EXIT_USAGE)
    return defaults[0]


def parse_month_option(value: str | None, option: str) -> int | None:
    """Parse a ``YYYY-MM`` option into a month index; exit 2 on a bad value."""
    if value is None:
        return None
    from framework.periods import MONTH_RE, month_index

    match = MONTH_RE.match(value.strip())
    if not match:
        sys.stderr.write(f"error: {option} {value!r} is not a month; write YYYY-MM, e.g. 2019-06\n")
        raise typer.Exit(EXIT_USAGE)
    return month_index(int(match["year"]), int(match["month"]))


def write_failed(target: Path, error: OSError, hint: str = "") -> typer.Exit:
    """Print why ``target`` could not be written and return the exit (1) to raise."""
    # The file name in the error is often a temporary one beside the target: not shown.
    sys.stderr.write(f"error: could not write {target}: {error.strerror or error}\n")
    if hint:
        sys.stderr.write(f"hint: {hint}\n")
    return typer.Exit(EXIT_FINDINGS)
