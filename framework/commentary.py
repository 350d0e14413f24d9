"""Find the force's and the PCC office's commentary for a measure in a reporting period.

Commentary is Markdown kept in the catalogue, one file per measure and author:
``<catalogue>/<folder>/<force id>/<period>/<measure id>.force.md`` and ``.pcc.md``, where
``<period>`` is the financial quarter with ``/`` replaced by ``-`` (``2021-22-Q4``).
A file ``_priority.<priority id>.force.md`` comments on a priority as a whole, and
``_introduction.md`` opens the statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from framework.loading.containment import is_inside
from framework.model.force import Force

AUTHORS = ("force", "pcc")


def period_folder(period_label: str) -> str:
    """Return the folder name of a period: ``2021/22-Q4`` → ``2021-22-Q4``."""
    return period_label.replace("/", "-")


@dataclass(frozen=True)
class Commentary:
    """The force's and the PCC office's Markdown for one item, where supplied."""

    force: str | None = None
    pcc: str | None = None


def commentary_folder(root: Path, force: Force, period_label: str) -> Path:
    """Return the folder holding a force's commentary for a period."""
    return root / force.commentary.folder / force.id / period_folder(period_label)


class CommentaryRefusedError(Exception):
    """A commentary file or folder that leads outside the catalogue: it is never published."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path}: the commentary leads outside the catalogue: refused")
        self.path = path


def _read(path: Path, root: Path) -> str | None:
    if not path.is_file():
        return None
    # Validation reports links out of the catalogue; this refuses them again at run time,
    # so what a link points at (a password file, say) never reaches a statement.
    if not is_inside(path, [root]):
        raise CommentaryRefusedError(path)
    text = path.read_text(encoding="utf-8", errors="replace").strip()
    return text or None


def commentary_for(root: Path, force: Force, period_label: str, item: str) -> Commentary:
    """Return the commentary on ``item`` (a measure id, or ``_priority.<id>``) for the period.

    Raises :class:`CommentaryRefusedError` for a file that resolves outside the catalogue.
    """
    folder = commentary_folder(root, force, period_label)
    force_text, pcc_text = (_read(folder / f"{item}.{author}.md", root) for author in AUTHORS)
    return Commentary(force_text, pcc_text)


def introduction_for(root: Path, force: Force, period_label: str) -> str | None:
    """Return the PCC office's introduction to the statement for the period, if supplied."""
    return _read(commentary_folder(root, force, period_label) / "_introduction.md", root)
