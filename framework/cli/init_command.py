"""``measures init``: start a force's catalogue that builds on the installed national one."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from framework.cli.common import usage_error


def init(
    folder: Annotated[Path, typer.Argument(help="New folder for the force's catalogue.")],
    force: Annotated[
        str,
        typer.Option(
            "--force", help="The force, by name (Durham, Dyfed-Powys) or ONS code (E23000008)."
        ),
    ],
) -> None:
    """Write a ready force catalogue: profile, commentary, templates, CI; nothing copied."""
    from framework.init.offices import UnknownForceError
    from framework.init.scaffold import InitError, init_catalogue

    try:
        written = init_catalogue(folder, force)
    except UnknownForceError as error:
        usage_error(str(error), error.hint)
    except InitError as error:
        usage_error(str(error), error.hint)
    except OSError as error:
        usage_error(f"could not write {folder}: {error.strerror or error}", "Check the path.")
    sys.stderr.write(
        f"Wrote {len(written)} files into {folder}. Next:\n"
        f"  cd {folder}\n"
        "  measures validate --data --strict\n"
        "  measures report\n"
        "then fill in what README.md lists: the most similar group, the force's own tables, "
        "commentary.\n"
    )


def register(app: typer.Typer) -> None:
    """Add the command to the application."""
    app.command("init")(init)
