"""The ``measures`` command: builds the typer application from one module per command."""

from __future__ import annotations

import gc
import sys
from typing import Annotated

import typer

from framework.cli import (
    explain_command,
    init_command,
    list_command,
    new_command,
    render_command,
    report_command,
    run_command,
    schema_command,
    spc_command,
    trace_command,
    validate_command,
)
from framework.cli.common import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE


def _version(value: bool) -> None:
    if value:
        from framework import __version__

        sys.stdout.write(f"measures (police-measures) {__version__}\n")
        raise typer.Exit()


app = typer.Typer(
    name="measures",
    help="Police performance measures as code: validate, evaluate and report national measures.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for module in (
    init_command,
    validate_command,
    list_command,
    explain_command,
    new_command,
    run_command,
    trace_command,
    render_command,
    report_command,
    schema_command,
    spc_command,
):
    module.register(app)


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Police performance measures as code: validate, evaluate and report national measures."""


GC_THRESHOLD = (50_000, 20, 10)
"""Objects allocated between young collections, then collections between older ones."""


def main() -> None:
    """Run the command line; a usage error prints one styled message and exits 2."""
    # A command makes hundreds of thousands of objects that live to its end (imported
    # modules, frames, specs): collected every 700 allocations as by default, the same
    # survivors are scanned again and again, some 5% of a statement's time.
    gc.set_threshold(*GC_THRESHOLD)
    try:
        code = app(standalone_mode=False, prog_name="measures")
    except Exception as error:
        # Click's errors (typer's own copy of Click, or Click) are told apart by class name.
        names = {cls.__name__ for cls in type(error).__mro__}
        if "Abort" in names:
            sys.stderr.write("error: interrupted\n")
            sys.exit(EXIT_FINDINGS)
        if "ClickException" not in names:
            raise
        context = getattr(error, "ctx", None)
        command = getattr(context, "command_path", None) or "measures"
        sys.stderr.write(
            f"error: {error.format_message()}\n"  # type: ignore[attr-defined]
            f"hint: run `{command} --help` for the options.\n"
        )
        sys.exit(EXIT_USAGE if "UsageError" in names else EXIT_FINDINGS)
    sys.exit(code if isinstance(code, int) else EXIT_CLEAN)
