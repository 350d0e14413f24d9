"""The ``measures`` command: builds the typer application from one module per command."""

from __future__ import annotations

import typer

from framework.cli import (
    explain_command,
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

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

app = typer.Typer(
    name="measures",
    help="Police performance measures as code: validate, evaluate and report national measures.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for module in (
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


def main() -> None:
    """Run the command line."""
    app()
