"""Decide whether a path a definition names stays inside the catalogue, after following links.

Every path a definition can name (a dataset's ``path`` and file pattern, a force's dataset
overrides and commentary folder, the files below them) must resolve inside the catalogue
folder, or inside one of its layers when a force catalogue extends another. A path that
leaves it, by ``..``, by being absolute or through a symbolic link, is refused: the
framework reads published tables, never the rest of the machine.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePosixPath
from typing import Protocol

MAX_WALK = 100_000
"""Entries looked at below one folder before the walk stops (a folder that deep is a fault)."""


class HasRoot(Protocol):
    """Anything with a catalogue root (a loaded catalogue)."""

    root: Path


def catalogue_roots(catalogue: HasRoot) -> list[Path]:
    """Return the folders a catalogue's paths may resolve into: its root, then its layers.

    A force catalogue that extends the national one lists the folders it is built from in
    ``layers`` (each with a ``root``); its definitions may name files in any of them.
    """
    layers = getattr(catalogue, "layers", None) or ()
    roots = [catalogue.root]
    roots += [Path(layer.root) for layer in layers if Path(layer.root) != catalogue.root]
    return roots


def safe_resolve(path: Path) -> Path | None:
    """Resolve ``path`` following links; ``None`` when it cannot be (a loop, a NUL byte)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):
        return None


def is_inside(path: Path, roots: Sequence[Path]) -> bool:
    """Say whether ``path`` resolves (links followed) inside one of ``roots``."""
    resolved = safe_resolve(path)
    if resolved is None:
        return False
    for root in roots:
        base = safe_resolve(root)
        if base is not None and resolved.is_relative_to(base):
            return True
    return False


def text_problem(text: str) -> str | None:
    """Say why a path's text can never name a file inside the catalogue, or return ``None``."""
    if "\x00" in text:
        return "the path holds a NUL byte"
    if not text.strip():
        return "the path is empty"
    posix = text.replace("\\", "/")
    if Path(text).is_absolute() or PurePosixPath(posix).is_absolute() or _drive(posix):
        return "the path is absolute"
    return None


def _drive(posix: str) -> bool:
    return len(posix) > 1 and posix[1] == ":" and posix[0].isalpha()


def path_problem(text: str, roots: Sequence[Path], base: Path | None = None) -> str | None:
    """Say why ``text`` (relative to ``base``, else the first root) leaves the catalogue.

    Returns ``None`` when the path, with every link followed, stays inside one of ``roots``;
    a path that does not exist yet is judged by where it would be.
    """
    problem = text_problem(text)
    if problem is not None:
        return problem
    target = (base or roots[0]) / text
    if safe_resolve(target) is None:
        return "the path cannot be resolved: a symbolic link loops"
    if not is_inside(target, roots):
        return "the path leads outside the catalogue (after following links)"
    return None


def escaping_entries(folder: Path, roots: Sequence[Path]) -> Iterator[tuple[Path, str]]:
    """Yield each link below ``folder`` that leads outside ``roots`` or loops, with the reason.

    Links are not followed down (a link leading inside is checked where it leads, as part of
    the catalogue), so a loop cannot make the walk endless.
    """
    seen = 0
    for current, folders, files in os.walk(folder, followlinks=False):
        for name in sorted([*folders, *files]):
            seen += 1
            if seen > MAX_WALK:
                return
            entry = Path(current) / name
            if not entry.is_symlink():
                continue
            if safe_resolve(entry) is None or not _exists(entry):
                yield entry, "the link cannot be followed: it loops or leads nowhere"
            elif not is_inside(entry, roots):
                yield entry, "the link leads outside the catalogue"


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):
        return False
