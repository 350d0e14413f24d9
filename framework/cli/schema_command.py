"""``measures schema``: regenerate the JSON Schemas, the field reference and the list of codes."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from framework.cli.common import EXIT_FINDINGS


def schema(
    out: Annotated[
        Path, typer.Option("--out", help="Folder for the <kind>.schema.json files.")
    ] = Path("measures/national/schema"),
    reference: Annotated[
        Path, typer.Option("--reference", help="Where the Markdown field reference goes.")
    ] = Path("docs/reference.md"),
    codes: Annotated[
        Path, typer.Option("--codes", help="Where the Markdown list of finding codes goes.")
    ] = Path("docs/codes.md"),
    check: Annotated[
        bool,
        typer.Option("--check", help="Write nothing; exit 1 and name the files that drift."),
    ] = False,
) -> None:
    """Write the JSON Schemas, docs/reference.md and docs/codes.md (or check them)."""
    from framework.schema.outputs import find_drift, generated_files, write_files

    files = generated_files(out, reference, codes)
    if check:
        drift = find_drift(files, out)
        for item in drift:
            sys.stdout.write(f"{item.path.as_posix()}: {item.reason}\n")
        if drift:
            sys.stdout.write("Run `measures schema` to regenerate them, then commit the result.\n")
            raise typer.Exit(EXIT_FINDINGS)
        sys.stdout.write(f"{len(files)} generated files match the models.\n")
        return
    written = write_files(files)
    for path in written:
        sys.stdout.write(f"wrote {path.as_posix()}\n")
    sys.stdout.write(f"{len(files)} generated files, {len(written)} changed.\n")


def register(app: typer.Typer) -> None:
    """Add the command to the application."""
    app.command("schema")(schema)
