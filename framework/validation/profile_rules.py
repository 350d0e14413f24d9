"""Rules on force profiles and commentary files: the parts of a catalogue a force writes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from framework.findings.codes import Code
from framework.findings.finding import Finding, Level, Location
from framework.findings.suggest import suggest
from framework.loading.catalogue import Catalogue, Located
from framework.loading.containment import is_inside, path_problem
from framework.model.force import Force
from framework.periods import PeriodError, parse_period
from framework.sources.base import SourceError
from framework.validation.rules import Rule

if TYPE_CHECKING:
    from framework.areas.registry import AreaRegistry

PERIOD_FOLDER = re.compile(r"^\d{4}-\d{2}-Q[1-4]$")
COMMENTARY_FILE = re.compile(r"^(?P<item>[a-z_][a-z0-9_.]*?)(?:\.(?P<author>force|pcc))?\.md$")


class ForceAreasKnown(Rule):
    """A force profile names real areas: its own code and name agree, its groups exist."""

    code = Code.FOR001

    def check(self, catalogue: Catalogue) -> Iterator[Finding]:
        """Yield a finding per code, name or member the area list does not know."""
        if not catalogue.forces:
            return
        from framework.areas.registry import REFERENCE_PATH
        from framework.sources.area_list import default_registry

        try:
            areas = default_registry(catalogue.areas_root())
        except SourceError as error:
            yield self.finding(
                Location(f"{catalogue.areas_root().name}/{REFERENCE_PATH.as_posix()}"),
                f"the area list cannot be read: {error.detail}",
                error.hint or "Restore data/reference/areas.csv from the repository.",
            )
            return
        names = [area.name for area in areas.forces()]
        for item in catalogue.forces:
            yield from self._check_force(item, areas, names)

    def _check_force(
        self, item: Located[Force], areas: AreaRegistry, names: list[str]
    ) -> Iterator[Finding]:
        force = item.model
        own = areas.resolve(force.ons_code)
        if own is None or not own.is_force:
            yield self.finding(
                item.location("ons_code"),
                f"{force.ons_code} is not the code of a police force area",
                "Use the force's ONS code (E23… in England, W15… in Wales).",
            )
        else:
            named = areas.resolve(force.name)
            if named is None or named.code != own.code:
                yield self.finding(
                    item.location("name"),
                    f"the name {force.name!r} does not match {force.ons_code} ({own.name})",
                    f"Write `name: {own.name}`, or correct the code.",
                )
        members: list[tuple[tuple[str | int, ...], str]] = [
            (("msg", "members", i), m) for i, m in enumerate(force.msg.members)
        ]
        for g, group in enumerate(force.groups):
            members += [(("groups", g, "members", i), m) for i, m in enumerate(group.members)]
        for path, member in members:
            area = areas.resolve(member)
            if area is None or not area.is_force:
                yield self.finding(
                    item.location(*path),
                    f"{member!r} is not a police force area",
                    suggest(str(member), names),
                )


class ReportingPeriodIsQuarter(Rule):
    """A statement's default period is a whole financial quarter."""

    code = Code.FOR002

    def check(self, catalogue: Catalogue) -> Iterator[Finding]:
        """Yield a finding for a reporting period that is not a quarter."""
        for item in catalogue.forces:
            text = item.model.reporting_period
            if text is None:
                continue
            try:
                span = parse_period(text)
            except PeriodError:
                continue  # the schema stage has reported it
            if span.months != 3:
                yield self.finding(
                    item.location("reporting_period"),
                    f"the reporting period {text!r} is not a quarter",
                    "Write a financial quarter such as `2021/22-Q4`, or remove it for the latest.",
                )


class CommentaryNamed(Rule):
    """Commentary files are named after a measure, a priority or the introduction, and readable."""

    code = Code.CAT003

    def check(self, catalogue: Catalogue) -> Iterator[Finding]:
        """Yield a finding for each commentary file nothing will show, or that cannot be read."""
        measures = [m.model.id for m in catalogue.measures] + sorted(catalogue.invalid_ids)
        priorities = [p.id for f in catalogue.priorities for p in f.model.items]
        known = [*measures, *(f"_priority.{p}" for p in priorities), "_introduction"]
        for item in catalogue.forces:
            if path_problem(item.model.commentary.folder, [catalogue.root]) is not None:
                continue  # ForcePathsInside reports it; nothing outside is looked at
            folder = catalogue.root / item.model.commentary.folder / item.model.id
            if not folder.is_dir() or not is_inside(folder, [catalogue.root]):
                continue
            for path in sorted(folder.rglob("*")):
                # Hidden files (.gitkeep) keep an empty quarter folder in git; nothing reads them.
                if (
                    path.is_file()
                    and not path.name.startswith(".")
                    and is_inside(path, [catalogue.root])
                ):
                    yield from self._check_file(catalogue.root, folder, path, known)

    def _check_file(
        self, root: Path, folder: Path, path: Path, known: list[str]
    ) -> Iterator[Finding]:
        name = path.relative_to(root.parent).as_posix()
        relative = path.relative_to(folder)
        if len(relative.parts) != 2 or not PERIOD_FOLDER.match(relative.parts[0]):
            yield self.finding(
                Location(name),
                "commentary must sit in a folder named after its quarter",
                "Use <force id>/<yyyy-yy-Qn>/<measure id>.force.md (2021-22-Q4/homicide.force.md).",
                Level.WARNING,
            )
            return
        match = COMMENTARY_FILE.match(path.name)
        if match is None or match["item"] not in known:
            item = match["item"] if match else path.stem
            yield self.finding(
                Location(name),
                f"no measure or priority is called {item!r}, so this commentary is never shown",
                suggest(item, known),
                Level.WARNING,
            )
            return
        try:
            path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            yield self.finding(
                Location(name),
                f"the file is not UTF-8 text (byte {error.start})",
                "Save the commentary as UTF-8.",
            )


class DataCaveatAreasKnown(Rule):
    """A dataset's caveats name real police force areas and run forwards in time."""

    code = Code.FOR003

    def check(self, catalogue: Catalogue) -> Iterator[Finding]:
        """Yield a finding per caveat area the area list does not know, or a backwards span."""
        located = [(item, c) for item in catalogue.datasets for c in enumerate(item.model.caveats)]
        if not located:
            return
        from framework.sources.area_list import default_registry

        try:
            areas = default_registry(catalogue.areas_root())
        except SourceError:
            return  # FOR001 reports an unreadable area list once
        names = [area.name for area in areas.forces()]
        for item, (index, caveat) in located:
            for a, name in enumerate(caveat.areas):
                area = areas.resolve(name)
                if area is None or not area.is_force:
                    yield self.finding(
                        item.location("caveats", index, "areas", a),
                        f"{name!r} is not a police force area",
                        suggest(str(name), names),
                    )
            try:
                backwards = parse_period(caveat.to).last < parse_period(caveat.from_).first
            except PeriodError:
                continue  # SCH005 names the unreadable period
            if backwards:
                yield self.finding(
                    item.location("caveats", index, "to"),
                    f"the caveat ends ({caveat.to}) before it starts ({caveat.from_})",
                    "Swap `from` and `to`, or correct one of them.",
                )


class RegionAgrees(Rule):
    """A profile's region is the one the area list gives its force (a warning)."""

    code = Code.FOR004

    def check(self, catalogue: Catalogue) -> Iterator[Finding]:
        """Yield a warning when the region label contradicts the force's region in the list."""
        if not catalogue.forces:
            return
        from framework.sources.area_list import default_registry

        try:
            areas = default_registry(catalogue.areas_root())
        except SourceError:
            return  # FOR001 reports the unreadable list
        for item in catalogue.forces:
            own = areas.resolve(item.model.ons_code)
            region = areas.region_of(own.code) if own is not None else None
            if region is None:
                continue
            written = areas.resolve(item.model.region)
            same_name = _plain(item.model.region) == _plain(region.name)
            if not same_name and (written is None or written.code != region.code):
                yield self.finding(
                    item.value_location("region"),
                    f"the region {item.model.region!r} is not {item.model.name}'s region in the "
                    f"area list ({region.name}); comparisons use {region.name}",
                    f"Write `region: {region.name}`.",
                    Level.WARNING,
                )


def _plain(name: str) -> str:
    """Return a region name without the list's " (region)" marker, for comparing."""
    return re.sub(r"\s*\(region\)$", "", name.strip()).casefold()


class OneDefaultProfile(Rule):
    """At most one profile is the default (a warning: the first one wins)."""

    code = Code.FOR005

    def check(self, catalogue: Catalogue) -> Iterator[Finding]:
        """Yield a warning for each default profile after the first."""
        defaults = [item for item in catalogue.forces if item.model.default]
        for item in defaults[1:]:
            yield self.finding(
                item.value_location("default"),
                f"{defaults[0].model.name} is already the default profile "
                f"({defaults[0].file}); commands use the first",
                "Keep `default: true` on one profile, or name the force in catalogue.yaml "
                "(`force:`).",
                Level.WARNING,
            )


MONTH_YEAR = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November"
    r"|December) (\d{4})\b"
)


class BaselineLabelAgrees(Rule):
    """A baseline's label names the month its dates end in, when it names one (a warning)."""

    code = Code.RUL012

    def check(self, catalogue: Catalogue) -> Iterator[Finding]:
        """Yield a warning when the label's month is not the baseline's last month."""
        from framework.periods import long_month

        for item in catalogue.measures:
            baseline = item.model.baseline
            if baseline is None:
                continue
            try:
                end = long_month(parse_period(baseline.end).last)
            except PeriodError:
                continue  # the schema stage has reported it
            named = [f"{month} {year}" for month, year in MONTH_YEAR.findall(baseline.label)]
            if named and end not in named:
                yield self.finding(
                    item.value_location("baseline", "label"),
                    f"the label says {named[-1]} but the baseline ends in {end}",
                    f"Write the label for the dates (… to {end}), or correct `end:`.",
                    Level.WARNING,
                )
