"""Pieces the commands share: exit codes, catalogue, force, engine, findings and progress."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from framework.findings.codes import Code
from framework.findings.finding import Finding, has_errors
from framework.findings.suggest import did_you_mean

if TYPE_CHECKING:
    from rich.progress import Progress as Bar

    # The models import pydantic: `measures --help` should not wait for them.
    from framework.engine.evaluate import EvaluationError
    from framework.engine.run import Engine, Progress
    from framework.loading.catalogue import Catalogue, Located
    from framework.model.force import Force
    from framework.model.measure import Measure
    from framework.sources.base import SourceError

EXIT_CLEAN = 0
"""Every command exits 0 when it did its work with nothing to report,"""
EXIT_FINDINGS = 1
"""1 when it reports findings (or could not write its output),"""
EXIT_USAGE = 2
"""and 2 on a usage error: an unknown option, measure or force, a bad value."""

CatalogueOption = Annotated[
    Path | None,
    typer.Option(
        "--catalogue",
        "-c",
        help="Catalogue folder: a force's folder (with catalogue.yaml) or a plain catalogue. "
        "Default: the current folder, else measures/.",
        show_default=False,
    ),
]
"""The one catalogue option every command takes."""


def usage_error(message: str, hint: str) -> NoReturn:
    """Print a usage error in the one style every command uses, and exit 2."""
    sys.stderr.write(f"error: {message}\nhint: {hint}\n")
    raise typer.Exit(EXIT_USAGE)


def catalogue_path(path: Path | None) -> Path:
    """Return the catalogue to use: the one given, else the default; exit 2 when there is none."""
    from framework.loading.layers import catalogue_folder, default_catalogue

    if path is None:
        found = default_catalogue()
        if found is None:
            usage_error(
                "no catalogue here: this folder has no catalogue.yaml",
                "Run `measures init DIR --force NAME` to start a force's catalogue, "
                "or give one with --catalogue FOLDER.",
            )
        return found
    if not path.exists():
        usage_error(
            f"{path} does not exist",
            "Name a catalogue folder (holding catalogue.yaml or priorities.yaml) or a file.",
        )
    return catalogue_folder(path)


def print_findings(findings: Sequence[Finding], files: int) -> None:
    """Print findings to standard error in the text format."""
    from framework.validation.formats import as_text

    sys.stderr.write(as_text(findings, files) + "\n")


def load_valid_catalogue(path: Path | None) -> Catalogue:
    """Load and validate a catalogue; on errors print them and exit 1."""
    from framework.validation.pipeline import validate_catalogue

    result = validate_catalogue(catalogue_path(path))
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
            usage_error(
                f"no force profile matches {name!r}; profiles: {known}",
                "Start a force's catalogue with `measures init DIR --force NAME`, or add "
                "forces/<force>.yaml (see docs/tutorials/new-force.md).",
            )
        return located
    named = catalogue.force(catalogue.default_force) if catalogue.default_force else None
    defaults = (
        [named] if named else [f for f in catalogue.forces if f.model.default]
    ) or catalogue.forces[:1]
    if not defaults:
        usage_error(
            "the catalogue has no force profile",
            "Start a force's catalogue with `measures init DIR --force NAME`.",
        )
    return defaults[0]


def parse_month_option(value: str | None, option: str) -> int | None:
    """Parse a ``YYYY-MM`` option into a month index; exit 2 on a bad value."""
    if value is None:
        return None
    from framework.periods import MONTH_RE, month_index

    match = MONTH_RE.match(value.strip())
    if match:
        return month_index(int(match["year"]), int(match["month"]))
    # A quarter stands for its last month, written either way (2021/22-Q4, 2021-22-Q4).
    from framework.periods import PeriodError, parse_period

    try:
        span = parse_period(value)
    except PeriodError:
        usage_error(
            f"{option} {value!r} is not a month or a quarter",
            "Write YYYY-MM (2022-03) or a financial quarter (2021/22-Q4 or 2021-22-Q4).",
        )
    return span.last


def write_failed(target: Path, error: OSError, hint: str = "") -> typer.Exit:
    """Print why ``target`` could not be written and return the exit (1) to raise."""
    # The file name in the error is often a temporary one beside the target: not shown.
    sys.stderr.write(f"error: could not write {target}: {error.strerror or error}\n")
    if hint:
        sys.stderr.write(f"hint: {hint}\n")
    return typer.Exit(EXIT_FINDINGS)


def engine_or_exit(catalogue: Catalogue) -> Engine:
    """Return an engine for the catalogue; exit 1 with a finding when its reference data fail."""
    from framework.engine.run import Engine
    from framework.sources.base import SourceError

    try:
        return Engine(catalogue)
    except SourceError as error:
        raise source_failed(error) from None


def source_failed(error: SourceError | EvaluationError) -> typer.Exit:
    """Print a source or evaluation error as a run finding and return the exit (1) to raise."""
    from framework.sources.base import SourceError

    if isinstance(error, SourceError):
        sys.stderr.write(f"{error.path}: error {Code.RUN001} {error.detail}\n")
    else:
        sys.stderr.write(f"error {Code.RUN002} {error}\n")
    if error.hint:
        sys.stderr.write(f"    hint: {error.hint}\n")
    return typer.Exit(EXIT_FINDINGS)


def chosen_measures(catalogue: Catalogue, ids: list[str] | None) -> list[Located[Measure]]:
    """Return the measures named by ``--measure`` (all when none); exit 2 on an unknown id."""
    if not ids:
        return list(catalogue.measures)
    return [measure_named(catalogue, measure_id) for measure_id in ids]


def default_workers(all_forces: bool, measures: int) -> int:
    """Return how many processes lay out a run's rows unless ``--workers`` says.

    Every force's rows are judged with ``--all-forces``: that work is worth sharing among
    the cores (one process each, no more than there are measures). One force's rows are
    laid out sooner than workers start.
    """
    from framework.engine.workers import available_cores

    return max(1, min(available_cores(), measures)) if all_forces else 1


def measure_named(catalogue: Catalogue, measure_id: str) -> Located[Measure]:
    """Return the measure with ``measure_id``; exit 2 (usage) with a suggestion when none has it."""
    located = catalogue.measure(measure_id)
    if located is None:
        known = [m.model.id for m in catalogue.measures]
        hint = did_you_mean(measure_id, known) or "Run `measures list` to see the ids."
        sys.stderr.write(f"error: no measure {measure_id!r}. {hint}\n")
        raise typer.Exit(EXIT_USAGE)
    return located


def _may_draw_on_stderr() -> bool:
    """Return False when rich would surely not call standard error a terminal.

    Then there is no bar to draw, and rich (some fifty modules) is not imported: a command
    whose standard error is a file or a pipe starts sooner. ``FORCE_COLOR`` and
    ``TTY_COMPATIBLE=1`` make rich draw anyway, so with either set rich decides.
    """
    if os.environ.get("FORCE_COLOR") or os.environ.get("TTY_COMPATIBLE") == "1":
        return True
    isatty = getattr(sys.stderr, "isatty", None)
    try:
        return bool(isatty is not None and isatty())
    except ValueError:  # a closed stream
        return False


class ProgressBar:
    """A progress bar on standard error, one step per measure (none unless it is a terminal)."""

    def __init__(self, total: int, label: str = "evaluating") -> None:
        self.label = label
        self.bar: Bar | None = None
        if not _may_draw_on_stderr():
            return
        from rich.console import Console
        from rich.progress import Progress as Bar

        console = Console(stderr=True)
        self.bar = Bar(console=console, transient=True, disable=not console.is_terminal)
        self.task = self.bar.add_task(label, total=total)

    def __enter__(self) -> Progress:
        bar = self.bar
        if bar is None:
            return lambda label: None
        bar.start()

        def advance(label: str) -> None:
            bar.update(self.task, advance=1, description=f"{self.label} {label}")

        return advance

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
