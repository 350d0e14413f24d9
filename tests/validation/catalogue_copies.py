"""Copies of the valid fixture catalogue, broken one edit at a time for the rule tests."""

from __future__ import annotations

import shutil
from pathlib import Path

CATALOGUE_OK = Path(__file__).parents[1] / "fixtures" / "catalogue_ok"


def copy_catalogue(destination: Path) -> Path:
    """Copy the valid fixture catalogue into ``destination`` and return its root."""
    root = destination / "catalogue"
    shutil.copytree(CATALOGUE_OK, root)
    return root


def edit(root: Path, relative: str, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in a file of the copy."""
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {relative}"
    path.write_text(text.replace(old, new), encoding="utf-8")
