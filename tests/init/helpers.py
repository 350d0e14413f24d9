"""A force catalogue written by init, for tests to extend and break."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from framework.init.scaffold import init_catalogue

NATIONAL = Path(__file__).parents[2] / "measures" / "national"
TODAY = date(2026, 12, 6)


def new_force(tmp_path: Path, force: str = "Durham", name: str = "durham") -> Path:
    """Write a fresh force catalogue into ``tmp_path/name`` and return its folder."""
    folder = tmp_path / name
    init_catalogue(folder, force, TODAY)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in a file."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def own_measure(folder: Path, measure_id: str, title: str, base: str = "homicide") -> Path:
    """Write a measure of the force's own: the national ``base`` measure under a new id."""
    text = (NATIONAL / "definitions" / f"{base}.yaml").read_text(encoding="utf-8")
    text = text.replace(f"  id: {base}\n", f"  id: {measure_id}\n", 1)
    text = text.replace("\n  title: Homicide\n", f"\n  title: {title}\n", 1)
    target = folder / "definitions" / f"{measure_id}.yaml"
    target.write_text(text, encoding="utf-8")
    return target
