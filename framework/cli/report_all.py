"""``measures report --all-forces``: every force's statement and the overview, with progress."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from framework.cli.common import EXIT_CLEAN, EXIT_FINDINGS, write_failed

if TYPE_CHECKING:
    from framework.engine.run import Engine
    from framework.loading.catalogue import Catalogue
    from framework.periods import Span


def report_all_forces(
    engine: Engine,
    catalogue: Catalogue,
    span: Span,
    label: str,
    out: Path,
    form: str,
    svg: bool,
) -> None:
    """Write every statement and the overview; exit 1 naming each force whose statement failed."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from renderers.assemble.national import build_all_statements

    console = Console(stderr=True)
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )
    forces = len(engine.areas.forces())
    task = bar.add_task("statements", total=forces)
    seen = 0

    def advance(name: str) -> None:
        nonlocal seen
        # A force's step ends when the next one starts; the last ends with the bar.
        bar.update(task, completed=seen, description=f"statement for {name}")
        seen += 1

    try:
        with bar:
            result = build_all_statements(
                engine,
                catalogue,
                span,
                label,
                out,
                form="html" if form == "html" else "md",
                svg=svg,
                progress=advance,
            )
    except OSError as error:
        raise write_failed(out, error) from None
    written = len(result.statements)
    sys.stderr.write(
        f"{written} of {result.forces} statements for {label} in {out}; "
        f"overview: open {result.overview}\n"
    )
    if result.findings:
        sys.stderr.write(
            f"note: the runs reported {result.findings} findings in all; "
            "`measures run --force NAME` lists a force's findings\n"
        )
    if result.failures:
        sys.stderr.write(f"error: {len(result.failures)} statements failed:\n")
        for name, reason in result.failures.items():
            sys.stderr.write(f"  {name}: {reason}\n")
        raise typer.Exit(EXIT_FINDINGS)
    raise typer.Exit(EXIT_CLEAN)
