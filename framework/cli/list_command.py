"""``measures list``: one line per measure of a catalogue, as a table or as JSON."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from framework.cli.common import EXIT_FINDINGS, CatalogueOption, catalogue_path
from framework.findings.finding import has_errors

if TYPE_CHECKING:
    from framework.loading.catalogue import Catalogue

COLUMNS = ("id", "priority", "kind", "national available", "source dataset")
"""The table's columns, in order."""


class ListFormat(StrEnum):
    """The forms the list can be printed in."""

    text = "text"
    json = "json"


def measure_rows(catalogue: Catalogue) -> list[dict[str, object]]:
    """Return one row per measure, in statement order (priority order, then id)."""
    order = {p.id: p.order for file in catalogue.priorities for p in file.model.items}
    rows: list[dict[str, object]] = []
    for item in catalogue.measures:
        measure = item.model
        national = measure.national_measure
        rows.append(
            {
                "id": measure.id,
                "title": measure.title,
                "priority": measure.priority,
                "kind": measure.kind,
                "proxy_for": measure.proxy_for,
                "national_available": national.available if national is not None else None,
                "source_dataset": measure.source.dataset if measure.source is not None else None,
                "file": item.file,
            }
        )
    rows.sort(key=lambda row: (order.get(str(row["priority"]), len(order) + 1), str(row["id"])))
    return rows


def _cells(row: dict[str, object]) -> tuple[str, ...]:
    available = row["national_available"]
    return (
        str(row["id"]),
        str(row["priority"]),
        str(row["kind"]),
        "-" if available is None else ("yes" if available else "no"),
        str(row["source_dataset"] or "-"),
    )


def list_measures(
    path: Annotated[
        Path | None,
        typer.Argument(help="Catalogue folder (the same as --catalogue).", show_default=False),
    ] = None,
    output: Annotated[
        ListFormat, typer.Option("--format", help="text (a table) or json.")
    ] = ListFormat.text,
    catalogue_option: CatalogueOption = None,
) -> None:
    """List the catalogue's measures: id, priority, kind, availability and source dataset."""
    from framework.loading.catalogue import load_catalogue

    catalogue = load_catalogue(catalogue_path(path or catalogue_option))
    rows = measure_rows(catalogue)
    if output is ListFormat.json:
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    else:
        _print_table(rows)
    if has_errors(catalogue.findings):
        broken = len({finding.location.file for finding in catalogue.findings})
        sys.stderr.write(
            f"{broken} file{'s' * (broken != 1)} could not be read; "
            f"run `measures validate {catalogue.display_root}` to see why.\n"
        )
        raise typer.Exit(EXIT_FINDINGS)


def _print_table(rows: list[dict[str, object]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(*COLUMNS, title=f"{len(rows)} measure{'s' * (len(rows) != 1)}")
    for row in rows:
        table.add_row(*_cells(row))
    console = Console(highlight=False)
    if not console.is_terminal:
        console.width = 160  # piped or captured: ids are long, and a cut id is useless
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add the command to the application."""
    app.command("list")(list_measures)
