"""Find a force by name or ONS code, with its region and the office that oversees it."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from framework.areas.registry import REFERENCE_PATH, AreaRegistry
from framework.findings.suggest import did_you_mean
from framework.sources.area_list import default_registry

OFFICES_FILE = REFERENCE_PATH.parent / "offices.csv"
"""Who oversees each force, beside the area list in the national catalogue."""


class UnknownForceError(ValueError):
    """A force name or code that matches none of the 43; carries a did-you-mean hint."""

    def __init__(self, query: str, hint: str) -> None:
        super().__init__(f"no police force area is called {query!r}")
        self.hint = hint


@dataclass(frozen=True)
class ForceFacts:
    """What a new force profile says about the force, all from the national catalogue."""

    id: str
    name: str
    ons_code: str
    region: str
    office_kind: str
    office_name: str


def force_id(name: str) -> str:
    """Return the profile id of a force name: ``Dyfed-Powys`` → ``dyfed_powys``."""
    return re.sub(r"[^a-z0-9]+", "_", name.casefold()).strip("_")


def find_force(query: str, national: Path) -> ForceFacts:
    """Return the facts of the force named or coded by ``query``; raise if there is none."""
    areas = default_registry(national)
    area = areas.resolve(query)
    if area is None or not area.is_force:
        raise UnknownForceError(query, _did_you_mean(query, areas))
    region = areas.region_of(area.code)
    kind, office = _offices(national).get(
        area.code, ("pcc", f"Office of the Police and Crime Commissioner for {area.name}")
    )
    return ForceFacts(
        force_id(area.name),
        area.name,
        area.code,
        region.name if region else "",
        kind,
        office,
    )


def _did_you_mean(query: str, areas: AreaRegistry) -> str:
    names = [area.name for area in areas.forces()]
    return did_you_mean(query.strip().title(), names, limit=3) or (
        "Name one of the 43 forces of England and Wales, or give its ONS code (E23…, W15…)."
    )


def _offices(national: Path) -> dict[str, tuple[str, str]]:
    path = national / OFFICES_FILE
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {row["code"]: (row["office_kind"], row["office_name"]) for row in rows}
