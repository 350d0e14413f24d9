"""Find a dataset's files inside the catalogue, and name them relative to it.

A dataset's path may name a file or a folder, always relative to the catalogue root, and may
never lead outside it: the readers are pointed at published tables, not at the machine.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from framework.sources.base import FileDigest, SourceError, sha256_of


def resolve_inside(root: Path, relative: str, layers: Sequence[Path] = ()) -> Path:
    """Resolve ``relative`` against the catalogue ``root``; refuse anything that leaves it.

    Links are followed before the check, so a data file linked to elsewhere is refused too;
    ``layers`` are further catalogue folders (the national one under a force's) it may lead to.
    """
    from framework.loading.containment import path_problem, text_problem

    text = str(relative)
    problem = text_problem(text)
    if problem == "the path is empty":
        raise SourceError(
            text, "the dataset has no path", "Give the file or folder, relative to the catalogue."
        )
    if problem is not None:
        raise SourceError(
            text.replace("\x00", "\\0"),
            problem,
            "Write the path relative to the catalogue folder (data/...), so the catalogue "
            "moves as one.",
        )
    problem = path_problem(text, [root, *layers])
    if problem is not None:
        raise SourceError(
            text,
            f"{problem}: refused",
            "Copy the file into the catalogue's data folder and point the dataset there.",
        )
    return (root / text).resolve()


def pattern_problem(pattern: str) -> str | None:
    """Say why a file pattern could reach outside its folder, or return ``None`` when it cannot.

    A pattern is matched below the dataset's folder; ``..`` segments or an absolute pattern
    would let it match files elsewhere on the machine.
    """
    text = str(pattern).strip().replace("\\", "/")
    if not text:
        return "the pattern is empty"
    if "\x00" in text:
        return "the pattern holds a NUL byte"
    if text.startswith("/") or PurePosixPath(text).is_absolute() or Path(text).is_absolute():
        return "the pattern is absolute"
    if ".." in PurePosixPath(text).parts:
        return "the pattern has a '..' segment, which leads out of the dataset's folder"
    return None


def check_pattern(pattern: str) -> None:
    """Raise :class:`SourceError` when a file pattern could reach outside its folder."""
    problem = pattern_problem(pattern)
    if problem is not None:
        raise SourceError(
            pattern,
            f"{problem}: refused",
            "Write a pattern of file names below the dataset's folder, such as '*-street.csv'.",
        )


def relative_name(path: Path, root: Path) -> str:
    """Return a file's path relative to the catalogue root, with forward slashes."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name


def require_file(path: Path, root: Path, what: str) -> None:
    """Raise :class:`SourceError` unless ``path`` is a readable file."""
    name = relative_name(path, root)
    if not path.exists():
        raise SourceError(
            name,
            f"{what} does not exist",
            "Check the dataset's path, or run scripts/bundle_data.py to bundle the data.",
        )
    if not path.is_file():
        raise SourceError(name, f"{what} is not a file", "Point the dataset at a file.")


def files_in(path: Path, root: Path, pattern: str | tuple[str, ...], what: str) -> list[Path]:
    """Return the files a dataset path names: the file itself, or a folder's matches, sorted.

    A folder is searched recursively, as police.uk lays its downloads out in month folders;
    ``pattern`` may be several patterns, whose matches are taken together. A pattern that
    could reach outside the folder is refused (:func:`check_pattern`), and so is any match
    that resolves outside it (a link).
    """
    patterns = (pattern,) if isinstance(pattern, str) else pattern
    for each in patterns:
        check_pattern(each)
    name = relative_name(path, root)
    if not path.exists():
        raise SourceError(
            name,
            f"{what} does not exist",
            "Check the dataset's path, or run scripts/bundle_data.py to bundle the data.",
        )
    if path.is_file():
        return [path]
    base = path.resolve()
    from framework.loading.containment import escaping_entries

    for entry, reason in escaping_entries(path, [base]):
        where = "loops" if "loops" in reason else "resolves outside the dataset's folder"
        raise SourceError(
            relative_name(entry, root) if entry.exists() else entry.name,
            f"the link {where}: refused",
            "Copy the files into the dataset's folder instead of linking to them.",
        )
    found = sorted(
        {item for each in patterns for item in path.rglob(each) if item.is_file()},
    )
    outside = [item for item in found if not item.resolve().is_relative_to(base)]
    if outside:
        raise SourceError(
            relative_name(outside[0], root),
            "the file resolves outside the dataset's folder: refused",
            "Copy the file into the dataset's folder instead of linking to it.",
        )
    if not found:
        raise SourceError(
            name,
            f"the folder holds no files matching {' or '.join(map(repr, patterns))}",
            "Check the folder and the adapter's file pattern.",
        )
    return found


def digest(path: Path, root: Path) -> FileDigest:
    """Return the provenance record (relative name and SHA-256) of a file."""
    return FileDigest(relative_name(path, root), sha256_of(path))
