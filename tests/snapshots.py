"""The one snapshot helper: compare a text with its file, show a diff, rewrite on request.

Every snapshot and golden file of the suite goes through :class:`Snapshot`, which the
``snapshot`` fixture (``tests/conftest.py``) hands out. A mismatch fails with a unified diff
of the file against the text; a missing file fails too. ``pytest --update-snapshots`` (what
``make snapshots`` runs) writes the texts instead: review the diff with ``git diff`` before
committing it.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

import pytest

OPTION = "--update-snapshots"
DIFF_LINES = 200
"""The most lines of diff a failure shows; the rest is counted."""


def unified_diff(expected: str, actual: str, name: str) -> str:
    """Return the unified diff from the snapshot's text to the actual one, cut to be readable."""
    lines = list(
        difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile=f"{name} (snapshot)",
            tofile=f"{name} (actual)",
        )
    )
    shown = "".join(line if line.endswith("\n") else line + "\n" for line in lines[:DIFF_LINES])
    if len(lines) > DIFF_LINES:
        shown += f"... {len(lines) - DIFF_LINES} more lines of diff\n"
    return shown


@dataclass(frozen=True)
class Snapshot:
    """Checks texts against their snapshot files, or rewrites the files when ``update``."""

    update: bool = False

    def assert_match(self, actual: str, path: Path) -> None:
        """Fail unless ``path`` holds exactly ``actual``; when updating, write it there instead."""
        __tracebackhide__ = True
        if self.update:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists() or path.read_text(encoding="utf-8") != actual:
                path.write_text(actual, encoding="utf-8")
            return
        if not path.exists():
            pytest.fail(
                f"no snapshot {path.name}: run `pytest {OPTION}` (or `make snapshots`) to write "
                "it, then review it",
                pytrace=False,
            )
        expected = path.read_text(encoding="utf-8")
        if actual != expected:
            pytest.fail(
                f"{path.name} differs from its snapshot; if the change is intended, run "
                f"`pytest {OPTION}` (or `make snapshots`) and review the diff:\n"
                + unified_diff(expected, actual, path.name),
                pytrace=False,
            )
