"""Findings: problems reported as values with a stable code, a level and an exact location."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class Level(StrEnum):
    """How serious a finding is: errors fail validation, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Location:
    """Where a finding points: a file, a 1-based line and column, and the key path inside it."""

    file: str
    line: int | None = None
    column: int | None = None
    key_path: tuple[str | int, ...] = ()

    @property
    def dotted(self) -> str:
        """Return the key path as ``measure.source.filters.offence_subgroup[0]``."""
        text = ""
        for part in self.key_path:
            text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
        return text

    def __str__(self) -> str:
        place = self.file
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        return place


@dataclass(frozen=True, order=True)
class Finding:
    """One problem: a stable code (``SCH003``), a level, where it is, what is wrong, how to fix."""

    location: Location
    code: str
    level: Level
    message: str
    hint: str = field(default="", compare=False)

    def sort_key(self) -> tuple[str, int, int, tuple[str, ...], str, str]:
        """Return a key that orders findings by file, line, column, key path and code.

        Unlike the dataclass order it never compares ``None`` with a number or a list
        index with a key, which a report mixing file-level and keyed findings would do.
        """
        where = self.location
        return (
            where.file,
            where.line or 0,
            where.column or 0,
            tuple(str(part) for part in where.key_path),
            self.code,
            self.message,
        )

    def as_dict(self) -> dict[str, object]:
        """Return the finding as plain JSON-ready data."""
        return {
            "code": self.code,
            "level": self.level.value,
            "file": self.location.file,
            "line": self.location.line,
            "column": self.location.column,
            "key_path": self.location.dotted,
            "message": self.message,
            "hint": self.hint,
        }


def has_errors(findings: Iterable[Finding]) -> bool:
    """Return True when any finding is an error."""
    return any(finding.level is Level.ERROR for finding in findings)
