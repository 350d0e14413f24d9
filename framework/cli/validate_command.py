"""``measures validate``: check a catalogue's YAML, its rules across files, and its data."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class OutputFormat(StrEnum):
    """The forms validation findings can be printed in."""

    text = "text"
    json = "json"
    github = "github"


def validate(
    path: Annotated[
        Path, typer.Argument(help="Catalogue folder or a single definition file.")
    ] = Path("measures"),
    output: Annotated[
        OutputFormat,
        typer.Option("--format", help="text (for people), json, or github annotations."),
    ] = OutputFormat.text,
    data: Annotated[
        bool,
        typer.Option("--data/--no-data", help="Also check filters and columns against the data."),
    ] = False,
) -> None:
    """Validate measure definitions; exit 0 when clean, 1 when there are errors."""
    from framework.validation.formats import FORMATTERS
    from framework.validation.pipeline import validate_catalogue, validate_file

    if not path.exists():
        sys.stderr.write(
            f"error: {path} does not exist\n"
            "hint: name a catalogue folder (holding priorities.yaml) or a definition file.\n"
        )
        raise typer.Exit(2)
    if not (path.is_dir() or path.is_file()):
        sys.stderr.write(
            f"error: {path} is neither a folder nor a regular file (a pipe or a device?)\n"
            "hint: name a catalogue folder (holding priorities.yaml) or a definition file.\n"
        )
        raise typer.Exit(2)
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
    raise typer.Exit(0 if result.ok else 1)


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
