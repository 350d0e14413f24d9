"""``measures validate``: check a catalogue's YAML, its rules across files, and its data."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from framework.cli.common import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    CatalogueOption,
    catalogue_path,
    usage_error,
)


class OutputFormat(StrEnum):
    """The forms validation findings can be printed in."""

    text = "text"
    json = "json"
    github = "github"


def validate(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="Catalogue folder or a single definition file (the same as --catalogue).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        OutputFormat,
        typer.Option("--format", help="text (for people), json, or github annotations."),
    ] = OutputFormat.text,
    data: Annotated[
        bool,
        typer.Option("--data/--no-data", help="Also check filters and columns against the data."),
    ] = False,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Fail (exit 1) on warnings too, as CI should."),
    ] = False,
    catalogue: CatalogueOption = None,
) -> None:
    """Validate definitions, and with --data the data; exit 0 clean, 1 findings, 2 usage."""
    from framework.findings.finding import has_errors
    from framework.validation.formats import FORMATTERS
    from framework.validation.pipeline import validate_catalogue, validate_file

    if path is not None and catalogue is not None and path != catalogue:
        usage_error(
            f"two catalogues given: {path} and --catalogue {catalogue}",
            "Give the catalogue once, as --catalogue FOLDER.",
        )
    path = catalogue_path(path if path is not None else catalogue)
    if not (path.is_dir() or path.is_file()):
        usage_error(
            f"{path} is neither a folder nor a regular file (a pipe or a device?)",
            "Name a catalogue folder (holding catalogue.yaml or priorities.yaml) or a file.",
        )
    data_stage = None
    if data:
        from framework.validation.data_stage import check_data

        data_stage = check_data
    validate = validate_file if path.is_file() else validate_catalogue
    result = validate(path, data_stage)
    text = FORMATTERS[output.value](result.findings, result.files)
    if output is OutputFormat.text:
        _print_rich(text)
    else:
        sys.stdout.write(text + "\n")
    failed = bool(result.findings) if strict else has_errors(result.findings)
    raise typer.Exit(EXIT_FINDINGS if failed else EXIT_CLEAN)


def _print_rich(text: str) -> None:
    from rich.console import Console

    console = Console(highlight=False, soft_wrap=True)
    for line in text.splitlines():
        style = None
        if ": error " in line:
            style = "bold red"
        elif ": warning " in line:
            style = "yellow"
        elif line.startswith("    hint:"):
            style = "cyan"
        console.print(line, style=style, markup=False)


def register(app: typer.Typer) -> None:
    """Add the command to the application."""
    app.command("validate")(validate)
