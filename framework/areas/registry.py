"""The registry of areas: forces, regions and countries, found by ONS code or by any spelling.

The reference list is a small CSV (``data/reference/areas.csv`` in the catalogue) derived
from the ONS population table, where each force sits under its region row. Its columns:

``code``         ONS code (blank only for bodies that are not areas, kind ``non_force``)
``name``         canonical name
``kind``         ``national`` (England and Wales), ``country``, ``region``, ``force`` or
                 ``non_force`` (Action Fraud, British Transport Police, ...)
``parent_code``  the region of a force (Wales for the four Welsh forces), the country of a
                 region, England and Wales for a country
``aliases``      other spellings, separated by ``|``

Names are matched with case, punctuation and footnote markers ignored, then once more without
a trailing "Police" / "Constabulary" / "Police Service" (police.uk's "Warwickshire Police").
Bodies of kind ``non_force`` resolve to ``None``; :meth:`AreaRegistry.non_force_reason` says why.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, cast

from framework.areas.names import is_area_code, name_key, short_key

AreaKind = Literal["national", "country", "region", "force"]
_KINDS = ("national", "country", "region", "force", "non_force")
REFERENCE_PATH = Path("data") / "reference" / "areas.csv"
"""Where the reference list sits inside a catalogue."""
NOT_A_FORCE = "not a territorial police force area of England and Wales"
"""The reason adapters give when a row names a body that is not a police force area."""


@dataclass(frozen=True)
class Area:
    """An area with an ONS code: England and Wales, a country, an English region or a force."""

    code: str
    name: str
    kind: AreaKind
    parent_code: str | None = None
    """The region of a force (Wales for Welsh forces), the country of a region, and so on."""

    @property
    def is_force(self) -> bool:
        """Return True for one of the 43 territorial police force areas."""
        return self.kind == "force"


class AreaRegistryError(ValueError):
    """A reference list that is malformed: a bad kind, a repeated code or an ambiguous name."""


class AreaRegistry:
    """Look areas up by ONS code or name; list forces and the members of a region."""

    def __init__(
        self,
        areas: Iterable[Area],
        aliases: dict[str, tuple[str, ...]] | None = None,
        non_forces: Iterable[str] = (),
    ) -> None:
        self._areas: dict[str, Area] = {}
        for area in areas:
            if area.code in self._areas:
                raise AreaRegistryError(f"area code {area.code} is listed twice")
            self._areas[area.code] = area
        self._by_key: dict[str, str] = {}
        self._by_short_key: dict[str, str] = {}
        self._non_forces: dict[str, str] = {}
        for area in self._areas.values():
            for spelling in (area.name, *(aliases or {}).get(area.code, ())):
                self._add_key(self._by_key, name_key(spelling), area.code, spelling)
        # Short keys are a second try, so a clash there only matters between different areas.
        for key, code in list(self._by_key.items()):
            self._add_key(self._by_short_key, short_key(key), code, key)
        for body in non_forces:
            self._non_forces[name_key(body)] = body
            self._non_forces.setdefault(short_key(name_key(body)), body)

    @staticmethod
    def _add_key(index: dict[str, str], key: str, code: str, spelling: str) -> None:
        if index.get(key, code) != code:
            raise AreaRegistryError(
                f"{spelling!r} would name both {index[key]} and {code}; make the alias unambiguous"
            )
        index[key] = code

    @classmethod
    def from_csv(cls, path: Path) -> AreaRegistry:
        """Load the registry from a reference CSV (columns described in the module docstring)."""
        areas: list[Area] = []
        aliases: dict[str, tuple[str, ...]] = {}
        non_forces: list[str] = []
        with path.open(encoding="utf-8", newline="") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                kind = (row.get("kind") or "").strip()
                name = (row.get("name") or "").strip()
                spellings = tuple(
                    part.strip() for part in (row.get("aliases") or "").split("|") if part.strip()
                )
                if kind not in _KINDS or not name:
                    raise AreaRegistryError(f"{path.name}:{line}: kind {kind!r} or name missing")
                if kind == "non_force":
                    non_forces.extend((name, *spellings))
                    continue
                code = (row.get("code") or "").strip().upper()
                if not is_area_code(code):
                    raise AreaRegistryError(f"{path.name}:{line}: {code!r} is not an ONS code")
                parent = (row.get("parent_code") or "").strip().upper() or None
                areas.append(Area(code, name, cast(AreaKind, kind), parent))
                aliases[code] = spellings
        return cls(areas, aliases, non_forces)

    def resolve(self, name_or_code: str) -> Area | None:
        """Return the area a code or name denotes, or ``None`` when it is not a known area."""
        text = str(name_or_code).strip()
        if is_area_code(text):
            return self._areas.get(text.upper())
        key = name_key(text)
        code = self._by_key.get(key) or self._by_short_key.get(short_key(key))
        return self._areas[code] if code else None

    def non_force_reason(self, name: str) -> str | None:
        """Say why a name is not an area when it is a known non-force body, else ``None``."""
        key = name_key(str(name))
        body = self._non_forces.get(key) or self._non_forces.get(short_key(key))
        return f"{NOT_A_FORCE} ({body})" if body else None

    def exclusion_reason(self, name_or_code: str) -> str:
        """Return the reason a name that does not resolve is left out of a frame."""
        reason = self.non_force_reason(name_or_code)
        if reason:
            return reason
        return f"area {str(name_or_code).strip()!r} is not in the area registry"

    def get(self, code: str) -> Area | None:
        """Return the area with this ONS code, if any."""
        return self._areas.get(code.strip().upper())

    def areas(self) -> tuple[Area, ...]:
        """Return every area, in reference-list order."""
        return tuple(self._areas.values())

    def forces(self) -> tuple[Area, ...]:
        """Return the 43 territorial police force areas, in reference-list order."""
        return tuple(area for area in self._areas.values() if area.is_force)

    def region_of(self, code: str) -> Area | None:
        """Return the region of a force (Wales for the Welsh forces), or ``None``."""
        area = self.get(code)
        if area is None or not area.is_force or area.parent_code is None:
            return None
        return self.get(area.parent_code)

    def members_of_region(self, region: str) -> tuple[Area, ...]:
        """Return the forces inside a region, Wales, England or England and Wales (name or code)."""
        parent = self.resolve(region)
        if parent is None or parent.is_force:
            return ()
        return tuple(force for force in self.forces() if self._within(force, parent.code))

    def _within(self, area: Area, ancestor: str) -> bool:
        current: Area | None = area
        while current is not None and current.parent_code is not None:
            if current.parent_code == ancestor:
                return True
            current = self.get(current.parent_code)
        return False
