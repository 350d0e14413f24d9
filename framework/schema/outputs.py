"""Write the generated documents, or say which committed copies have drifted from their source."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from framework.schema.codes_doc import codes_text
from framework.schema.json_schema import schema_texts
from framework.schema.reference import reference_text

SCHEMA_SUFFIX = ".schema.json"


@dataclass(frozen=True)
class Drift:
    """A generated file whose committed copy is missing, different or no longer generated."""

    path: Path
    reason: str


def generated_files(schema_dir: Path, reference: Path, codes: Path) -> dict[Path, str]:
    """Return every generated file's path and the text the models and the code table give it."""
    files = {schema_dir / name: text for name, text in schema_texts().items()}
    files[reference] = reference_text()
    files[codes] = codes_text()
    return files


def find_drift(files: dict[Path, str], schema_dir: Path) -> list[Drift]:
    """Compare the generated texts with the files on disk; list each that differs."""
    drift: list[Drift] = []
    for path, text in files.items():
        if not path.exists():
            drift.append(Drift(path, "missing"))
        elif path.read_text(encoding="utf-8") != text:
            drift.append(Drift(path, "differs from the models"))
    if schema_dir.is_dir():
        for path in sorted(schema_dir.glob(f"*{SCHEMA_SUFFIX}")):
            if path not in files:
                drift.append(Drift(path, "is no longer generated (no such document kind)"))
    return drift


def write_files(files: dict[Path, str]) -> list[Path]:
    """Write each file whose text changed; return the paths written."""
    written: list[Path] = []
    for path, text in files.items():
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written as bytes so the newline is "\n" on every system, like the committed copies.
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    return written
