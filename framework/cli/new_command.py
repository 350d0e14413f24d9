"""``measures new``: scaffold a measure file that already passes validation."""

from __future__ import annotations

import re
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from framework.cli.common import EXIT_FINDINGS, EXIT_USAGE, CatalogueOption
from framework.cli.common import catalogue_path as resolve_catalogue

SCHEMA_LINE = "# yaml-language-server: $schema=../schema/measure.schema.json"
"""First line of every measure file: editors find the JSON Schema through it."""
SLUG_RE = re.compile(r"^[a-z][a-z0-9_]{1,63}$")


class MeasureKind(StrEnum):
    """What a new measure is: a national measure, or a proxy standing in for one."""

    national = "national"
    proxy = "proxy"


def parse_filters(pairs: list[str]) -> dict[str, list[str]]:
    """Turn repeated ``dimension=value`` options into ``{dimension: [values]}``."""
    filters: dict[str, list[str]] = {}
    for pair in pairs:
        dimension, sep, value = pair.partition("=")
        if not sep or not dimension.strip() or not value.strip():
            raise typer.BadParameter(
                f"{pair!r} is not dimension=value (e.g. offence_subgroup=Homicide)",
                param_hint="--filter",
            )
        filters.setdefault(dimension.strip(), []).append(value.strip())
    return filters


def measure_document(
    *,
    measure_id: str,
    title: str,
    description: str,
    priority: str,
    kind: MeasureKind,
    dataset: str,
    filters: dict[str, list[str]],
    proxy_for: str | None,
    grain: str,
    window_months: int,
) -> dict[str, Any]:
    """Return the data of a measure file, keys in the order the catalogue writes them."""
    measure: dict[str, Any] = {
        "id": measure_id,
        "title": title,
        "description": description,
        "priority": priority,
        "kind": kind.value,
    }
    if kind is MeasureKind.national:
        measure["national_measure"] = {"name": title, "available": True}
    else:
        measure["proxy_for"] = proxy_for
    source: dict[str, Any] = {"dataset": dataset}
    if filters:
        source["filters"] = filters
    measure["source"] = source
    measure["aggregation"] = {"kind": "count"}
    measure["grain"] = grain
    measure["window"] = {"kind": "rolling", "months": window_months}
    measure["improvement"] = "lower_is_better"
    return {"measure": measure}


def render_measure(document: dict[str, Any], schema_line: str = SCHEMA_LINE) -> str:
    """Write a measure file's text: the schema line, then block-style YAML."""
    import yaml

    body = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=88)
    return f"{schema_line}\n{body}"


def schema_line(catalogue: Path) -> str:
    """Point a new definition at the catalogue's schema, else the national catalogue's."""
    import os

    from framework.loading.layers import national_root

    folder = catalogue / "schema"
    if not (folder / "measure.schema.json").is_file():
        folder = national_root() / "schema"
    target = Path(os.path.relpath(folder.resolve(), (catalogue / "definitions").resolve()))
    return f"# yaml-language-server: $schema={target.as_posix()}/measure.schema.json"


def _interactive() -> bool:
    return sys.stdin.isatty()


def _require(value: str | None, option: str, question: str) -> str:
    if value:
        return value
    if _interactive():
        answer: str = typer.prompt(question)
        if answer.strip():
            return answer.strip()
    sys.stderr.write(
        f"error: missing option {option}; give it, or run in a terminal to be asked.\n"
    )
    raise typer.Exit(EXIT_USAGE)


def new(
    measure_id: Annotated[
        str | None, typer.Option("--id", help="Id (file name) of the measure.")
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", help="Title shown in the statement.")
    ] = None,
    priority: Annotated[str | None, typer.Option("--priority", help="Id of its priority.")] = None,
    kind: Annotated[MeasureKind | None, typer.Option("--kind", help="national or proxy.")] = None,
    dataset: Annotated[
        str | None, typer.Option("--dataset", help="Id of the dataset it reads.")
    ] = None,
    filter_pairs: Annotated[
        list[str] | None,
        typer.Option("--filter", help="Keep rows where dimension=value; repeat for more values."),
    ] = None,
    proxy_for: Annotated[
        str | None, typer.Option("--proxy-for", help="For a proxy: the national measure's id.")
    ] = None,
    window_months: Annotated[
        int | None,
        typer.Option("--window-months", min=1, max=60, help="Rolling window length in months."),
    ] = None,
    description: Annotated[
        str | None, typer.Option("--description", help="What is counted (defaults to the title).")
    ] = None,
    catalogue_option: CatalogueOption = None,
) -> None:
    """Scaffold definitions/<id>.yaml in the catalogue from flags, checked before it is written."""
    from framework.findings.finding import Level
    from framework.loading.catalogue import display_name, load_catalogue
    from framework.validation.formats import as_text
    from framework.validation.pipeline import validate_catalogue

    catalogue_path = resolve_catalogue(catalogue_option)
    measure_id = _require(measure_id, "--id", "Measure id (lower case, digits, underscores)")
    if not SLUG_RE.match(measure_id):
        raise typer.BadParameter(
            f"{measure_id!r} is not an id: use lower case letters, digits and underscores, "
            "starting with a letter",
            param_hint="--id",
        )
    title = _require(title, "--title", "Title")
    priority = _require(priority, "--priority", "Priority id")
    if kind is None:
        answer = _require(None, "--kind", "Kind (national or proxy)")
        if answer not in MeasureKind.__members__:
            raise typer.BadParameter(f"{answer!r} is not national or proxy", param_hint="--kind")
        kind = MeasureKind(answer)
    if kind is MeasureKind.proxy:
        proxy_for = _require(
            proxy_for, "--proxy-for", "Id of the national measure it stands in for"
        )
    elif proxy_for:
        raise typer.BadParameter("only a proxy stands in for a measure", param_hint="--proxy-for")
    dataset = _require(dataset, "--dataset", "Dataset id")
    filters = parse_filters(filter_pairs or [])

    catalogue = load_catalogue(catalogue_path)
    registered = catalogue.dataset(dataset)
    grain = registered.model.grain if registered is not None else "month"
    if window_months is None:
        covers = registered.model.covers_months if registered is not None else None
        window_months = covers or 12
    text = render_measure(
        measure_document(
            measure_id=measure_id,
            title=title,
            description=description or title,
            priority=priority,
            kind=kind,
            dataset=dataset,
            filters=filters,
            proxy_for=proxy_for,
            grain=grain,
            window_months=window_months,
        ),
        schema_line(catalogue_path),
    )
    target = catalogue_path / "definitions" / f"{measure_id}.yaml"
    name = display_name(target, catalogue.root)
    if target.exists():
        sys.stderr.write(f"error: {name} already exists; edit it, or choose another --id.\n")
        raise typer.Exit(EXIT_FINDINGS)
    result = validate_catalogue(catalogue_path, overlay={target: text})
    own = [finding for finding in result.findings if finding.location.file == name]
    if own:
        sys.stderr.write(as_text(own, 1) + "\n")
    if any(finding.level is Level.ERROR for finding in own):
        sys.stderr.write(f"error: {name} was not written; fix the options above.\n")
        raise typer.Exit(EXIT_FINDINGS)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(text.encode("utf-8"))
    sys.stdout.write(
        f"wrote {target.as_posix()}\nNext: describe what is counted, add a baseline and "
        f"comparators, then run `measures validate {catalogue_path.as_posix()}`.\n"
    )


def register(app: typer.Typer) -> None:
    """Add the command to the application."""
    app.command("new")(new)
