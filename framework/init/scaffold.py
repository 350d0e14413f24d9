"""Write a ready force catalogue that builds on the national one: nothing national is copied."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from framework.init import texts
from framework.init.offices import ForceFacts, find_force
from framework.loading.catalogue import Located, load_catalogue
from framework.loading.layers import ROOT_FILE, national_root
from framework.model.dataset import Dataset
from framework.periods import financial_quarter_label, month_index
from framework.schema.json_schema import schema_texts


class InitError(ValueError):
    """Why the folder cannot be written, and what to do instead."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


def current_quarter(today: date) -> str:
    """Return the commentary folder name of the financial quarter holding ``today``."""
    month = month_index(today.year, today.month)
    last = month + (2 - (today.month - 1) % 3)
    return financial_quarter_label(last).replace("/", "-")


def force_held_tables(national: Path) -> list[tuple[Located[Dataset], list[str]]]:
    """Return the national catalogue's force-held datasets, each with the measures using it."""
    catalogue = load_catalogue(national)
    tables = []
    for located in catalogue.datasets:
        if located.model.force_held:
            users = [
                m.model.id
                for m in catalogue.measures
                if m.model.source and m.model.source.dataset == located.model.id
            ]
            tables.append((located, users))
    return tables


def plan_files(facts: ForceFacts, today: date, national: Path) -> dict[str, str]:
    """Return every file of the new catalogue by its path inside the folder."""
    quarter = current_quarter(today)
    tables = force_held_tables(national)
    files = {
        ROOT_FILE: texts.catalogue_yaml(facts),
        f"forces/{facts.id}.yaml": texts.force_yaml(facts),
        "commentary/README.md": texts.COMMENTARY_README,
        f"commentary/{facts.id}/{quarter}/.gitkeep": "",
        "definitions/.gitkeep": "",
        "data/README.md": texts.DATA_README,
        "templates/README.md": texts.templates_readme(tables),
        ".pre-commit-config.yaml": texts.pre_commit_config(),
        ".github/workflows/measures.yml": texts.workflow(),
        ".gitignore": texts.GITIGNORE,
        "README.md": texts.readme(facts, quarter, [t.model.path for t, _ in tables]),
    }
    for located, _ in tables:
        header = ",".join(texts.template_columns(located.model))
        files[f"templates/{texts.template_name(located.model)}"] = header + "\n"
    for name, text in schema_texts().items():
        files[f"schema/{name}"] = text
    return files


def init_catalogue(target: Path, force: str, today: date | None = None) -> list[Path]:
    """Write the force catalogue for ``force`` (a name or ONS code) into the folder ``target``."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InitError(
            f"{target} already exists and is not an empty folder",
            "Give the name of a new folder; init never overwrites files.",
        )
    national = national_root()
    facts = find_force(force, national)
    written = []
    for relative, text in plan_files(facts, today or date.today(), national).items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
